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
        var parent = SkipConversions(opening.Parent);
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

    private static IOperation? SkipConversions(IOperation? operation)
    {
        while (operation is IConversionOperation)
        {
            operation = operation.Parent;
        }

        return operation;
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
