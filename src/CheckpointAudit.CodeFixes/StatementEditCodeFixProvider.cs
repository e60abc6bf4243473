using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using System.Threading.Tasks;
using CheckpointAudit.Catalog;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;

namespace CheckpointAudit.CodeFixes;

/// <summary>
/// Base of the fixes that insert or move statements around the finding: each diagnostic yields a plan (or none,
/// and then no fix is offered), Fix All applies every plan of a document once per anchor statement through one
/// editor, and the statements the plan marked with <see cref="Formatter.Annotation"/> are formatted.
/// </summary>
public abstract class StatementEditCodeFixProvider<TPlan> : RuleCodeFixProvider
    where TPlan : class
{
    private protected StatementEditCodeFixProvider(RuleDefinition rule, string equivalenceKey)
        : base(rule, equivalenceKey)
    {
    }

    /// <summary>What to change for this diagnostic, or null when no safe edit exists.</summary>
    private protected abstract TPlan? Plan(Diagnostic diagnostic, SyntaxNode root, SemanticModel model, CancellationToken cancellationToken);

    /// <summary>The node a plan edits around: two diagnostics with the same anchor are fixed once.</summary>
    private protected abstract SyntaxNode Anchor(TPlan plan);

    private protected abstract void Apply(DocumentEditor editor, TPlan plan);

    private protected sealed override bool CanFix(Diagnostic diagnostic, SyntaxNode root, SemanticModel model, CancellationToken cancellationToken)
        => Plan(diagnostic, root, model, cancellationToken) is not null;

    private protected sealed override async Task<Document> FixAsync(Document document, ImmutableArray<Diagnostic> diagnostics, CancellationToken cancellationToken)
    {
        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        var anchors = new HashSet<SyntaxNode>();
        foreach (var diagnostic in diagnostics)
        {
            if (Plan(diagnostic, editor.OriginalRoot, editor.SemanticModel, cancellationToken) is { } plan && anchors.Add(Anchor(plan)))
            {
                Apply(editor, plan);
            }
        }

        // Names a plan wrote fully qualified are shortened where the file's usings allow.
        var simplified = await Simplifier.ReduceAsync(editor.GetChangedDocument(), Simplifier.Annotation, cancellationToken: cancellationToken).ConfigureAwait(false);
        return await Formatter.FormatAsync(simplified, Formatter.Annotation, cancellationToken: cancellationToken).ConfigureAwait(false);
    }
}
