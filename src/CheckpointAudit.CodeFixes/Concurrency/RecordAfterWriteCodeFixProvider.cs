using System.Composition;
using System.Globalization;
using System.Linq;
using System.Threading;
using CheckpointAudit.Catalog;
using CheckpointAudit.Concurrency;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;

namespace CheckpointAudit.CodeFixes.Concurrency;

/// <summary>
/// CKPT605 "Record completion after the write": the statement that records the completion moves to right after
/// the statement that writes the data. Offered when both are statements of one block, the record is a plain
/// expression statement (awaited or not), and no statement between them (nor the write) mentions the object
/// the record is made through — so moving it past them cannot change what they see.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(RecordAfterWriteCodeFixProvider))]
[Shared]
public sealed class RecordAfterWriteCodeFixProvider : StatementEditCodeFixProvider<RecordAfterWriteCodeFixProvider.MovePlan>
{
    public static readonly string EquivalenceKey = RuleCatalog.DoneBeforeData.Id + ".RecordAfterWrite";

    public RecordAfterWriteCodeFixProvider()
        : base(RuleCatalog.DoneBeforeData, EquivalenceKey)
    {
    }

    /// <summary>The statement that records completion, and the write it must follow.</summary>
    public sealed class MovePlan(StatementSyntax record, StatementSyntax write)
    {
        public StatementSyntax Record { get; } = record;

        public StatementSyntax Write { get; } = write;
    }

    private protected override SyntaxNode Anchor(MovePlan plan) => plan.Record;

    // Blank lines before the record stay where they are; its comments move with it.
    private protected override void Apply(DocumentEditor editor, MovePlan move) => LaterInBlock.Move(editor, move.Record, move.Write);

    private protected override MovePlan? Plan(Diagnostic diagnostic, SyntaxNode root, SemanticModel model, CancellationToken cancellationToken)
    {
        if (!diagnostic.Properties.TryGetValue(DoneBeforeDataCheck.WritePositionKey, out var positionText)
            || !int.TryParse(positionText, NumberStyles.None, CultureInfo.InvariantCulture, out var writePosition)
            || root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is not InvocationExpressionSyntax call
            || call.Parent is not (ExpressionStatementSyntax or AwaitExpressionSyntax { Parent: ExpressionStatementSyntax })
            || call.FirstAncestorOrSelf<ExpressionStatementSyntax>() is not { Parent: BlockSyntax block } record
            || root.FindToken(writePosition).Parent?.FirstAncestorOrSelf<StatementSyntax>(s => s.Parent == block) is not { } write)
        {
            return null;
        }

        var from = block.Statements.IndexOf(record);
        var to = block.Statements.IndexOf(write);
        if (from < 0 || to <= from)
        {
            return null;
        }

        // The object the record goes through (the database, the repository): nothing moved past may touch it.
        var receiver = call.Expression is MemberAccessExpressionSyntax access ? model.GetSymbolInfo(access.Expression, cancellationToken).Symbol : null;
        if (receiver is not null && block.Statements.Skip(from + 1).Take(to - from)
            .Any(s => s.DescendantNodes().OfType<IdentifierNameSyntax>().Any(id => SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(id, cancellationToken).Symbol, receiver))))
        {
            return null;
        }

        return new MovePlan(record, write);
    }
}
