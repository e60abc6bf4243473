using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CheckpointAudit.Knowledge;

/// <summary>
/// A member its own type writes and reads back under its own name — <c>settings.TryAdd(nameof(AutoUpdate), AutoUpdate)</c>
/// and <c>AutoUpdate = items.GetValue(nameof(AutoUpdate), AutoUpdate)</c>, or <c>values[nameof(Theme)] = Theme</c> and
/// <c>Theme = (string)values[nameof(Theme)]</c>: the hand-written mapping of a settings file, which keeps the member as
/// surely as a serializer would. Both directions are required; a member only ever put into a bag (a log's properties)
/// is not kept by it.
/// </summary>
internal static class HandMappedMembers
{
    public static bool IsRoundTripped(ISymbol member, Compilation compilation, CancellationToken cancellationToken)
    {
        var written = false;
        var read = false;
        foreach (var reference in member.ContainingType.DeclaringSyntaxReferences)
        {
            var tree = reference.SyntaxTree;
            // A type of a referenced project read as sources: its own compilation binds its trees.
            var owner = compilation.ContainsSyntaxTree(tree)
                ? compilation
                : compilation.References.OfType<CompilationReference>().Select(r => r.Compilation).FirstOrDefault(c => c.ContainsSyntaxTree(tree));
            if (owner is null)
            {
                continue;
            }

#pragma warning disable RS1030 // a type's other partial parts and referenced projects are read once per reported member
            var model = owner.GetSemanticModel(tree);
#pragma warning restore RS1030
            foreach (var nameOf in reference.GetSyntax(cancellationToken).DescendantNodes().OfType<InvocationExpressionSyntax>())
            {
                if (nameOf.Expression is not IdentifierNameSyntax { Identifier.Text: "nameof" } || nameOf.ArgumentList.Arguments.Count != 1
                    || !nameOf.ArgumentList.Arguments[0].Expression.ToString().EndsWith(member.Name, System.StringComparison.Ordinal)
                    || !Is(model.GetSymbolInfo(nameOf.ArgumentList.Arguments[0].Expression, cancellationToken).Symbol, member)
                    || nameOf.Parent is not ArgumentSyntax { Parent: BaseArgumentListSyntax { Parent: ExpressionSyntax access } list })
                {
                    continue;
                }

                // Read: the call or the entry is (within) the value assigned to the member (its current value may be the
                // call's default: that is no write).
                // (X = items.TryGetValue(nameof(X), out var v) ? (string)v : X counts: the call is within the assigned value.)
                var assignment = access.Ancestors().TakeWhile(a => a is not StatementSyntax).OfType<AssignmentExpressionSyntax>().FirstOrDefault();
                if (assignment is not null && assignment.Right.Span.Contains(access.Span)
                    && Is(model.GetSymbolInfo(assignment.Left, cancellationToken).Symbol, member))
                {
                    read = true;
                }
                else
                {
                    // Written: the member is another argument of the same call, or the value assigned to the entry.
                    written |= list.Arguments.Any(a => a.Expression != nameOf && Is(model.GetSymbolInfo(a.Expression, cancellationToken).Symbol, member))
                        || access.Parent is AssignmentExpressionSyntax { Left: var left, Right: var right } && left == access && Is(model.GetSymbolInfo(right, cancellationToken).Symbol, member);
                }

                if (written && read)
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static bool Is(ISymbol? symbol, ISymbol member) => SymbolEqualityComparer.Default.Equals(symbol?.OriginalDefinition, member.OriginalDefinition);
}
