using System.Composition;
using System.Linq;
using System.Threading;
using CheckpointAudit.Catalog;
using CheckpointAudit.Orphans;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;

namespace CheckpointAudit.CodeFixes.Orphans;

/// <summary>
/// CKPT402 "Delete the files after the commit": moves the statement that deletes the record's files from before the
/// commit of the record's deletion to just after it (after the statement of the block that holds the commit: a
/// <c>using</c> block around it is closed first). Offered for an expression statement in the same block as that
/// statement, when the commit is not a return or throw, every path through the statements in between reaches the
/// commit, nothing between writes a variable the moved statement reads (or reads one it writes), and the moved
/// statement indexes into nothing.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(DeleteFilesAfterCommitCodeFixProvider))]
[Shared]
public sealed class DeleteFilesAfterCommitCodeFixProvider : StatementEditCodeFixProvider<DeleteFilesAfterCommitCodeFixProvider.Move>
{
    public static readonly string EquivalenceKey = RuleCatalog.FilesOutliveRecord.Id + ".AfterCommit";

    public DeleteFilesAfterCommitCodeFixProvider()
        : base(RuleCatalog.FilesOutliveRecord, EquivalenceKey)
    {
    }

    public sealed class Move(StatementSyntax deletion, StatementSyntax commit)
    {
        /// <summary>The statement that deletes the files.</summary>
        public StatementSyntax Deletion { get; } = deletion;

        /// <summary>The statement of the same block that commits (or holds the commit).</summary>
        public StatementSyntax Commit { get; } = commit;
    }

    private protected override SyntaxNode Anchor(Move plan) => plan.Deletion;

    private protected override void Apply(DocumentEditor editor, Move plan) => LaterInBlock.Move(editor, plan.Deletion, plan.Commit);

    private protected override Move? Plan(Diagnostic diagnostic, SyntaxNode root, SemanticModel model, CancellationToken cancellationToken)
    {
        if (!diagnostic.Properties.ContainsKey(FilesOutliveRecordCheck.BeforeCommitProperty) || diagnostic.AdditionalLocations.Count == 0)
        {
            return null;
        }

        var deletion = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true).FirstAncestorOrSelf<StatementSyntax>();
        var commitCall = root.FindNode(diagnostic.AdditionalLocations[0].SourceSpan, getInnermostNodeForTie: true);
        if (deletion is not ExpressionStatementSyntax || deletion.Parent is not BlockSyntax block)
        {
            return null;
        }

        var commit = commitCall.AncestorsAndSelf().OfType<StatementSyntax>().FirstOrDefault(s => s.Parent == block);
        var from = block.Statements.IndexOf(deletion);
        var to = commit is null ? -1 : block.Statements.IndexOf(commit);
        if (commit is null || to <= from || commit is ReturnStatementSyntax or ThrowStatementSyntax or YieldStatementSyntax)
        {
            return null; // after a return the deletion would never run
        }

        // Every path through the statements in between must reach the end: no return, throw, break or goto skips the deletion.
        var flow = model.AnalyzeControlFlow(block.Statements[from + 1], block.Statements[to]);
        if (flow is null || !flow.Succeeded || !flow.EndPointIsReachable || !flow.ExitPoints.IsEmpty)
        {
            return null;
        }

        // Nothing in between may change what the deletion reads, nor read what it writes; and the deletion may touch no
        // member or element (a collection the statements in between change) beyond the variables data flow tracks.
        var moved = model.AnalyzeDataFlow(deletion);
        var between = model.AnalyzeDataFlow(block.Statements[from + 1], block.Statements[to]);
        if (moved is null || between is null || !moved.Succeeded || !between.Succeeded
            || moved.ReadInside.Any(s => between.WrittenInside.Contains(s, SymbolEqualityComparer.Default))
            || moved.WrittenInside.Any(s => between.ReadInside.Contains(s, SymbolEqualityComparer.Default))
            || deletion.DescendantNodes().Any(n => n is ElementAccessExpressionSyntax or AssignmentExpressionSyntax))
        {
            return null;
        }

        return new Move(deletion, commit);
    }
}
