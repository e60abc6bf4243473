using CheckpointAudit.Catalog;
using CheckpointAudit.Checks;
using CheckpointAudit.Knowledge;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace CheckpointAudit.Atomicity;

/// <summary>
/// CKPT201: a file truncated and rewritten in place. Quiet when the written file is a temp
/// that is then moved/replaced over the target, when the path is fresh or scratch, when nothing
/// is written (marker files), inside configured atomic-write helpers, and in test projects unless asked.
/// </summary>
public sealed class NonAtomicOverwriteCheck : FileRuleCheck
{
    public NonAtomicOverwriteCheck()
        : base(RuleCatalog.NonAtomicOverwrite, OperationKind.Invocation, OperationKind.ObjectCreation)
    {
    }

    private protected override void Analyze(OperationAnalysisContext context, FileApiSymbols apis, RuleScope scope)
    {
        if (!FileOverwrite.TryMatch(context.Operation, apis, out var overwrite))
        {
            return;
        }

        if (!scope.Includes(context))
        {
            return;
        }

        var root = OperationTree.Root(context.Operation);

        // The temp half of "write temp, then move it over the target" (here or in a helper in this file).
        if (overwrite.Kind != FileOverwriteKind.Copy && FilePromotion.IsPromotedIn(root, PathKey.From(overwrite.Target, apis), apis))
        {
            return;
        }

        // Copy(temp, target, true) of a temp written here is a replacement: CKPT204 reports it.
        if (overwrite.Kind == FileOverwriteKind.Copy
            && context.Operation is IInvocationOperation { TargetMethod.ContainingType.Name: "File" } copy
            && TempFileDurability.Of(PathKey.From(OperationTree.ArgumentFor(copy.Arguments, 0), apis), root, copy, apis, out _) != TempWriteState.Unknown)
        {
            return;
        }

        // Nothing durable to lose: a fresh or scratch path, or a write with no content.
        if (PathOrigin.IsFreshOrScratch(overwrite.Target, root, apis) || EmptyFileWrite.Is(overwrite, root))
        {
            return;
        }

        // A stream returned or kept in a field: the risk is decided where it is used.
        if (StreamHandOff.Is(overwrite, root))
        {
            return;
        }

        context.ReportDiagnostic(Diagnostic.Create(
            Rule.Descriptor,
            context.Operation.Syntax.GetLocation(),
            overwrite.Target.Syntax.ToString(),
            overwrite.Api));
    }
}
