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
/// of both, the second fails because its temp is gone. A copy over the target publishes the same way. Saves of other
/// instances of the program count when the type watches the file for their changes. A private method of the type
/// that names the temp (<c>return path + ".tmp";</c>) is reported at its return, when a caller in its file promotes
/// the name it returns.
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
        if (TempPublication.Match(promotion, apis) is not { } publication || !scope.Includes(context))
        {
            return;
        }

        var root = OperationTree.Root(promotion);
        if (TempFileDurability.Of(PathKey.From(publication.Source, apis), root, promotion, apis, out _) == TempWriteState.Unknown
            || !FixedTempName.Is(publication.Source, root, apis, out var declared)
            || !publication.IsPublished(root, apis))
        {
            return;
        }

        // A name made by a private helper of the type whose callers can all be read is reported at the helper's return
        // (AnalyzeTempNamer), which finds this promotion the same way.
        if (TempNamingHelper.IsFollowed(declared, context.CancellationToken)
            || TempPublication.OverlapReason(publication, context.ContainingSymbol, root, apis) is not { } reason)
        {
            return;
        }

        context.ReportDiagnostic(Diagnostic.Create(
            Rule.Descriptor,
            promotion.Syntax.GetLocation(),
            declared is null ? ImmutableArray<Location>.Empty : ImmutableArray.Create(declared.Syntax.GetLocation()),
            null,
            publication.Source.Syntax.ToString(),
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
            || returned.SemanticModel is not { } model
            || !TempNamingHelper.FileMayPublish(model.SyntaxTree, context.CancellationToken)
            || !scope.Includes(context))
        {
            return; // the cheap tests first: this runs for every return
        }

        // The callers first (a search of this file for the name), then whether the name is fixed (which may read other
        // bodies of the file): most private methods that return text name no temp that anything promotes.
        var fixedName = (bool?)null;
        foreach (var (publication, root) in TempNamingHelper.Promotions(namer, model, apis, context.CancellationToken))
        {
            fixedName ??= FixedTempName.Is(value, OperationTree.Root(returned), apis, out _);
            if (fixedName == false)
            {
                return;
            }

            var caller = model.GetDeclaredSymbol(root.Syntax, context.CancellationToken);
            if (scope.IncludesMember(caller, root.Syntax.SyntaxTree) && TempPublication.OverlapReason(publication, caller, root, apis) is { } reason)
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
}
