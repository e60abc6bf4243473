using System.Text.Json.Serialization;

namespace DocumentPipeline.Models;

public sealed record BoundingBox(double X, double Y, double Width, double Height)
{
    public double Bottom => Y + Height;
}

public sealed class Word
{
    public string Id { get; set; } = "";
    public string Text { get; set; } = "";
    public BoundingBox Box { get; set; } = new(0, 0, 0, 0);
    public int Line { get; set; }
}

public enum ElementKind
{
    // Schema versioning: enum persisted by number with no explicit values; reordering silently changes stored data.
    Heading,
    Paragraph,
    Table,
    Caption,
    Figure,
    Code,
    Formula,
    Footnote,
}

/// <summary>A layout element. Tables and figures carry extra data in derived types.</summary>
public class LayoutElement
{
    public string Id { get; set; } = "";
    public int Page { get; set; }
    public ElementKind Kind { get; set; }
    public BoundingBox Box { get; set; } = new(0, 0, 0, 0);
    public string Text { get; set; } = "";
    public List<string> WordIds { get; set; } = [];

    // Models: private setter, so the revision is written to the checkpoint but never read back.
    public int Revision { get; private set; }

    public void Touch() => Revision++;
}

// Models: derived types stored through the base type without [JsonDerivedType]: their members are lost on save.
public sealed class TableElement : LayoutElement
{
    public int ColumnCount { get; set; }
}

public sealed class FigureElement : LayoutElement
{
    public string Marker { get; set; } = "";
}

public sealed class Cell
{
    public string Id { get; set; } = "";
    public int Row { get; set; }
    public int Column { get; set; }
    public string Text { get; set; } = "";
    public BoundingBox Box { get; set; } = new(0, 0, 0, 0);
}

public sealed class CellGroup
{
    public string TableId { get; set; } = "";
    public List<Cell> Cells { get; set; } = [];
}

public sealed class TableStructure
{
    public string TableId { get; set; } = "";
    public int Rows { get; set; }
    public int Columns { get; set; }
    public bool HasHeader { get; set; }
}

public sealed class MatchedTable
{
    public string TableId { get; set; } = "";
    public List<List<string>> Grid { get; set; } = [];
    public List<string> HeaderCellIds { get; set; } = [];
}

public sealed class AssembledPage
{
    public int Number { get; set; }
    public List<string> ElementIds { get; set; } = [];
}

public sealed class CaptionLink
{
    public string CaptionId { get; set; } = "";
    public string TargetId { get; set; } = "";
    [JsonPropertyName("kind")]
    public string Kind { get; set; } = "caption";
}

public sealed class MergeDecision
{
    public string FirstId { get; set; } = "";
    public string SecondId { get; set; } = "";
    public double Confidence { get; set; }
}

public sealed class CodeOrFormula
{
    public string ElementId { get; set; } = "";
    public string Language { get; set; } = "";
    public string Normalized { get; set; } = "";
}

public sealed class PictureClass
{
    public string FigureId { get; set; } = "";
    public string Label { get; set; } = "";
    public double Score { get; set; }
}

public sealed class PictureDescription
{
    public string FigureId { get; set; } = "";
    public string Description { get; set; } = "";
}
