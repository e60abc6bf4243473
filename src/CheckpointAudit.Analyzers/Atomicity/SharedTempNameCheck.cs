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
            || !IsFixedName(source, root, apis, out var declared))
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

    /// <summary>
    /// Whether every save uses the same temp path: a local declared with a value that has a
    /// constant part and nothing unique (no GUID, random name, GetTempFileName, timestamp), the
    /// same kind of expression written inline, or a readonly field. <paramref name="declared"/> is
    /// the value a fix can rewrite (a local's initializer in this body).
    /// </summary>
    private static bool IsFixedName(IOperation source, IOperation root, FileApiSymbols apis, out IOperation? declared)
    {
        declared = null;
        var value = PathKey.Unwrap(source);
        if (apis.FileInfoPath(value) is { } infoPath)
        {
            value = PathKey.Unwrap(infoPath);
        }

        switch (value)
        {
            case IFieldReferenceOperation { Field: { IsReadOnly: true } or { IsConst: true } }:
                return true;
            case ILocalReferenceOperation local:
                value = PathKey.Unwrap(OperationTree.DeclaredValue(local.Local, root));
                if (apis.FileInfoPath(value) is { } localInfoPath)
                {
                    value = PathKey.Unwrap(localInfoPath);
                }

                declared = value;
                break;
            case IBinaryOperation or IInterpolatedStringOperation or IInvocationOperation:
                break;
            case ILiteralOperation { ConstantValue: { HasValue: true, Value: string } }:
                break; // File.Move("state.json.tmp", "state.json")
            default:
                return false;
        }

        return value is not null && HasConstantPart(value, 0) && !PathOrigin.IsUnique(value, root, apis);
    }

    private static bool HasConstantPart(IOperation value, int depth)
    {
        foreach (var part in value.DescendantsAndSelf())
        {
            if (part is IInterpolatedStringTextOperation || part.ConstantValue is { HasValue: true, Value: string })
            {
                return true;
            }

            if (depth < 2 && part is IInvocationOperation call && SameFileBody.Of(call) is { } body)
            {
                foreach (var inner in body.Descendants())
                {
                    if (inner is IReturnOperation { ReturnedValue: { } returned } && HasConstantPart(returned, depth + 1))
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }
}
