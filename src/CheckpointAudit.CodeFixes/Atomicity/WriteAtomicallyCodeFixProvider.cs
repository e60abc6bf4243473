using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using CheckpointAudit.Catalog;
using CheckpointAudit.Helpers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Simplification;

namespace CheckpointAudit.CodeFixes.Atomicity;

/// <summary>
/// CKPT201 "Write atomically": File.WriteAllText/Bytes/Lines(+Async) becomes the generated
/// CheckpointFile method of the same name and parameters, so the bytes on disk are unchanged.
/// Offered only when the helper is in the compilation with a matching overload (it is not when
/// CheckpointAuditEmitHelpers is false), and never for hand-rolled stream code.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(WriteAtomicallyCodeFixProvider))]
[Shared]
public sealed class WriteAtomicallyCodeFixProvider : CodeFixProvider
{
    public const string EquivalenceKey = "CKPT201.WriteAtomically";

    private static readonly RuleDefinition Rule = RuleCatalog.NonAtomicOverwrite;

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(Rule.Id);

    // One rewrite per document: the batch fixer would merge N identical "using" insertions badly.
    public override FixAllProvider GetFixAllProvider() => FixAllProvider.Create(FixAllInDocumentAsync);

    private static async Task<Document?> FixAllInDocumentAsync(FixAllContext context, Document document, ImmutableArray<Diagnostic> diagnostics)
    {
        var root = await document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
        {
            return document;
        }

        var invocations = diagnostics
            .Select(d => FindInvocation(root, d))
            .Where(i => i is not null && CheckpointFileCalls.CanRewrite(i, model, context.CancellationToken))
            .Select(i => i!)
            .ToImmutableArray();
        return await RewriteAsync(document, invocations, context.CancellationToken).ConfigureAwait(false);
    }

    private static InvocationExpressionSyntax? FindInvocation(SyntaxNode root, Diagnostic diagnostic)
    {
        var node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
        return node as InvocationExpressionSyntax ?? node.FirstAncestorOrSelf<InvocationExpressionSyntax>();
    }

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            var invocation = FindInvocation(root, diagnostic);
            if (invocation is null || !CheckpointFileCalls.CanRewrite(invocation, model, context.CancellationToken))
            {
                continue;
            }

            context.RegisterCodeFix(
                CodeAction.Create(
                    Rule.FixTitle!,
                    ct => RewriteAsync(context.Document, ImmutableArray.Create(invocation), ct),
                    EquivalenceKey),
                diagnostic);
        }
    }

    private static async Task<Document> RewriteAsync(Document document, ImmutableArray<InvocationExpressionSyntax> invocations, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || invocations.IsEmpty)
        {
            return document;
        }

        var newRoot = root.ReplaceNodes(invocations.Select(i => i.Expression), (original, _) => CheckpointFileCalls.HelperCallee(original) ?? original);
        var rewritten = document.WithSyntaxRoot(newRoot);
        rewritten = await ImportAdder.AddImportsAsync(rewritten, Simplifier.AddImportsAnnotation, cancellationToken: cancellationToken).ConfigureAwait(false);
        return await Simplifier.ReduceAsync(rewritten, Simplifier.Annotation, cancellationToken: cancellationToken).ConfigureAwait(false);
    }
}
