using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using CheckpointAudit.Catalog;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;

namespace CheckpointAudit.CodeFixes.Schema;

/// <summary>A rewrite of one model declaration (a type, or one of its members), in whichever document declares it.</summary>
internal sealed class ModelEdit(Document document, MemberDeclarationSyntax declaration, Func<MemberDeclarationSyntax> rewrite)
{
    public Document Document { get; } = document;
    public MemberDeclarationSyntax Declaration { get; } = declaration;

    /// <summary>The new declaration, built from the original nodes (one edit per declaration).</summary>
    public Func<MemberDeclarationSyntax> Rewrite { get; } = rewrite;
}

/// <summary>
/// Base of the fixes that edit model declarations that may live in another document than the diagnostic (the
/// serializer call), or in a referenced project: the fix is offered when an edit exists; each model is edited once,
/// however many findings name it, in one pass per document (Fix All included), then usings are added,
/// names shortened and the new code formatted.
/// </summary>
public abstract class ModelDeclarationCodeFixProvider : CodeFixProvider
{
    private readonly string _equivalenceKey;

    private readonly string _title;

    /// <param name="secondFix">The provider offers the rule's second fix (<see cref="RuleDefinition.SecondFixTitle"/>).</param>
    private protected ModelDeclarationCodeFixProvider(RuleDefinition rule, string equivalenceKey, bool secondFix = false)
    {
        _equivalenceKey = equivalenceKey;
        _title = (secondFix ? rule.SecondFixTitle : rule.FixTitle)!;
        FixableDiagnosticIds = ImmutableArray.Create(rule.Id);
    }

    public sealed override ImmutableArray<string> FixableDiagnosticIds { get; }

    public sealed override FixAllProvider GetFixAllProvider() => new SolutionFixAllProvider(_title, _equivalenceKey, FixAsync);

    public sealed override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        foreach (var diagnostic in context.Diagnostics)
        {
            if (!(await EditsAsync(context.Document.Project.Solution, diagnostic, context.CancellationToken).ConfigureAwait(false)).IsEmpty)
            {
                context.RegisterCodeFix(
                    CodeAction.Create(_title, ct => FixAsync(context.Document.Project.Solution, ImmutableArray.Create(diagnostic), ct), _equivalenceKey),
                    diagnostic);
            }
        }
    }

    /// <summary>The edits a diagnostic asks for; empty when no safe one exists.</summary>
    private protected abstract Task<ImmutableArray<ModelEdit>> EditsAsync(Solution solution, Diagnostic diagnostic, CancellationToken cancellationToken);

    private async Task<Solution> FixAsync(Solution solution, ImmutableArray<Diagnostic> diagnostics, CancellationToken cancellationToken)
    {
        var edits = new Dictionary<MemberDeclarationSyntax, ModelEdit>();
        foreach (var diagnostic in diagnostics)
        {
            foreach (var edit in await EditsAsync(solution, diagnostic, cancellationToken).ConfigureAwait(false))
            {
                if (!edits.ContainsKey(edit.Declaration))
                {
                    edits.Add(edit.Declaration, edit);
                }
            }
        }

        foreach (var group in edits.Values.GroupBy(e => e.Document.Id))
        {
            var editor = await DocumentEditor.CreateAsync(solution.GetDocument(group.Key)!, cancellationToken).ConfigureAwait(false);
            foreach (var edit in group)
            {
                editor.ReplaceNode(edit.Declaration, edit.Rewrite());
            }

            var rewritten = await SyntaxCleanup.ImportAndSimplifyAsync(editor.GetChangedDocument(), cancellationToken).ConfigureAwait(false);
            rewritten = await Formatter.FormatAsync(rewritten, Formatter.Annotation, cancellationToken: cancellationToken).ConfigureAwait(false);
            solution = rewritten.Project.Solution;
        }

        return solution;
    }
}
