using System.Collections.Immutable;
using CheckpointAudit.Catalog;
using CheckpointAudit.Checks;
using CheckpointAudit.Knowledge;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace CheckpointAudit.Atomicity;

/// <summary>
/// CKPT203: a file in the system temp directory (Path.GetTempFileName, Path.GetTempPath-based) is
/// moved or replaced over a target outside it. A rename is atomic only within one volume; across
/// volumes File.Move copies and deletes, so a crash leaves the target partial (File.Replace fails).
/// Copies are left to CKPT201/CKPT204, which already report them.
/// </summary>
public sealed class TempInOtherDirectoryCheck : FileRuleCheck
{
    /// <summary>The target expression to build the new temp path from; absent when no safe fix exists.</summary>
    public const string TargetProperty = "TempBesideTarget";

    public TempInOtherDirectoryCheck()
        : base(RuleCatalog.TempInOtherDirectory, OperationKind.Invocation)
    {
    }

    private protected override void Analyze(OperationAnalysisContext context, FileApiSymbols apis, RuleScope scope)
    {
        var promotion = (IInvocationOperation)context.Operation;
        if (!FilePromotion.TryMatchMoveOrReplace(promotion, apis, out var source, out var target) || target is null || !scope.Includes(context))
        {
            return;
        }

        var root = OperationTree.Root(promotion);
        if (!SystemTempPath.Contains(source, root, apis) || SystemTempPath.Contains(target, root, apis))
        {
            return;
        }

        var properties = ImmutableDictionary<string, string?>.Empty;
        var locations = ImmutableArray<Location>.Empty;
        if (FixableTempDeclaration(source, target, root, apis) is { } declared)
        {
            properties = properties.Add(TargetProperty, TargetText(target, apis));
            locations = ImmutableArray.Create(declared.Syntax.GetLocation());
        }

        context.ReportDiagnostic(Diagnostic.Create(
            Rule.Descriptor,
            promotion.Syntax.GetLocation(),
            locations,
            properties,
            source.Syntax.ToString(),
            target.Syntax.ToString(),
            promotion.TargetMethod.ContainingType.Name + "." + promotion.TargetMethod.Name));
    }

    /// <summary>
    /// The temp-directory expression a local was declared with, when the target can stand in its
    /// place: everything the target reads exists at that point, and the body never needs the
    /// file to exist before writing it (GetTempFileName creates it; FileMode.Open would then fail).
    /// </summary>
    private static IOperation? FixableTempDeclaration(IOperation source, IOperation target, IOperation root, FileApiSymbols apis)
    {
        if (PathKey.Unwrap(source) is not ILocalReferenceOperation temp
            || SystemTempPath.DeclaredTempValue(source, root, apis) is not { } declared
            || !IsAvailableAt(target, declared.Syntax.SpanStart, root, apis)
            || OpensExisting(PathKey.From(source, apis), root, apis))
        {
            return null;
        }

        return declared;
    }

    /// <summary>Parameters, members, constants, pure Path/string calls and locals declared earlier.</summary>
    private static bool IsAvailableAt(IOperation target, int position, IOperation root, FileApiSymbols apis)
    {
        foreach (var part in target.DescendantsAndSelf())
        {
            switch (part)
            {
                case ILocalReferenceOperation local:
                    if (!IsDeclaredBefore(local.Local, position, root))
                    {
                        return false;
                    }

                    break;
                case IInvocationOperation invocation:
                    var type = invocation.TargetMethod.ContainingType;
                    if (!apis.Is(type, apis.Path) && type.SpecialType != SpecialType.System_String)
                    {
                        return false;
                    }

                    break;
                case IAwaitOperation or IAssignmentOperation or IIncrementOrDecrementOperation or IObjectCreationOperation:
                    return false;
            }
        }

        return true;
    }

    private static bool IsDeclaredBefore(ILocalSymbol local, int position, IOperation root)
    {
        foreach (var operation in root.Descendants())
        {
            if (operation is IVariableDeclaratorOperation declarator && SymbolEqualityComparer.Default.Equals(declarator.Symbol, local))
            {
                return declarator.Syntax.Span.End <= position;
            }
        }

        return false;
    }

    /// <summary>An open of the temp that requires the file to exist (FileMode.Open, Truncate or Append).</summary>
    private static bool OpensExisting(PathKey temp, IOperation root, FileApiSymbols apis)
    {
        foreach (var operation in root.Descendants())
        {
            var arguments = operation switch
            {
                IInvocationOperation invocation => invocation.Arguments,
                IObjectCreationOperation creation => creation.Arguments,
                _ => default,
            };
            if (arguments.IsDefaultOrEmpty || !PathKey.From(arguments[0].Value, apis).Equals(temp))
            {
                continue;
            }

            foreach (var argument in arguments)
            {
                if (apis.Is(argument.Value.Type, apis.FileMode)
                    && PathKey.Unwrap(argument.Value) is { ConstantValue: { HasValue: true, Value: int mode } }
                    && mode is 3 or 5 or 6)
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static string TargetText(IOperation target, FileApiSymbols apis)
    {
        var unwrapped = PathKey.Unwrap(target)!;
        var text = unwrapped.Syntax.ToString();
        var simple = unwrapped is ILocalReferenceOperation or IParameterReferenceOperation or IFieldReferenceOperation
            or IPropertyReferenceOperation or IInvocationOperation or ILiteralOperation;
        if (!simple)
        {
            text = "(" + text + ")";
        }

        return apis.Is(unwrapped.Type, apis.FileInfo) ? text + ".FullName" : text;
    }
}
