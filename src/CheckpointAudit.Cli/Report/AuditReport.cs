using CheckpointAudit.Catalog;
namespace CheckpointAudit.Cli.Report;

// The report's content, one model for every format: Markdown and JSON show the same facts, SARIF the findings.

internal sealed record AuditReport
{
    public string Tool { get; init; } = "checkpoint-audit";

    public required string Version { get; init; }

    /// <summary>The input as named on the command line, reduced to its file or folder name.</summary>
    public required string Input { get; init; }

    /// <summary>Null without --baseline; else what the baseline hid.</summary>
    public BaselineSummary? Baseline { get; init; }

    public required IReadOnlyList<ProjectEntry> Projects { get; init; }

    public required IReadOnlyList<ProjectProblem> ProjectsNotAnalyzed { get; init; }

    public required IReadOnlyList<EnvironmentItem> Environment { get; init; }

    /// <summary>High and medium confidence findings, grouped by category, most severe first.</summary>
    public required IReadOnlyList<ReportFinding> Findings { get; init; }

    /// <summary>Sites by category and severity as a Mermaid pie (findings and suspicious patterns); null when there are none.</summary>
    public string? FindingsDiagram { get; init; }

    /// <summary>Low-confidence findings: what to check before acting.</summary>
    public required IReadOnlyList<ReportFinding> Suspicious { get; init; }

    /// <summary>Sites the project turned off itself (accepted risks), with what turned each off; not in the findings or the score.</summary>
    public IReadOnlyList<SuppressedSite> Suppressed { get; init; } = [];

    public required ScoreResult Score { get; init; }

    public required IReadOnlyList<TopFix> TopFixes { get; init; }

    public required ActionPlan Plan { get; init; }
}

internal sealed record ProjectEntry(string Name, string? Path, string Mode, int Files, int CompileErrors, IReadOnlyList<string> TopErrors, int Findings, string? Note, IReadOnlyList<string> AnalyzerFailures);

internal sealed record ProjectProblem(string Name, string Path, string Reason);

/// <summary>"Found", "Default assumed" or "Needs confirmation"; with the Mermaid diagrams that picture it, if any.</summary>
internal sealed record EnvironmentItem(string Topic, string Status, string Summary, IReadOnlyList<string> Details, string? ToConfirm)
{
    public IReadOnlyList<string> Diagrams { get; init; } = [];
}

internal sealed class ReportFinding
{
    public required string RuleId { get; init; }

    public required string Title { get; init; }

    public required string Category { get; init; }

    /// <summary>CRITICAL, HIGH, MEDIUM or MONITOR.</summary>
    public required string Severity { get; init; }

    public required string Confidence { get; init; }

    /// <summary>Why the confidence is lower than the rule's own, or null.</summary>
    public string? ConfidenceNote { get; init; }

    /// <summary>How this site is fixed, in a few words: the code fix's title, or why by hand.</summary>
    public required string FixHere { get; init; }

    /// <summary>The source at the site, one line.</summary>
    public required string Target { get; init; }

    /// <summary>What the written file holds and the evidence ("regenerable output (the path names a cache ...)"); null when the rule does not say.</summary>
    public string? Holds { get; init; }

    /// <summary>
    /// Where the site's data ranks among a rule's sites of one severity: the program's state first, then data not known
    /// here, data written once, regenerable output. Orders the report's tables; not written to JSON (Holds says it).
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public int HeldOrder { get; init; }

    public required string Project { get; init; }

    public required string File { get; init; }

    /// <summary>Every line of the collapsed sites, ascending.</summary>
    public required IReadOnlyList<int> Lines { get; init; }

    public required int StartColumn { get; init; }

    public required int EndLine { get; init; }

    public required string Member { get; init; }

    /// <summary>How many identical findings in this member (or about this subject) were collapsed into this one.</summary>
    public required int Count { get; init; }

    /// <summary>What the finding is about when several members' sites were folded into it (a persisted model), else null.</summary>
    public string? Subject { get; init; }

    /// <summary>Each collapsed site's line, member and message, for outputs that show sites one by one (SARIF).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlyList<CollapsedSite> Sites { get; init; } = [];

    /// <summary>Each site's fingerprint (see <c>SiteFingerprints</c>), in line order: what a baseline records.</summary>
    public IReadOnlyList<string> Fingerprints => [.. Sites.Select(s => s.Fingerprint).Distinct()];

    public required string Message { get; init; }

    public required string Problem { get; init; }

    public required string Impact { get; init; }

    public required IReadOnlyList<string> Verify { get; init; }

    public required FixText Fix { get; init; }

    public required string TradeOff { get; init; }

    /// <summary>For suspicious patterns: exactly what to check.</summary>
    public string? WhatToCheck { get; init; }

    public required string HelpUri { get; init; }
}

/// <summary>A site the project suppressed: by a #pragma, a [SuppressMessage], severity none in its configuration or its NoWarn.</summary>
internal sealed record SuppressedSite(string RuleId, string Title, string Severity, string Project, string File, int Line, string Member, string Message, string SuppressedBy, string Fingerprint);

/// <summary>One site of a collapsed finding.</summary>
internal sealed record CollapsedSite(int Line, string Member, string Message, string Fingerprint);

/// <summary>The fix as the report shows it: this site's before/after when a code fix applies, else the rule page's.</summary>
internal sealed record FixText(string Summary, string? CodeFix, bool ForThisSite, string? Before, string? After, IReadOnlyList<string> AlsoChanges);

internal sealed record ScoreResult(int Value, string Band, IReadOnlyList<string> Justification, IReadOnlyList<ScoreDeduction> Deductions, bool HasPersistedState);

/// <summary>One deduction; a systemic one names the practice missing everywhere (not written to the report).</summary>
internal sealed record ScoreDeduction(string Reason, double Points, [property: System.Text.Json.Serialization.JsonIgnore] IntegrityPractice Practice = IntegrityPractice.None);

internal sealed record TopFix(int Rank, string RuleId, string Title, string Action, int Sites, IReadOnlyList<string> Locations, string Why, string? CodeFix);

internal sealed class ActionPlan
{
    public required IReadOnlyList<PlanItem> FixNow { get; init; }

    public required IReadOnlyList<PlanItem> FixSoon { get; init; }

    public required IReadOnlyList<MonitorItem> Monitor { get; init; }

    public required double FixNowHoursLow { get; init; }

    public required double FixNowHoursHigh { get; init; }

    public required IReadOnlyList<InfrastructureItem> Infrastructure { get; init; }
}

internal sealed record PlanItem(string RuleId, string Title, string Severity, int Sites, IReadOnlyList<string> Locations, string Action, string? CodeFix);

internal sealed record MonitorItem(string What, string Metric, string Threshold);

internal sealed record InfrastructureItem(string Kind, string What, string Why);
