using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
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
}
