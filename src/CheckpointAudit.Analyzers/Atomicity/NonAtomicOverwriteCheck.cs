using CheckpointAudit.Catalog;
using CheckpointAudit.Checks;
using CheckpointAudit.Knowledge;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace CheckpointAudit.Atomicity;

/// <summary>
/// CKPT201: a file that holds the program's state truncated and rewritten in place. Quiet when the written file is a
/// temp that is then moved/replaced over the target, when the path is fresh or scratch, when nothing is written
/// (marker files), inside configured atomic-write helpers, and in test projects unless asked. Regenerable output
/// (caches, logs, downloads, exports) is CKPT209's; one-shot writes (defaults, migrations) are reported as suggestions.
/// </summary>
public sealed class NonAtomicOverwriteCheck : FileRuleCheck
{
    public NonAtomicOverwriteCheck()
        : base(RuleCatalog.NonAtomicOverwrite, OperationKind.Invocation, OperationKind.ObjectCreation)
    {
    }

    private protected override void Analyze(OperationAnalysisContext context, FileApiSymbols apis, RuleScope scope)
    {
        if (!FileOverwrite.TryMatch(context.Operation, apis, out var overwrite) || !scope.Includes(context) || !InPlaceOverwrite.Risks(overwrite, apis))
        {
            return;
        }

        var holds = InPlaceOverwrite.Holds(overwrite, apis);
        if (holds.Held == DataHeld.Output)
        {
            return;
        }

        context.ReportDiagnostic(DataHeldDiagnostic.Create(
            Rule,
            context.Operation.Syntax.GetLocation(),
            holds,
            overwrite.Target.Syntax.ToString(),
            overwrite.Api));
    }
}
