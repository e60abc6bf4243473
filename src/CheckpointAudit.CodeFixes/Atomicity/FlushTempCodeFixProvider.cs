using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using CheckpointAudit.Atomicity;
using CheckpointAudit.Catalog;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;

namespace CheckpointAudit.CodeFixes.Atomicity;

/// <summary>
/// CKPT202 "Flush the temp file to disk". A temp written with File.WriteAll* is written with the
/// generated CheckpointFile instead (same bytes, fsynced). A temp written through a FileStream or
/// StreamWriter local gets <c>Flush(true)</c> at the end of its using block, or before the move
/// for a using declaration. Other shapes get no fix; the rule's page shows what to do.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(FlushTempCodeFixProvider))]
[Shared]
public sealed class FlushTempCodeFixProvider : RuleCodeFixProvider
{
    public static readonly string EquivalenceKey = RuleCatalog.UnflushedTempPromotion.Id + ".FlushTempToDisk";

    public FlushTempCodeFixProvider()
        : base(RuleCatalog.UnflushedTempPromotion, EquivalenceKey)
    {
    }

    private protected override bool CanFix(Diagnostic diagnostic, SyntaxNode root, SemanticModel model, CancellationToken cancellationToken)
        => Plan(diagnostic, root, model, cancellationToken) is not null;

    private abstract class Edit
    {
    }

    /// <summary>Write the temp with CheckpointFile (fsynced) instead of File.WriteAll*.</summary>
    private sealed class UseHelper(InvocationExpressionSyntax write) : Edit
    {
        public InvocationExpressionSyntax Write { get; } = write;
    }

    /// <summary>Insert Flush(true) on the temp's stream: at the end of <see cref="Block"/>, or before <see cref="Before"/>.</summary>
    private sealed class InsertFlush(string local, bool isWriter, BlockSyntax block, StatementSyntax? before) : Edit
    {
        public string Local { get; } = local;
        public bool IsWriter { get; } = isWriter;
        public BlockSyntax Block { get; } = block;
        public StatementSyntax? Before { get; } = before;
    }

    private static Edit? Plan(Diagnostic diagnostic, SyntaxNode root, SemanticModel model, CancellationToken cancellationToken)
    {
        if (diagnostic.AdditionalLocations.Count == 0
            || !diagnostic.Properties.TryGetValue(UnflushedTempPromotionCheck.WriteKindProperty, out var kind))
        {
            return null;
        }

        var write = root.FindNode(diagnostic.AdditionalLocations[0].SourceSpan, getInnermostNodeForTie: true);
        if (kind == "WriteAll")
        {
            var invocation = write as InvocationExpressionSyntax ?? write.FirstAncestorOrSelf<InvocationExpressionSyntax>();
            return invocation is not null && CheckpointFileCalls.CanRewrite(invocation, model, cancellationToken) ? new UseHelper(invocation) : null;
        }

        if (kind != "Stream" || write.FirstAncestorOrSelf<VariableDeclaratorSyntax>() is not { } declarator
            || model.GetDeclaredSymbol(declarator, cancellationToken) is not ILocalSymbol local)
        {
            return null;
        }

        var isWriter = local.Type.Name == "StreamWriter";
        if (local.Type.Name != "FileStream" && !isWriter)
        {
            return null;
        }

        // using (var s = new FileStream(temp, ...)) { ... }  -> flush at the end of the block.
        if (declarator.Parent?.Parent is UsingStatementSyntax { Statement: BlockSyntax body })
        {
            return new InsertFlush(local.Name, isWriter, body, null);
        }

        // using var s = ...; ... File.Move(temp, target)  -> flush right before the move.
        if (declarator.Parent?.Parent is LocalDeclarationStatementSyntax { UsingKeyword.RawKind: not 0 } declaration
            && declaration.Parent is BlockSyntax block
            && root.FindNode(diagnostic.Location.SourceSpan).FirstAncestorOrSelf<StatementSyntax>() is { } promotion
            && promotion.Parent == block
            && block.Statements.IndexOf(promotion) > block.Statements.IndexOf(declaration))
        {
            return new InsertFlush(local.Name, isWriter, block, promotion);
        }

        return null;
    }

    private protected override async Task<Document> FixAsync(Document document, ImmutableArray<Diagnostic> diagnostics, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
        {
            return document;
        }

        var editor = new SyntaxEditor(root, document.Project.Solution.Services);
        var done = new System.Collections.Generic.HashSet<(SyntaxNode, string)>();
        foreach (var diagnostic in diagnostics)
        {
            switch (Plan(diagnostic, root, model, cancellationToken))
            {
                case UseHelper helper when done.Add((helper.Write, "")):
                    if (CheckpointFileCalls.HelperCallee(helper.Write.Expression) is { } callee)
                    {
                        editor.ReplaceNode(helper.Write.Expression, callee);
                    }

                    break;
                case InsertFlush flush when done.Add((flush.Block, flush.Local)):
                    var statements = FlushStatements(flush.Local, flush.IsWriter);
                    if (flush.Before is null)
                    {
                        var last = flush.Block.Statements.LastOrDefault();
                        if (last is null)
                        {
                            editor.ReplaceNode(flush.Block, flush.Block.AddStatements(statements));
                        }
                        else
                        {
                            editor.InsertAfter(last, statements);
                        }
                    }
                    else
                    {
                        editor.InsertBefore(flush.Before, statements);
                    }

                    break;
            }
        }

        var rewritten = document.WithSyntaxRoot(editor.GetChangedRoot());
        rewritten = await ImportAdder.AddImportsAsync(rewritten, Simplifier.AddImportsAnnotation, cancellationToken: cancellationToken).ConfigureAwait(false);
        rewritten = await Simplifier.ReduceAsync(rewritten, Simplifier.Annotation, cancellationToken: cancellationToken).ConfigureAwait(false);
        return await Formatter.FormatAsync(rewritten, Formatter.Annotation, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    private static StatementSyntax[] FlushStatements(string local, bool isWriter)
    {
        var statements = isWriter
            ? new[]
            {
                SyntaxFactory.ParseStatement($"{local}.Flush();"),
                SyntaxFactory.ParseStatement($"((global::System.IO.FileStream){local}.BaseStream).Flush(flushToDisk: true);"),
            }
            : new[] { SyntaxFactory.ParseStatement($"{local}.Flush(flushToDisk: true);") };
        return statements
            .Select(s => s.WithAdditionalAnnotations(Formatter.Annotation, Simplifier.Annotation).WithTrailingTrivia(SyntaxFactory.ElasticMarker))
            .ToArray();
    }
}
