using CheckpointAudit.Catalog;
using CheckpointAudit.Knowledge;

namespace CheckpointAudit.Atomicity;

/// <summary>
/// CKPT209: regenerable output (a cache, log, download, export or derived media) truncated and rewritten in place.
/// The same overwrites as CKPT201, split off by what the file holds so that they can be tuned apart: off by default.
/// </summary>
public sealed class OutputOverwriteCheck : InPlaceOverwriteCheck
{
    public OutputOverwriteCheck()
        : base(RuleCatalog.OutputOverwrite)
    {
    }

    private protected override bool Reports(DataHeld held) => held == DataHeld.Output;
}
