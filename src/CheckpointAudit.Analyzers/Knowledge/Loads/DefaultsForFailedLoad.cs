using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace CheckpointAudit.Knowledge;

/// <summary>
/// A loader whose catch returns null, and a caller in the same file that fills the gap with fresh defaults and keeps
/// them in a member (<c>_appData = Load(path) ?? new ResourceDictionary();</c>) that the same type saves again: the
/// reset is split over two methods, and the next save writes the defaults over the file that did not parse.
/// </summary>
internal static class DefaultsForFailedLoad
{
    /// <summary>The member the caller resets when the catch's <c>return null</c> reaches it; null when none does.</summary>
    public static ISymbol? ResetMember(IReturnOperation returnsNull, System.Func<IOperation, bool> isFresh)
    {
        if (returnsNull.ReturnedValue is not { } returned || PathKey.Unwrap(returned)?.ConstantValue is not { HasValue: true, Value: null }
            || returnsNull.SemanticModel is not { } model
            || (OperationTree.InnermostFunction(returnsNull) ?? model.GetEnclosingSymbol(returnsNull.Syntax.SpanStart)) is not IMethodSymbol loader
            || loader.MethodKind is not MethodKind.Ordinary)
        {
            return null;
        }

        foreach (var reference in SameFileReferences.Of(loader, model))
        {
            // Load(path) ?? new T(), assigned to a field or property.
            if (reference is IInvocationOperation call && Parent(call) is ICoalesceOperation coalesce && isFresh(coalesce.WhenNull)
                && Parent(coalesce) is ISimpleAssignmentOperation { Target: IFieldReferenceOperation or IPropertyReferenceOperation } assignment
                && Member(assignment.Target) is { } member && IsSavedInType(member, model))
            {
                return member;
            }
        }

        return null;
    }

    private static IOperation? Parent(IOperation operation)
    {
        var parent = operation.Parent;
        while (parent is IConversionOperation or IAwaitOperation)
        {
            parent = parent.Parent;
        }

        return parent;
    }

    private static ISymbol? Member(IOperation target) => target switch
    {
        IFieldReferenceOperation field => field.Field,
        IPropertyReferenceOperation property => property.Property,
        _ => null,
    };

    /// <summary>
    /// A call of the member's type that saves or writes (Save, Write…, Serialize…) is handed the member, directly or
    /// through a local whose value names it (<c>var dic = Clean(_local ?? _appData); XamlWriter.Save(dic, writer)</c>).
    /// </summary>
    private static bool IsSavedInType(ISymbol member, SemanticModel model)
    {
        foreach (var reference in member.ContainingType.DeclaringSyntaxReferences)
        {
            if (reference.SyntaxTree != model.SyntaxTree)
            {
                continue;
            }

            foreach (var node in reference.GetSyntax().DescendantNodes().OfType<InvocationExpressionSyntax>())
            {
                // The name first: only calls named for a save are bound.
                if (!NameWords.CallsASave(node) || model.GetOperation(node) is not IInvocationOperation call)
                {
                    continue;
                }

                var root = OperationTree.Root(call);
                if (call.Arguments.Any(a => Names(a.Value, member, root)))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static bool Names(IOperation value, ISymbol member, IOperation root)
    {
        value = PathKey.Unwrap(value) ?? value;
        if (value is ILocalReferenceOperation local && OperationTree.DeclaredValue(local.Local, root) is { } declared)
        {
            value = declared;
        }

        return value.DescendantsAndSelf().Any(o => Member(o) is { } named && SymbolEqualityComparer.Default.Equals(named, member));
    }
}
