using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using CheckpointAudit.Atomicity;
using CheckpointAudit.Catalog;
using CheckpointAudit.Knowledge;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;

namespace CheckpointAudit.CodeFixes.Atomicity;

/// <summary>
/// CKPT204 "Replace in one step", for delete-then-move: the delete (and an <c>if (File.Exists(target))</c>
/// that only guards it) is removed and the move overwrites: <c>File.Move(temp, target, true)</c>. Only the
/// delete reported with the move is edited, and only when it can run before the move.
/// Offered only where File.Move can overwrite (.NET Core 3.0+). Move-away and copy replacements get
/// no automatic fix: they keep a backup or reuse the temp, which a rewrite would change.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ReplaceInOneStepCodeFixProvider))]
[Shared]
public sealed class ReplaceInOneStepCodeFixProvider : RuleCodeFixProvider
{
    public static readonly string EquivalenceKey = RuleCatalog.UnsafeReplacement.Id + ".ReplaceInOneStep";

    public ReplaceInOneStepCodeFixProvider()
        : base(RuleCatalog.UnsafeReplacement, EquivalenceKey)
    {
    }

    private protected override bool CanFix(Diagnostic diagnostic, SyntaxNode root, SemanticModel model, CancellationToken cancellationToken)
        => Plan(diagnostic, root, model) is not null;

    /// <summary>The move to make overwrite, and the statement (delete, or the if guarding it) to remove.</summary>
    private static (InvocationExpressionSyntax Move, StatementSyntax Removed)? Plan(Diagnostic diagnostic, SyntaxNode root, SemanticModel model)
    {
        if (!diagnostic.Properties.TryGetValue(UnsafeReplacementCheck.ShapeProperty, out var shape) || shape != "Delete"
            || diagnostic.AdditionalLocations.Count == 0
            || !CanMoveOverwrite(model.Compilation))
        {
            return null;
        }

        var move = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true).FirstAncestorOrSelf<InvocationExpressionSyntax>();
        var delete = root.FindNode(diagnostic.AdditionalLocations[0].SourceSpan, getInnermostNodeForTie: true).FirstAncestorOrSelf<InvocationExpressionSyntax>();
        if (move is null || delete?.Parent is not ExpressionStatementSyntax deleteStatement || move.ArgumentList.Arguments.Count is not (2 or 3))
        {
            return null;
        }

        // A delete that cannot run before this move (another branch, or one that returns) belongs to another path:
        // removing it would change what that path does.
        if (!ExecutionOrder.CanRunAfter(delete, move))
        {
            return null;
        }

        // if (File.Exists(target)) File.Delete(target);  goes as a whole.
        StatementSyntax removed = deleteStatement;
        var guard = deleteStatement.Parent is BlockSyntax { Statements.Count: 1 } single ? single.Parent : deleteStatement.Parent;
        if (guard is IfStatementSyntax { Else: null } ifStatement && ifStatement.Condition.ToString().Contains("Exists"))
        {
            removed = ifStatement;
        }

        return removed.Parent is BlockSyntax ? (move, removed) : null;
    }

    private static SyntaxTriviaList WithoutLeadingBlankLines(SyntaxTriviaList trivia)
    {
        var lastEndOfLine = -1;
        for (var i = 0; i < trivia.Count; i++)
        {
            if (trivia[i].IsKind(SyntaxKind.EndOfLineTrivia))
            {
                lastEndOfLine = i;
            }
            else if (!trivia[i].IsKind(SyntaxKind.WhitespaceTrivia))
            {
                break;
            }
        }

        return lastEndOfLine < 0 ? trivia : SyntaxFactory.TriviaList(trivia.Skip(lastEndOfLine + 1));
    }

    private static bool CanMoveOverwrite(Compilation compilation)
        => compilation.GetTypeByMetadataName("System.IO.File")?.GetMembers("Move").OfType<IMethodSymbol>().Any(m => m.Parameters.Length == 3) == true;

    private protected override async Task<Document> FixAsync(Document document, ImmutableArray<Diagnostic> diagnostics, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
        {
            return document;
        }

        var editor = new SyntaxEditor(root, document.Project.Solution.Services);
        var removed = new System.Collections.Generic.HashSet<SyntaxNode>();
        foreach (var diagnostic in diagnostics)
        {
            if (Plan(diagnostic, root, model) is not { } plan)
            {
                continue;
            }

            var overwrite = SyntaxFactory.Argument(
                SyntaxFactory.NameColon("overwrite"),
                default,
                SyntaxFactory.LiteralExpression(SyntaxKind.TrueLiteralExpression));
            var arguments = plan.Move.ArgumentList.Arguments;
            var newArguments = arguments.Count == 2 ? arguments.Add(overwrite) : arguments.Replace(arguments[2], overwrite);
            editor.ReplaceNode(plan.Move.ArgumentList, plan.Move.ArgumentList.WithArguments(newArguments));
            if (removed.Add(plan.Removed))
            {
                // The blank line that separated the removed statement from the next one goes too.
                if (plan.Removed.Parent is BlockSyntax block && block.Statements.IndexOf(plan.Removed) + 1 is var next && next < block.Statements.Count)
                {
                    editor.ReplaceNode(block.Statements[next], (current, _) => current.WithLeadingTrivia(WithoutLeadingBlankLines(current.GetLeadingTrivia())));
                }

                editor.RemoveNode(plan.Removed, SyntaxRemoveOptions.KeepNoTrivia);
            }
        }

        return document.WithSyntaxRoot(editor.GetChangedRoot());
    }
}
