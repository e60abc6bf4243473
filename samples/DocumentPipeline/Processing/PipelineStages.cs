using System.Text;
using System.Text.RegularExpressions;
using DocumentPipeline.Models;
using DocumentPipeline.Storage;

namespace DocumentPipeline.Processing;

/// <summary>The work of stages 2 to 15. Each reads the checkpoints it needs and returns its own.</summary>
public static partial class PipelineStages
{
    private const double CharWidth = 6;
    private const double LineHeight = 14;

    public static object Run(int stage, string documentId, CheckpointStore store) => stage switch
    {
        2 => Preprocess(store.Load<UploadCheckpoint>(documentId, 1)),
        3 => Ocr(store.Load<PreprocessingCheckpoint>(documentId, 2)),
        4 => Layout(store.Load<OcrCheckpoint>(documentId, 3), store.Load<PreprocessingCheckpoint>(documentId, 2)),
        5 => AssignCells(store.Load<LayoutCheckpoint>(documentId, 4)),
        6 => TableStructure(store.Load<LayoutCheckpoint>(documentId, 4), store.Load<CellAssignmentCheckpoint>(documentId, 5)),
        7 => MatchCells(store.Load<LayoutCheckpoint>(documentId, 4), store.Load<TableStructureCheckpoint>(documentId, 6)),
        8 => AssemblePages(store.Load<LayoutCheckpoint>(documentId, 4)),
        9 => ReadingOrder(store.Load<LayoutCheckpoint>(documentId, 4), store.Load<PageAssemblyCheckpoint>(documentId, 8)),
        10 => Captions(store.Load<LayoutCheckpoint>(documentId, 4)),
        11 => Merges(store.Load<LayoutCheckpoint>(documentId, 4), store.Load<ReadingOrderCheckpoint>(documentId, 9)),
        12 => CodeAndFormulas(store.Load<LayoutCheckpoint>(documentId, 4)),
        13 => ClassifyPictures(store.Load<LayoutCheckpoint>(documentId, 4)),
        14 => DescribePictures(store.Load<LayoutCheckpoint>(documentId, 4), store.Load<CaptionCheckpoint>(documentId, 10), store.Load<PictureClassificationCheckpoint>(documentId, 13)),
        15 => Export(documentId, store),
        _ => throw new ArgumentOutOfRangeException(nameof(stage), stage, "Stage 1 is the upload; stages 2 to 15 run here."),
    };

    public static PreprocessingCheckpoint Preprocess(UploadCheckpoint upload)
    {
        var result = new PreprocessingCheckpoint();
        var pages = upload.Text.Replace("\r\n", "\n").Split('\f');
        for (var i = 0; i < pages.Length; i++)
        {
            var lines = pages[i].Split('\n').Select(l => l.TrimEnd()).ToList();
            while (lines.Count > 0 && lines[0].Length == 0) lines.RemoveAt(0);
            while (lines.Count > 0 && lines[^1].Length == 0) lines.RemoveAt(lines.Count - 1);
            if (lines.Count == 0)
            {
                result.Warnings.Add($"page {i + 1} is empty");
                continue;
            }

            result.Pages.Add(new PageText { Number = result.Pages.Count + 1, Lines = lines });
        }

        return result;
    }

    public static OcrCheckpoint Ocr(PreprocessingCheckpoint pages)
    {
        var result = new OcrCheckpoint();
        foreach (var page in pages.Pages)
        {
            var ocrPage = new OcrPage { Number = page.Number };
            for (var line = 0; line < page.Lines.Count; line++)
            {
                foreach (Match word in WordPattern().Matches(page.Lines[line]))
                {
                    ocrPage.Words.Add(new Word
                    {
                        Id = $"w{page.Number}-{line}-{word.Index}",
                        Text = word.Value,
                        Line = line,
                        Box = new BoundingBox(word.Index * CharWidth, line * LineHeight, word.Length * CharWidth, LineHeight - 2),
                    });
                }
            }

            result.Pages.Add(ocrPage);
        }

        return result;
    }

    public static LayoutCheckpoint Layout(OcrCheckpoint ocr, PreprocessingCheckpoint pages)
    {
        var result = new LayoutCheckpoint();
        foreach (var page in pages.Pages)
        {
            var words = ocr.Pages.FirstOrDefault(p => p.Number == page.Number)?.Words ?? [];
            var start = 0;
            for (var line = 0; line <= page.Lines.Count; line++)
            {
                if (line < page.Lines.Count && page.Lines[line].Length > 0)
                {
                    continue;
                }

                if (line > start)
                {
                    result.Elements.Add(MakeElement(page.Number, page.Lines, start, line, words));
                }

                start = line + 1;
            }
        }

        return result;
    }

    private static LayoutElement MakeElement(int page, List<string> lines, int first, int end, List<Word> words)
    {
        var blockLines = lines.GetRange(first, end - first);
        var text = string.Join("\n", blockLines);
        var kind = Classify(blockLines);
        LayoutElement element = kind switch
        {
            ElementKind.Table => new TableElement { ColumnCount = blockLines.Max(l => l.Split('|').Length) },
            ElementKind.Figure => new FigureElement { Marker = text.Trim('[', ']') },
            _ => new LayoutElement(),
        };
        element.Id = $"p{page}-l{first}";
        element.Page = page;
        element.Kind = kind;
        element.Text = text;
        element.Box = new BoundingBox(0, first * LineHeight, blockLines.Max(l => l.Length) * CharWidth, blockLines.Count * LineHeight);
        element.WordIds = words.Where(w => w.Line >= first && w.Line < end).Select(w => w.Id).ToList();
        element.Touch();
        return element;
    }

    private static ElementKind Classify(List<string> lines)
    {
        var first = lines[0];
        if (lines.All(l => l.Contains('|'))) return ElementKind.Table;
        if (first.StartsWith("[figure", StringComparison.OrdinalIgnoreCase)) return ElementKind.Figure;
        if (CaptionPattern().IsMatch(first)) return ElementKind.Caption;
        if (lines.All(l => l.StartsWith("    ", StringComparison.Ordinal))) return ElementKind.Code;
        if (lines.Count == 1 && FormulaPattern().IsMatch(first)) return ElementKind.Formula;
        if (FootnotePattern().IsMatch(first)) return ElementKind.Footnote;
        if (lines.Count == 1 && (first.StartsWith('#') || (first.Length < 60 && !first.TrimEnd().EndsWith('.')))) return ElementKind.Heading;
        return ElementKind.Paragraph;
    }

    // Consistency: a cell ID derived from string.GetHashCode(), which is randomised per process.
    private static string CellId(string tableId, int row, string text) => "c" + (tableId + "/" + row + "/" + text).GetHashCode().ToString("x8");

    public static CellAssignmentCheckpoint AssignCells(LayoutCheckpoint layout)
    {
        var result = new CellAssignmentCheckpoint();
        foreach (var table in layout.Elements.Where(e => e.Kind == ElementKind.Table))
        {
            var group = new CellGroup { TableId = table.Id };
            var rows = table.Text.Split('\n');
            for (var row = 0; row < rows.Length; row++)
            {
                var x = 0;
                var cells = rows[row].Split('|');
                for (var column = 0; column < cells.Length; column++)
                {
                    var text = cells[column].Trim();
                    group.Cells.Add(new Cell
                    {
                        Id = CellId(table.Id, row, text),
                        Row = row,
                        Column = column,
                        Text = text,
                        Box = new BoundingBox(x * CharWidth, table.Box.Y + row * LineHeight, cells[column].Length * CharWidth, LineHeight),
                    });
                    x += cells[column].Length + 1;
                }
            }

            result.Tables.Add(group);
        }

        return result;
    }

    public static TableStructureCheckpoint TableStructure(LayoutCheckpoint layout, CellAssignmentCheckpoint cells)
    {
        var result = new TableStructureCheckpoint();
        foreach (var group in cells.Tables)
        {
            var table = layout.Elements.FirstOrDefault(e => e.Id == group.TableId);
            // After a reload the element is a plain LayoutElement: ColumnCount did not survive the save.
            var columns = (table as TableElement)?.ColumnCount ?? 0;
            if (columns == 0)
            {
                columns = group.Cells.Count == 0 ? 0 : group.Cells.Max(c => c.Column) + 1;
            }

            var rows = group.Cells.Count == 0 ? 0 : group.Cells.Max(c => c.Row) + 1;
            var hasHeader = group.Cells.Where(c => c.Row == 0).All(c => !c.Text.Any(char.IsDigit));
            result.Tables.Add(new TableStructure { TableId = group.TableId, Rows = rows, Columns = columns, HasHeader = hasHeader });
        }

        return result;
    }

    public static TableMatchingCheckpoint MatchCells(LayoutCheckpoint layout, TableStructureCheckpoint structure)
    {
        var result = new TableMatchingCheckpoint();
        foreach (var table in structure.Tables)
        {
            var element = layout.Elements.FirstOrDefault(e => e.Id == table.TableId);
            if (element is null)
            {
                continue;
            }

            var matched = new MatchedTable { TableId = table.TableId };
            var rows = element.Text.Split('\n');
            for (var row = 0; row < rows.Length; row++)
            {
                // Consistency: recomputes the cell IDs instead of reading stage 5; in another process they differ.
                var ids = rows[row].Split('|').Select(cell => CellId(table.TableId, row, cell.Trim())).ToList();
                matched.Grid.Add(ids);
                if (row == 0 && table.HasHeader)
                {
                    matched.HeaderCellIds.AddRange(ids);
                }
            }

            result.Tables.Add(matched);
        }

        return result;
    }

    public static PageAssemblyCheckpoint AssemblePages(LayoutCheckpoint layout)
        => new()
        {
            Pages = layout.Elements
                .GroupBy(e => e.Page)
                .OrderBy(g => g.Key)
                .Select(g => new AssembledPage { Number = g.Key, ElementIds = g.OrderBy(e => e.Box.Y).Select(e => e.Id).ToList() })
                .ToList(),
        };

    public static ReadingOrderCheckpoint ReadingOrder(LayoutCheckpoint layout, PageAssemblyCheckpoint pages)
    {
        var byId = layout.Elements.ToDictionary(e => e.Id);
        var order = new List<string>();
        foreach (var page in pages.Pages.OrderBy(p => p.Number))
        {
            order.AddRange(page.ElementIds
                .Where(byId.ContainsKey)
                .OrderBy(id => byId[id].Box.Y)
                .ThenBy(id => byId[id].Box.X));
        }

        return new ReadingOrderCheckpoint { Order = order };
    }

    public static CaptionCheckpoint Captions(LayoutCheckpoint layout)
    {
        var result = new CaptionCheckpoint();
        foreach (var caption in layout.Elements.Where(e => e.Kind is ElementKind.Caption or ElementKind.Footnote))
        {
            var wantsTable = caption.Text.StartsWith("Table", StringComparison.OrdinalIgnoreCase);
            var target = layout.Elements
                .Where(e => e.Page == caption.Page && (wantsTable ? e.Kind == ElementKind.Table : e.Kind is ElementKind.Figure or ElementKind.Table))
                .OrderBy(e => Math.Abs(e.Box.Y - caption.Box.Y))
                .FirstOrDefault();
            if (target is not null)
            {
                result.Links.Add(new CaptionLink { CaptionId = caption.Id, TargetId = target.Id, Kind = caption.Kind == ElementKind.Footnote ? "footnote" : "caption" });
            }
        }

        return result;
    }

    public static MergeCheckpoint Merges(LayoutCheckpoint layout, ReadingOrderCheckpoint order)
    {
        var byId = layout.Elements.ToDictionary(e => e.Id);
        var result = new MergeCheckpoint();
        for (var i = 0; i + 1 < order.Order.Count; i++)
        {
            if (!byId.TryGetValue(order.Order[i], out var first) || !byId.TryGetValue(order.Order[i + 1], out var second))
            {
                continue;
            }

            if (first.Kind == ElementKind.Paragraph && second.Kind == ElementKind.Paragraph && second.Page == first.Page + 1)
            {
                var last = first.Text.TrimEnd()[^1];
                var continues = !".!?:".Contains(last) && char.IsLower(second.Text.TrimStart()[0]);
                if (continues)
                {
                    result.Merges.Add(new MergeDecision { FirstId = first.Id, SecondId = second.Id, Confidence = 0.9 });
                }
            }
        }

        return result;
    }

    public static CodeFormulaCheckpoint CodeAndFormulas(LayoutCheckpoint layout)
        => new()
        {
            Items = layout.Elements
                .Where(e => e.Kind is ElementKind.Code or ElementKind.Formula)
                .Select(e => new CodeOrFormula
                {
                    ElementId = e.Id,
                    Language = e.Kind == ElementKind.Formula ? "math" : e.Text.Contains("def ") ? "python" : e.Text.Contains(';') ? "csharp" : "text",
                    Normalized = e.Kind == ElementKind.Formula
                        ? Regex.Replace(e.Text, @"\s+", " ").Trim()
                        : string.Join("\n", e.Text.Split('\n').Select(l => l.Length >= 4 ? l[4..] : l.TrimStart())),
                })
                .ToList(),
        };

    public static PictureClassificationCheckpoint ClassifyPictures(LayoutCheckpoint layout)
    {
        var labels = new (string Keyword, string Label)[] { ("chart", "chart"), ("graph", "chart"), ("photo", "photo"), ("diagram", "diagram"), ("flow", "diagram"), ("logo", "logo") };
        return new PictureClassificationCheckpoint
        {
            Pictures = layout.Elements
                .Where(e => e.Kind == ElementKind.Figure)
                .Select(e =>
                {
                    var hit = labels.FirstOrDefault(l => e.Text.Contains(l.Keyword, StringComparison.OrdinalIgnoreCase));
                    return new PictureClass { FigureId = e.Id, Label = hit.Label ?? "illustration", Score = hit.Label is null ? 0.4 : 0.85 };
                })
                .ToList(),
        };
    }

    public static PictureDescriptionCheckpoint DescribePictures(LayoutCheckpoint layout, CaptionCheckpoint captions, PictureClassificationCheckpoint classes)
    {
        var byId = layout.Elements.ToDictionary(e => e.Id);
        return new PictureDescriptionCheckpoint
        {
            Descriptions = classes.Pictures.Select(p =>
            {
                var caption = captions.Links.FirstOrDefault(l => l.TargetId == p.FigureId);
                var captionText = caption is not null && byId.TryGetValue(caption.CaptionId, out var c) ? c.Text : null;
                var marker = byId.TryGetValue(p.FigureId, out var figure) ? figure.Text.Trim('[', ']') : "figure";
                return new PictureDescription { FigureId = p.FigureId, Description = $"A {p.Label}: {captionText ?? marker}" };
            }).ToList(),
        };
    }

    private static ExportCheckpoint Export(string documentId, CheckpointStore store)
    {
        var layout = store.Load<LayoutCheckpoint>(documentId, 4);
        var cells = store.Load<CellAssignmentCheckpoint>(documentId, 5);
        var tables = store.Load<TableMatchingCheckpoint>(documentId, 7);
        var order = store.Load<ReadingOrderCheckpoint>(documentId, 9);
        var descriptions = store.Load<PictureDescriptionCheckpoint>(documentId, 14);
        var byId = layout.Elements.ToDictionary(e => e.Id);
        var cellText = cells.Tables.SelectMany(t => t.Cells).GroupBy(c => c.Id).ToDictionary(g => g.Key, g => g.First().Text);

        var markdown = new StringBuilder();
        foreach (var id in order.Order)
        {
            if (!byId.TryGetValue(id, out var element))
            {
                continue;
            }

            switch (element.Kind)
            {
                case ElementKind.Heading:
                    markdown.Append("## ").AppendLine(element.Text.TrimStart('#', ' '));
                    break;
                case ElementKind.Table:
                    var grid = tables.Tables.FirstOrDefault(t => t.TableId == id)?.Grid ?? [];
                    foreach (var (row, index) in grid.Select((r, i) => (r, i)))
                    {
                        // A cell ID that stage 5 does not know shows up as "?" in the export.
                        markdown.Append("| ").Append(string.Join(" | ", row.Select(c => cellText.GetValueOrDefault(c, "?")))).AppendLine(" |");
                        if (index == 0)
                        {
                            markdown.Append('|').Append(string.Concat(row.Select(_ => "---|"))).AppendLine();
                        }
                    }

                    break;
                case ElementKind.Figure:
                    var description = descriptions.Descriptions.FirstOrDefault(d => d.FigureId == id)?.Description ?? "figure";
                    markdown.Append("![").Append(description).AppendLine("](figure)");
                    break;
                case ElementKind.Code:
                    markdown.AppendLine("```").AppendLine(element.Text).AppendLine("```");
                    break;
                case ElementKind.Formula:
                    markdown.Append("$$ ").Append(element.Text.Trim()).AppendLine(" $$");
                    break;
                default:
                    markdown.AppendLine(element.Text);
                    break;
            }

            markdown.AppendLine();
        }

        store.WriteExportFile(documentId, markdown.ToString());
        return new ExportCheckpoint
        {
            Markdown = markdown.ToString(),
            ElementCount = order.Order.Count,
            // Consistency: local-clock timestamp persisted.
            ExportedAt = DateTime.Now,
        };
    }

    [GeneratedRegex(@"\S+")]
    private static partial Regex WordPattern();

    [GeneratedRegex(@"^(Figure|Fig\.|Table)\s+\d+[:.]", RegexOptions.IgnoreCase)]
    private static partial Regex CaptionPattern();

    [GeneratedRegex(@"^\s*[A-Za-z]\w*\s*=\s*.*[-+*/^]")]
    private static partial Regex FormulaPattern();

    [GeneratedRegex(@"^(\[\^\d+\]|\d+\))\s")]
    private static partial Regex FootnotePattern();
}
