using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using System.Threading.Tasks;
using CheckpointAudit.Catalog;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Formatting;

namespace CheckpointAudit.CodeFixes;

/// <summary>
/// Base of the fixes that replace one node per diagnostic (an argument, a call, a temp path): the fix
/// is offered when a replacement exists, and Fix All replaces every node of the document in one pass,
/// once even when several diagnostics point at it, then shortens the fully qualified names it wrote.
/// </summary>
public abstract class NodeReplacementCodeFixProvider : RuleCodeFixProvider
{
    private protected NodeReplacementCodeFixProvider(RuleDefinition rule, string equivalenceKey)
        : base(rule, equivalenceKey)
    {
    }

    /// <summary>The node to replace and its replacement, or null when no safe rewrite exists.</summary>
    private protected abstract (SyntaxNode Old, SyntaxNode New)? Replacement(Diagnostic diagnostic, SyntaxNode root, SemanticModel model, CancellationToken cancellationToken);

    private protected sealed override bool CanFix(Diagnostic diagnostic, SyntaxNode root, SemanticModel model, CancellationToken cancellationToken)
        => Replacement(diagnostic, root, model, cancellationToken) is not null;

    private protected sealed override Task<Document> FixAsync(Document document, ImmutableArray<Diagnostic> diagnostics, CancellationToken cancellationToken)
        => ReplaceAllAsync(document, diagnostics, Replacement, cancellationToken);

    /// <summary>The replacement of the rule's second fix, for providers that offer one (see <see cref="RuleCodeFixProvider.SecondEquivalenceKey"/>).</summary>
    private protected virtual (SyntaxNode Old, SyntaxNode New)? SecondReplacement(Diagnostic diagnostic, SyntaxNode root, SemanticModel model, CancellationToken cancellationToken)
        => null;

    private protected sealed override bool CanFixSecond(Diagnostic diagnostic, SyntaxNode root, SemanticModel model, CancellationToken cancellationToken)
        => SecondReplacement(diagnostic, root, model, cancellationToken) is not null;

    private protected sealed override Task<Document> FixSecondAsync(Document document, ImmutableArray<Diagnostic> diagnostics, CancellationToken cancellationToken)
        => ReplaceAllAsync(document, diagnostics, SecondReplacement, cancellationToken);

    private delegate (SyntaxNode Old, SyntaxNode New)? ReplacementFinder(Diagnostic diagnostic, SyntaxNode root, SemanticModel model, CancellationToken cancellationToken);

    private static async Task<Document> ReplaceAllAsync(Document document, ImmutableArray<Diagnostic> diagnostics, ReplacementFinder find, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
        {
            return document;
        }

        var replacements = new Dictionary<SyntaxNode, SyntaxNode>();
        foreach (var diagnostic in diagnostics)
        {
            if (find(diagnostic, root, model, cancellationToken) is { } replacement)
            {
                replacements[replacement.Old] = replacement.New;
            }
        }

        var newRoot = root.ReplaceNodes(replacements.Keys, (original, _) => replacements[original]);
        var cleaned = await SyntaxCleanup.ImportAndSimplifyAsync(document.WithSyntaxRoot(newRoot), cancellationToken).ConfigureAwait(false);

        // Statements a replacement moved into a new block are indented there.
        return await Formatter.FormatAsync(cleaned, Formatter.Annotation, cancellationToken: cancellationToken).ConfigureAwait(false);
    }
}
