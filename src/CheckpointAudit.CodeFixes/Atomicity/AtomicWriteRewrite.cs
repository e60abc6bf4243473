using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Text;

namespace CheckpointAudit.CodeFixes.Atomicity;

/// <summary>
/// The format-preserving rewrite of an in-place write, shared by CKPT201 and CKPT209: File.WriteAll* becomes the
/// CheckpointFile call of the same name and parameters; a stream in a using block is opened through
/// CheckpointFile.Create/CreateText and committed where the write ends (<see cref="AtomicStreamPlan"/>), or, where no
/// statement ends it, opened through CheckpointFile.CreateAutoCommit where it is sure to be closed
/// (<see cref="AutoCommitStreamPlan"/>); an XML document
/// saved to a path is saved to such a stream (<see cref="XmlSaveThroughStream"/>), and an XmlWriter created on a path
/// writes to one (<see cref="XmlWriterThroughStream"/>); a copy over the target is made beside it and moved
/// (<see cref="CopyThroughTemp"/>).
/// </summary>
internal static class AtomicWriteRewrite
{
    public static bool CanFix(Diagnostic diagnostic, SyntaxNode root, SemanticModel model, CancellationToken cancellationToken)
        => CanFix(diagnostic.Location.SourceSpan, root, model, cancellationToken);

    /// <summary>Whether the write reported at <paramref name="span"/> (the call or creation) has the rewrite.</summary>
    /// <param name="returnedToClosingCallers">Every call of the method the write is in closes the stream it returns.</param>
    public static bool CanFix(TextSpan span, SyntaxNode root, SemanticModel model, CancellationToken cancellationToken, bool returnedToClosingCallers = false)
        => CheckpointFileCalls.FindInvocation(root, span) is { } invocation && CheckpointFileCalls.CanRewrite(invocation, model, cancellationToken)
            || root.FindNode(span, getInnermostNodeForTie: true) is var node
                && (AtomicStreamPlan.Create(node, model, cancellationToken) is not null
                    || AutoCommitStreamPlan.Create(node, model, returnedToClosingCallers, cancellationToken) is not null
                    || XmlSaveThroughStream.Plan(node, model, cancellationToken) is not null
                    || XmlWriterThroughStream.Plan(node, model, cancellationToken) is not null || CopyThroughTemp.Plan(node, model, cancellationToken) is not null);

    // One rewrite per document: N identical "using" insertions would be merged badly one by one.
    public static Task<Document> FixAsync(Document document, ImmutableArray<Diagnostic> diagnostics, CancellationToken cancellationToken)
        => FixAsync(document, diagnostics.Select(d => d.Location.SourceSpan), cancellationToken);

    /// <summary>The rewrite of the writes reported at <paramref name="spans"/> (each the call or creation).</summary>
    public static async Task<Document> FixAsync(Document document, IEnumerable<TextSpan> spans, CancellationToken cancellationToken, bool returnedToClosingCallers = false)
    {
        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        var done = new HashSet<SyntaxNode>();
        foreach (var span in spans)
        {
            if (CheckpointFileCalls.FindInvocation(editor.OriginalRoot, span) is { } invocation
                && CheckpointFileCalls.CanRewrite(invocation, editor.SemanticModel, cancellationToken))
            {
                if (done.Add(invocation) && CheckpointFileCalls.HelperCallee(invocation.Expression) is { } callee)
                {
                    editor.ReplaceNode(invocation.Expression, callee);
                }

                continue;
            }

            // A stream in a using: opened through the helper, committed where its scope ends.
            var node = editor.OriginalRoot.FindNode(span, getInnermostNodeForTie: true);
            if (AtomicStreamPlan.Create(node, editor.SemanticModel, cancellationToken) is { } plan)
            {
                if (done.Add(plan.Creation))
                {
                    plan.Apply(editor);
                }

                continue;
            }

            // A stream no statement can commit, closed by a using, by an object that owns it or by every caller: published when closed.
            if (AutoCommitStreamPlan.Create(node, editor.SemanticModel, returnedToClosingCallers, cancellationToken) is { } autoCommit)
            {
                if (done.Add(autoCommit.Creation))
                {
                    editor.ReplaceNode(autoCommit.Creation, autoCommit.Replacement);
                }

                continue;
            }

            // document.Save(path): saved to an atomic stream instead.
            if (XmlSaveThroughStream.Plan(node, editor.SemanticModel, cancellationToken) is { } xml)
            {
                if (done.Add(xml.Save))
                {
                    if (xml.Before is not null)
                    {
                        editor.InsertBefore(xml.Save, xml.Before);
                    }

                    editor.ReplaceNode(xml.Save, xml.Replacement);
                }

                continue;
            }

            // using (var writer = XmlWriter.Create(path)): created over an atomic stream, committed after the writer's using.
            if (XmlWriterThroughStream.Plan(node, editor.SemanticModel, cancellationToken) is { } xmlWriter)
            {
                if (done.Add(xmlWriter.Using))
                {
                    editor.ReplaceNode(xmlWriter.Using, xmlWriter.Replacement);
                }

                continue;
            }

            // File.Copy(source, target, true): copied beside the target and moved over it.
            if (CopyThroughTemp.Plan(node, editor.SemanticModel, cancellationToken) is { } copy && done.Add(copy.Copy))
            {
                editor.ReplaceNode(copy.Copy, copy.Replacement);
            }
        }

        return await SyntaxCleanup.ImportAndSimplifyAsync(editor.GetChangedDocument(), cancellationToken).ConfigureAwait(false);
    }
}
