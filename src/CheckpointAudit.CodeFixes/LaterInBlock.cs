using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;

namespace CheckpointAudit.CodeFixes;

/// <summary>Moves a statement to just after a later statement of its block, for the fixes that reorder two steps.</summary>
internal static class LaterInBlock
{
    /// <summary>
    /// Moves <paramref name="moved"/> after <paramref name="anchor"/>: the blank lines before it stay where they were
    /// (they separate what was around it), its comments go with it.
    /// </summary>
    public static void Move(DocumentEditor editor, StatementSyntax moved, StatementSyntax anchor)
    {
        var leading = moved.GetLeadingTrivia();
        var blank = leading.TakeWhile(t => t.IsKind(SyntaxKind.EndOfLineTrivia) || t.IsKind(SyntaxKind.WhitespaceTrivia)).ToList();
        var blankLines = blank.Take(blank.FindLastIndex(t => t.IsKind(SyntaxKind.EndOfLineTrivia)) + 1).ToList();
        editor.RemoveNode(moved, SyntaxRemoveOptions.KeepNoTrivia);
        if (blankLines.Count > 0)
        {
            editor.ReplaceNode(anchor, (node, _) => node.WithLeadingTrivia(blankLines.Concat(node.GetLeadingTrivia())));
        }

        editor.InsertAfter(anchor, moved.WithLeadingTrivia(leading.Skip(blankLines.Count)));
    }
}
