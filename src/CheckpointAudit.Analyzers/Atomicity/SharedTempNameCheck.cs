using System.Collections.Immutable;
using System.Linq;
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
/// of both, the second fails because its temp is gone. A copy over the target publishes the same way. Saves of other
/// instances of the program count when the type watches the file for their changes. A private method of the type that names the temp
/// (<c>return path + ".tmp";</c>) is reported at its return, when a caller in its file promotes the name it returns.
/// </summary>
public sealed class SharedTempNameCheck : FileRuleCheck
{
    public SharedTempNameCheck()
        : base(RuleCatalog.SharedTempName, OperationKind.Invocation, OperationKind.Return)
    {
    }

    private protected override void Analyze(OperationAnalysisContext context, FileApiSymbols apis, RuleScope scope)
    {
        if (context.Operation is IReturnOperation returned)
        {
            AnalyzeTempNamer(context, returned, apis, scope);
            return;
        }

        var promotion = (IInvocationOperation)context.Operation;
        var moved = FilePromotion.TryMatchMoveOrReplace(promotion, apis, out var source, out var target);
        if (!(moved || FilePromotion.TryMatchCopy(promotion, apis, out source, out target)) || !scope.Includes(context))
        {
            return;
        }

        var root = OperationTree.Root(promotion);
        var temp = PathKey.From(source, apis);
        if (!moved && !DeletedAfter(promotion, temp, root, apis))
        {
            return; // a file copied and kept (a backup of what was just written) is not a temp
        }
        if (TempFileDurability.Of(temp, root, promotion, apis, out _) == TempWriteState.Unknown
            || !FixedTempName.Is(source, root, apis, out var declared)
            || TempNamingHelper.NamerOf(declared) is not null)
        {
            return; // a name made by a private helper of the type is reported at the helper's return
        }

        // The costlier, file-wide checks run only for fixed temp names that this body writes. Other processes that save
        // the same file are not ordered by a lock, and do not share a temp whose name holds the process id.
        var reason = ConcurrentExecution.Reason(promotion, context.ContainingSymbol);
        if (reason is null || MutualExclusion.IsSerialized(promotion, context.ContainingSymbol))
        {
            reason = target is null || OtherProcessWriters.NamesProcess(source, root) ? null : OtherProcessWriters.Reason(target, context.ContainingSymbol, apis);
        }

        if (reason is null)
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
    /// <c>return path + ".tmp";</c> in a private method of the type whose callers promote the name it returns, where one
    /// of them can run while another save is in progress: the helper is where every save gets the same name.
    /// </summary>
    private void AnalyzeTempNamer(OperationAnalysisContext context, IReturnOperation returned, FileApiSymbols apis, RuleScope scope)
    {
        if (returned.ReturnedValue is not { Type.SpecialType: SpecialType.System_String } value
            || context.ContainingSymbol is not IMethodSymbol { DeclaredAccessibility: Accessibility.Private, MethodKind: MethodKind.Ordinary } namer
            || OperationTree.InnermostFunction(returned) is not null
            || !FixedTempName.Is(value, OperationTree.Root(returned), apis, out _)
            || !scope.Includes(context))
        {
            return; // the cheap tests first: this runs for every return
        }

        foreach (var (promotion, root) in TempNamingHelper.Promotions(namer, returned.SemanticModel!, apis))
        {
            var caller = returned.SemanticModel!.GetDeclaredSymbol(root.Syntax, context.CancellationToken);
            if (ConcurrentExecution.Reason(promotion, caller) is { } reason && !MutualExclusion.IsSerialized(promotion, caller))
            {
                context.ReportDiagnostic(Diagnostic.Create(
                    Rule.Descriptor,
                    value.Syntax.GetLocation(),
                    ImmutableArray.Create(value.Syntax.GetLocation()),
                    null,
                    value.Syntax.ToString(),
                    reason));
                return;
            }
        }
    }

    /// <summary>The body deletes the copied file after the copy: the copy published a temp.</summary>
    private static bool DeletedAfter(IOperation copy, PathKey copied, IOperation root, FileApiSymbols apis)
        => root.Descendants().Any(operation => operation.Syntax.SpanStart > copy.Syntax.SpanStart
            && operation is IInvocationOperation { TargetMethod.Name: "Delete" } delete
            && (apis.Is(delete.TargetMethod.ContainingType, apis.File) && PathKey.From(OperationTree.ArgumentFor(delete.Arguments, 0), apis).Equals(copied)
                || apis.Is(delete.TargetMethod.ContainingType, apis.FileInfo) && PathKey.From(delete.Instance, apis).Equals(copied)));
}
