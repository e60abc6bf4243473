using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Simplification;

namespace CheckpointAudit.CodeFixes;

/// <summary>Helpers for syntax that fixes generate fully qualified.</summary>
internal static class SyntaxCleanup
{
    /// <summary>
    /// Marks every qualified name inside <paramref name="node"/> for simplification: the simplifier
    /// only shortens annotated nodes, not the names nested in an annotated statement.
    /// </summary>
    public static T MarkQualifiedNamesForSimplification<T>(T node)
        where T : SyntaxNode
    {
        var marked = node.ReplaceNodes(
            node.DescendantNodes().Where(n => n is QualifiedNameSyntax or AliasQualifiedNameSyntax or MemberAccessExpressionSyntax),
            (_, rewritten) => rewritten.WithAdditionalAnnotations(Simplifier.Annotation));
        return marked.WithAdditionalAnnotations(Simplifier.Annotation);
    }

    /// <summary>
    /// Parses generated code written with global::-qualified names (so it binds wherever it lands) and marks
    /// it so that the cleanup adds the needed usings and shortens every name.
    /// </summary>
    public static T MarkForImportAndSimplification<T>(T node)
        where T : SyntaxNode
    {
        var marked = node.ReplaceNodes(
            node.DescendantNodes().OfType<AliasQualifiedNameSyntax>().Where(n => n.Parent is MemberAccessExpressionSyntax or QualifiedNameSyntax).Select(n => n.Parent!),
            (_, rewritten) => rewritten.WithAdditionalAnnotations(Simplifier.Annotation, Simplifier.AddImportsAnnotation));
        return MarkQualifiedNamesForSimplification(marked);
    }

    /// <summary>An expression parsed from text, with the trivia of the node it replaces, marked as above.</summary>
    public static ExpressionSyntax ParseGenerated(string text, SyntaxNode replaced)
        => MarkForImportAndSimplification(SyntaxFactory.ParseExpression(text).WithTriviaFrom(replaced));

    /// <summary>A "…" literal: its value can be rewritten with SyntaxFactory.Literal (verbatim and raw literals have their own escaping).</summary>
    public static bool IsRegularStringLiteral(LiteralExpressionSyntax literal)
        => literal.IsKind(SyntaxKind.StringLiteralExpression) && literal.Token.Text.StartsWith("\"", System.StringComparison.Ordinal)
            && !literal.Token.Text.StartsWith("\"\"\"", System.StringComparison.Ordinal);

    /// <summary>Adds the usings the marked nodes need and shortens their names.</summary>
    public static async Task<Document> ImportAndSimplifyAsync(Document document, CancellationToken cancellationToken)
    {
        var withImports = await ImportAdder.AddImportsAsync(document, Simplifier.AddImportsAnnotation, cancellationToken: cancellationToken).ConfigureAwait(false);
        return await Simplifier.ReduceAsync(withImports, Simplifier.Annotation, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Removes "var x = ...;" whose value was folded into the next statement; its comments now describe
    /// that statement and move to it.
    /// </summary>
    public static void RemoveFoldedDeclaration(DocumentEditor editor, StatementSyntax declaration, SyntaxNode use)
    {
        if (use.FirstAncestorOrSelf<StatementSyntax>() is not { } useStatement)
        {
            return;
        }

        var comments = declaration.GetLeadingTrivia();
        editor.RemoveNode(declaration, SyntaxRemoveOptions.KeepNoTrivia);
        editor.ReplaceNode(useStatement, (current, _) => current.WithLeadingTrivia(comments));
    }
}
