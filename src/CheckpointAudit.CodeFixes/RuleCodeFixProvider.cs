using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using CheckpointAudit.Catalog;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;

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
    {
        if (!KeepsFileApis)
        {
            var root = await document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
            var model = await document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
            if (root is null || model is null)
            {
                return document;
            }

            diagnostics = diagnostics.RemoveAll(d => GoesThroughAbstractions(d, root, model, context.CancellationToken));
        }

        return context.CodeActionEquivalenceKey is { } key && key == SecondEquivalenceKey
            ? await FixSecondAsync(document, diagnostics, context.CancellationToken).ConfigureAwait(false)
            : await FixAsync(document, diagnostics, context.CancellationToken).ConfigureAwait(false);
    });

    /// <summary>
    /// True for fixes that leave the file-system calls as they are (they only rename a temp path):
    /// those are offered for System.IO.Abstractions code too. The others write System.IO calls
    /// (File.Move, FileStream, CheckpointFile) and would bypass the abstraction the code is tested through.
    /// </summary>
    private protected virtual bool KeepsFileApis => false;

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
            if (!KeepsFileApis && GoesThroughAbstractions(diagnostic, root, model, context.CancellationToken))
            {
                continue;
            }

            // The first action registered is the one bulk fixers (dotnet format) apply: always the primary fix.
            if (CanFix(diagnostic, root, model, context.CancellationToken))
            {
                context.RegisterCodeFix(
                    CodeAction.Create(Rule.FixTitle!, ct => FixAsync(context.Document, ImmutableArray.Create(diagnostic), ct), _equivalenceKey),
                    diagnostic);
            }

            if (SecondEquivalenceKey is { } secondKey && Rule.SecondFixTitle is { } secondTitle
                && CanFixSecond(diagnostic, root, model, context.CancellationToken))
            {
                context.RegisterCodeFix(
                    CodeAction.Create(secondTitle, ct => FixSecondAsync(context.Document, ImmutableArray.Create(diagnostic), ct), secondKey),
                    diagnostic);
            }
        }
    }

    /// <summary>Whether a call at the diagnostic's locations is a System.IO.Abstractions member (IFile, IFileInfo, ...).</summary>
    private static bool GoesThroughAbstractions(Diagnostic diagnostic, SyntaxNode root, SemanticModel model, CancellationToken cancellationToken)
    {
        foreach (var location in new[] { diagnostic.Location }.Concat(diagnostic.AdditionalLocations))
        {
            if (!location.IsInSource || location.SourceTree != root.SyntaxTree)
            {
                continue;
            }

            var node = root.FindNode(location.SourceSpan, getInnermostNodeForTie: true);
            foreach (var call in node.DescendantNodesAndSelf())
            {
                if (call is InvocationExpressionSyntax or ObjectCreationExpressionSyntax
                    && model.GetSymbolInfo(call, cancellationToken).Symbol?.ContainingNamespace?.ToDisplayString() == "System.IO.Abstractions")
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>Whether a safe rewrite exists for this diagnostic; no action is offered otherwise.</summary>
    private protected abstract bool CanFix(Diagnostic diagnostic, SyntaxNode root, SemanticModel model, CancellationToken cancellationToken);

    /// <summary>Fixes the given diagnostics of one document (those without a safe rewrite are skipped).</summary>
    private protected abstract Task<Document> FixAsync(Document document, ImmutableArray<Diagnostic> diagnostics, CancellationToken cancellationToken);

    /// <summary>Equivalence key of the rule's second fix (<see cref="RuleDefinition.SecondFixTitle"/>), when this provider offers it.</summary>
    private protected virtual string? SecondEquivalenceKey => null;

    private protected virtual bool CanFixSecond(Diagnostic diagnostic, SyntaxNode root, SemanticModel model, CancellationToken cancellationToken) => false;

    private protected virtual Task<Document> FixSecondAsync(Document document, ImmutableArray<Diagnostic> diagnostics, CancellationToken cancellationToken)
        => Task.FromResult(document);
}
