using System.Collections.Immutable;
using System.Linq;
using CheckpointAudit.Catalog;
using CheckpointAudit.Checks;
using CheckpointAudit.Knowledge;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace CheckpointAudit.Orphans;

/// <summary>
/// CKPT401: a temp file with a new name on each save, written and moved into place by the same body, with no catch or
/// finally that deletes it: when the write or the move throws, the temp stays on disk for good, and failed saves pile up.
/// </summary>
public sealed class TempFileLeftOnFailureCheck : FileRuleCheck
{
    public TempFileLeftOnFailureCheck()
        : base(RuleCatalog.TempFileLeftOnFailure, OperationKind.Invocation)
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
        var temp = PathKey.From(source, apis);
        if (TempFileDurability.Of(temp, root, promotion, apis, out var write) == TempWriteState.Unknown || IsCleanedUpOnFailure(temp, root, apis))
        {
            return;
        }

        // A file the body reads before it writes it was there before: an existing file edited and renamed (a template's
        // files filled in and given the project's name), not a temp the save made.
        if (ReadBeforeWritten(temp, root, write.Operation ?? promotion, apis))
        {
            return;
        }

        // A temp with the same name on every save of the target leaves at most one file behind, which the next save
        // truncates and replaces: nothing piles up. (Reusing it without truncating is CKPT205's finding; sharing it, CKPT206's.)
        if (FixedTempName.IsSameForTarget(source, target, root, apis))
        {
            return;
        }

        context.ReportDiagnostic(Diagnostic.Create(
            Rule.Descriptor,
            promotion.Syntax.GetLocation(),
            write.Operation is null ? ImmutableArray<Location>.Empty : ImmutableArray.Create(write.Operation.Syntax.GetLocation()),
            null,
            source.Syntax.ToString()));
    }

    /// <summary>
    /// File.ReadAll*, ReadLines, OpenRead or OpenText of the path, before the write; not a read that only runs when
    /// File.Exists found the file (recovering a temp a failed save left is what a temp's code does).
    /// </summary>
    private static bool ReadBeforeWritten(PathKey temp, IOperation root, IOperation write, FileApiSymbols apis)
    {
        foreach (var operation in root.Descendants())
        {
            if (operation is IInvocationOperation call && call.Syntax.SpanStart < write.Syntax.SpanStart
                && !UnderExistsCheck(call, temp, apis)
                && apis.Is(call.TargetMethod.ContainingType, apis.File)
                && (call.TargetMethod.Name.StartsWith("ReadAll", System.StringComparison.Ordinal) || call.TargetMethod.Name is "ReadLines" or "ReadLinesAsync" or "OpenRead" or "OpenText")
                && OperationTree.ArgumentFor(call.Arguments, 0) is { } read
                && PathKey.From(read, apis).Equals(temp))
            {
                return true;
            }
        }

        return false;
    }

    private static bool UnderExistsCheck(IOperation read, PathKey temp, FileApiSymbols apis)
    {
        for (var parent = read.Parent; parent is not null; parent = parent.Parent)
        {
            if (parent is IConditionalOperation conditional
                && conditional.Condition.DescendantsAndSelf().OfType<IInvocationOperation>().Any(check => check.TargetMethod.Name == "Exists"
                    && apis.Is(check.TargetMethod.ContainingType, apis.File)
                    && OperationTree.ArgumentFor(check.Arguments, 0) is { } checkedPath && PathKey.From(checkedPath, apis).Equals(temp)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// A File.Delete / FileInfo.Delete of the temp inside a catch clause or a finally block, directly
    /// or through a method declared in the same file that is passed the temp and deletes it.
    /// </summary>
    private static bool IsCleanedUpOnFailure(PathKey temp, IOperation root, FileApiSymbols apis)
    {
        foreach (var operation in root.Descendants())
        {
            if (operation is IInvocationOperation call && InCatchOrFinally(call) && (Deletes(call, temp, apis) || HelperDeletes(call, temp, apis)))
            {
                return true;
            }
        }

        return false;
    }

    private static bool Deletes(IInvocationOperation call, PathKey temp, FileApiSymbols apis)
    {
        if (call.TargetMethod.Name != "Delete")
        {
            return false;
        }

        var deleted = apis.Is(call.TargetMethod.ContainingType, apis.File)
            ? OperationTree.ArgumentFor(call.Arguments, 0)
            : apis.Is(call.TargetMethod.ContainingType, apis.FileInfo) ? call.Instance : null;
        return deleted is not null && PathKey.From(deleted, apis).Equals(temp);
    }

    private static bool HelperDeletes(IInvocationOperation call, PathKey temp, FileApiSymbols apis)
    {
        foreach (var argument in call.Arguments)
        {
            if (argument.Parameter is null || !PathKey.From(argument.Value, apis).Equals(temp))
            {
                continue;
            }

            var parameter = PathKey.ForParameter(argument.Parameter.OriginalDefinition);
            if (SameFileBody.Of(call) is { } body)
            {
                foreach (var operation in body.Descendants())
                {
                    if (operation is IInvocationOperation delete && Deletes(delete, parameter, apis))
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }

    private static bool InCatchOrFinally(IOperation operation)
    {
        for (var parent = operation.Parent; parent is not null; parent = parent.Parent)
        {
            if (parent is ICatchClauseOperation || (parent.Parent is ITryOperation tryOperation && ReferenceEquals(tryOperation.Finally, parent)))
            {
                return true;
            }
        }

        return false;
    }
}
