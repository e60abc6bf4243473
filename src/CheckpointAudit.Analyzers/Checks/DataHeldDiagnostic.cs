using System.Collections.Immutable;
using CheckpointAudit.Catalog;
using CheckpointAudit.Knowledge;
using Microsoft.CodeAnalysis;

namespace CheckpointAudit.Checks;

/// <summary>
/// A finding about a written file, carrying what the file holds (<see cref="WrittenData"/>) for the report, and
/// reported by default at the severity that data deserves: a one-shot write (defaults, migration code) as a
/// suggestion, regenerable output hidden unless the rule is the output rule itself. A severity set in
/// .editorconfig or a preset applies to every finding of the rule, as for any rule.
/// </summary>
internal static class DataHeldDiagnostic
{
    /// <summary>The diagnostic property holding <see cref="DataHeld"/>'s name: "State", "Output", "OneShot" or "Unclassified".</summary>
    public const string HeldProperty = "CheckpointAudit.Holds";

    /// <summary>The diagnostic property holding the evidence, in words.</summary>
    public const string EvidenceProperty = "CheckpointAudit.HoldsEvidence";

    public static Diagnostic Create(RuleDefinition rule, Location location, WrittenDataClass holds, params object[] messageArguments)
        => Create(rule, location, ImmutableArray<Location>.Empty, ImmutableDictionary<string, string?>.Empty, holds, messageArguments);

    /// <summary>With the check's own additional locations and properties (for its code fix).</summary>
    public static Diagnostic Create(RuleDefinition rule, Location location, ImmutableArray<Location> additionalLocations, ImmutableDictionary<string, string?> properties, WrittenDataClass holds, params object[] messageArguments)
        => Diagnostic.Create(
            rule.Descriptor,
            location,
            SeverityFor(rule, holds.Held),
            additionalLocations,
            properties.SetItem(HeldProperty, holds.Held.ToString()).SetItem(EvidenceProperty, holds.Evidence),
            messageArguments);

    /// <summary>The default severity of one finding of <paramref name="rule"/> about a file holding <paramref name="held"/>.</summary>
    public static DiagnosticSeverity SeverityFor(RuleDefinition rule, DataHeld held) => held switch
    {
        DataHeld.Output when rule.AuditSeverity != AuditSeverity.Monitor => DiagnosticSeverity.Hidden,
        DataHeld.OneShot when rule.DefaultSeverity == DiagnosticSeverity.Warning => DiagnosticSeverity.Info,
        _ => rule.DefaultSeverity,
    };

    /// <summary>
    /// The audit severity of one finding: regenerable output is at most MONITOR, a one-shot write at most MEDIUM,
    /// state and unclassified data keep the rule's own.
    /// </summary>
    public static AuditSeverity AuditSeverityFor(RuleDefinition rule, DataHeld held) => held switch
    {
        DataHeld.Output => AuditSeverity.Monitor,
        DataHeld.OneShot when rule.AuditSeverity is AuditSeverity.Critical or AuditSeverity.High => AuditSeverity.Medium,
        _ => rule.AuditSeverity,
    };

    /// <summary>What a diagnostic says its file holds, and why; Unclassified for diagnostics that do not say.</summary>
    public static (DataHeld Held, string Evidence) Read(Diagnostic diagnostic)
        => diagnostic.Properties.TryGetValue(HeldProperty, out var held) && System.Enum.TryParse<DataHeld>(held, out var value)
            ? (value, diagnostic.Properties.TryGetValue(EvidenceProperty, out var evidence) ? evidence ?? string.Empty : string.Empty)
            : (DataHeld.Unclassified, string.Empty);
}
