using System.Composition;
using CheckpointAudit.Catalog;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;

namespace CheckpointAudit.CodeFixes.Corruption;

/// <summary>CKPT303 "Load as checksummed checkpoint": the same rewrite as CKPT301's (see <see cref="LoadCheckpointCodeFixProvider"/>).</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(VerifiedLoadCodeFixProvider))]
[Shared]
public sealed class VerifiedLoadCodeFixProvider : LoadCheckpointCodeFixProvider
{
    public new static readonly string EquivalenceKey = RuleCatalog.UnverifiedLoad.Id + ".LoadCheckpoint";

    public VerifiedLoadCodeFixProvider()
        : base(RuleCatalog.UnverifiedLoad, EquivalenceKey)
    {
    }
}
