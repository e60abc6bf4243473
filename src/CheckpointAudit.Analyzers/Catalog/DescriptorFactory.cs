using Microsoft.CodeAnalysis;

namespace CheckpointAudit.Catalog;

/// <summary>The only place a <see cref="DiagnosticDescriptor"/> is constructed.</summary>
internal static class DescriptorFactory
{
    public static DiagnosticDescriptor Create(RuleDefinition rule)
    {
        return new DiagnosticDescriptor(
            rule.Id,
            rule.Title,
            rule.MessageFormat,
            rule.DiagnosticCategory,
            rule.DefaultSeverity,
            rule.IsEnabledByDefault,
            description: rule.Remediation,
            helpLinkUri: rule.HelpLink,
            customTags: Tags(rule));
    }

    /// <summary>
    /// The descriptor of the audit tool's environment survey: an analyzer that reports nothing (it collects facts for
    /// the report) but must declare one descriptor. Hidden, never a rule, never in the catalog.
    /// </summary>
    public static DiagnosticDescriptor SurveyMarker { get; } = new(
        "CKPTSURVEY", "Environment survey", "Environment survey", "CheckpointAudit.Survey", DiagnosticSeverity.Hidden, isEnabledByDefault: true);

    private static string[] Tags(RuleDefinition rule)
    {
        // The audit severity rides along so SARIF and the CLI can read it from the descriptor alone.
        var tags = new[] { "CheckpointAudit", rule.Category.ToString(), "Audit" + rule.AuditSeverity };
        return rule.IsCompilationEnd ? [.. tags, WellKnownDiagnosticTags.CompilationEnd] : tags;
    }
}
