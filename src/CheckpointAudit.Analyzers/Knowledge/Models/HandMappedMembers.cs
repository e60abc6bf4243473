using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CheckpointAudit.Knowledge;

/// <summary>
/// The members a type writes and reads back under their own names — <c>settings.TryAdd(nameof(AutoUpdate), AutoUpdate)</c>
/// and <c>AutoUpdate = items.GetValue(nameof(AutoUpdate), AutoUpdate)</c>, or <c>values[nameof(Theme)] = Theme</c> and
/// <c>Theme = (string)values[nameof(Theme)]</c>: the hand-written mapping of a settings file, which keeps a member as
/// surely as a serializer would. Both directions are required, and the bag must come from outside the type's own state
/// (a local, a parameter, a call's result): a member only ever put into a bag (a log's properties) or copied to a field
/// of the type and back (an edit-and-cancel backup) is not kept by it.
/// </summary>
internal static class HandMappedMembers
{
    public static HashSet<ISymbol> Of(INamedTypeSymbol type, Compilation compilation, CancellationToken cancellationToken)
    {
        var written = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        var read = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        foreach (var reference in type.DeclaringSyntaxReferences)
        {
            var tree = reference.SyntaxTree;
            // A type of a referenced project read as sources: its own compilation binds its trees.
            if (DeclaringCompilation.Of(tree, compilation) is not { } owner)
            {
                continue;
            }

#pragma warning disable RS1030 // only types a reported value reaches are read, once each, and partial parts or referenced projects need their own model
            var model = owner.GetSemanticModel(tree);
#pragma warning restore RS1030
            foreach (var nameOf in reference.GetSyntax(cancellationToken).DescendantNodes().OfType<InvocationExpressionSyntax>())
            {
                if (nameOf.Expression is not IdentifierNameSyntax { Identifier.Text: "nameof" } || nameOf.ArgumentList.Arguments.Count != 1
                    || nameOf.Parent is not ArgumentSyntax { Parent: BaseArgumentListSyntax { Parent: ExpressionSyntax access } list }
                    || model.GetSymbolInfo(nameOf.ArgumentList.Arguments[0].Expression, cancellationToken).Symbol?.OriginalDefinition is not { } member
                    || !SymbolEqualityComparer.Default.Equals(member.ContainingType, type) || member is not (IPropertySymbol or IFieldSymbol)
                    || IsOwnState(Receiver(access), model, type, cancellationToken))
                {
                    continue;
                }

                // Read: the call or the entry is (within) the value assigned to the member (X = items.TryGetValue(nameof(X),
                // out var v) ? (string)v : X included; its current value as the call's default is no write).
                var assignment = access.Ancestors().TakeWhile(a => a is not StatementSyntax).OfType<AssignmentExpressionSyntax>().FirstOrDefault();
                if (assignment is not null && assignment.Right.Span.Contains(access.Span) && Is(model.GetSymbolInfo(assignment.Left, cancellationToken).Symbol, member))
                {
                    read.Add(member);
                }
                else if (list.Arguments.Any(a => a.Expression != nameOf && Is(model.GetSymbolInfo(a.Expression, cancellationToken).Symbol, member))
                    || (access.Parent is AssignmentExpressionSyntax { Left: var left, Right: var right } && left == access && Is(model.GetSymbolInfo(right, cancellationToken).Symbol, member)))
                {
                    // Written: the member is another argument of the same call, or the value assigned to the entry.
                    written.Add(member);
                }
            }
        }

        written.IntersectWith(read);
        return written;
    }

    /// <summary>What the call or indexer is applied to: <c>settings</c> in <c>settings.TryAdd(…)</c> and <c>settings[…]</c>.</summary>
    private static ExpressionSyntax? Receiver(ExpressionSyntax access) => access switch
    {
        InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax member } => member.Expression,
        ElementAccessExpressionSyntax element => element.Expression,
        _ => null,
    };

    /// <summary>The bag is a field or property of the type itself: in-memory state, not the file's mapping.</summary>
    private static bool IsOwnState(ExpressionSyntax? receiver, SemanticModel model, INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        while (receiver is ParenthesizedExpressionSyntax parenthesized)
        {
            receiver = parenthesized.Expression;
        }

        return receiver is not null && model.GetSymbolInfo(receiver, cancellationToken).Symbol is { Kind: SymbolKind.Field or SymbolKind.Property } symbol
            && SymbolEqualityComparer.Default.Equals(symbol.ContainingType?.OriginalDefinition, type);
    }

    private static bool Is(ISymbol? symbol, ISymbol member) => SymbolEqualityComparer.Default.Equals(symbol?.OriginalDefinition, member);
}
