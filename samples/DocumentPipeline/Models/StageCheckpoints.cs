namespace DocumentPipeline.Models;

// Schema versioning: none of these checkpoint types carries a schema version, so a file written by an
// older build is read as if it were current.

/// <summary>Stage 1.</summary>
public sealed class UploadCheckpoint
{
    public string DocumentId { get; set; } = "";
    public string FileName { get; set; } = "";
    public string Text { get; set; } = "";
    // Consistency: local-clock timestamp persisted; ambiguous across time zones and DST changes.
    public DateTime UploadedAt { get; set; }
}

/// <summary>Stage 2.</summary>
public sealed class PreprocessingCheckpoint
{
    public List<PageText> Pages { get; set; } = [];

    // Models: get-only collection; System.Text.Json does not fill it when the checkpoint is loaded.
    public List<string> Warnings { get; } = [];
}

public sealed class PageText
{
    public int Number { get; set; }
    public List<string> Lines { get; set; } = [];
}

/// <summary>Stage 3.</summary>
public sealed class OcrCheckpoint
{
    public List<OcrPage> Pages { get; set; } = [];
}

public sealed class OcrPage
{
    public int Number { get; set; }
    public List<Word> Words { get; set; } = [];
}

/// <summary>Stage 4.</summary>
public sealed class LayoutCheckpoint
{
    public List<LayoutElement> Elements { get; set; } = [];
}

/// <summary>Stage 5.</summary>
public sealed class CellAssignmentCheckpoint
{
    public List<CellGroup> Tables { get; set; } = [];
}

/// <summary>Stage 6.</summary>
public sealed class TableStructureCheckpoint
{
    public List<TableStructure> Tables { get; set; } = [];
}

/// <summary>Stage 7.</summary>
public sealed class TableMatchingCheckpoint
{
    public List<MatchedTable> Tables { get; set; } = [];
}

/// <summary>Stage 8.</summary>
public sealed class PageAssemblyCheckpoint
{
    public List<AssembledPage> Pages { get; set; } = [];
}

/// <summary>Stage 9.</summary>
public sealed class ReadingOrderCheckpoint
{
    public List<string> Order { get; set; } = [];
}

/// <summary>Stage 10.</summary>
public sealed class CaptionCheckpoint
{
    public List<CaptionLink> Links { get; set; } = [];
}

/// <summary>Stage 11.</summary>
public sealed class MergeCheckpoint
{
    public List<MergeDecision> Merges { get; set; } = [];
}

/// <summary>Stage 12.</summary>
public sealed class CodeFormulaCheckpoint
{
    public List<CodeOrFormula> Items { get; set; } = [];
}

/// <summary>Stage 13.</summary>
public sealed class PictureClassificationCheckpoint
{
    public List<PictureClass> Pictures { get; set; } = [];
}

/// <summary>Stage 14.</summary>
public sealed class PictureDescriptionCheckpoint
{
    public List<PictureDescription> Descriptions { get; set; } = [];
}

/// <summary>Stage 15.</summary>
public sealed class ExportCheckpoint
{
    public string Markdown { get; set; } = "";
    public int ElementCount { get; set; }
    public DateTime ExportedAt { get; set; }
}
