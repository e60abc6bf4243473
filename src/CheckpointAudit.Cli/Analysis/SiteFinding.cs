using CheckpointAudit.Catalog;

namespace CheckpointAudit.Cli.Analysis;

/// <summary>How sure the audit is that a finding is real and as bad as its rule says.</summary>
internal enum Confidence
{
    High,
    Medium,
    Low,
}

/// <summary>One diagnostic, placed and described for the report.</summary>
internal sealed class SiteFinding
{
    public required RuleDefinition Rule { get; init; }

    /// <summary>The project it was found in.</summary>
    public required string Project { get; init; }

    /// <summary>Relative to the audit root, with forward slashes.</summary>
    public required string File { get; init; }

    /// <summary>1-based.</summary>
    public required int StartLine { get; init; }

    public required int EndLine { get; init; }

    public required int StartColumn { get; init; }

    /// <summary>Type.Member containing the site ("" at type or file level).</summary>
    public required string Member { get; init; }

    /// <summary>What the finding is about when that is a declaration (a persisted model), else null: see <c>FindingSubject</c>.</summary>
    public string? Subject { get; init; }

    /// <summary>The diagnostic's message: already specific to the site.</summary>
    public required string Message { get; init; }

    /// <summary>The source text the diagnostic points at, one line.</summary>
    public required string Target { get; init; }

    /// <summary>The whole source text the diagnostic points at, on one line (<see cref="Target"/> is cut for display).</summary>
    public string Code { get; init; } = string.Empty;

    /// <summary>Set once when the site is placed; lowered when every project is done if nothing calls its method (<see cref="UncalledCode"/>).</summary>
    public required Confidence Confidence { get; set; }

    /// <summary>The rule's audit severity, lowered when the file holds regenerable output or is written once.</summary>
    public required AuditSeverity Severity { get; init; }

    /// <summary>What the written file holds, for rules about written files; Unclassified otherwise.</summary>
    public Knowledge.DataHeld Holds { get; init; }

    /// <summary>The code evidence that decided <see cref="Holds"/>; empty when unclassified.</summary>
    public string HoldsEvidence { get; init; } = string.Empty;

    /// <summary>Why the confidence is lower than the rule's own, or null.</summary>
    public string? ConfidenceNote { get; set; }

    /// <summary>The method the site lies in, when the audit can count its callers (<see cref="UncalledCode"/>); else null.</summary>
    public UncalledCandidate? Uncalled { get; init; }

    /// <summary>
    /// For an exception its project does not catch: the public methods it leaves the project through, and the catch
    /// types that handle it (<see cref="CaughtByCallers"/>); empty otherwise.
    /// </summary>
    public IReadOnlyList<string> ThrowsTo { get; init; } = [];

    public IReadOnlyList<string> CaughtBy { get; init; } = [];

    /// <summary>The code fix applied to this site, or null when the rule has none or it does not apply here.</summary>
    public FixPreview? Fix { get; set; }

    /// <summary>Stable across line shifts and unrelated edits (see <c>SiteFingerprints</c>); set once every site is known.</summary>
    public string Fingerprint { get; set; } = string.Empty;

    /// <summary>What in the project's code or configuration turned this site off, or null: see <c>ProjectSuppressions</c>.</summary>
    public string? SuppressedBy { get; set; }

    /// <summary>The fix was tried on this site (a null <see cref="Fix"/> then means it does not apply here).</summary>
    public bool FixPreviewed { get; set; }
}

/// <summary>What the rule's first code fix changes at one site.</summary>
internal sealed record FixPreview(string Title, string Before, string After, IReadOnlyList<string> AlsoChanges);
