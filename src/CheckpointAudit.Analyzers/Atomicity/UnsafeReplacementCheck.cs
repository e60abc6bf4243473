using System.Collections.Immutable;
using CheckpointAudit.Catalog;
using CheckpointAudit.Checks;
using CheckpointAudit.Knowledge;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace CheckpointAudit.Atomicity;

/// <summary>
/// CKPT204: the target is replaced in two steps, leaving a window with no file or a torn one:
/// File.Delete(target) then File.Move(temp, target); File.Move(target, backup) then
/// File.Move(temp, target); or File.Copy(temp, target, true). In every shape the temp must be
/// written in the same body: then its content exists only there while the target is gone. The earlier step
/// must be able to run before the move (<see cref="ExecutionOrder"/>): a delete in the other branch is no window.
/// </summary>
public sealed class UnsafeReplacementCheck : FileRuleCheck
{
    /// <summary>"Delete", "MoveAway" or "Copy": which shape was found, for the code fix.</summary>
    public const string ShapeProperty = "ReplacementShape";

    public UnsafeReplacementCheck()
        : base(RuleCatalog.UnsafeReplacement, OperationKind.Invocation)
    {
    }

    private protected override void Analyze(OperationAnalysisContext context, FileApiSymbols apis, RuleScope scope)
    {
        var invocation = (IInvocationOperation)context.Operation;
        if (invocation.TargetMethod.Name is not ("Move" or "Copy") || !apis.Is(invocation.TargetMethod.ContainingType, apis.File))
        {
            return;
        }

        if (!scope.Includes(context))
        {
            return;
        }

        var source = OperationTree.ArgumentFor(invocation.Arguments, 0);
        var target = OperationTree.ArgumentFor(invocation.Arguments, 1);
        if (source is null || target is null)
        {
            return;
        }

        var root = OperationTree.Root(invocation);
        var targetKey = PathKey.From(target, apis);
        var sourceKey = PathKey.From(source, apis);
        if (targetKey.IsEmpty || targetKey.Equals(sourceKey))
        {
            return;
        }

        string? shape = null;
        IOperation? earlier = null;
        if (invocation.TargetMethod.Name == "Copy")
        {
            // Copy(temp, target, overwrite: true) where this body wrote temp: the target is rewritten in place.
            if (invocation.TargetMethod.Parameters.Length == 3
                && PathKey.Unwrap(OperationTree.ArgumentFor(invocation.Arguments, 2)) is { ConstantValue: { HasValue: true, Value: true } }
                && TempFileDurability.Of(sourceKey, root, invocation, apis, out var write) != TempWriteState.Unknown)
            {
                shape = "Copy";
                earlier = write.Operation; // may be null: then no additional location
            }
        }
        else if (TempFileDurability.Of(sourceKey, root, invocation, apis, out _) != TempWriteState.Unknown)
        {
            // Only when the new content was written here: a plain rename (the source is the data
            // itself, and it survives the window) is not a replacement.
            (shape, earlier) = FindEarlierRemoval(invocation, targetKey, root, apis);
        }

        if (shape is null)
        {
            return;
        }

        var locations = earlier is null ? ImmutableArray<Location>.Empty : ImmutableArray.Create(earlier.Syntax.GetLocation());
        context.ReportDiagnostic(DataHeldDiagnostic.Create(
            Rule,
            invocation.Syntax.GetLocation(),
            locations,
            ImmutableDictionary<string, string?>.Empty.Add(ShapeProperty, shape),
            WrittenData.Classify(invocation, target, content: null, root, apis),
            target.Syntax.ToString(),
            shape switch
            {
                "Delete" => "is deleted first",
                "MoveAway" => "is moved away first",
                _ => "is overwritten by a copy",
            }));
    }

    /// <summary>
    /// File.Delete(target) or File.Move(target, elsewhere) before this move, in the same body, on a path that can go
    /// on to the move: a delete in the other branch of an if/else or switch, or one followed by a return, is no window.
    /// </summary>
    private static (string?, IOperation?) FindEarlierRemoval(IInvocationOperation move, PathKey target, IOperation root, FileApiSymbols apis)
    {
        foreach (var operation in root.Descendants())
        {
            if (operation.Syntax.SpanStart >= move.Syntax.SpanStart)
            {
                break;
            }

            if (operation is not IInvocationOperation call || !apis.Is(call.TargetMethod.ContainingType, apis.File))
            {
                continue;
            }

            var first = OperationTree.ArgumentFor(call.Arguments, 0);
            if (first is null || !PathKey.From(first, apis).Equals(target) || !ExecutionOrder.CanRunAfter(call, move))
            {
                continue;
            }

            if (call.TargetMethod.Name == "Delete")
            {
                return ("Delete", call);
            }

            if (call.TargetMethod.Name == "Move")
            {
                return ("MoveAway", call);
            }
        }

        return (null, null);
    }
}
