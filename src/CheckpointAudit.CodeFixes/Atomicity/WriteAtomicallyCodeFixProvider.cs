using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using CheckpointAudit.Catalog;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Editing;

namespace CheckpointAudit.CodeFixes.Atomicity;

/// <summary>
/// CKPT201 "Write atomically": the format-preserving rewrite of <see cref="AtomicWriteRewrite"/> (File.WriteAll*,
/// streams in a using block, XML documents saved to a path), so the bytes on disk are unchanged.
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
        => AtomicWriteRewrite.CanFix(diagnostic, root, model, cancellationToken);

    private protected override Task<Document> FixAsync(Document document, ImmutableArray<Diagnostic> diagnostics, CancellationToken cancellationToken)
        => AtomicWriteRewrite.FixAsync(document, diagnostics, cancellationToken);

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
