namespace CheckpointAudit.Tests.Sample;

/// <summary>What the crash harness found on disk, for one variant of the pipeline.</summary>
public sealed class DamageReport
{
    public required string Variant { get; init; }

    public int Kills { get; set; }

    /// <summary>Kills that landed while documents were still being processed.</summary>
    public int KillsMidRun { get; set; }

    /// <summary>Distinct checkpoints seen torn or empty (not valid JSON) right after a kill.</summary>
    public int UnreadableAfterKill { get; set; }

    /// <summary>Distinct checkpoints that were readable after one kill and missing or unreadable after a later one.</summary>
    public int Lost { get; set; }

    /// <summary>Distinct stages recorded as done while their checkpoint was missing or unreadable.</summary>
    public int StatusInconsistent { get; set; }

    /// <summary>Documents not finished after a final uninterrupted run.</summary>
    public int Stuck { get; set; }

    /// <summary>Checkpoints still unreadable after the final run.</summary>
    public int UnreadableAtEnd { get; set; }

    /// <summary>IDs in one stage's checkpoint that the stage they refer to does not contain, after the final run.</summary>
    public int DanglingReferences { get; set; }

    /// <summary>Temp files and document folders with no database row, after the final run.</summary>
    public int OrphanedFiles { get; set; }

    /// <summary>Where the kills landed: operation kind ("write", "rename", ...) and how many kills.</summary>
    public SortedDictionary<string, int> KillsByOperation { get; } = new(StringComparer.Ordinal);

    public int TotalDamage => Rows.Sum(row => row.Value(this));

    /// <summary>The table's rows: each counts damage, so a fixed variant must never exceed the original in any.</summary>
    public static IReadOnlyList<(string Name, Func<DamageReport, int> Value)> Rows { get; } =
        [
            ("checkpoints unreadable after a kill", r => r.UnreadableAfterKill),
            ("checkpoints lost (readable, later gone or torn)", r => r.Lost),
            ("stages marked done without a readable checkpoint", r => r.StatusInconsistent),
            ("documents stuck after a final run", r => r.Stuck),
            ("checkpoints unreadable after the final run", r => r.UnreadableAtEnd),
            ("dangling cross-stage references", r => r.DanglingReferences),
            ("orphaned files", r => r.OrphanedFiles),
        ];

    public static string Table(params DamageReport[] reports)
    {
        var text = new System.Text.StringBuilder();
        text.Append("| after ").Append(reports[0].KillsMidRun).Append(" SIGKILLs mid-run |");
        foreach (var report in reports)
        {
            text.Append(' ').Append(report.Variant).Append(" |");
        }

        text.Append("\n|---|").Append(string.Concat(reports.Select(_ => "---:|"))).Append('\n');
        foreach (var (name, value) in Rows)
        {
            text.Append("| ").Append(name).Append(" |");
            foreach (var report in reports)
            {
                text.Append(' ').Append(value(report)).Append(" |");
            }

            text.Append('\n');
        }

        foreach (var report in reports)
        {
            text.Append("\nKills of '").Append(report.Variant).Append("' landed just before: ")
                .Append(string.Join(", ", report.KillsByOperation.Select(k => $"{k.Key} {k.Value}"))).Append('.');
        }

        return text.ToString();
    }
}
