using CheckpointAudit.Checks;
using CheckpointAudit.Hosting;

namespace CheckpointAudit.Tests.Infrastructure;

/// <summary>
/// A category analyzer that runs one check: a rule's tests see its findings alone, through the same dispatch as the
/// shipped category analyzers.
/// </summary>
#pragma warning disable RS1001 // Never loaded as an analyzer reference: tests construct it.
internal sealed class Only<TCheck> : CategoryAnalyzer
    where TCheck : RuleCheck, new()
{
    public Only()
        : base(new TCheck())
    {
    }
}
#pragma warning restore RS1001
