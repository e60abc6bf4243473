using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace CheckpointAudit.Knowledge;

/// <summary>How the file that a body moves into place was written, as far as that body shows.</summary>
internal enum TempWriteState
{
    /// <summary>No write of that file in the body: nothing is known.</summary>
    Unknown,

    /// <summary>Written with an fsync (Flush(true), FileOptions.WriteThrough) before the move.</summary>
    Durable,

    /// <summary>Written without ever reaching the disk (WriteAll*, XML Save, a stream never flushed to disk).</summary>
    NotDurable,
}

internal static class TempFileDurability
{
    private const int FileOptionsWriteThrough = unchecked((int)0x80000000);

    /// <summary>
    /// Looks for writes of <paramref name="temp"/> in <paramref name="root"/> before <paramref name="promotion"/>, on a
    /// path that can go on to it (a write in the other branch of an if/else does not describe what this promotion moves).
    /// A body that flushes any FileStream to disk (Flush(true)) is taken as durable: the rule
    /// prefers silence to guessing which stream a flush belongs to.
    /// </summary>
    public static TempWriteState Of(PathKey temp, IOperation root, IOperation promotion, FileApiSymbols apis, out FileOverwrite write)
    {
        write = default;
        if (temp.IsEmpty)
        {
            return TempWriteState.Unknown;
        }

        var found = false;
        var flushedToDisk = false;
        foreach (var operation in root.Descendants())
        {
            if (IsFlushToDisk(operation, apis))
            {
                flushedToDisk = true;
                continue;
            }

            if (operation.Syntax.SpanStart < promotion.Syntax.SpanStart && IsHelperWrite(operation, temp, apis) && ExecutionOrder.CanRunAfter(operation, promotion))
            {
                // CheckpointFile.WriteAll*(temp): written and flushed to disk.
                write = FileOverwrite.HelperWrite((IInvocationOperation)operation, OperationTree.ArgumentFor(((IInvocationOperation)operation).Arguments, 0)!);
                return TempWriteState.Durable;
            }

            if (operation.Syntax.SpanStart < promotion.Syntax.SpanStart && ProjectMethodWrite(operation, temp, apis) is { } written && ExecutionOrder.CanRunAfter(operation, promotion))
            {
                // The project's own helper writes it (Files.SaveJson(value, temp)): durable when its body flushes to disk.
                write = written.Write;
                if (written.Durable)
                {
                    return TempWriteState.Durable;
                }

                found = true;
                continue;
            }

            if (operation.Syntax.SpanStart >= promotion.Syntax.SpanStart
                || !FileOverwrite.TryMatch(operation, apis, out var candidate, anyNewContent: true)
                || candidate.Kind == FileOverwriteKind.Copy
                || !PathKey.From(candidate.Target, apis).Equals(temp)
                || !ExecutionOrder.CanRunAfter(operation, promotion))
            {
                continue;
            }

            if (candidate.Kind == FileOverwriteKind.Stream && HasWriteThrough(candidate.Operation))
            {
                write = candidate;
                return TempWriteState.Durable;
            }

            found = true;
            write = candidate;
        }

        if (!found)
        {
            return TempWriteState.Unknown;
        }

        return write.Kind == FileOverwriteKind.Stream && flushedToDisk ? TempWriteState.Durable : TempWriteState.NotDurable;
    }

    /// <summary>A call of a project method whose summary writes the file its argument names.</summary>
    private static (FileOverwrite Write, bool Durable)? ProjectMethodWrite(IOperation operation, PathKey temp, FileApiSymbols apis)
    {
        if (operation is not IInvocationOperation call || !MethodSummaries.IsProjectMethod(call.TargetMethod) || call.SemanticModel is null
            || MethodSummaries.Of(call.SemanticModel.Compilation) is not { } summaries)
        {
            return null;
        }

        foreach (var argument in call.Arguments)
        {
            if (PathKey.From(argument.Value, apis).Equals(temp)
                && (summaries.UseOf(call, argument, System.Threading.CancellationToken.None) & PathUse.Writes) != 0)
            {
                return (FileOverwrite.ProjectMethodWrite(call, argument.Value), summaries.FlushesToDisk(call.TargetMethod, System.Threading.CancellationToken.None));
            }
        }

        return null;
    }

    private static bool IsHelperWrite(IOperation operation, PathKey temp, FileApiSymbols apis)
        => operation is IInvocationOperation call
            && apis.Is(call.TargetMethod.ContainingType, apis.CheckpointFile)
            && call.TargetMethod.Name.StartsWith("WriteAll", System.StringComparison.Ordinal)
            && PathKey.From(OperationTree.ArgumentFor(call.Arguments, 0), apis).Equals(temp);

    /// <summary>FileStream.Flush(true) / Flush(flushToDisk: true), or RandomAccess.FlushToDisk.</summary>
    public static bool IsFlushToDisk(IOperation operation, FileApiSymbols apis)
    {
        if (operation is not IInvocationOperation invocation)
        {
            return false;
        }

        var method = invocation.TargetMethod;
        if (method.Name == "Flush" && method.Parameters.Length == 1 && method.Parameters[0].Type.SpecialType == SpecialType.System_Boolean)
        {
            return PathKey.Unwrap(invocation.Arguments[0].Value) is { ConstantValue: { HasValue: true, Value: true } };
        }

        return method.Name == "FlushToDisk" && method.ContainingType.Name == "RandomAccess";
    }

    /// <summary>A FileOptions argument, or FileStreamOptions.Options, that includes WriteThrough.</summary>
    public static bool HasWriteThrough(IOperation creation)
    {
        var arguments = creation switch
        {
            IObjectCreationOperation c => c.Arguments,
            IInvocationOperation i => i.Arguments,
            _ => default,
        };
        if (arguments.IsDefault)
        {
            return false;
        }

        foreach (var argument in arguments)
        {
            var value = PathKey.Unwrap(argument.Value);
            if (argument.Parameter?.Type.Name == "FileOptions" && IsWriteThrough(value))
            {
                return true;
            }

            if (value is IObjectCreationOperation { Initializer: { } initializer } && value.Type?.Name == "FileStreamOptions")
            {
                foreach (var init in initializer.Initializers)
                {
                    if (init is ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property.Name: "Options" } } assignment
                        && IsWriteThrough(PathKey.Unwrap(assignment.Value)))
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }

    private static bool IsWriteThrough(IOperation? value)
        => value is { ConstantValue: { HasValue: true, Value: int flags } } && (flags & FileOptionsWriteThrough) != 0;
}
