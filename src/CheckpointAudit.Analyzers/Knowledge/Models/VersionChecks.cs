using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace CheckpointAudit.Knowledge;

/// <summary>Whether the project's code reads a version member to decide something (compares, switches, migrates).</summary>
internal static class VersionChecks
{
    /// <summary>
    /// Whether code of this compilation, or of the referenced project that declares the member (a base class in a
    /// shared library checks its own stamp), reads the member to decide something.
    /// </summary>
    public static bool IsCheckedAnywhere(ISymbol member, Compilation compilation, System.Threading.CancellationToken cancellationToken)
    {
        if (IsCheckedIn(member, compilation, cancellationToken))
        {
            return true;
        }

        return member.Locations.FirstOrDefault(l => l.IsInSource)?.SourceTree is { } tree
            && DeclaringCompilation.Of(tree, compilation) is { } declaring && declaring != compilation
            && IsCheckedIn(member, declaring, cancellationToken);
    }

    private static bool IsCheckedIn(ISymbol member, Compilation compilation, System.Threading.CancellationToken cancellationToken)
    {
        foreach (var use in SourceSearch.Uses(member.Name, compilation.SyntaxTrees, compilation, null, cancellationToken))
        {
            var referenced = use switch
            {
                IPropertyReferenceOperation property => (ISymbol)property.Property,
                IFieldReferenceOperation field => field.Field,
                _ => null,
            };
            if (referenced is not null && SymbolEqualityComparer.Default.Equals(referenced.OriginalDefinition, member) && IsChecked(use))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A read that decides something: compared, switched on, matched, passed on, or kept in a local for that.</summary>
    private static bool IsChecked(IOperation reference)
    {
        var value = reference;
        while (value.Parent is IConversionOperation or IParenthesizedOperation)
        {
            value = value.Parent;
        }

        return value.Parent switch
        {
            IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals or BinaryOperatorKind.LessThan
                or BinaryOperatorKind.LessThanOrEqual or BinaryOperatorKind.GreaterThan or BinaryOperatorKind.GreaterThanOrEqual } => true,
            ISwitchOperation switchOperation => switchOperation.Value == value,
            ISwitchExpressionOperation switchExpression => switchExpression.Value == value,
            IIsPatternOperation pattern => pattern.Value == value,
            // Handed to the project's own code (a migration helper) or compared by a method.
            IArgumentOperation { Parent: IInvocationOperation call } => !call.TargetMethod.DeclaringSyntaxReferences.IsEmpty || call.TargetMethod.Name is "CompareTo" or "Equals" or "Compare",
            IVariableInitializerOperation => true,
            _ => false,
        };
    }
}
