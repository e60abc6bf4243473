using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using CheckpointAudit.Catalog;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;

namespace CheckpointAudit.CodeFixes.Orphans;

/// <summary>
/// CKPT401 "Delete the temp file when the save fails": the statements from the temp write to the
/// move are wrapped in <c>try { … } catch { File.Delete(temp); throw; }</c>. Offered when both
/// statements sit in the same block and no local declared between them is used after the move.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(DeleteTempOnFailureCodeFixProvider))]
[Shared]
public sealed class DeleteTempOnFailureCodeFixProvider : RuleCodeFixProvider
{
    public static readonly string EquivalenceKey = RuleCatalog.TempFileLeftOnFailure.Id + ".DeleteTempOnFailure";

    public DeleteTempOnFailureCodeFixProvider()
        : base(RuleCatalog.TempFileLeftOnFailure, EquivalenceKey)
    {
    }

    // Each fix restructures a whole block; the batch fixer merges the per-diagnostic results.
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    private protected override bool CanFix(Diagnostic diagnostic, SyntaxNode root, SemanticModel model, CancellationToken cancellationToken)
        => Plan(diagnostic, root, model, cancellationToken) is not null;

    /// <summary>Applies the first diagnostic that has a safe rewrite (the batch fixer calls it once per diagnostic).</summary>
    private protected override async Task<Document> FixAsync(Document document, ImmutableArray<Diagnostic> diagnostics, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
        {
            return document;
        }

        foreach (var diagnostic in diagnostics)
        {
            if (Plan(diagnostic, root, model, cancellationToken) is { } plan)
            {
                return await ApplyAsync(document, root, plan, cancellationToken).ConfigureAwait(false);
            }
        }

        return document;
    }

    private sealed class FixPlan(BlockSyntax block, int first, int last, ExpressionSyntax temp)
    {
        public BlockSyntax Block { get; } = block;
        public int First { get; } = first;
        public int Last { get; } = last;
        public ExpressionSyntax Temp { get; } = temp;
    }

    private static FixPlan? Plan(Diagnostic diagnostic, SyntaxNode root, SemanticModel model, CancellationToken cancellationToken)
    {
        if (diagnostic.AdditionalLocations.Count == 0)
        {
            return null;
        }

        var promotion = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true).FirstAncestorOrSelf<InvocationExpressionSyntax>();
        var write = root.FindNode(diagnostic.AdditionalLocations[0].SourceSpan, getInnermostNodeForTie: true);
        if (promotion is null || promotion.ArgumentList.Arguments.Count == 0 || promotion.Expression is not MemberAccessExpressionSyntax access)
        {
            return null;
        }

        // File.Move(temp, …) names the temp first; fileInfo.MoveTo(…) names it by the receiver.
        var temp = model.GetSymbolInfo(promotion, cancellationToken).Symbol is IMethodSymbol { IsStatic: true }
            ? promotion.ArgumentList.Arguments[0].Expression
            : access.Expression;

        var promotionStatement = promotion.FirstAncestorOrSelf<StatementSyntax>();
        if (promotionStatement?.Parent is not BlockSyntax block)
        {
            return null;
        }

        var writeStatement = write.AncestorsAndSelf().OfType<StatementSyntax>().FirstOrDefault(s => s.Parent == block);
        if (writeStatement is null)
        {
            return null;
        }

        var first = block.Statements.IndexOf(writeStatement);
        var last = block.Statements.IndexOf(promotionStatement);
        if (first < 0 || last < first)
        {
            return null;
        }

        // Locals declared inside the new try block must not be used after it.
        var declared = block.Statements.Skip(first).Take(last - first + 1)
            .OfType<LocalDeclarationStatementSyntax>()
            .SelectMany(d => d.Declaration.Variables)
            .Select(v => v.Identifier.ValueText)
            .ToImmutableHashSet();
        var usedAfter = block.Statements.Skip(last + 1)
            .SelectMany(s => s.DescendantNodesAndSelf().OfType<IdentifierNameSyntax>())
            .Any(id => declared.Contains(id.Identifier.ValueText));
        return usedAfter ? null : new FixPlan(block, first, last, temp);
    }

    private static async Task<Document> ApplyAsync(Document document, SyntaxNode root, FixPlan plan, CancellationToken cancellationToken)
    {
        var statements = plan.Block.Statements;
        var guarded = statements.Skip(plan.First).Take(plan.Last - plan.First + 1).ToList();
        var leadingTrivia = guarded[0].GetLeadingTrivia();
        // The comments above the first statement move to the try; the formatter re-indents what is inside.
        guarded[0] = guarded[0].WithLeadingTrivia(SyntaxFactory.TriviaList());
        var cleanup = SyntaxCleanup.MarkQualifiedNamesForSimplification(SyntaxFactory.ParseStatement($"global::System.IO.File.Delete({plan.Temp});"));
        var tryStatement = SyntaxFactory.TryStatement(
                SyntaxFactory.Block(guarded),
                SyntaxFactory.SingletonList(SyntaxFactory.CatchClause(
                    null,
                    null,
                    SyntaxFactory.Block(cleanup, SyntaxFactory.ThrowStatement()))),
                null)
            .WithLeadingTrivia(leadingTrivia)
            .WithAdditionalAnnotations(Formatter.Annotation);

        var newStatements = statements.Take(plan.First)
            .Append(tryStatement)
            .Concat(statements.Skip(plan.Last + 1));
        var newRoot = root.ReplaceNode(plan.Block, plan.Block.WithStatements(SyntaxFactory.List(newStatements)));
        var rewritten = document.WithSyntaxRoot(newRoot);
        rewritten = await Simplifier.ReduceAsync(rewritten, Simplifier.Annotation, cancellationToken: cancellationToken).ConfigureAwait(false);
        return await Formatter.FormatAsync(rewritten, Formatter.Annotation, cancellationToken: cancellationToken).ConfigureAwait(false);
    }
}
