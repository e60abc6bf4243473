using System.Collections.Immutable;
using System.Threading;
using System.Threading.Tasks;
using CheckpointAudit.Catalog;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;

namespace CheckpointAudit.CodeFixes;

/// <summary>
/// Base of the code fixes: one rule, its catalog fix title, a stable equivalence key, one code
/// action per fixable diagnostic, and Fix All applied one document at a time.
/// </summary>
public abstract class RuleCodeFixProvider : CodeFixProvider
{
    private readonly string _equivalenceKey;

    private protected RuleCodeFixProvider(RuleDefinition rule, string equivalenceKey)
    {
        Rule = rule;
        _equivalenceKey = equivalenceKey;
        FixableDiagnosticIds = ImmutableArray.Create(rule.Id);
    }

    private protected RuleDefinition Rule { get; }

    public sealed override ImmutableArray<string> FixableDiagnosticIds { get; }

    public override FixAllProvider GetFixAllProvider() => FixAllProvider.Create(async (context, document, diagnostics) =>
        await FixAsync(document, diagnostics, context.CancellationToken).ConfigureAwait(false));

    public sealed override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            if (CanFix(diagnostic, root, model, context.CancellationToken))
            {
                context.RegisterCodeFix(
                    CodeAction.Create(Rule.FixTitle!, ct => FixAsync(context.Document, ImmutableArray.Create(diagnostic), ct), _equivalenceKey),
                    diagnostic);
            }
        }
    }

    /// <summary>Whether a safe rewrite exists for this diagnostic; no action is offered otherwise.</summary>
    private protected abstract bool CanFix(Diagnostic diagnostic, SyntaxNode root, SemanticModel model, CancellationToken cancellationToken);

    /// <summary>Fixes the given diagnostics of one document (those without a safe rewrite are skipped).</summary>
    private protected abstract Task<Document> FixAsync(Document document, ImmutableArray<Diagnostic> diagnostics, CancellationToken cancellationToken);
}
