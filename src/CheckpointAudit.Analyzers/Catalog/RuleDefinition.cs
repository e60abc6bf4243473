using Microsoft.CodeAnalysis;

namespace CheckpointAudit.Catalog;

/// <summary>One row of the rule catalog. Built only by <see cref="RuleCatalog"/>.</summary>
public sealed class RuleDefinition
{
    internal RuleDefinition(
        string id,
        AuditCategory category,
        AuditSeverity auditSeverity,
        string title,
        string messageFormat,
        string remediation,
        string? fixTitle,
        bool isCompilationEnd = false,
        string? secondFixTitle = null,
        IntegrityPractice practice = IntegrityPractice.None)
    {
        Practice = practice;
        SecondFixTitle = secondFixTitle;
        IsCompilationEnd = isCompilationEnd;
        Id = id;
        Category = category;
        AuditSeverity = auditSeverity;
        Title = title;
        MessageFormat = messageFormat;
        Remediation = remediation;
        FixTitle = fixTitle;
        Descriptor = DescriptorFactory.Create(this);
    }

    /// <summary>CKPTnnn.</summary>
    public string Id { get; }

    public AuditCategory Category { get; }

    public AuditSeverity AuditSeverity { get; }

    /// <summary>Short title, identical to the first heading of the rule's doc page.</summary>
    public string Title { get; }

    /// <summary>Diagnostic message; placeholders are documented per rule.</summary>
    public string MessageFormat { get; }

    /// <summary>One line: what to do about a finding.</summary>
    public string Remediation { get; }

    /// <summary>The code fix's title, or null when the rule has no automatic fix.</summary>
    public string? FixTitle { get; }

    /// <summary>
    /// A second code action for the same finding, listed after <see cref="FixTitle"/>; bulk fixers
    /// (Fix All without a choice, dotnet format) apply the first one. Null when there is none.
    /// </summary>
    public string? SecondFixTitle { get; }

    /// <summary>Every fix title, as the docs and the README list them ("None"/"—" when empty).</summary>
    public string FixTitles => SecondFixTitle is null ? FixTitle ?? string.Empty : FixTitle + "; " + SecondFixTitle;

    public bool HasFix => FixTitle != null;

    /// <summary>
    /// The project-wide practice this rule's remediation puts in place (None for a local fix): the report ranks the fix
    /// higher when the score deducts for that practice missing, and plans the infrastructure the practice needs.
    /// </summary>
    public IntegrityPractice Practice { get; }

    /// <summary>Reported at compilation end (needs the whole project): the IDE shows it only on full-solution analysis.</summary>
    public bool IsCompilationEnd { get; }

    /// <summary>MONITOR rules are off unless a preset or .editorconfig turns them on.</summary>
    public bool IsEnabledByDefault => AuditSeverity != AuditSeverity.Monitor;

    /// <summary>CRITICAL and HIGH warn, MEDIUM informs, MONITOR is disabled.</summary>
    public DiagnosticSeverity DefaultSeverity => AuditSeverity switch
    {
        AuditSeverity.Critical => DiagnosticSeverity.Warning,
        AuditSeverity.High => DiagnosticSeverity.Warning,
        AuditSeverity.Medium => DiagnosticSeverity.Info,
        _ => DiagnosticSeverity.Info,
    };

    /// <summary>Category string as Roslyn, release tracking and SARIF see it.</summary>
    public string DiagnosticCategory => "CheckpointAudit." + Category;

    public string HelpLink => RuleCatalog.DocsBaseUri + Id + ".md";

    public DiagnosticDescriptor Descriptor { get; }

    public override string ToString() => Id + " " + Title;
}
