using CheckpointAudit.Catalog;
using CheckpointAudit.Checks;
using CheckpointAudit.Knowledge;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace CheckpointAudit.Atomicity;

/// <summary>
/// CKPT209: regenerable output (a cache, log, download, export or derived media) truncated and rewritten in place.
/// The same overwrites as CKPT201, split off by what the file holds so that they can be tuned apart: off by default.
/// </summary>
public sealed class OutputOverwriteCheck : FileRuleCheck
{
    public OutputOverwriteCheck()
        : base(RuleCatalog.OutputOverwrite, OperationKind.Invocation, OperationKind.ObjectCreation)
    {
    }

    private protected override void Analyze(OperationAnalysisContext context, FileApiSymbols apis, RuleScope scope)
    {
        if (!FileOverwrite.TryMatch(context.Operation, apis, out var overwrite) || !scope.Includes(context) || !InPlaceOverwrite.Risks(overwrite, apis))
        {
            return;
        }

        var holds = InPlaceOverwrite.Holds(overwrite, apis);
        if (holds.Held != DataHeld.Output)
        {
            return;
        }

        context.ReportDiagnostic(DataHeldDiagnostic.Create(
            Rule,
            context.Operation.Syntax.GetLocation(),
            holds,
            overwrite.Target.Syntax.ToString(),
            overwrite.Api,
            holds.Evidence));
    }
}
