using CheckpointAudit.Catalog;
using CheckpointAudit.Checks;
using CheckpointAudit.Knowledge;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace CheckpointAudit.Corruption;

/// <summary>
/// CKPT305 (MONITOR): a temp file the body wrote replaces the target with File.Move(.., overwrite: true),
/// FileInfo.MoveTo(.., true) or File.Replace(.., null) — the previous version is discarded — and the
/// body does not copy or move the target aside first.
/// </summary>
public sealed class NoPreviousVersionCheck : FileRuleCheck
{
    public NoPreviousVersionCheck()
        : base(RuleCatalog.NoPreviousVersion, OperationKind.Invocation)
    {
    }

    private protected override void Analyze(OperationAnalysisContext context, FileApiSymbols apis, RuleScope scope)
    {
        var promotion = (IInvocationOperation)context.Operation;
        if (!FilePromotion.TryMatchMoveOrReplace(promotion, apis, out var source, out var target) || target is null || !DiscardsTarget(promotion)
            || !scope.Includes(context))
        {
            return;
        }

        var root = OperationTree.Root(promotion);
        var targetKey = PathKey.From(target, apis);
        if (TempFileDurability.Of(PathKey.From(source, apis), root, promotion, apis, out _) == TempWriteState.Unknown
            || KeepsTargetFirst(targetKey, root, promotion, apis))
        {
            return;
        }

        context.ReportDiagnostic(Diagnostic.Create(
            Rule.Descriptor,
            promotion.Syntax.GetLocation(),
            target.Syntax.ToString(),
            promotion.TargetMethod.ContainingType.Name + "." + promotion.TargetMethod.Name));
    }

    /// <summary>Move/MoveTo with overwrite true, or Replace with a null backup.</summary>
    private static bool DiscardsTarget(IInvocationOperation promotion)
    {
        var method = promotion.TargetMethod;
        foreach (var argument in promotion.Arguments)
        {
            var value = PathKey.Unwrap(argument.Value);
            if (method.Name is "Move" or "MoveTo" && argument.Parameter?.Type.SpecialType == SpecialType.System_Boolean)
            {
                return value is { ConstantValue: { HasValue: true, Value: true } };
            }

            if (method.Name == "Replace" && argument.Parameter?.Name is "destinationBackupFileName")
            {
                return value is { ConstantValue: { HasValue: true, Value: null } };
            }
        }

        return false;
    }

    /// <summary>File.Copy/Move of the target (or FileInfo.CopyTo/MoveTo) earlier in the body, or in a same-file method it is passed to.</summary>
    private static bool KeepsTargetFirst(PathKey target, IOperation root, IOperation promotion, FileApiSymbols apis)
    {
        foreach (var operation in root.Descendants())
        {
            if (operation.Syntax.SpanStart >= promotion.Syntax.SpanStart)
            {
                break;
            }

            if (operation is not IInvocationOperation call)
            {
                continue;
            }

            if (CopiesOrMoves(call, target, apis))
            {
                return true;
            }

            // KeepPrevious(path): a method in the same file that copies the path it is given.
            foreach (var argument in call.Arguments)
            {
                if (argument.Parameter is not null && PathKey.From(argument.Value, apis).Equals(target) && SameFileBody.Of(call) is { } body)
                {
                    var parameter = PathKey.ForParameter(argument.Parameter.OriginalDefinition);
                    foreach (var inner in body.Descendants())
                    {
                        if (inner is IInvocationOperation innerCall && CopiesOrMoves(innerCall, parameter, apis))
                        {
                            return true;
                        }
                    }
                }
            }
        }

        return false;
    }

    private static bool CopiesOrMoves(IInvocationOperation call, PathKey file, FileApiSymbols apis)
        => call.TargetMethod.Name is "Copy" or "CopyTo" or "Move" or "MoveTo"
            && FilePromotion.TryGetSource(call, apis, out var copied) && PathKey.From(copied, apis).Equals(file);
}
