using CheckpointAudit.Catalog;
using CheckpointAudit.Knowledge;

namespace CheckpointAudit.Atomicity;

/// <summary>
/// CKPT201: a file that holds the program's state truncated and rewritten in place. Quiet when the written file is a
/// temp that is then moved/replaced over the target, when the path is fresh or scratch, when nothing is written
/// (marker files), inside configured atomic-write helpers, and in test projects unless asked. Regenerable output
/// (caches, logs, downloads, exports) is CKPT209's; one-shot writes (defaults, migrations) are reported as suggestions.
/// </summary>
public sealed class NonAtomicOverwriteCheck : InPlaceOverwriteCheck
{
    public NonAtomicOverwriteCheck()
        : base(RuleCatalog.NonAtomicOverwrite)
    {
    }

    private protected override bool Reports(DataHeld held) => held != DataHeld.Output;
}
