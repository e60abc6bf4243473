using CheckpointAudit.Catalog;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace CheckpointAudit.Knowledge;

/// <summary>
/// Base of the Schema analyzers: one rule, nothing registered when the compilation has no file API or no
/// serializer (nothing can be persisted through one), generated code skipped; the subclass registers its
/// actions with the persisted-model knowledge and the options of the compilation.
/// </summary>
public abstract class SchemaRuleAnalyzer : RuleAnalyzer
{
    private protected SchemaRuleAnalyzer(RuleDefinition rule)
        : base(rule)
    {
    }

    private protected sealed override void OnCompilationStart(CompilationStartAnalysisContext start)
    {
        if (PersistedModels.For(start.Compilation) is { } models)
        {
            Register(start, models, OptionsOf(start.Compilation, start.Options));
        }
    }

    private protected abstract void Register(CompilationStartAnalysisContext start, PersistedModels models, CheckpointAuditOptions options);

    /// <summary>
    /// For compilation-end rules: the persisted roots of the compilation — the models of serializer calls, with their
    /// serializer, collected by an action of the rule, and the opted-in types, with none, looked up when first read.
    /// </summary>
    internal static PersistedRoots CollectRoots(CompilationStartAnalysisContext start, PersistedModels models, CheckpointAuditOptions options)
    {
        var roots = new PersistedRoots(start.Compilation, options);
        start.RegisterOperationAction(
            c =>
            {
                if (models.Match((IInvocationOperation)c.Operation) is { } evidence && options.IsAnalyzed(c.Operation.Syntax.SyntaxTree))
                {
                    foreach (var model in evidence.Models)
                    {
                        roots.Add(model, evidence.Serializer, c.Operation.Syntax.GetLocation());
                    }
                }
            },
            OperationKind.Invocation);
        return roots;
    }

    /// <summary>Whether a type is opted in as persisted: an attribute named Checkpoint/Persisted, or checkpoint_audit.persisted_types.</summary>
    internal static string? OptedIn(INamedTypeSymbol type, CheckpointAuditOptions options)
    {
        if (type.TypeKind is not (TypeKind.Class or TypeKind.Struct) || type.Locations.IsEmpty || type.Locations[0].SourceTree is not { } tree
            || !options.IsAnalyzed(tree))
        {
            return null;
        }

        foreach (var attribute in type.GetAttributes())
        {
            if (attribute.AttributeClass?.Name is "CheckpointAttribute" or "PersistedAttribute")
            {
                return "marked [" + attribute.AttributeClass.Name.Substring(0, attribute.AttributeClass.Name.Length - "Attribute".Length) + "]";
            }
        }

        return options.PersistedTypes(tree).Matches(type) ? "listed in checkpoint_audit.persisted_types" : null;
    }
}
