using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace CheckpointAudit.Knowledge;

/// <summary>
/// A private method that names the temp file of a save (<c>return path + ".tmp";</c>), and what its callers in the same
/// file do with the name: each publication of it (see <see cref="TempPublication"/>, or a project method that moves the
/// file it is given away) after it is written, by the caller itself, a project method, or a delegate parameter of the
/// caller (<c>writeTemp(temp)</c>: the method publishes whatever the delegate it was handed made).
/// </summary>
internal static class TempNamingHelper
{
    /// <summary>
    /// Whether a temp path declared with <paramref name="declared"/> is judged at the return of the private helper that
    /// names it: a call of such a helper held in a local, whose callers can all be read.
    /// </summary>
    public static bool IsFollowed(IOperation? declared, CancellationToken cancellationToken)
        => declared is IInvocationOperation call && NamerOf(call) is { } namer && OperationTree.LocalHolding(call) is not null && call.SemanticModel is { } model
            && namer.DeclaringSyntaxReferences[0].SyntaxTree == model.SyntaxTree
            && PrivateCallers.Calls(namer, model).Count > 0;

    /// <summary>
    /// Whether the file can publish a temp itself (its text names File.Move, File.Replace, File.Copy, MoveTo or CopyTo): a
    /// helper that names temps sits beside the code that moves them. A cheap test before the callers of every private method that returns text are read.
    /// </summary>
    public static bool FileMayPublish(SyntaxTree tree, CancellationToken cancellationToken)
        => MayPublish.GetValue(tree, t =>
        {
            return new StrongBox<bool>(SourceSearch.NamesAny(t.GetText(cancellationToken), "File.Move", "File.Replace", "File.Copy") || SourceSearch.NamesAny(t.GetText(cancellationToken), "MoveTo(", "CopyTo("));
        }).Value;

    private static readonly ConditionalWeakTable<SyntaxTree, StrongBox<bool>> MayPublish = new();

    /// <summary>The publications of the names <paramref name="namer"/> returns, each with the body that makes it.</summary>
    public static IEnumerable<(TempPublication Publication, IOperation Root)> Promotions(IMethodSymbol namer, SemanticModel model, FileApiSymbols apis, CancellationToken cancellationToken)
    {
        foreach (var call in PrivateCallers.Calls(namer, model))
        {
            if (OperationTree.LocalHolding(call) is not { } local)
            {
                continue;
            }

            var root = OperationTree.Root(call);
            foreach (var invocation in root.Descendants().OfType<IInvocationOperation>())
            {
                if (invocation.Syntax.SpanStart > call.Syntax.SpanStart && MovesAway(invocation, local, apis, cancellationToken) is { } publication
                    && publication.IsPublished(root, apis)
                    && (TempFileDurability.Of(PathKey.From(publication.Source, apis), root, invocation, apis, out _) != TempWriteState.Unknown
                        || HandedToDelegateParameter(root, local, invocation)))
                {
                    yield return (publication, root);
                }
            }
        }
    }

    /// <summary>The private ordinary method of a single-file type whose result a temp path was declared with.</summary>
    private static IMethodSymbol? NamerOf(IInvocationOperation call)
        => call.TargetMethod is { DeclaredAccessibility: Accessibility.Private, MethodKind: MethodKind.Ordinary } method
            && method.DeclaringSyntaxReferences.Length == 1 && method.ContainingType.DeclaringSyntaxReferences.Length == 1
            ? method.OriginalDefinition
            : null;

    /// <summary>The invocation as a publication of <paramref name="local"/> onto another path, or null.</summary>
    private static TempPublication? MovesAway(IInvocationOperation invocation, ILocalSymbol local, FileApiSymbols apis, CancellationToken cancellationToken)
    {
        if (TempPublication.Match(invocation, apis) is { } publication)
        {
            return OperationTree.ReadsLocal(publication.Source, local) ? publication : null;
        }

        if (!MethodSummaries.IsProjectMethod(invocation.TargetMethod) || invocation.SemanticModel is null
            || !invocation.Arguments.Any(a => OperationTree.ReadsLocal(a.Value, local))
            || MethodSummaries.Of(invocation.SemanticModel.Compilation) is not { } summaries)
        {
            return null;
        }

        // A helper of the project that moves the file it is given away (Swap(temp, path)): the target is the argument
        // the helper receives a file onto.
        var moved = invocation.Arguments.FirstOrDefault(a => OperationTree.ReadsLocal(a.Value, local) && (summaries.UseOf(invocation, a, cancellationToken) & PathUse.MovesAway) != 0);
        if (moved is null)
        {
            return null;
        }

        var onto = invocation.Arguments.FirstOrDefault(a => a != moved && (summaries.UseOf(invocation, a, cancellationToken) & PathUse.MovesOnto) != 0);
        return new TempPublication(invocation, moved.Value, onto?.Value, copied: false);
    }

    /// <summary>A delegate parameter of the method is invoked with the temp before the publication: it writes the content.</summary>
    private static bool HandedToDelegateParameter(IOperation root, ILocalSymbol local, IOperation publication)
        => root.Descendants().OfType<IInvocationOperation>().Any(call => call.TargetMethod.MethodKind == MethodKind.DelegateInvoke
            && call.Instance is IParameterReferenceOperation
            && call.Syntax.SpanStart < publication.Syntax.SpanStart
            && call.Arguments.Any(a => OperationTree.ReadsLocal(a.Value, local)));
}
