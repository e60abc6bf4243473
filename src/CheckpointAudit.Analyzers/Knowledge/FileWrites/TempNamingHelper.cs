using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace CheckpointAudit.Knowledge;

/// <summary>
/// A private method that names the temp file of a save (<c>return path + ".tmp";</c>), and what its callers in the same
/// file do with the name: each promotion of it (File.Move/Replace, or a project method that moves the file it is given
/// away) after it is written, by the caller itself, a project method, or a delegate the caller was handed
/// (<c>writeTemp(temp)</c>: the method promotes whatever the delegate made).
/// </summary>
internal static class TempNamingHelper
{
    /// <summary>The private method of the same type whose result a temp path was declared with, when its callers can all be read.</summary>
    public static IMethodSymbol? NamerOf(IOperation? declared)
        => declared is IInvocationOperation { TargetMethod: { DeclaredAccessibility: Accessibility.Private, MethodKind: MethodKind.Ordinary } method }
            && method.DeclaringSyntaxReferences.Length == 1 && method.ContainingType.DeclaringSyntaxReferences.Length == 1
            ? method
            : null;

    /// <summary>The promotions of the names <paramref name="namer"/> returns, each with the method that makes it.</summary>
    public static IEnumerable<(IInvocationOperation Promotion, IOperation Root)> Promotions(IMethodSymbol namer, SemanticModel model, FileApiSymbols apis)
    {
        foreach (var call in PrivateCallers.Calls(namer, model))
        {
            if (HeldIn(call) is not { } local)
            {
                continue;
            }

            var root = OperationTree.Root(call);
            foreach (var invocation in root.Descendants().OfType<IInvocationOperation>())
            {
                if (invocation.Syntax.SpanStart > call.Syntax.SpanStart && MovesAway(invocation, local, apis) is { } moved
                    && (TempFileDurability.Of(PathKey.From(moved, apis), root, invocation, apis, out _) != TempWriteState.Unknown || HandedToDelegate(root, local, invocation)))
                {
                    yield return (invocation, root);
                }
            }
        }
    }

    /// <summary>The local the call's result is declared into or assigned to.</summary>
    private static ILocalSymbol? HeldIn(IInvocationOperation call)
    {
        var parent = call.Parent;
        while (parent is IConversionOperation)
        {
            parent = parent.Parent;
        }

        return parent switch
        {
            IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator } => declarator.Symbol,
            ISimpleAssignmentOperation { Target: ILocalReferenceOperation target } => target.Local,
            _ => null,
        };
    }

    /// <summary>The reference to <paramref name="local"/> that the invocation moves onto another path, or null.</summary>
    private static IOperation? MovesAway(IInvocationOperation invocation, ILocalSymbol local, FileApiSymbols apis)
    {
        if (FilePromotion.TryMatchMoveOrReplace(invocation, apis, out var source, out _))
        {
            return IsLocal(source, local) ? source : null;
        }

        if (!MethodSummaries.IsProjectMethod(invocation.TargetMethod) || invocation.SemanticModel is null
            || MethodSummaries.Of(invocation.SemanticModel.Compilation) is not { } summaries)
        {
            return null;
        }

        return invocation.Arguments.FirstOrDefault(a => IsLocal(a.Value, local)
            && (summaries.UseOf(invocation, a, System.Threading.CancellationToken.None) & PathUse.MovesAway) != 0)?.Value;
    }

    /// <summary>A delegate the method was handed is invoked with the temp before the promotion: it writes the content.</summary>
    private static bool HandedToDelegate(IOperation root, ILocalSymbol local, IOperation promotion)
        => root.Descendants().OfType<IInvocationOperation>().Any(call => call.TargetMethod.MethodKind == MethodKind.DelegateInvoke
            && call.Syntax.SpanStart < promotion.Syntax.SpanStart
            && call.Arguments.Any(a => IsLocal(a.Value, local)));

    private static bool IsLocal(IOperation value, ILocalSymbol local)
        => PathKey.Unwrap(value) is ILocalReferenceOperation reference && SymbolEqualityComparer.Default.Equals(reference.Local, local);
}
