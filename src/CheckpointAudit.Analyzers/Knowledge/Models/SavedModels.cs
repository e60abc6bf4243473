using System.Collections.Concurrent;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace CheckpointAudit.Knowledge;

/// <summary>
/// Whether the project saves a model anywhere: a serializer call (to any target) or a generic store's save, in a
/// source file that names the model, whose saved value carries it. A model only ever loaded is another program's or a person's
/// format (Graph API messages kept in a backup, a user-written sync file). Asked only for a finding already made,
/// answered once per compilation and model; only files whose text names the model are read, and only calls named
/// for a save in them are bound.
/// </summary>
internal static class SavedModels
{
    private static readonly ConditionalWeakTable<Compilation, ConcurrentDictionary<INamedTypeSymbol, bool>> Answers = new();

    public static bool IsSavedAnywhere(INamedTypeSymbol model, Compilation compilation, PersistedModels models, CancellationToken cancellationToken)
        => Answers.GetValue(compilation, _ => new(SymbolEqualityComparer.Default))
            .GetOrAdd(model.OriginalDefinition, m => Search(m, compilation, models, cancellationToken));

    private static bool Search(INamedTypeSymbol model, Compilation compilation, PersistedModels models, CancellationToken cancellationToken)
    {
        foreach (var tree in SourceSearch.TreesNaming(model.Name, compilation, cancellationToken))
        {
#pragma warning disable RS1030 // Only for a finding already made, only files naming the model.
            var semanticModel = compilation.GetSemanticModel(tree);
#pragma warning restore RS1030
            foreach (var node in tree.GetRoot(cancellationToken).DescendantNodes().OfType<InvocationExpressionSyntax>())
            {
                if (!NameWords.CallsASave(node)
                    || semanticModel.GetOperation(node, cancellationToken) is not IInvocationOperation call)
                {
                    continue;
                }

                if (models.SerializedBy(call).Any(saved => SerializedMembers.Carried(saved).Contains(model)))
                {
                    return true;
                }
            }
        }

        return false;
    }
}
