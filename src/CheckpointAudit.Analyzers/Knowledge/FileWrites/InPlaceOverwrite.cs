using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace CheckpointAudit.Knowledge;

/// <summary>
/// A <see cref="FileOverwrite"/> that puts an existing file at risk: not the temp half of a temp-then-move, not a
/// replacement copy of a temp (CKPT204's), not a fresh or scratch path, not an empty marker file, not a stream handed
/// to the caller. What the risked file holds decides which rule reports it (CKPT201 for state, CKPT209 for output).
/// </summary>
internal static class InPlaceOverwrite
{
    public static bool Risks(FileOverwrite overwrite, FileApiSymbols apis)
    {
        var operation = overwrite.Operation;
        var root = OperationTree.Root(operation);

        // The temp half of "write temp, then move it over the target" (here or in a helper in this file).
        if (overwrite.Kind != FileOverwriteKind.Copy && FilePromotion.IsPromotedIn(root, PathKey.From(overwrite.Target, apis), apis, write: operation))
        {
            return false;
        }

        // Copy(temp, target, true) of a temp written here is a replacement: CKPT204 reports it.
        if (overwrite.Kind == FileOverwriteKind.Copy
            && operation is IInvocationOperation { TargetMethod.ContainingType.Name: "File" } copy
            && TempFileDurability.Of(PathKey.From(OperationTree.ArgumentFor(copy.Arguments, 0), apis), root, copy, apis, out _) != TempWriteState.Unknown)
        {
            return false;
        }

        // File.Copy(path, path + ".bak", true): a backup beside the file it copies. A torn copy leaves the original whole.
        if (overwrite.Kind == FileOverwriteKind.Copy && operation is IInvocationOperation { TargetMethod.ContainingType.Name: "File" } backup
            && IsBuiltFrom(overwrite.Target, PathKey.From(OperationTree.ArgumentFor(backup.Arguments, 0), apis), root, apis))
        {
            return false;
        }

        // Nothing durable to lose: a fresh or scratch path, a path a loop made free, a file deleted again when the method
        // ends, or a write with no content.
        if (PathOrigin.IsFreshOrScratch(overwrite.Target, root, apis) || WrittenData.FreeWhenWritten(operation, overwrite.Target, root, apis)
            || DeletedInFinally(overwrite, apis) || InEmptiedFolder(overwrite, root) || EmptyFileWrite.Is(overwrite, root))
        {
            return false;
        }

        // A stream returned or kept in a field: the risk is decided where it is used.
        return !StreamHandOff.Is(overwrite, root);
    }

    /// <summary>
    /// The write is inside a <c>try</c> whose <c>finally</c> deletes the same file, or just before such a <c>try</c> or a
    /// <c>File.Delete</c> of the file in the same block: a work file that never outlives the method.
    /// </summary>
    private static bool DeletedInFinally(FileOverwrite overwrite, FileApiSymbols apis)
    {
        var key = PathKey.From(overwrite.Target, apis);
        if (key.IsEmpty)
        {
            return false;
        }

        for (IOperation? child = overwrite.Operation, parent = child.Parent; parent is not null; child = parent, parent = parent.Parent)
        {
            if (parent is ITryOperation { Finally: { } cleanup } attempt && child == attempt.Body && Deletes(cleanup, key, apis))
            {
                return true;
            }

            // Written just before the try that uses it: "write the list; try { run the tool } finally { delete the list }",
            // or deleted by a later statement of the same block: "copy to a work file; copy that on; delete it".
            if (parent is IBlockOperation block)
            {
                var after = false;
                foreach (var statement in block.Operations)
                {
                    if (after && (statement is ITryOperation { Finally: { } later } && Deletes(later, key, apis)
                        || statement is IExpressionStatementOperation && Deletes(statement, key, apis)))
                    {
                        return true;
                    }

                    after |= statement == child;
                }
            }

            if (parent is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                break;
            }
        }

        return false;
    }

    /// <summary>
    /// The file is in a folder (<c>Path.Combine(dir, "Theme.xml")</c>) that an earlier statement of an enclosing block
    /// deleted with everything in it (<c>Directory.Delete(dir, true);</c>, alone or under <c>if (Directory.Exists(dir))</c>),
    /// outside any loop and with no new value for <c>dir</c> in between: the write makes a new file, and nothing that was
    /// there is kept anyway.
    /// </summary>
    private static bool InEmptiedFolder(FileOverwrite overwrite, IOperation root)
    {
        var value = PathKey.Unwrap(overwrite.Target);
        if (value is ILocalReferenceOperation local)
        {
            value = PathKey.Unwrap(OperationTree.DeclaredValue(local.Local, root));
        }

        if (value is not IInvocationOperation { TargetMethod.Name: "Combine" or "Join", Arguments.Length: > 1 } combine
            || !SymbolNames.IsType(combine.TargetMethod.ContainingType, "System.IO.Path")
            || PathKey.Unwrap(combine.Arguments[0].Value) is not ILocalReferenceOperation { Local: var folder })
        {
            return false;
        }

        foreach (var statement in OperationTree.EarlierStatements(overwrite.Operation))
        {
            if (EmptiesFolder(statement, folder))
            {
                return true;
            }

            if (statement.DescendantsAndSelf().Any(o => o is IAssignmentOperation { Target: ILocalReferenceOperation assigned } && SymbolEqualityComparer.Default.Equals(assigned.Local, folder)))
            {
                return false;
            }
        }

        return false;
    }

    /// <summary><c>Directory.Delete(dir, true);</c>, alone or as <c>if (Directory.Exists(dir)) Directory.Delete(dir, true);</c>.</summary>
    private static bool EmptiesFolder(IOperation statement, ILocalSymbol folder)
    {
        if (statement is IConditionalOperation { WhenFalse: null, Condition: IInvocationOperation { TargetMethod.Name: "Exists", Arguments.Length: 1 } exists, WhenTrue: var then }
            && SymbolNames.IsType(exists.TargetMethod.ContainingType, "System.IO.Directory") && IsFolder(exists.Arguments[0].Value, folder))
        {
            statement = then is IBlockOperation { Operations.Length: 1 } single ? single.Operations[0] : then;
        }

        return statement is IExpressionStatementOperation { Operation: IInvocationOperation { TargetMethod.Name: "Delete", Arguments.Length: 2 } delete }
            && SymbolNames.IsType(delete.TargetMethod.ContainingType, "System.IO.Directory")
            && PathKey.Unwrap(delete.Arguments[1].Value) is { ConstantValue: { HasValue: true, Value: true } }
            && IsFolder(delete.Arguments[0].Value, folder);
    }

    private static bool IsFolder(IOperation value, ILocalSymbol folder)
        => PathKey.Unwrap(value) is ILocalReferenceOperation reference && SymbolEqualityComparer.Default.Equals(reference.Local, folder);

    /// <summary>
    /// The path is the source's name with something added or changed, beside it: <c>path + ".bak"</c>,
    /// <c>$"{path}.bak"</c>, <c>Path.ChangeExtension(path, …)</c>, directly or through a local. A copy into another
    /// folder (<c>Path.Combine(target, Path.GetFileName(path))</c>) is not a backup of the file.
    /// </summary>
    private static bool IsBuiltFrom(IOperation path, PathKey source, IOperation root, FileApiSymbols apis)
    {
        var value = PathKey.Unwrap(path);
        if (value is ILocalReferenceOperation local)
        {
            value = PathKey.Unwrap(OperationTree.DeclaredValue(local.Local, root));
        }

        var stem = value switch
        {
            IBinaryOperation { OperatorKind: BinaryOperatorKind.Add } concatenation => Leftmost(concatenation),
            IInterpolatedStringOperation { Parts.Length: > 1 } interpolated when interpolated.Parts[0] is IInterpolationOperation first => first.Expression,
            IInvocationOperation { TargetMethod.Name: "ChangeExtension", Arguments.Length: 2 } change when SymbolNames.IsType(change.TargetMethod.ContainingType, "System.IO.Path") => change.Arguments[0].Value,
            _ => null,
        };
        return !source.IsEmpty && stem is not null && PathKey.From(stem, apis).Equals(source);
    }

    private static IOperation Leftmost(IBinaryOperation concatenation)
        => PathKey.Unwrap(concatenation.LeftOperand) is IBinaryOperation { OperatorKind: BinaryOperatorKind.Add } inner ? Leftmost(inner) : concatenation.LeftOperand;

    private static bool Deletes(IOperation cleanup, PathKey key, FileApiSymbols apis)
    {
        foreach (var operation in cleanup.Descendants())
        {
            if (operation is IInvocationOperation { TargetMethod.Name: "Delete" } delete
                && apis.Is(delete.TargetMethod.ContainingType, apis.File)
                && PathKey.From(OperationTree.ArgumentFor(delete.Arguments, 0), apis).Equals(key))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// A call of an abstract, interface or virtual project method (a template method's <c>WriteSettings(path)</c>, the
    /// project's own <c>IFileSystem.WriteAllText</c>) whose every implementation truncates and rewrites the file named by
    /// an argument: no one body can be fixed, so the call that names the file is where the overwrite is judged. A
    /// concrete helper is judged in its own body.
    /// </summary>
    public static bool TryMatchOverridable(IOperation operation, out FileOverwrite overwrite)
    {
        overwrite = default;
        if (operation is not IInvocationOperation { TargetMethod: { } target } call
            || !(target.IsAbstract || target.IsVirtual || target.IsOverride || target.ContainingType.TypeKind == TypeKind.Interface)
            || !MethodSummaries.IsProjectMethod(target) || call.SemanticModel is null
            || !NamesAWrite(target.Name) || !target.Parameters.Any(NamesAFile))
        {
            return false; // the cheap tests first: this runs for every invocation, and most interface calls write no file
        }

        if (MethodSummaries.Of(call.SemanticModel.Compilation) is not { } summaries)
        {
            return false;
        }

        var summary = summaries.For(target, default);
        foreach (var argument in call.Arguments)
        {
            if ((summary.Use(argument.Parameter?.OriginalDefinition) & (PathUse.Overwrites | PathUse.MovesOnto)) == PathUse.Overwrites)
            {
                overwrite = FileOverwrite.ProjectMethodWrite(call, argument.Value);
                return true;
            }
        }

        return false;
    }

    /// <summary>A method name that says it writes (WriteSettings, Save, SerializeToFile, Put, CreateShortcut…).</summary>
    private static bool NamesAWrite(string name)
        => NameWords.First(name, WriteWords) is not null;

    private static readonly System.Collections.Generic.HashSet<string> WriteWords = NameWords.Set(
        "write", "save", "serialize", "store", "persist", "put", "copy", "create", "export", "dump", "flush");

    /// <summary>A FileInfo, or a string parameter whose name says it is a file or a path (fileName, settingsPath, file).</summary>
    private static bool NamesAFile(IParameterSymbol parameter)
        => parameter.Type.Name == "FileInfo"
            || parameter.Type.SpecialType == SpecialType.System_String
                && (parameter.Name.IndexOf("path", System.StringComparison.OrdinalIgnoreCase) >= 0 || parameter.Name.IndexOf("file", System.StringComparison.OrdinalIgnoreCase) >= 0);

    /// <summary>What the overwritten file holds (<see cref="WrittenData"/>), with the written text or bytes for WriteAll*.</summary>
    public static WrittenDataClass Holds(FileOverwrite overwrite, FileApiSymbols apis)
    {
        var content = overwrite.Kind == FileOverwriteKind.WriteAll && overwrite.Operation is IInvocationOperation call
            ? OperationTree.ArgumentFor(call.Arguments, 1)
            : null;
        return WrittenData.Classify(overwrite.Operation, overwrite.Target, content, OperationTree.Root(overwrite.Operation), apis);
    }
}
