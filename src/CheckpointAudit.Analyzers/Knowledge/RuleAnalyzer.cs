using System.Collections.Immutable;
using CheckpointAudit.Catalog;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace CheckpointAudit.Knowledge;

/// <summary>
/// Base of every family's rule base: one rule of the catalog, concurrent execution, generated code skipped;
/// the family decides at compilation start whether its rules apply there and registers their actions.
/// </summary>
public abstract class RuleAnalyzer : DiagnosticAnalyzer
{
    private protected RuleAnalyzer(RuleDefinition rule)
    {
        Rule = rule;
        SupportedDiagnostics = ImmutableArray.Create(rule.Descriptor);
    }

    private protected RuleDefinition Rule { get; }

    public sealed override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; }

    public sealed override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(OnCompilationStart);
    }

    /// <summary>Registers nothing when the family's types are absent from the compilation.</summary>
    private protected abstract void OnCompilationStart(CompilationStartAnalysisContext start);

    private protected static CheckpointAuditOptions OptionsOf(Compilation compilation, AnalyzerOptions options)
        => CheckpointAuditOptions.For(compilation, options.AnalyzerConfigOptionsProvider);
}
