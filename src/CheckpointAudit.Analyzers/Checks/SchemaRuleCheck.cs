using CheckpointAudit.Catalog;
using CheckpointAudit.Knowledge;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace CheckpointAudit.Checks;

/// <summary>
/// Base of the Schema analyzers: one rule, nothing registered when the compilation has no file API or no
/// serializer (nothing can be persisted through one), generated code skipped; the subclass registers its
/// actions with the persisted-model knowledge and the options of the compilation.
/// </summary>
public abstract class SchemaRuleCheck : RuleCheck
{
    private protected SchemaRuleCheck(RuleDefinition rule)
        : base(rule)
    {
    }

    private protected sealed override void OnCompilationStart(CheckStart start)
    {
        if (PersistedModels.For(start.Compilation) is { } models)
        {
            Register(start, models, OptionsOf(start.Compilation, start.Options));
        }
    }

    private protected abstract void Register(CheckStart start, PersistedModels models, CheckpointAuditOptions options);

    /// <summary>
    /// For compilation-end rules: the persisted roots of the compilation — the models of serializer calls, with their
    /// serializer, collected by an action of the category's first such check, and the opted-in types, with none, looked up when first read.
    /// </summary>
    internal static PersistedRoots CollectRoots(CheckStart start, PersistedModels models, CheckpointAuditOptions options)
        => start.Shared(() => CollectOnce(start, models, options));

    // Collected once per category analyzer, by an action of the first check that asks, and read by all of them.
    private static PersistedRoots CollectOnce(CheckStart start, PersistedModels models, CheckpointAuditOptions options)
    {
        var roots = new PersistedRoots(start.Compilation, options);
        start.RegisterOperationAction(
            c =>
            {
                if (models.Match((IInvocationOperation)c.Operation) is { } evidence && options.IsAnalyzed(c.Operation.Syntax.SyntaxTree))
                {
                    var output = RegenerableModelSite.Output((IInvocationOperation)c.Operation, evidence, c.Compilation)?.Evidence;
                    foreach (var model in evidence.Models)
                    {
                        roots.Add(model, evidence.Serializer, c.Operation.Syntax.GetLocation(), evidence.IsSave, output);
                    }
                }
            },
            OperationKind.Invocation);
        return roots;
    }
}
