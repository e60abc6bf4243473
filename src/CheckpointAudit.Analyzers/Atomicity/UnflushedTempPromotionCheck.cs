using System.Collections.Immutable;
using CheckpointAudit.Catalog;
using CheckpointAudit.Checks;
using CheckpointAudit.Knowledge;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace CheckpointAudit.Atomicity;

/// <summary>
/// CKPT202: a temp file is moved or replaced over the target although the same body wrote it
/// without flushing it to disk. The rename is atomic, but after a power loss the file system may
/// keep the rename and not the data: the target is empty or full of zeros.
/// </summary>
public sealed class UnflushedTempPromotionCheck : FileRuleCheck
{
    public UnflushedTempPromotionCheck()
        : base(RuleCatalog.UnflushedTempPromotion, OperationKind.Invocation)
    {
    }

    private protected override void Analyze(OperationAnalysisContext context, FileApiSymbols apis, RuleScope scope)
    {
        var promotion = (IInvocationOperation)context.Operation;
        if (!FilePromotion.TryMatchMoveOrReplace(promotion, apis, out var source, out var target))
        {
            return;
        }

        if (!scope.Includes(context))
        {
            return;
        }

        var root = OperationTree.Root(promotion);
        if (TempFileDurability.Of(PathKey.From(source, apis), root, promotion, apis, out var write) != TempWriteState.NotDurable)
        {
            return;
        }

        var holds = target is null ? default : WrittenData.Classify(promotion, target, content: null, root, apis);
        context.ReportDiagnostic(DataHeldDiagnostic.Create(
            Rule,
            promotion.Syntax.GetLocation(),
            ImmutableArray.Create(write.Operation.Syntax.GetLocation()),
            ImmutableDictionary<string, string?>.Empty.Add(WriteKindProperty, write.Kind.ToString()),
            holds,
            source.Syntax.ToString(),
            target?.Syntax.ToString() ?? "the target",
            write.Api));
    }

    /// <summary>Names the kind of the temp write for the code fix.</summary>
    public const string WriteKindProperty = "TempWriteKind";
}
