using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using CheckpointAudit.Catalog;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;

namespace CheckpointAudit.CodeFixes.Atomicity;

/// <summary>
/// CKPT201 "Write atomically": File.WriteAllText/Bytes/Lines(+Async) becomes the generated
/// CheckpointFile method of the same name and parameters, so the bytes on disk are unchanged; a FileStream or
/// StreamWriter in a using block is opened through CheckpointFile.Create/CreateText and committed where the block
/// ends (<see cref="AtomicStreamPlan"/>); an XML document saved to a path is saved to such a stream
/// (<see cref="XmlSaveThroughStream"/>).
/// Offered only when the helper is in the compilation with a matching overload (it is not when
/// CheckpointAuditEmitHelpers is false), and never for hand-rolled stream code.
/// Second option, "Save as checksummed checkpoint (changes the file format)", where the written text is
/// a serializer call: see <see cref="SaveCheckpointPlan"/>. It is registered second, so bulk fixers
/// (dotnet format) keep the format-preserving rewrite.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(WriteAtomicallyCodeFixProvider))]
[Shared]
public sealed class WriteAtomicallyCodeFixProvider : RuleCodeFixProvider
{
    public static readonly string EquivalenceKey = RuleCatalog.NonAtomicOverwrite.Id + ".WriteAtomically";

    public static readonly string SaveCheckpointEquivalenceKey = RuleCatalog.NonAtomicOverwrite.Id + ".SaveCheckpoint";

    public WriteAtomicallyCodeFixProvider()
        : base(RuleCatalog.NonAtomicOverwrite, EquivalenceKey)
    {
    }

    private protected override bool CanFix(Diagnostic diagnostic, SyntaxNode root, SemanticModel model, CancellationToken cancellationToken)
        => CheckpointFileCalls.FindInvocation(root, diagnostic) is { } invocation && CheckpointFileCalls.CanRewrite(invocation, model, cancellationToken)
            || root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is var node
                && (AtomicStreamPlan.Create(node, model, cancellationToken) is not null || XmlSaveThroughStream.Plan(node, model, cancellationToken) is not null);

    // One rewrite per document: N identical "using" insertions would be merged badly one by one.
    private protected override async Task<Document> FixAsync(Document document, ImmutableArray<Diagnostic> diagnostics, CancellationToken cancellationToken)
    {
        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        var done = new HashSet<SyntaxNode>();
        foreach (var diagnostic in diagnostics)
        {
            if (CheckpointFileCalls.FindInvocation(editor.OriginalRoot, diagnostic) is { } invocation
                && CheckpointFileCalls.CanRewrite(invocation, editor.SemanticModel, cancellationToken))
            {
                if (done.Add(invocation) && CheckpointFileCalls.HelperCallee(invocation.Expression) is { } callee)
                {
                    editor.ReplaceNode(invocation.Expression, callee);
                }

                continue;
            }

            // A stream in a using: opened through the helper, committed where its scope ends.
            var node = editor.OriginalRoot.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
            if (AtomicStreamPlan.Create(node, editor.SemanticModel, cancellationToken) is { } plan && done.Add(plan.Creation))
            {
                editor.ReplaceNode(plan.Creation, plan.Replacement.WithTriviaFrom(plan.Creation));
                if (plan.Embedded is not null)
                {
                    editor.ReplaceNode(plan.Embedded, (embedded, _) => SyntaxFactory.Block((StatementSyntax)embedded, plan.Commit()).WithAdditionalAnnotations(Formatter.Annotation));
                }
                else if (plan.Before is not null)
                {
                    editor.InsertBefore(plan.Before, plan.Commit());
                }
                else if (plan.Block!.Statements.Count == 0)
                {
                    editor.ReplaceNode(plan.Block, (block, _) => ((BlockSyntax)block).AddStatements(plan.Commit()));
                }
                else
                {
                    editor.InsertAfter(plan.Block.Statements.Last(), plan.Commit());
                }

                continue;
            }

            // document.Save(path): saved to an atomic stream instead.
            if (XmlSaveThroughStream.Plan(node, editor.SemanticModel, cancellationToken) is { } xml && done.Add(xml.Save))
            {
                editor.ReplaceNode(xml.Save, xml.Replacement);
            }
        }

        return await SyntaxCleanup.ImportAndSimplifyAsync(editor.GetChangedDocument(), cancellationToken).ConfigureAwait(false);
    }

    private protected override string SecondEquivalenceKey => SaveCheckpointEquivalenceKey;

    private protected override bool CanFixSecond(Diagnostic diagnostic, SyntaxNode root, SemanticModel model, CancellationToken cancellationToken)
        => CheckpointFileCalls.FindInvocation(root, diagnostic) is { } invocation && SaveCheckpointPlan.Create(invocation, model, cancellationToken) is not null;

    private protected override async Task<Document> FixSecondAsync(Document document, ImmutableArray<Diagnostic> diagnostics, CancellationToken cancellationToken)
    {
        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        var done = new HashSet<SyntaxNode>();
        foreach (var diagnostic in diagnostics)
        {
            if (CheckpointFileCalls.FindInvocation(editor.OriginalRoot, diagnostic) is not { } invocation
                || SaveCheckpointPlan.Create(invocation, editor.SemanticModel, cancellationToken) is not { } plan
                || !done.Add(plan.Write))
            {
                continue;
            }

            editor.ReplaceNode(plan.Write, plan.Save);
            if (plan.SerializeStatement is not null)
            {
                SyntaxCleanup.RemoveFoldedDeclaration(editor, plan.SerializeStatement, plan.Write);
            }
        }

        return await SyntaxCleanup.ImportAndSimplifyAsync(editor.GetChangedDocument(), cancellationToken).ConfigureAwait(false);
    }
}
