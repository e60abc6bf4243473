using CheckpointAudit.Catalog;
using CheckpointAudit.Knowledge;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace CheckpointAudit.Checks;

/// <summary>
/// One rule of the catalog, run by its category's analyzer (<see cref="Hosting.CategoryAnalyzer"/>): at the start of a
/// compilation the check decides whether its rule can apply there and registers its actions with <see cref="CheckStart"/>;
/// the category analyzer runs them, with every other check of the category, from one Roslyn action per operation kind.
/// </summary>
public abstract class RuleCheck
{
    private protected RuleCheck(RuleDefinition rule)
    {
        Rule = rule;
    }

    /// <summary>The rule this check reports.</summary>
    public RuleDefinition Rule { get; }

    internal void Start(CheckStart start) => OnCompilationStart(start);

    /// <summary>Registers nothing when the family's types are absent from the compilation.</summary>
    private protected abstract void OnCompilationStart(CheckStart start);

    private protected static CheckpointAuditOptions OptionsOf(Compilation compilation, AnalyzerOptions options)
        => CheckpointAuditOptions.For(compilation, options.AnalyzerConfigOptionsProvider);
}
