using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CheckpointAudit.CodeFixes;

/// <summary>
/// "var text = Read(...);" (or "var json = Serialize(...);") as the statement right before the one
/// that uses the local, with the local used nowhere else: a fix may fold the initializer into the use
/// and remove the declaration without changing what runs, or in which order.
/// </summary>
internal static class AdjacentLocal
{
    public static (LocalDeclarationStatementSyntax Declaration, ExpressionSyntax Value)? Find(
        ExpressionSyntax use, SyntaxNode useSite, SemanticModel model, CancellationToken cancellationToken)
    {
        if (use is not IdentifierNameSyntax name
            || model.GetSymbolInfo(name, cancellationToken).Symbol is not ILocalSymbol local
            || local.DeclaringSyntaxReferences.Length != 1
            || local.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken) is not VariableDeclaratorSyntax { Initializer.Value: { } value } declarator
            || declarator.Parent?.Parent is not LocalDeclarationStatementSyntax { Declaration.Variables.Count: 1, UsingKeyword.RawKind: 0 } declaration
            || declaration.Parent is not BlockSyntax block
            || useSite.FirstAncestorOrSelf<StatementSyntax>() is not { } useStatement
            || block.Statements.IndexOf(declaration) + 1 != block.Statements.IndexOf(useStatement))
        {
            return null;
        }

        var uses = block.DescendantNodes().OfType<IdentifierNameSyntax>()
            .Count(id => id.Identifier.ValueText == local.Name && SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(id, cancellationToken).Symbol, local));
        return uses == 1 ? (declaration, value) : null;
    }
}
