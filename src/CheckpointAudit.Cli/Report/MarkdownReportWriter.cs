using System.Text;
using static CheckpointAudit.Cli.Report.Wording;

namespace CheckpointAudit.Cli.Report;

/// <summary>The audit report as a Markdown document, in the fixed order of sections.</summary>
internal static class MarkdownReportWriter
{
    public static string Write(AuditReport report)
    {
        var md = new StringBuilder();
        void Line(string text = "") => md.Append(text).Append('\n');

        var all = report.Findings.Concat(report.Suspicious).ToList();
        Line($"# Checkpoint integrity audit: {report.Input}");
        Line();
        Line($"Produced by {report.Tool} {report.Version} over {report.Projects.Count} project{S(report.Projects.Count)} " +
             $"({report.Projects.Sum(p => p.Files)} C# files). Integrity score **{report.Score.Value}/10** — {report.Score.Band}. " +
             $"{Counts(report.Findings)}; {report.Suspicious.Count} suspicious pattern{S(report.Suspicious.Count)}" +
             (report.Suppressed.Count == 0 ? "." : $"; {report.Suppressed.Count} site{S(report.Suppressed.Count)} suppressed by the project (listed at the end)."));
        if (report.Baseline is { } baseline)
        {
            Line();
            Line($"**Only what is new since the baseline `{baseline.File}`:** {baseline.NewSites} new site{S(baseline.NewSites)} below; " +
                 $"{baseline.KnownSites} site{S(baseline.KnownSites)} the baseline holds {(baseline.KnownSites == 1 ? "is" : "are")} not shown; " +
                 $"{baseline.GoneSites} of its site{S(baseline.GoneSites)} {(baseline.GoneSites == 1 ? "is" : "are")} no longer found (fixed, or the line was edited). The score is the whole code's.");
        }

        // An analyzer that failed lost every finding of its action: the reader must know before trusting the rest.
        var failures = report.Projects.Where(p => p.AnalyzerFailures.Count > 0).ToList();
        if (failures.Count > 0)
        {
            Line();
            Line($"**Analyzer failures — findings may be missing:** {string.Join("; ", failures.Select(p => $"{p.Name}: {string.Join(", ", p.AnalyzerFailures)}"))}.");
        }

        if (report.ProjectsNotAnalyzed.Count > 0)
        {
            Line();
            Line($"**Not analyzed:** {string.Join("; ", report.ProjectsNotAnalyzed.Select(p => $"{p.Name} (`{p.Path}`): {p.Reason}"))}.");
        }

        Line();
        Line("## 1. Environment & assumptions");
        Line();
        foreach (var item in report.Environment)
        {
            Line($"### {item.Topic} — *{item.Status}*");
            Line();
            Line(item.Summary);
            if (item.Details.Count > 0)
            {
                Line();
                foreach (var detail in item.Details)
                {
                    Line($"- {detail}");
                }
            }

            foreach (var diagram in item.Diagrams)
            {
                Line();
                Mermaid(md, diagram);
            }

            if (item.ToConfirm is not null)
            {
                Line();
                Line($"*To confirm:* {item.ToConfirm}");
            }

            Line();
        }

        Line("## 2. Findings");
        Line();
        if (report.FindingsDiagram is { } byCategory)
        {
            Mermaid(md, byCategory);
            Line();
        }

        if (report.Findings.Count == 0)
        {
            Line("No findings at high or medium confidence.");
            Line();
        }

        foreach (var category in report.Findings.GroupBy(f => f.Category))
        {
            Line($"### {CategoryName(category.Key)} ({category.Sum(f => f.Count)})");
            Line();
            foreach (var rule in category.GroupBy(f => f.RuleId))
            {
                RuleBlock(md, [.. rule], suspicious: false, described: false);
            }
        }

        Line("## 3. Suspicious patterns");
        Line();
        if (report.Suspicious.Count == 0)
        {
            Line("None: every finding above is reported at high or medium confidence.");
            Line();
        }

        // A rule already described among the findings is not described again: its block points there.
        var described = report.Findings.Select(f => f.RuleId).ToHashSet(StringComparer.Ordinal);
        foreach (var rule in report.Suspicious.GroupBy(f => f.RuleId))
        {
            RuleBlock(md, [.. rule], suspicious: true, described.Contains(rule.Key));
        }

        Line($"## 4. Integrity score: {report.Score.Value}/10");
        Line();
        Line($"*{Capitalize(report.Score.Band)}.* Computed by the formula in [docs/scoring.md](https://github.com/CheckpointAudit/CheckpointAudit/blob/main/docs/scoring.md).");
        Line();
        foreach (var reason in report.Score.Justification)
        {
            Line($"- {reason}");
        }

        Line();
        Line("## 5. Top 3 fixes");
        Line();
        if (report.TopFixes.Count == 0)
        {
            Line("Nothing to fix at high or medium confidence.");
            Line();
        }

        foreach (var fix in report.TopFixes)
        {
            Line($"{fix.Rank}. **{fix.RuleId} {fix.Title}** ({fix.Why}). {fix.Action}" +
                 (fix.CodeFix is null ? " No automatic fix: see the rule page." : $" Code fix: *{fix.CodeFix}*, with Fix All for every site."));
            Line($"   Sites: {Sites(fix.Locations)}.");
        }

        if (report.TopFixes.Count > 0)
        {
            Line();
        }

        Line("## 6. Summary & action plan");
        Line();
        Line($"**Fix now** (critical and high; about {report.Plan.FixNowHoursLow:0.#}–{report.Plan.FixNowHoursHigh:0.#} hours in all, tests included):");
        Line();
        PlanItems(md, report.Plan.FixNow);
        Line("**Fix soon** (medium):");
        Line();
        PlanItems(md, report.Plan.FixSoon);
        Line("**Monitor** (what to measure, and when to act):");
        Line();
        if (report.Plan.Monitor.Count == 0)
        {
            Line("- Nothing.");
        }

        foreach (var item in report.Plan.Monitor)
        {
            Line($"- {item.What} — metric: {item.Metric}; act when: {item.Threshold}.");
        }

        Line();
        Line("**Infrastructure to add:**");
        Line();
        foreach (var item in report.Plan.Infrastructure)
        {
            Line($"- *{item.Kind}*: {item.What} — because {item.Why}.");
        }

        if (report.Suppressed.Count > 0)
        {
            Line();
            Line("## Appendix: suppressed by the project");
            Line();
            Line($"{report.Suppressed.Count} site{S(report.Suppressed.Count)} the project turned off itself: accepted risks, not counted in the findings or the score. Each says what turned it off.");
            Line();
            Line("| Severity | Rule | Where | Member | Suppressed by |");
            Line("|---|---|---|---|---|");
            foreach (var site in report.Suppressed)
            {
                Line($"| {site.Severity} | {site.RuleId} {Cell(site.Title)} | `{Cell(site.File)}:{site.Line}` | {(site.Member.Length == 0 ? string.Empty : $"`{Cell(site.Member)}`")} | {Cell(site.SuppressedBy)} |");
            }
        }

        Line();
        Line("## Appendix: what was analyzed");
        Line();
        Line("| Project | Loaded | Files | Compile errors | Findings | Note |");
        Line("|---|---|---:|---:|---:|---|");
        // Projects with nothing to say (no finding, no note, no failure) share one row: a solution of 80 projects lists its 20.
        bool Quiet(ProjectEntry p) => p.Findings == 0 && p.Note is null && p.AnalyzerFailures.Count == 0;
        var quiet = report.Projects.Where(Quiet).ToList();
        foreach (var project in report.Projects.Where(p => !Quiet(p) || quiet.Count < 3))
        {
            var note = string.Join(" ", new[] { project.Note, project.AnalyzerFailures.Count > 0 ? $"analyzer failures: {string.Join("; ", project.AnalyzerFailures)}" : null }.Where(n => n is not null));
            Line($"| {project.Name} | {project.Mode} | {project.Files} | {project.CompileErrors} | {project.Findings} | {Cell(note)} |");
        }

        if (quiet.Count >= 3)
        {
            Line($"| {quiet.Count} projects with no findings | {string.Join(", ", quiet.Select(p => p.Mode).Distinct())} | {quiet.Sum(p => p.Files)} | {quiet.Sum(p => p.CompileErrors)} | 0 | {Cell(string.Join(", ", quiet.Select(p => p.Name)))} |");
        }

        foreach (var problem in report.ProjectsNotAnalyzed)
        {
            Line($"| {problem.Name} | not analyzed | | | | {Cell(problem.Reason)} |");
        }

        Line();
        Line($"Every rule ran, MONITOR rules included, whatever severities the projects' .editorconfig or preset set; sites a project turned off (severity none, NoWarn, #pragma, [SuppressMessage]) are listed apart. Rule pages: [docs/rules](https://github.com/CheckpointAudit/CheckpointAudit/tree/main/docs/rules). {all.Sum(f => f.Count)} site{S(all.Sum(f => f.Count))} in all.");
        return md.ToString();
    }

    /// <summary>Sites previewed in full under a rule's table; the rest show their fix in the table only.</summary>
    private const int PreviewsPerRule = 3;

    // A table past this many rows is not read; the most severe rows come first.
    private const int RowsPerRule = 20;

    private const int DiffLinesPerSide = 12;

    /// <summary>
    /// One rule: what it is about, how to verify, the fix and its trade-off once, then a table of its sites (most severe,
    /// i.e. the data that matters most, first; within a severity the program's state before data not known here, data written
    /// once and regenerable output) and the code fix's change at the first few of them.
    /// </summary>
    private static void RuleBlock(StringBuilder md, IReadOnlyList<ReportFinding> sites, bool suspicious, bool described)
    {
        void Line(string text = "") => md.Append(text).Append('\n');
        var first = sites[0];
        var rule = Analysis.AuditRules.Rule(first.RuleId)!;
        var guide = RuleGuide.For(rule);
        var ordered = sites.OrderBy(f => ReportBuilder.SeverityRank(f.Severity)).ThenBy(f => f.HeldOrder).ThenBy(f => f.File, StringComparer.Ordinal).ThenBy(f => f.Lines[0]).ToList();
        var worst = ordered[0].Severity;
        var count = sites.Sum(f => f.Count);
        Line($"#### [SEVERITY: {worst}] {first.RuleId} {first.Title} — {count} site{S(count)}");
        Line();
        if (described)
        {
            Line($"- **The rule:** described with the findings above (problem, impact, how to verify, the fix, trade-off): [{first.RuleId}]({first.HelpUri})");
        }
        else
        {
            RuleText(md, first, rule, guide, worst);
        }

        // One reason for every site (a rule whose helpers all write where their callers say) is said once, not per row.
        var reasons = suspicious ? ordered.Select(Reason).Distinct(StringComparer.Ordinal).ToList() : [];
        var sharedReason = reasons.Count == 1 && reasons[0].Length > 0 ? reasons[0] : null;
        if (suspicious)
        {
            Line(rule.AuditSeverity == Catalog.AuditSeverity.Monitor || ordered.Any(f => f.Severity == "MONITOR")
                ? $"- **What to check:** whether the data behind each site matters enough to act on (MONITOR: a real risk that is rare or costs little each time), and {(sharedReason is null ? "what the last column says" : "why every site is listed: " + sharedReason)}."
                : sharedReason is null
                ? "- **What to check:** confirm each site by hand: the last column says why the audit is unsure."
                : $"- **What to check:** confirm each site by hand; every site is listed because {sharedReason}.");
        }

        Line();
        TableAndPreviews(md, ordered, first, suspicious, reasonColumn: sharedReason is null);
    }

    private static string Reason(ReportFinding site) => site.ConfidenceNote ?? (site.Severity == "MONITOR" ? "MONITOR" : string.Empty);

    /// <summary>What a rule is about, said once: the problem, its impact, how to verify, the fix and the trade-off.</summary>
    private static void RuleText(StringBuilder md, ReportFinding first, Catalog.RuleDefinition rule, RuleGuide guide, string worst)
    {
        void Line(string text = "") => md.Append(text).Append('\n');
        Line($"- **Risk category:** {CategoryName(first.Category)}");
        Line($"- **The problem:** {guide.Problem}");
        Line($"- **Data impact:** {ReportBuilder.Likelihood(rule, Enum.Parse<Catalog.AuditSeverity>(worst, ignoreCase: true))} {guide.Impact}");
        Line($"- **How to verify:** {string.Join(" ", first.Verify.Select((s, i) => first.Verify.Count > 1 ? $"({i + 1}) {s}" : s))}");
        Line(rule.HasFix
            ? $"- **The fix:** {rule.Remediation} Code fix *{rule.FixTitle}* where the table says so (also with Fix All or `dotnet format analyzers --diagnostics {rule.Id}`); elsewhere by hand."
            : $"- **The fix:** By hand (no safe automatic rewrite): {rule.Remediation}");
        Line($"- **Trade-off:** {first.TradeOff}");
        Line($"- **Rule:** [{first.RuleId}]({first.HelpUri})");
    }

    /// <summary>The rule's sites, one row each, most severe first, then the code fix's change at the first few.</summary>
    private static void TableAndPreviews(StringBuilder md, IReadOnlyList<ReportFinding> ordered, ReportFinding first, bool suspicious, bool reasonColumn = true)
    {
        void Line(string text = "") => md.Append(text).Append('\n');
        Line(!suspicious ? "| Severity | Location | Member | Code | What the file holds | Confidence | Fix here |"
            : reasonColumn ? "| Severity | Location | Member | Code | What the file holds | Why it is listed here |"
            : "| Severity | Location | Member | Code | What the file holds |");
        Line(!suspicious ? "|---|---|---|---|---|---|---|" : reasonColumn ? "|---|---|---|---|---|---|" : "|---|---|---|---|---|");
        foreach (var site in ordered.Take(RowsPerRule))
        {
            var location = $"`{site.File}:{Lines(site)}`" + (site.Count > 1 ? $" ×{site.Count}" : string.Empty);
            var member = site.Member.Length == 0 ? string.Empty : $"`{Cell(site.Member)}`";
            var target = site.Target.Length <= 90 ? site.Target : site.Target[..87] + "...";
            var code = $"`{Cell(target.Replace('`', '\''))}`";
            var holds = Cell(site.Holds ?? "—");
            Line(suspicious
                ? $"| {site.Severity} | {location} | {member} | {code} | {holds} |" + (reasonColumn ? $" {Cell(Reason(site))} |" : string.Empty)
                : $"| {site.Severity} | {location} | {member} | {code} | {holds} | {site.Confidence}{(site.ConfidenceNote is null ? string.Empty : ": " + Cell(site.ConfidenceNote))} | {Cell(site.FixHere)} |");
        }

        if (ordered.Count > RowsPerRule)
        {
            // The least severe are left out (the table is sorted by severity); the JSON report lists every site.
            var rest = ordered.Skip(RowsPerRule).GroupBy(f => f.Severity).Select(g => $"{g.Count()} {g.Key}");
            Line();
            Line($"… and {ordered.Count - RowsPerRule} more ({string.Join(", ", rest)}), listed in the JSON report (`--format json`).");
        }

        Line();
        var previews = ordered.Where(f => f.Fix.ForThisSite && f.Fix.After is not null).Take(PreviewsPerRule).ToList();
        foreach (var site in previews)
        {
            Line($"Fix at `{site.File}:{site.Lines[0]}`" + (site.Fix.AlsoChanges.Count > 0 ? $" (elsewhere in the file it {string.Join("; ", site.Fix.AlsoChanges)})" : string.Empty) + ":");
            Line();
            Diff(md, site.Fix.Before, site.Fix.After!);
            Line();
        }

        if (previews.Count == 0 && first.Fix.After is not null && !first.Fix.ForThisSite)
        {
            Line("The rule page's example:");
            Line();
            Diff(md, first.Fix.Before, first.Fix.After);
            Line();
        }
    }

    /// <summary>The change as one diff block: the removed lines, then the added ones, so only what changes is shown.</summary>
    private static void Diff(StringBuilder md, string? before, string after)
    {
        md.Append("```diff\n");
        Mark(before, "-");
        Mark(after, "+");
        md.Append("```\n");

        // A fix that wraps a block (a try around the save) changes every line of it; the JSON report keeps the whole of it.
        void Mark(string? code, string mark)
        {
            var lines = code?.Split('\n') ?? [];
            foreach (var line in lines.Take(DiffLinesPerSide))
            {
                md.Append(mark).Append(line.Length == 0 ? string.Empty : " ").Append(line).Append('\n');
            }

            if (lines.Length > DiffLinesPerSide)
            {
                md.Append(mark).Append($" … {lines.Length - DiffLinesPerSide} more lines (the JSON report has the whole change)\n");
            }
        }
    }

    private static void Mermaid(StringBuilder md, string diagram) => md.Append("```mermaid\n").Append(diagram).Append("```\n");

    private static void PlanItems(StringBuilder md, IReadOnlyList<PlanItem> items)
    {
        if (items.Count == 0)
        {
            md.Append("- Nothing.\n");
        }

        foreach (var item in items)
        {
            md.Append($"- [{item.Severity}] {item.RuleId} {item.Title} — {item.Sites} site{S(item.Sites)} ({Sites(item.Locations)}). ")
              .Append(item.CodeFix is null ? "By hand." : $"Code fix: *{item.CodeFix}*.").Append('\n');
        }

        md.Append('\n');
    }

    private static string Lines(ReportFinding finding)
        => finding.Lines.Count == 1 && finding.EndLine > finding.Lines[0] ? $"{finding.Lines[0]}–{finding.EndLine}" : string.Join(", ", finding.Lines);

    private static string Sites(IReadOnlyList<string> locations)
        => locations.Count <= 5 ? string.Join(", ", locations.Select(l => $"`{l}`")) : string.Join(", ", locations.Take(5).Select(l => $"`{l}`")) + $" and {locations.Count - 5} more";

    private static string Counts(IReadOnlyList<ReportFinding> findings)
    {
        var total = findings.Sum(f => f.Count);
        var bySeverity = findings.GroupBy(f => f.Severity).OrderBy(g => ReportBuilder.SeverityRank(g.Key)).Select(g => $"{g.Sum(f => f.Count)} {g.Key.ToLowerInvariant()}");
        return total == 0 ? "No findings" : $"{total} finding{S(total)} ({string.Join(", ", bySeverity)})";
    }

    private static string Cell(string? text) => (text ?? string.Empty).Replace("|", "\\|");
}
