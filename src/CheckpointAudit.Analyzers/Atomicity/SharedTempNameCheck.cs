using System.Collections.Immutable;
using CheckpointAudit.Catalog;
using CheckpointAudit.Checks;
using CheckpointAudit.Knowledge;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace CheckpointAudit.Atomicity;

/// <summary>
/// CKPT206: a temp file with a fixed name (target + ".tmp", a string literal or constant, a readonly field) is
/// written and moved into place by code that can run concurrently with itself, with no lock around
/// it. Two overlapping saves truncate and write the same temp file; the first move publishes a mix
/// of both, the second fails because its temp is gone.
/// </summary>
public sealed class SharedTempNameCheck : FileRuleCheck
{
    public SharedTempNameCheck()
        : base(RuleCatalog.SharedTempName, OperationKind.Invocation)
    {
    }

    private protected override void Analyze(OperationAnalysisContext context, FileApiSymbols apis, RuleScope scope)
    {
        var promotion = (IInvocationOperation)context.Operation;
        if (!FilePromotion.TryMatchMoveOrReplace(promotion, apis, out var source, out _) || !scope.Includes(context))
        {
            return;
        }

        var root = OperationTree.Root(promotion);
        var temp = PathKey.From(source, apis);
        if (TempFileDurability.Of(temp, root, promotion, apis, out _) == TempWriteState.Unknown
            || !FixedTempName.Is(source, root, apis, out var declared))
        {
            return;
        }

        // The costlier, file-wide checks run only for fixed temp names that this body writes.
        if (ConcurrentExecution.Reason(promotion, context.ContainingSymbol) is not { } reason
            || MutualExclusion.IsSerialized(promotion, context.ContainingSymbol))
        {
            return;
        }

        context.ReportDiagnostic(Diagnostic.Create(
            Rule.Descriptor,
            promotion.Syntax.GetLocation(),
            declared is null ? ImmutableArray<Location>.Empty : ImmutableArray.Create(declared.Syntax.GetLocation()),
            null,
            source.Syntax.ToString(),
            reason));
    }
}
