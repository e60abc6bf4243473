using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace CheckpointAudit.Knowledge;

/// <summary>
/// Where serialized output goes, as far as the method shows: into a file (a stream or writer opened on a
/// file; the text or bytes passed to File.WriteAll*/AppendAll*, CheckpointFile or a file writer's Write)
/// or into the database (a command parameter's value); not into a scratch file under the system temp
/// directory that is not moved into place. Text handed to one of the project's own methods
/// counts when that method writes the parameter to a file or the database (one level). Locals are followed
/// to their declared value (streams) or to their uses (text); fields and returned values are not.
/// </summary>
internal static class StoredOutput
{
    private const int MaxDepth = 6;

    public const string Database = "database";

    /// <summary>"file" or "database" when the stream or writer the serializer writes to is one; null otherwise.</summary>
    public static string? OfTarget(IOperation target, IOperation root, FileApiSymbols apis)
        => IsFileTarget(target, root, apis, 0) ? StoredInput.File : null;

    /// <summary>"file" or "database" when the text or bytes <paramref name="produced"/> returns end up there; null otherwise.</summary>
    public static string? OfResult(IOperation produced, IOperation root, FileApiSymbols apis, Deserializers? database, Compilation compilation)
        => OfValue(produced, root, apis, database, compilation, followHelpers: true);

    private static string? OfValue(IOperation produced, IOperation root, FileApiSymbols apis, Deserializers? database, Compilation compilation, bool followHelpers)
    {
        var value = produced;
        while (value.Parent is IConversionOperation or IParenthesizedOperation or IAwaitOperation)
        {
            value = value.Parent;
        }

        switch (value.Parent)
        {
            case IArgumentOperation argument:
                return OfArgument(argument, root, apis, database, compilation, followHelpers);
            case IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator }:
                return OfLocal(declarator.Symbol, root, apis, database, compilation, followHelpers);
            case ISimpleAssignmentOperation assignment when assignment.Value == value:
                if (assignment.Target is ILocalReferenceOperation local)
                {
                    return OfLocal(local.Local, root, apis, database, compilation, followHelpers);
                }

                return IsParameterValue(assignment.Target, database) ? Database : null;
            default:
                return null;
        }
    }

    private static string? OfLocal(ILocalSymbol local, IOperation root, FileApiSymbols apis, Deserializers? database, Compilation compilation, bool followHelpers)
    {
        foreach (var operation in root.Descendants())
        {
            if (operation is ILocalReferenceOperation reference && SymbolEqualityComparer.Default.Equals(reference.Local, local)
                && OfValue(reference, root, apis, database, compilation, followHelpers) is { } destination)
            {
                return destination;
            }
        }

        return null;
    }

    private static string? OfArgument(IArgumentOperation argument, IOperation root, FileApiSymbols apis, Deserializers? database, Compilation compilation, bool followHelpers)
    {
        if (argument.Parent is not IInvocationOperation call || argument.Parameter is null)
        {
            return null;
        }

        var method = call.TargetMethod;
        var type = method.ContainingType;
        if (apis.Is(type, apis.File))
        {
            // File.WriteAllText(path, contents): the contents, not the path; and not into a scratch file.
            return argument.Parameter.Ordinal > 0 && (method.Name.StartsWith("WriteAll", System.StringComparison.Ordinal) || method.Name.StartsWith("AppendAll", System.StringComparison.Ordinal))
                && !IsScratch(OperationTree.ArgumentFor(call.Arguments, 0), root, apis)
                ? StoredInput.File
                : null;
        }

        if (apis.CheckpointFile is not null && SymbolEqualityComparer.Default.Equals(type, apis.CheckpointFile))
        {
            return argument.Parameter.Ordinal > 0 ? StoredInput.File : null;
        }

        if (method.Name.StartsWith("Write", System.StringComparison.Ordinal) && call.Instance is { } writer && IsFileTarget(writer, root, apis, 0))
        {
            return StoredInput.File;
        }

        if (method.Name is "AddWithValue" || (method.Name is "Add" && type.Name.EndsWith("ParameterCollection", System.StringComparison.Ordinal) && argument.Parameter.Ordinal > 0))
        {
            return Database;
        }

        // The project's own helper, Write(path, json): what it does with that parameter (one level). A helper of a
        // referenced project cannot be bound in this compilation.
        if (followHelpers && method.DeclaringSyntaxReferences.Length == 1 && !method.IsAbstract
            && compilation.ContainsSyntaxTree(method.DeclaringSyntaxReferences[0].SyntaxTree)
            && method.DeclaringSyntaxReferences[0].GetSyntax() is { } declaration)
        {
#pragma warning disable RS1030 // Only for a serialization whose text is passed to a source method; the driver's model covers the current file only.
            var model = call.SemanticModel?.SyntaxTree == declaration.SyntaxTree ? call.SemanticModel : compilation.GetSemanticModel(declaration.SyntaxTree);
#pragma warning restore RS1030
            if (model?.GetOperation(declaration) is { } body)
            {
                foreach (var operation in body.Descendants())
                {
                    if (operation is IParameterReferenceOperation reference
                        && SymbolEqualityComparer.Default.Equals(reference.Parameter, argument.Parameter.OriginalDefinition)
                        && OfValue(reference, body, apis, database, compilation, followHelpers: false) is { } destination)
                    {
                        return destination;
                    }
                }
            }
        }

        return null;
    }

    /// <summary>
    /// A file under the system temp directory that this body does not move or replace over another path: a
    /// scratch buffer (an upload body, a retry copy), not stored state.
    /// </summary>
    private static bool IsScratch(IOperation? path, IOperation root, FileApiSymbols apis)
        => path is not null && SystemTempPath.Contains(path, root, apis) && !FilePromotion.IsPromotedIn(root, PathKey.From(path, apis), apis);

    /// <summary>parameter.Value = text, on a DbParameter / IDataParameter.</summary>
    private static bool IsParameterValue(IOperation target, Deserializers? database)
        => target is IPropertyReferenceOperation { Property.Name: "Value", Instance.Type: { } type }
            && (type.Name.EndsWith("Parameter", System.StringComparison.Ordinal)
                || (database is not null && TypeRelations.Implements(type, database.DataParameter)));

    /// <summary>A stream or writer opened on a file: FileStream, File.Create/Open*/CreateText/AppendText, StreamWriter(path), XmlWriter.Create(path), or a wrapper of one.</summary>
    private static bool IsFileTarget(IOperation? target, IOperation root, FileApiSymbols apis, int depth)
        => OpenedFile(target, root, apis, depth) is { IsFile: true } opened && !IsScratch(opened.Path, root, apis);

    /// <summary>
    /// The path (or FileInfo) a stream or writer the serializer writes to was opened on, followed through locals and
    /// wrappers; null when it is not provably a file's (a memory stream, a stream handed in).
    /// </summary>
    public static IOperation? WrittenPath(IOperation target, IOperation root, FileApiSymbols apis)
        => OpenedFile(target, root, apis, 0).Path;

    private static (bool IsFile, IOperation? Path) OpenedFile(IOperation? target, IOperation root, FileApiSymbols apis, int depth)
    {
        var visited = new HashSet<ILocalSymbol>(SymbolEqualityComparer.Default);
        for (var value = PathKey.Unwrap(target); value is not null && depth < MaxDepth; depth++)
        {
            switch (value)
            {
                case ILocalReferenceOperation local when visited.Add(local.Local):
                    value = PathKey.Unwrap(OperationTree.DeclaredValue(local.Local, root));
                    continue;
                case IObjectCreationOperation creation:
                    if (apis.Is(creation.Type, apis.FileStream))
                    {
                        return (true, OperationTree.ArgumentFor(creation.Arguments, 0));
                    }

                    // new StreamWriter(path), new XmlTextWriter(path, ...); new StreamWriter(stream), new JsonTextWriter(writer): the wrapped one.
                    if (creation.Arguments.Length == 0)
                    {
                        return default;
                    }

                    value = PathKey.Unwrap(creation.Arguments[0].Value);
                    if (value?.Type?.SpecialType == SpecialType.System_String)
                    {
                        return creation.Type?.Name is "StreamWriter" or "XmlTextWriter" or "BinaryWriter" ? (true, value) : default;
                    }

                    continue;
                case IInvocationOperation call:
                    var method = call.TargetMethod;
                    if (apis.Is(method.ContainingType, apis.File) && method.Name is "Create" or "CreateText" or "Open" or "OpenWrite" or "AppendText" or "OpenHandle")
                    {
                        return (true, OperationTree.ArgumentFor(call.Arguments, 0));
                    }

                    if (apis.Is(method.ContainingType, apis.FileInfo) && method.Name is "Create" or "CreateText" or "Open" or "OpenWrite" or "AppendText")
                    {
                        return (true, call.Instance);
                    }

                    if (apis.FileStreamFactory is not null && SymbolEqualityComparer.Default.Equals(method.ContainingType, apis.FileStreamFactory))
                    {
                        return (true, OperationTree.ArgumentFor(call.Arguments, 0));
                    }

                    if (method.Name == "Create" && method.ContainingType.Name is "XmlWriter" or "XmlDictionaryWriter" && call.Arguments.Length > 0)
                    {
                        value = PathKey.Unwrap(call.Arguments[0].Value);
                        if (value?.Type?.SpecialType == SpecialType.System_String)
                        {
                            return (true, value);
                        }

                        continue;
                    }

                    return default;
                default:
                    return default;
            }
        }

        return default;
    }
}
