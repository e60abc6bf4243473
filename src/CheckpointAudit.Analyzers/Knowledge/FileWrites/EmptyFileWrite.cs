using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace CheckpointAudit.Knowledge;

/// <summary>
/// Writes that put no content in the file: marker and lock files (File.Create(p).Dispose(),
/// File.WriteAllText(p, ""), a stream that is opened and closed unused). An empty file cannot be
/// torn, so truncating it in place loses nothing.
/// </summary>
internal static class EmptyFileWrite
{
    public static bool Is(FileOverwrite overwrite, IOperation root)
    {
        switch (overwrite.Kind)
        {
            case FileOverwriteKind.WriteAll:
                return overwrite.Operation is IInvocationOperation invocation && IsEmptyContent(OperationTree.ArgumentFor(invocation.Arguments, 1));
            case FileOverwriteKind.Stream:
                return IsOpenedAndClosedUnused(overwrite.Operation, root);
            default:
                return false;
        }
    }

    private static bool IsEmptyContent(IOperation? content)
    {
        content = PathKey.Unwrap(content);
        switch (content)
        {
            case { ConstantValue: { HasValue: true, Value: string { Length: 0 } } }:
                return true;
            case IFieldReferenceOperation { Field: { Name: "Empty", ContainingType.SpecialType: SpecialType.System_String } }:
                return true;
            case IArrayCreationOperation { DimensionSizes.Length: 1 } array when array.DimensionSizes[0].ConstantValue is { HasValue: true, Value: 0 }:
                return true;
            case IArrayCreationOperation { Initializer.ElementValues.Length: 0 }:
                return true;
            case IInvocationOperation { TargetMethod: { Name: "Empty", ContainingType.Name: "Array" } }:
                return true;
            default:
                return false;
        }
    }

    /// <summary>
    /// A stream that is opened and closed without being written: disposed on the spot, discarded,
    /// or held in a local whose only uses are Dispose/Close, null checks and reassignment.
    /// </summary>
    public static bool IsOpenedAndClosedUnused(IOperation creation, IOperation root)
    {
        var parent = creation.Parent;
        while (parent is IConversionOperation)
        {
            parent = parent.Parent;
        }

        ILocalSymbol? local;
        switch (parent)
        {
            // File.Create(path).Dispose() / .Close()
            case IInvocationOperation { TargetMethod.Name: "Dispose" or "Close" or "DisposeAsync" }:
                return true;

            // File.Create(path);  and  using (File.Create(path)) { }
            case IExpressionStatementOperation:
            case IUsingOperation:
                return true;

            // using var _ = File.CreateText(path);
            case IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator }:
                local = declarator.Symbol;
                break;

            // stream = new FileStream(path, ...);  (a probe: can it be opened?)
            case ISimpleAssignmentOperation { Target: ILocalReferenceOperation target }:
                local = target.Local;
                break;
            default:
                return false;
        }

        foreach (var operation in root.Descendants())
        {
            if (operation is ILocalReferenceOperation reference
                && SymbolEqualityComparer.Default.Equals(reference.Local, local)
                && !IsCloseOnlyUse(reference))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsCloseOnlyUse(ILocalReferenceOperation reference)
    {
        var parent = reference.Parent;
        while (parent is IConversionOperation)
        {
            parent = parent.Parent;
        }

        return parent switch
        {
            IInvocationOperation { TargetMethod.Name: "Dispose" or "Close" or "DisposeAsync" } => true,
            IConditionalAccessOperation => true,
            ISimpleAssignmentOperation assignment => ReferenceEquals(assignment.Target, reference),
            IBinaryOperation { RightOperand: { ConstantValue: { HasValue: true, Value: null } } } => true,
            IIsPatternOperation => true,
            _ => false,
        };
    }
}
