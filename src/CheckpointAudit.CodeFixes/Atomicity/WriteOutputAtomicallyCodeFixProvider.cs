using System.Collections.Immutable;
using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using CheckpointAudit.Catalog;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;

namespace CheckpointAudit.CodeFixes.Atomicity;

/// <summary>
/// CKPT209 "Write atomically": the same format-preserving rewrite as CKPT201's first fix (<see cref="AtomicWriteRewrite"/>:
/// File.WriteAll* calls, streams in a using block, XML documents saved to a path), for output whose readers must never
/// see it half-written.
/// No checksummed-checkpoint option: regenerable output has nothing to verify against.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(WriteOutputAtomicallyCodeFixProvider))]
[Shared]
public sealed class WriteOutputAtomicallyCodeFixProvider : RuleCodeFixProvider
{
    public static readonly string EquivalenceKey = RuleCatalog.OutputOverwrite.Id + ".WriteAtomically";

    public WriteOutputAtomicallyCodeFixProvider()
        : base(RuleCatalog.OutputOverwrite, EquivalenceKey)
    {
    }

    private protected override bool CanFix(Diagnostic diagnostic, SyntaxNode root, SemanticModel model, CancellationToken cancellationToken)
        => AtomicWriteRewrite.CanFix(diagnostic, root, model, cancellationToken);

    private protected override Task<Document> FixAsync(Document document, ImmutableArray<Diagnostic> diagnostics, CancellationToken cancellationToken)
        => AtomicWriteRewrite.FixAsync(document, diagnostics, cancellationToken);
}
