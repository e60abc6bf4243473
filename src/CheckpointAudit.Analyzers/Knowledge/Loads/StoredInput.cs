using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace CheckpointAudit.Knowledge;

/// <summary>
/// Where the input of a parse comes from, as far as one method body shows: a file (File.ReadAll*,
/// File.Open*, FileStream, StreamReader(path), FileInfo.Open*, XmlReader.Create(path)) or the
/// database (a data reader's Get* or indexer, ExecuteScalar). Values derived from stored input
/// (decoded, decompressed, wrapped in a reader) are stored input too. Locals are followed to their
/// declared value and to the values assigned to them later; a private method's parameters to what its callers in the
/// same file pass; other parameters and fields are not followed: who filled them is unknown here. A call of the project's own
/// method that returns stored data (see <see cref="MethodSummaries.ReturnsStored"/>) is stored input too, and so is an
/// element of XML the type writes itself, read back by its name (see <see cref="SavedXmlNames"/>).
/// </summary>
internal static class StoredInput
{
    private const int MaxDepth = 6;

    public const string File = "file";
    public const string Database = "database value";

    /// <summary>An element or attribute of XML the type itself writes, read back by its name (see <see cref="SavedXmlNames"/>).</summary>
    public const string SavedElement = "saved XML element";

    /// <summary>"file", "database value", "saved XML element", or null when the input is not known to be stored.</summary>
    public static string? Source(IOperation input, IOperation root, FileApiSymbols apis, Deserializers database)
        => input.SemanticModel is { } model
            ? PerCompilation<SourceAnswers>.Get(model.Compilation, _ => new SourceAnswers())!.Answers
                .GetOrAdd((input.Syntax, root.Syntax, MethodFactFrames.Encode(MethodFactFrames.Budgets(MethodFactFrames.Current))), _ => Trace(input, root, apis, database, new HashSet<ISymbol>(SymbolEqualityComparer.Default), 0))
            : Trace(input, root, apis, database, new HashSet<ISymbol>(SymbolEqualityComparer.Default), 0);

    /// <summary>
    /// The answers for one compilation, by the input's syntax, the body it is traced in and the budgets left to the
    /// method facts it may ask (see <see cref="MethodFactCache{T}"/>): the corruption, schema and model rules ask about
    /// the same parse, and following a private parser's callers binds other methods.
    /// </summary>
    private sealed class SourceAnswers
    {
        public System.Collections.Concurrent.ConcurrentDictionary<(SyntaxNode Input, SyntaxNode Root, long Budgets), string?> Answers { get; } = new();
    }

    /// <summary>As <see cref="Source(IOperation, IOperation, FileApiSymbols, Deserializers)"/>, not following <paramref name="notFollowed"/> (a summarised method's own parameters).</summary>
    public static string? Source(IOperation input, IOperation root, FileApiSymbols apis, Deserializers database, IEnumerable<IParameterSymbol> notFollowed)
        => Trace(input, root, apis, database, new HashSet<ISymbol>(notFollowed, SymbolEqualityComparer.Default), 0);

    private static string? Trace(IOperation? value, IOperation root, FileApiSymbols apis, Deserializers database, HashSet<ISymbol> visited, int depth)
    {
        value = PathKey.Unwrap(value);
        while (value is IAwaitOperation await)
        {
            value = PathKey.Unwrap(await.Operation);
        }

        if (value is null || depth > MaxDepth)
        {
            return null;
        }

        switch (value)
        {
            case ILocalReferenceOperation local:
                return visited.Add(local.Local) ? TraceLocal(local.Local, root, apis, database, visited, depth + 1) : null;
            case IInvocationOperation invocation:
                if (ReadsFile(invocation.TargetMethod, apis) || OpensPath(invocation, apis))
                {
                    return File;
                }

                if (ReadsDatabase(invocation.TargetMethod, database))
                {
                    return Database;
                }

                // The project's own reader (Files.ReadText(path)): its summary says what it returns.
                if (MethodSummaries.IsProjectMethod(invocation.TargetMethod) && invocation.SemanticModel is not null
                    && MethodSummaries.Of(invocation.SemanticModel.Compilation)?.ReturnsStored(invocation.TargetMethod, System.Threading.CancellationToken.None) is { } returned)
                {
                    return returned;
                }

                if (SavedXmlNames.IsReadBack(invocation))
                {
                    return SavedElement;
                }

                return Derived(invocation.Instance, invocation.Arguments, root, apis, database, visited, depth);
            case IObjectCreationOperation creation:
                if (apis.Is(creation.Type, apis.FileStream) || OpensPath(creation, apis))
                {
                    return File;
                }

                return Derived(null, creation.Arguments, root, apis, database, visited, depth);
            case IParameterReferenceOperation parameter when visited.Add(parameter.Parameter):
                return FromPrivateCallers(parameter.Parameter, value, apis, database, visited, depth + 1);
            case IPropertyReferenceOperation { Property.IsIndexer: true } indexer when IsDataRecord(indexer.Property.ContainingType, database):
                return Database;
            case IPropertyReferenceOperation { Instance: { } instance }:
                // reader.BaseStream, document.RootElement: the same data seen through a member.
                return Trace(instance, root, apis, database, visited, depth + 1);
            default:
                return null;
        }
    }

    /// <summary>
    /// The path of the file a stored input was read from (File.ReadAll*(path), File.OpenRead(path), new FileStream(path),
    /// new StreamReader(path), a project reader given the path), through locals and wrappers; null when unknown.
    /// </summary>
    public static IOperation? PathOf(IOperation input, IOperation root, FileApiSymbols apis, int depth = 0)
    {
        var value = PathKey.Unwrap(input);
        while (value is IAwaitOperation await)
        {
            value = PathKey.Unwrap(await.Operation);
        }

        switch (value)
        {
            case null:
                return null;
            case var _ when depth > MaxDepth:
                return null;
            case ILocalReferenceOperation local:
                return OperationTree.StoredValue(local.Local, root) is { } stored ? PathOf(stored, root, apis, depth + 1) : null;
            case IInvocationOperation call when ReadsFile(call.TargetMethod, apis) || OpensPath(call, apis) || LoadsPathArgument(call):
                return apis.Is(call.TargetMethod.ContainingType, apis.FileInfo) ? call.Instance : OperationTree.ArgumentFor(call.Arguments, 0);
            case IInvocationOperation call when MethodSummaries.IsProjectMethod(call.TargetMethod) && call.SemanticModel is not null
                && MethodSummaries.Of(call.SemanticModel.Compilation) is { } summaries
                && call.Arguments.FirstOrDefault(a => (summaries.UseOf(call, a, default) & PathUse.Reads) != 0) is { } read:
                return read.Value;
            case IInvocationOperation call:
                return (call.Instance is null ? null : PathOf(call.Instance, root, apis, depth + 1))
                    ?? call.Arguments.Select(a => PathOf(a.Value, root, apis, depth + 1)).FirstOrDefault(p => p is not null);
            case IObjectCreationOperation creation when apis.Is(creation.Type, apis.FileStream) || OpensPath(creation, apis):
                return OperationTree.ArgumentFor(creation.Arguments, 0);
            case IObjectCreationOperation creation:
                return creation.Arguments.Select(a => PathOf(a.Value, root, apis, depth + 1)).FirstOrDefault(p => p is not null);
            case IPropertyReferenceOperation { Instance: { } instance }:
                return PathOf(instance, root, apis, depth + 1);
            default:
                return null;
        }
    }

    /// <summary>
    /// A parameter of a private method is what its callers pass: stored input when a call in the same file passes
    /// stored input (<c>Deserialize(File.ReadAllText(path))</c> calling <c>private void Deserialize(string text)</c>).
    /// </summary>
    private static string? FromPrivateCallers(IParameterSymbol parameter, IOperation use, FileApiSymbols apis, Deserializers database, HashSet<ISymbol> visited, int depth)
    {
        if (use.SemanticModel is not { } model || depth > MaxDepth)
        {
            return null;
        }

        foreach (var (passed, root) in PrivateCallers.ArgumentsFor(parameter, model))
        {
            if (Trace(passed, root, apis, database, visited, depth) is { } source)
            {
                return source;
            }
        }

        return null;
    }

    /// <summary>
    /// A local's declared value, or any value assigned to it later (<c>string text = ""; try { text = File.ReadAllText(p); }</c>).
    /// </summary>
    private static string? TraceLocal(ILocalSymbol local, IOperation root, FileApiSymbols apis, Deserializers database, HashSet<ISymbol> visited, int depth)
    {
        if (Trace(OperationTree.DeclaredValue(local, root), root, apis, database, visited, depth) is { } declared)
        {
            return declared;
        }

        foreach (var assignment in OperationTree.AssignmentsTo(local, root))
        {
            if (Trace(assignment.Value, root, apis, database, visited, depth) is { } assigned)
            {
                return assigned;
            }
        }

        return null;
    }

    private static string? Derived(IOperation? instance, System.Collections.Immutable.ImmutableArray<IArgumentOperation> arguments, IOperation root, FileApiSymbols apis, Deserializers database, HashSet<ISymbol> visited, int depth)
    {
        if (instance is not null && Trace(instance, root, apis, database, visited, depth + 1) is { } fromInstance)
        {
            return fromInstance;
        }

        foreach (var argument in arguments)
        {
            if (Trace(argument.Value, root, apis, database, visited, depth + 1) is { } fromArgument)
            {
                return fromArgument;
            }
        }

        return null;
    }

    /// <summary>XDocument.Load(uri), XElement.Load(uri), XmlDocument.Load(filename): a parse that reads the file itself.</summary>
    public static bool LoadsPathArgument(IInvocationOperation invocation)
        => invocation.TargetMethod.Name is "Load" or "LoadAsync"
            && invocation.Arguments.Length > 0
            && invocation.Arguments[0].Parameter is { Type.SpecialType: SpecialType.System_String, Name: "uri" or "filename" };

    public static bool ReadsFile(IMethodSymbol method, FileApiSymbols apis)
    {
        if (apis.Is(method.ContainingType, apis.File))
        {
            return method.Name.StartsWith("ReadAll", System.StringComparison.Ordinal)
                || method.Name is "ReadLines" or "ReadLinesAsync" or "OpenRead" or "OpenText" or "Open" or "OpenHandle";
        }

        return apis.Is(method.ContainingType, apis.FileInfo) && method.Name is "OpenRead" or "OpenText" or "Open";
    }

    /// <summary>new StreamReader(path), XmlReader.Create(path), XmlTextReader(path): a string argument that names a file.</summary>
    public static bool OpensPath(IOperation creationOrCall, FileApiSymbols apis)
    {
        var (parameters, arguments) = creationOrCall switch
        {
            IObjectCreationOperation c when c.Constructor is not null => (c.Constructor.Parameters, c.Arguments),
            IInvocationOperation { TargetMethod.Name: "Create" } i when i.TargetMethod.ContainingType.Name == "XmlReader" => (i.TargetMethod.Parameters, i.Arguments),
            _ => (default, default),
        };
        if (parameters.IsDefaultOrEmpty || arguments.IsDefaultOrEmpty)
        {
            return false;
        }

        var first = parameters[0];
        return first.Type.SpecialType == SpecialType.System_String && first.Name is "path" or "inputUri" or "url" or "fileName"
            && creationOrCall.Type?.Name is "StreamReader" or "XmlReader" or "XmlTextReader";
    }

    private static bool ReadsDatabase(IMethodSymbol method, Deserializers database)
    {
        var type = method.ContainingType;
        if (method.Name is "ExecuteScalar" or "ExecuteScalarAsync")
        {
            return TypeRelations.InheritsFrom(type, database.DbCommand) || TypeRelations.Implements(type, database.DataCommand);
        }

        return method.Name.StartsWith("Get", System.StringComparison.Ordinal) && IsDataRecord(type, database);
    }

    private static bool IsDataRecord(ITypeSymbol? type, Deserializers database)
        => TypeRelations.InheritsFrom(type, database.DbDataReader) || TypeRelations.Implements(type, database.DataRecord);
}
