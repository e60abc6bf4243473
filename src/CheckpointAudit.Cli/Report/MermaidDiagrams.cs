using System.Text;
using CheckpointAudit.Cli.Analysis;

namespace CheckpointAudit.Cli.Report;

/// <summary>
/// The report's pictures as Mermaid, which GitHub and IDE Markdown previews render: findings by category and severity,
/// the checkpoint layout as a tree of path templates marked by how each is written, and a pipeline's stages with what
/// each reads and writes. Each is null when there is nothing to draw.
/// </summary>
internal static class MermaidDiagrams
{
    private const int MaxTemplates = 30;
    private const int MaxStages = 30;

    /// <summary>A pie of sites per category, each slice naming its severities.</summary>
    public static string? FindingsByCategory(IReadOnlyList<ReportFinding> findings)
    {
        if (findings.Count == 0)
        {
            return null;
        }

        var text = new StringBuilder("pie showData title Sites by risk category\n");
        foreach (var category in findings.GroupBy(f => f.Category).OrderByDescending(g => g.Sum(f => f.Count)).ThenBy(g => g.Key, StringComparer.Ordinal))
        {
            var severities = category.GroupBy(f => f.Severity).OrderBy(g => ReportBuilder.SeverityRank(g.Key)).Select(g => $"{g.Sum(f => f.Count)} {g.Key.ToLowerInvariant()}");
            text.Append($"    \"{Label(Wording.CategoryName(category.Key))} — {string.Join(", ", severities)}\" : {category.Sum(f => f.Count)}\n");
        }

        return text.ToString();
    }

    /// <summary>The path templates written, as a tree from their first folder, each file marked atomic, in place or other.</summary>
    public static string? Layout(IReadOnlyList<WriteSite> writes)
    {
        var templates = writes.GroupBy(w => w.PathTemplate)
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
            .ToList();
        if (templates.Count == 0)
        {
            return null;
        }

        var text = new StringBuilder("flowchart LR\n");
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        var classes = new List<(string Id, string Class)>();
        foreach (var template in templates.Take(MaxTemplates).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var parts = template.Key.Split('/', '\\').Where(p => p.Length > 0).ToList();
            if (parts.Count == 0)
            {
                continue;
            }

            string? parent = null;
            for (var i = 0; i < parts.Count; i++)
            {
                var key = string.Join("/", parts.Take(i + 1)) + (i == parts.Count - 1 ? "\u0000file" : string.Empty);
                if (!ids.TryGetValue(key, out var id))
                {
                    id = $"n{ids.Count}";
                    ids.Add(key, id);
                    var label = Label(parts[i]);
                    if (i == parts.Count - 1)
                    {
                        var styles = template.GroupBy(w => w.Style).OrderBy(g => g.Key).Select(g => $"{Describe(g.Key)}{(g.Count() > 1 ? $" ×{g.Count()}" : string.Empty)}");
                        label += "<br/><i>" + string.Join(", ", styles) + "</i>";
                        classes.Add((id, template.Any(w => w.Style == WriteStyle.InPlace) ? "inPlace" : template.All(w => w.Style == WriteStyle.Atomic) ? "atomic" : "other"));
                    }

                    text.Append($"    {id}[\"{label}\"]\n");
                    if (parent is not null)
                    {
                        text.Append($"    {parent} --> {id}\n");
                    }
                }

                parent = id;
            }
        }

        if (templates.Count > MaxTemplates)
        {
            text.Append($"    more[\"… and {templates.Count - MaxTemplates} more path templates\"]\n");
        }

        text.Append("    classDef inPlace fill:#fde2e2,stroke:#c62828,color:#000\n");
        text.Append("    classDef atomic fill:#e3f4e1,stroke:#2e7d32,color:#000\n");
        text.Append("    classDef other fill:#eeeeee,stroke:#757575,color:#000\n");
        foreach (var group in classes.GroupBy(c => c.Class))
        {
            text.Append($"    class {string.Join(",", group.Select(c => c.Id))} {group.Key}\n");
        }

        return text.ToString();
    }

    /// <summary>A pipeline's stages: the stored models each loads, and what it produces. Drawn for two stages or more.</summary>
    public static string? Stages(IReadOnlyList<StageFlow> flows)
    {
        var stages = flows.GroupBy(f => f.Method).Select(g => (Method: g.Key, Reads: g.SelectMany(f => f.Reads).Distinct().ToList(), Writes: g.SelectMany(f => f.Writes).Distinct().ToList())).ToList();
        if (stages.Count < 2)
        {
            return null;
        }

        var text = new StringBuilder("flowchart LR\n");
        var models = new Dictionary<string, string>(StringComparer.Ordinal);
        string Model(string name)
        {
            if (!models.TryGetValue(name, out var id))
            {
                id = $"m{models.Count}";
                models.Add(name, id);
                text.Append($"    {id}([\"{Label(name)}\"])\n");
            }

            return id;
        }

        for (var i = 0; i < Math.Min(stages.Count, MaxStages); i++)
        {
            var (method, reads, writes) = stages[i];
            var stage = $"s{i}";
            text.Append($"    {stage}[\"{Label(method)}\"]\n");
            // Ids first: Model declares a node it has not seen, which must not land inside the edge's line.
            foreach (var read in reads.Select(Model).ToList())
            {
                text.Append($"    {read} --> {stage}\n");
            }

            foreach (var written in writes.Select(Model).ToList())
            {
                text.Append($"    {stage} --> {written}\n");
            }
        }

        if (stages.Count > MaxStages)
        {
            text.Append($"    more[\"… and {stages.Count - MaxStages} more stages\"]\n");
        }

        text.Append("    classDef stage fill:#e8eaf6,stroke:#3949ab,color:#000\n");
        text.Append($"    class {string.Join(",", Enumerable.Range(0, Math.Min(stages.Count, MaxStages)).Select(i => $"s{i}"))} stage\n");
        return text.ToString();
    }

    private static string Describe(WriteStyle style) => style switch
    {
        WriteStyle.InPlace => "in place",
        WriteStyle.Atomic => "atomic",
        _ => "append or scratch",
    };

    /// <summary>Text inside a quoted Mermaid label: quotes and markup characters as entity codes.</summary>
    public static string Label(string text)
    {
        var label = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            label.Append(c switch
            {
                '"' => "#quot;",
                '<' => "#lt;",
                '>' => "#gt;",
                '#' => "#35;",
                '\n' or '\r' or '\t' => " ",
                _ => c.ToString(),
            });
        }

        return label.ToString();
    }
}
