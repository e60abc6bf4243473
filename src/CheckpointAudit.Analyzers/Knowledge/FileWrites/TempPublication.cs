using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace CheckpointAudit.Knowledge;

/// <summary>
/// The step that publishes a temp over its target, for the rule about temp names shared by overlapping saves:
/// File.Move/Replace or FileInfo.MoveTo/Replace, or File.Copy/FileInfo.CopyTo followed by a delete of the temp.
/// </summary>
internal sealed class TempPublication(IInvocationOperation promotion, IOperation source, IOperation? target, bool copied)
{
    public IInvocationOperation Promotion { get; } = promotion;

    /// <summary>The temp.</summary>
    public IOperation Source { get; } = source;

    /// <summary>The path it takes, when the call names one.</summary>
    public IOperation? Target { get; } = target;

    public static TempPublication? Match(IInvocationOperation invocation, FileApiSymbols apis)
        => FilePromotion.TryMatchMoveOrReplace(invocation, apis, out var source, out var target) ? new TempPublication(invocation, source, target, copied: false)
            : FilePromotion.TryMatchCopy(invocation, apis, out source, out target) ? new TempPublication(invocation, source, target, copied: true)
            : null;

    /// <summary>
    /// A move publishes; a copy only when the body deletes the temp after it, outside a catch (a file copied and kept is
    /// a backup of what was just written, and a delete on failure only cleans up).
    /// </summary>
    public bool IsPublished(IOperation root, FileApiSymbols apis)
    {
        if (!copied)
        {
            return true;
        }

        var temp = PathKey.From(Source, apis);
        return root.Descendants().Any(operation => operation.Syntax.SpanStart > Promotion.Syntax.SpanStart
            && FileOverwrite.IsDeleteOf(operation, temp, apis) && !InCatch(operation));
    }

    /// <summary>
    /// Why two saves through this publication can overlap: the code around it can run concurrently with itself and
    /// nothing serializes it; or other instances of the program save the same target (see <see cref="OtherProcessWriters"/>),
    /// which a lock in one process does not order, unless the temp's name holds the process id.
    /// </summary>
    public static string? OverlapReason(TempPublication publication, ISymbol? caller, IOperation root, FileApiSymbols apis)
    {
        var promotion = publication.Promotion;
        if (ConcurrentExecution.Reason(promotion, caller) is { } reason && !MutualExclusion.IsSerialized(promotion, caller))
        {
            return reason;
        }

        return publication.Target is null || OtherProcessWriters.NamesProcess(publication.Source, root)
            ? null
            : OtherProcessWriters.Reason(publication.Target, caller, apis);
    }

    private static bool InCatch(IOperation operation)
    {
        for (var parent = operation.Parent; parent is not null; parent = parent.Parent)
        {
            if (parent is ICatchClauseOperation)
            {
                return true;
            }
        }

        return false;
    }
}
