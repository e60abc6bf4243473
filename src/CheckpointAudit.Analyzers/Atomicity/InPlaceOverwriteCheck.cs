using CheckpointAudit.Catalog;
using CheckpointAudit.Checks;
using CheckpointAudit.Knowledge;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace CheckpointAudit.Atomicity;

/// <summary>
/// The in-place overwrites of <see cref="InPlaceOverwrite"/>, split between two rules by what the file holds
/// (<see cref="WrittenData"/>): CKPT201 for the program's state, CKPT209 for regenerable output. A call of an
/// overridable project method that overwrites its path argument in every implementation counts as an overwrite at the call.
/// A call in an expression tree (a mock's setup) is data, not a write.
/// </summary>
public abstract class InPlaceOverwriteCheck : FileRuleCheck
{
    private protected InPlaceOverwriteCheck(RuleDefinition rule)
        : base(rule, OperationKind.Invocation, OperationKind.ObjectCreation)
    {
    }

    /// <summary>Whether this rule reports a file holding <paramref name="held"/>.</summary>
    private protected abstract bool Reports(DataHeld held);

    private protected sealed override void Analyze(OperationAnalysisContext context, FileApiSymbols apis, RuleScope scope)
    {
        if (!(FileOverwrite.TryMatch(context.Operation, apis, out var overwrite) || InPlaceOverwrite.TryMatchOverridable(context.Operation, out overwrite))
            || !scope.Includes(context) || OperationTree.InExpressionTree(context.Operation) || !InPlaceOverwrite.Risks(overwrite, apis))
        {
            return;
        }

        var holds = InPlaceOverwrite.Holds(overwrite, apis);
        if (Reports(holds.Held))
        {
            // {0}: the file; {1}: the API; {2} (CKPT209's message only): why the file holds output.
            context.ReportDiagnostic(DataHeldDiagnostic.Create(Rule, context.Operation.Syntax.GetLocation(), holds, overwrite.Target.Syntax.ToString(), overwrite.Api, holds.Evidence));
        }
    }
}
