using CheckpointAudit.Catalog;
using CheckpointAudit.Cli.Analysis;

namespace CheckpointAudit.Cli.Report;

/// <summary>Assembles the report from every project's results: collapses, words and orders the findings.</summary>
internal static class ReportBuilder
{
    /// <summary>
    /// The report. With a baseline, findings, top fixes and the plan hold only the sites the baseline does not know;
    /// the score stays the whole code's, so that it does not rise when old findings are hidden.
    /// </summary>
    public static AuditReport Build(string input, IReadOnlyList<ProjectResult> results, IReadOnlyList<ProjectProblem> notAnalyzed, Baseline? baseline = null)
    {
        var facts = new EnvironmentFacts();
        foreach (var result in results)
        {
            facts.Add(result.Facts);
        }

        var projects = results.Select(r => new ProjectEntry(
            r.Name, r.ProjectFile, r.Mode == CheckpointAudit.Loading.LoadMode.MSBuild ? "msbuild" : "sources", r.Files, r.CompileErrors, r.TopErrors, r.Findings.Count, r.Note, r.AnalyzerFailures)).ToList();
        var sites = results.SelectMany(r => r.Findings).ToList();
        var suppressed = results.SelectMany(r => r.Suppressed).ToList();
        SiteFingerprints.Assign([.. sites, .. suppressed]);
        var collapsed = Collapse(sites).ToList();
        var findings = Order(collapsed.Where(f => f.Confidence != nameof(Confidence.Low)));
        var score = IntegrityScoring.Compute(findings, facts);
        BaselineSummary? summary = null;
        if (baseline is not null)
        {
            var known = sites.Select(s => s.Fingerprint).Where(baseline.Fingerprints.Contains).ToHashSet(StringComparer.Ordinal);
            var shown = sites.Where(s => !known.Contains(s.Fingerprint)).ToList();
            summary = new BaselineSummary(baseline.Name, shown.Select(s => s.Fingerprint).Distinct().Count(), known.Count, baseline.Fingerprints.Count(f => !known.Contains(f)));
            collapsed = Collapse(shown).ToList();
            findings = Order(collapsed.Where(f => f.Confidence != nameof(Confidence.Low)));
        }

        var suspicious = Order(collapsed.Where(f => f.Confidence == nameof(Confidence.Low)));
        return new AuditReport
        {
            Version = typeof(ReportBuilder).Assembly.GetName().Version?.ToString(3) ?? "0.0.0",
            Input = input,
            Baseline = summary,
            Projects = projects,
            ProjectsNotAnalyzed = notAnalyzed,
            Environment = EnvironmentAssessment.Assess(facts, projects),
            Findings = findings,
            Suspicious = suspicious,
            FindingsDiagram = MermaidDiagrams.FindingsByCategory([.. findings, .. suspicious]),
            Suppressed = [.. suppressed
                .OrderBy(s => s.File, StringComparer.Ordinal).ThenBy(s => s.StartLine).ThenBy(s => s.Rule.Id, StringComparer.Ordinal)
                .DistinctBy(s => (s.StartLine, s.Fingerprint))
                .Select(s => new SuppressedSite(s.Rule.Id, s.Rule.Title, s.Severity.ToString().ToUpperInvariant(), s.Project, s.File, s.StartLine, s.Member, s.Message, s.SuppressedBy!, s.Fingerprint))],
            Score = score,
            TopFixes = ActionPlanner.TopFixes(findings, score),
            Plan = ActionPlanner.Plan(findings, suspicious, facts),
        };
    }

    /// <summary>Grouped by category (the category with the most severe finding first), then by severity, file and line.</summary>
    private static List<ReportFinding> Order(IEnumerable<ReportFinding> findings)
    {
        var list = findings.ToList();
        var categoryRank = list.GroupBy(f => f.Category)
            .ToDictionary(g => g.Key, g => (Worst: g.Min(f => SeverityRank(f.Severity)), First: g.Min(f => f.RuleId)));
        return list
            .OrderBy(f => categoryRank[f.Category].Worst).ThenBy(f => categoryRank[f.Category].First, StringComparer.Ordinal)
            .ThenBy(f => SeverityRank(f.Severity)).ThenBy(f => f.RuleId, StringComparer.Ordinal)
            .ThenBy(f => f.File, StringComparer.Ordinal).ThenBy(f => f.Lines[0])
            .ToList();
    }

    public static int SeverityRank(string severity) => (int)Enum.Parse<AuditSeverity>(severity, ignoreCase: true);

    /// <summary>
    /// Identical findings become one entry with a count: one rule, one file, and one member, or one subject (a model
    /// saved and loaded by several members of the file is one finding), when those sites agree on severity,
    /// confidence and what the file holds: a state write is not hidden behind a load the analysis is less sure of,
    /// and a default written once is not counted at the severity of the state write beside it.
    /// </summary>
    private static IEnumerable<ReportFinding> Collapse(IEnumerable<SiteFinding> sites)
    {
        foreach (var group in sites.GroupBy(s => (s.Rule.Id, s.File, Member: (s.Subject is { } subject ? $"subject:{subject}" : s.Member.Length == 0 ? $"@{s.StartLine}" : s.Member) + $"|{s.Severity}|{s.Confidence}|{s.Holds}", s.Project)))
        {
            var ordered = group.OrderBy(s => s.StartLine).ThenBy(s => s.StartColumn).ToList();
            var first = ordered[0];
            var confidence = ordered.Max(s => s.Confidence); // the least sure site sets the group's confidence
            var note = ordered.Select(s => s.ConfidenceNote).FirstOrDefault(n => n is not null);
            var worst = ordered.OrderBy(s => s.Severity).First(); // the most severe site says what the group risks
            var collapsed = ordered.Select(s => new CollapsedSite(s.StartLine, s.Member, s.Message, s.Fingerprint)).ToList();
            yield return Describe(first, worst, collapsed, confidence, note);
        }
    }

    private static ReportFinding Describe(SiteFinding site, SiteFinding worst, IReadOnlyList<CollapsedSite> sites, Confidence confidence, string? note)
    {
        var count = sites.Count;
        var lines = sites.Select(s => s.Line).Distinct().ToList();
        var bySubject = site.Subject is not null;
        var rule = site.Rule;
        var holds = HoldsText(worst);
        var guide = RuleGuide.For(rule);
        var where = site.Member.Length == 0 ? $"`{site.File}`" : $"`{site.Member}` (`{site.File}`)";
        var problem = $"In {where}, `{site.Target}`: {Sentence(site.Message)}"
            + (count <= 1 ? string.Empty
                : bySubject ? $" The same holds at {count} places in this file (lines {string.Join(", ", lines)})."
                : $" The same happens {count} times in this member (lines {string.Join(", ", lines)}).");
        var impact = $"{Likelihood(rule, worst.Severity)} {guide.Impact} Confidence: {confidence}" + (note is null ? "." : $" ({note}).");
        FixText fix;
        if (site.Fix is { } preview)
        {
            fix = new FixText($"Code fix *{preview.Title}* rewrites this site (also with Fix All or `dotnet format analyzers --diagnostics {rule.Id}`).", preview.Title, true, preview.Before, preview.After, preview.AlsoChanges);
        }
        else
        {
            var example = guide.FixExample;
            var summary = rule.HasFix && !site.FixPreviewed
                ? $"Code fix *{rule.FixTitle}* (not previewed here: the report shows this site's change for the first {Analysis.ProjectAnalyzer.MaxPreviewsPerRule} sites of a rule in a project). {rule.Remediation}"
                : rule.HasFix
                ? $"The code fix *{rule.FixTitle}* does not apply to this site's shape; by hand: {rule.Remediation}"
                : $"By hand (no safe automatic rewrite): {rule.Remediation}";
            fix = new FixText(summary, null, false, example?.Before is { Length: > 0 } b ? b : null, example?.After is { Length: > 0 } a ? a : null, []);
        }

        return new ReportFinding
        {
            Subject = site.Subject,
            Sites = sites,
            RuleId = rule.Id,
            Title = rule.Title,
            Category = rule.Category.ToString(),
            Severity = worst.Severity.ToString().ToUpperInvariant(),
            Holds = holds,
            HeldOrder = worst.Holds switch
            {
                Knowledge.DataHeld.State => 0,
                Knowledge.DataHeld.OneShot => 2,
                Knowledge.DataHeld.Output => 3,
                _ => 1,
            },
            Target = site.Target,
            ConfidenceNote = note,
            FixHere = site.Fix is { } applied ? $"*{applied.Title}*"
                : !rule.HasFix ? "by hand"
                : site.FixPreviewed ? "by hand (the fix does not apply)"
                : $"*{rule.FixTitle}* (not previewed)",
            Confidence = confidence.ToString(),
            Project = site.Project,
            File = site.File,
            Lines = lines,
            StartColumn = site.StartColumn,
            EndLine = site.EndLine,
            Member = site.Member,
            Count = count,
            Message = site.Message,
            Problem = problem,
            Impact = impact,
            Verify = guide.VerifySteps,
            Fix = fix,
            TradeOff = guide.TradeOff,
            WhatToCheck = confidence == Confidence.Low ? WhatToCheck(rule, site, note, guide) : null,
            HelpUri = rule.HelpLink,
        };
    }

    private static string WhatToCheck(RuleDefinition rule, SiteFinding site, string? note, RuleGuide guide)
    {
        var where = site.Member.Length == 0 ? $"`{site.File}`" : $"`{site.Member}`";
        return note is not null
            ? $"Read {where} and confirm the finding by hand: {note}."
            : $"Whether the data behind `{site.Target}` matters enough to act on: {rule.Id} is a MONITOR rule, a real risk that is rare or costs little each time ({Lower(rule.Title)}).";
    }

    /// <summary>A realistic estimate of when the loss happens: what has to occur, by risk category and severity.</summary>
    public static string Likelihood(RuleDefinition rule, AuditSeverity severity) => (rule.Category, severity) switch
    {
        (AuditCategory.Schema, _) => "Happens at the first release that changes the model's shape, to every file written before it.",
        (AuditCategory.Atomicity, _) when rule == RuleCatalog.TornTailAppend => "Expected on an ordinary crash, kill or restart during an append; the more often it appends, the sooner.",
        (AuditCategory.Atomicity, AuditSeverity.Critical) => "Expected on an ordinary crash, kill or restart during the write; the more often it runs, the sooner.",
        (AuditCategory.Atomicity, _) => "Needs a power loss, a second writer or a different volume layout at the wrong moment.",
        (AuditCategory.Corruption, _) => "Happens the first time a stored file is damaged (a torn write, a full disk, a hand edit).",
        (AuditCategory.Orphans, _) when rule == RuleCatalog.FilesOutliveRecord => "Happens at every deletion of a record that has files, not only on failures.",
        (AuditCategory.Orphans, _) when rule == RuleCatalog.UnprunedStageFiles => "Grows with every ID or stage written, by successful saves, for the life of the installation.",
        (AuditCategory.Orphans, _) => "Accumulates with every failed or interrupted write.",
        (AuditCategory.Concurrency, _) => "Happens when two operations overlap: rare in tests, regular under production load.",
        (AuditCategory.Consistency, _) => "Happens when the value crosses a process, machine or restart boundary.",
        (AuditCategory.StateSync, _) => "Happens when two clients or sessions change the same state.",
        _ => "Happens on the first save-and-load round trip of an affected value.",
    };

    /// <summary>What the file holds, with the evidence, in words for the report; null for findings that do not say.</summary>
    private static string? HoldsText(SiteFinding site)
    {
        var what = site.Holds switch
        {
            Knowledge.DataHeld.State => "the program's state",
            Knowledge.DataHeld.Output => "regenerable output",
            Knowledge.DataHeld.OneShot => "data written or read once",
            // Why not: the evidence is the finding's confidence note, shown beside it.
            Knowledge.DataHeld.Unclassified when site.HoldsEvidence.Length > 0 => "not known here",
            _ => null,
        };
        return what is null || site.Holds == Knowledge.DataHeld.Unclassified || site.HoldsEvidence.Length == 0 ? what : $"{what} ({site.HoldsEvidence})";
    }

    private static string Lower(string text) => text.Length == 0 ? text : char.ToLowerInvariant(text[0]) + text[1..];

    private static string Sentence(string message)
    {
        var text = message.Trim();
        return text.EndsWith('.') ? text : text + ".";
    }
}
