using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace CheckpointAudit.Knowledge;

/// <summary>
/// A stream opened with truncation that leaves the method: returned to the caller (a factory
/// such as OpenForWrite(path)) or kept in a field or property (a log, journal or recording
/// writer that lives for the session). What is written, and whether the file is promoted
/// afterwards, is decided elsewhere, so the opening method is not where the risk is.
/// </summary>
internal static class StreamHandOff
{
    public static bool Is(FileOverwrite overwrite, IOperation root)
        => overwrite.Kind == FileOverwriteKind.Stream && Is(overwrite.Operation, root);

    /// <summary>The opened stream is returned, or stored in a field or property (lambdas returning it included).</summary>
    public static bool Is(IOperation opening, IOperation root)
    {
        var parent = ParentOf(opening);
        if (parent is IReturnOperation && parent.Parent is IBlockOperation { Parent: IAnonymousFunctionOperation })
        {
            return true;
        }

        switch (parent)
        {
            case IReturnOperation:
                return true;
            case ISimpleAssignmentOperation { Target: IFieldReferenceOperation or IPropertyReferenceOperation }:
                return true;
            case IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator }:
                return IsReturned(declarator.Symbol, root);
            case IFieldInitializerOperation:
            case IPropertyInitializerOperation:
                return true;
            default:
                return false;
        }
    }

    private static bool IsReturned(ILocalSymbol local, IOperation root)
    {
        foreach (var operation in root.Descendants())
        {
            if (operation is IReturnOperation { ReturnedValue: { } value }
                && SkipConversionsDown(value) is ILocalReferenceOperation reference
                && SymbolEqualityComparer.Default.Equals(reference.Local, local))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The first parent of <paramref name="value"/> that is not a conversion or a branch of <c>?:</c> or <c>??</c>:
    /// <c>=> exists ? File.OpenWrite(p) : File.Create(p)</c> returns either stream.
    /// </summary>
    private static IOperation? ParentOf(IOperation value)
    {
        var child = value;
        for (var operation = value.Parent; operation is not null; child = operation, operation = operation.Parent)
        {
            var through = operation switch
            {
                IConversionOperation or IParenthesizedOperation or ICoalesceOperation => true,
                IConditionalOperation conditional => !ReferenceEquals(conditional.Condition, child),
                _ => false,
            };
            if (!through)
            {
                return operation;
            }
        }

        return null;
    }

    private static IOperation SkipConversionsDown(IOperation operation)
    {
        while (operation is IConversionOperation conversion)
        {
            operation = conversion.Operand;
        }

        return operation;
    }
}
