using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace CheckpointAudit.Knowledge;

/// <summary>
/// Finds where a body moves, replaces or copies a file onto another path: the step that
/// turns a written temp file into the real one (the atomic-write pattern).
/// </summary>
internal static class FilePromotion
{
    /// <summary>
    /// True when the body moves/replaces/copies the file named by <paramref name="written"/>
    /// elsewhere, itself or in a method declared in the same file that it calls (one level):
    /// with the same field/property, or with the written path passed as an argument. With <paramref name="write"/>,
    /// only a move that can run after it counts: a backup copied away before an in-place write promotes nothing.
    /// </summary>
    public static bool IsPromotedIn(IOperation root, PathKey written, FileApiSymbols apis, IOperation? write = null)
    {
        if (written.IsEmpty)
        {
            return false;
        }

        foreach (var operation in root.DescendantsAndSelf())
        {
            if (operation is not IInvocationOperation invocation
                || write is not null && (invocation.Syntax.SpanStart < write.Syntax.SpanStart || !ExecutionOrder.CanRunAfter(write, invocation)))
            {
                continue;
            }

            if (TryGetSource(invocation, apis, out var source))
            {
                if (PathKey.From(source, apis).Equals(written))
                {
                    return true;
                }

                continue;
            }

            if (IsPromotedByCallee(invocation, written, apis))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsPromotedByCallee(IInvocationOperation invocation, PathKey written, FileApiSymbols apis)
    {
        // The callee sees the file either through the same member or through a parameter.
        var calleeKey = written.IsMember ? written : default;
        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter is not null && PathKey.From(argument.Value, apis).Equals(written))
            {
                calleeKey = PathKey.ForParameter(argument.Parameter.OriginalDefinition);

                // A helper anywhere in the project that moves the file it is given (ReplaceWith(temp, target)).
                if (MethodSummaries.IsProjectMethod(invocation.TargetMethod) && invocation.SemanticModel is not null
                    && MethodSummaries.Of(invocation.SemanticModel.Compilation) is { } summaries
                    && (summaries.UseOf(invocation, argument, System.Threading.CancellationToken.None) & PathUse.MovesAway) != 0)
                {
                    return true;
                }

                break;
            }
        }

        if (calleeKey.IsEmpty)
        {
            return false;
        }

        var body = SameFileBody.Of(invocation);
        if (body is null)
        {
            return false;
        }

        foreach (var operation in body.Descendants())
        {
            if (operation is IInvocationOperation call && TryGetSource(call, apis, out var source) && PathKey.From(source, apis).Equals(calleeKey))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// File.Move/Replace or FileInfo.MoveTo/Replace: the step that puts a temp file in place.
    /// <paramref name="source"/> is the file moved, <paramref name="target"/> the path it takes (null when absent).
    /// </summary>
    public static bool TryMatchMoveOrReplace(IInvocationOperation invocation, FileApiSymbols apis, out IOperation source, out IOperation? target)
        => TryMatchTransfer(invocation, apis, copy: false, out source, out target);

    /// <summary>
    /// File.Copy or FileInfo.CopyTo: how some code publishes a temp (copied over the target, then deleted).
    /// <paramref name="source"/> is the file copied, <paramref name="target"/> the path it is copied to.
    /// </summary>
    public static bool TryMatchCopy(IInvocationOperation invocation, FileApiSymbols apis, out IOperation source, out IOperation? target)
        => TryMatchTransfer(invocation, apis, copy: true, out source, out target);

    private static bool TryMatchTransfer(IInvocationOperation invocation, FileApiSymbols apis, bool copy, out IOperation source, out IOperation? target)
    {
        source = null!;
        target = null;
        var name = invocation.TargetMethod.Name;
        var (onFile, onInfo) = copy ? ("Copy", "CopyTo") : ("Move", "MoveTo");
        if (name != onFile && name != onInfo && (copy || name != "Replace"))
        {
            return false; // the cheap test first: this runs for every invocation
        }

        var type = invocation.TargetMethod.ContainingType;
        var onFileInfo = name != onFile && apis.Is(type, apis.FileInfo);
        if (!onFileInfo && !(name != onInfo && apis.Is(type, apis.File))
            || (onFileInfo ? invocation.Instance : OperationTree.ArgumentFor(invocation.Arguments, 0)) is not { } moved)
        {
            return false;
        }

        source = moved;
        target = OperationTree.ArgumentFor(invocation.Arguments, onFileInfo ? 0 : 1);
        return true;
    }

    /// <summary>The source file of File.Move/Replace/Copy or FileInfo.MoveTo/Replace/CopyTo.</summary>
    public static bool TryGetSource(IInvocationOperation invocation, FileApiSymbols apis, out IOperation? source)
    {
        source = null;
        var method = invocation.TargetMethod;
        if (apis.Is(method.ContainingType, apis.File))
        {
            if (method.Name is "Move" or "Replace" or "Copy")
            {
                source = OperationTree.ArgumentFor(invocation.Arguments, 0);
            }
        }
        else if (apis.Is(method.ContainingType, apis.FileInfo))
        {
            if (method.Name is "MoveTo" or "Replace" or "CopyTo")
            {
                source = invocation.Instance;
            }
        }

        return source is not null;
    }
}
