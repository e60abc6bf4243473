using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace CheckpointAudit.Knowledge;

/// <summary>
/// What ties stored records to the files the program keeps for them. A record owns files when the program creates a
/// file or directory at a path built from the record's own values: from a member of an EF Core entity
/// (<c>Path.Combine(root, photo.Id.ToString())</c>, <c>photo.ThumbnailPath</c>), or, for SQL, from a value that the
/// same body also binds into an <c>INSERT</c> of the table (<c>database.AddDocument(id, name); store.Save(id, …)</c>).
/// Paths the program only reads (the user's own media a library points to) do not make a record own them. The
/// project's own methods are seen through: what their results are built from, which of their parameters reach a path
/// they create, which they bind into an INSERT, and whether they delete files (as deep as calls go, each method once).
/// </summary>
internal sealed class RecordFiles
{
    private readonly Compilation _compilation;
    private readonly FileApiSymbols _apis;
    private readonly SqliteSymbols? _sqlite;
    private readonly INamedTypeSymbol? _dbParameter;
    private readonly CompleteFacts<ImmutableArray<int>> _returnsBuiltFrom = new(ImmutableArray<int>.Empty);
    private readonly CompleteFacts<ImmutableArray<int>> _createsPathFrom = new(ImmutableArray<int>.Empty);
    private readonly CompleteFacts<ImmutableArray<(string Table, int Ordinal)>> _bindsInsert = new(ImmutableArray<(string, int)>.Empty);
    private readonly CompleteFacts<bool?> _deletesFiles = new(null);
    private readonly CompleteFacts<ImmutableArray<ISymbol>> _returnedRoots = new(ImmutableArray<ISymbol>.Empty);

    private RecordFiles(Compilation compilation, FileApiSymbols apis)
    {
        _compilation = compilation;
        _apis = apis;
        _sqlite = SqliteSymbols.For(compilation);
        _dbParameter = KnownTypes.Get(compilation, "System.Data.Common.DbParameter");
    }

    public static RecordFiles? Of(Compilation compilation)
        => PerCompilation<RecordFiles>.Get(compilation, c => FileApiSymbols.Create(c) is { } apis ? new RecordFiles(c, apis) : null);

    public FileApiSymbols Apis => _apis;

    public SqliteSymbols? Sqlite => _sqlite;

    /// <summary>The sources of a value in <paramref name="root"/>, and the types whose members it reads.</summary>
    public List<ValueSource> SourcesOf(IOperation? value, IOperation root, CancellationToken cancellationToken, HashSet<ITypeSymbol>? memberOwners = null)
    {
        var sources = new List<ValueSource>();
        ValueSources.Collect(
            value,
            root,
            call => ArgumentsAt(call, ReturnsBuiltFrom(call.TargetMethod, cancellationToken)),
            sources,
            memberOwners,
            call => ReturnedRoots(call.TargetMethod, cancellationToken));
        return sources;
    }

    /// <summary>
    /// Where a method's result is kept under, when it is built from the fields, properties or constructor parameters of
    /// its type (<c>DocumentDirectory(id) =&gt; Path.Combine(dataDirectory, id)</c>: <c>dataDirectory</c>).
    /// </summary>
    private ImmutableArray<ISymbol> ReturnedRoots(IMethodSymbol method, CancellationToken cancellationToken)
    {
        method = method.OriginalDefinition;
        if (method.ReturnsVoid)
        {
            return ImmutableArray<ISymbol>.Empty;
        }

        return _returnedRoots.Get(method, m =>
        {
            var roots = new List<ISymbol>();
            foreach (var (_, body) in SourceBodies.Of(m, _compilation, cancellationToken))
            {
                foreach (var returned in body.Descendants().OfType<IReturnOperation>())
                {
                    roots.AddRange(SourcesOf(returned.ReturnedValue, body, cancellationToken).Where(IsKept).Select(s => s.Root));
                }
            }

            return roots.Distinct(SymbolEqualityComparer.Default).ToImmutableArray();
        });
    }

    /// <summary>A field or property of this object or type, or a constructor's parameter the type keeps: where a program keeps its data.</summary>
    public static bool IsKept(ValueSource source)
        => source.Member is null
            && (source.Root is IFieldSymbol or IPropertySymbol
                || source.Root is IParameterSymbol { ContainingSymbol: IMethodSymbol { MethodKind: MethodKind.Constructor } });

    /// <summary>
    /// The path a file-system call creates or writes new content at: a write (File.WriteAll*, a stream opened to
    /// write, XDocument.Save…), Directory.CreateDirectory, the destination of a move or copy that promotes a temp
    /// written in the same body. Null for anything else.
    /// </summary>
    public IOperation? CreatedPath(IOperation operation)
    {
        if (FileOverwrite.TryMatch(operation, _apis, out var write, anyNewContent: true) && write.Kind != FileOverwriteKind.ProjectMethod)
        {
            return write.Target;
        }

        if (operation is not IInvocationOperation call)
        {
            return null;
        }

        if (call.TargetMethod.Name == "CreateDirectory" && _apis.Is(call.TargetMethod.ContainingType, _apis.Directory))
        {
            return OperationTree.ArgumentFor(call.Arguments, 0);
        }

        // A move or copy creates the program's data only when it promotes a temp written in the same body; moving a
        // user's file into place (a file organiser, an import) relocates data the program does not own.
        return FilePromotion.TryMatchMoveOrReplace(call, _apis, out var source, out var destination) && WrittenIn(OperationTree.Root(call), PathKey.From(source, _apis))
            ? destination
            : null;
    }

    /// <summary>Whether the body writes new content to the file <paramref name="path"/> names.</summary>
    public bool WrittenIn(IOperation root, PathKey path)
        => !path.IsEmpty && root.Descendants().Any(o => FileOverwrite.TryMatch(o, _apis, out var write, anyNewContent: true) && PathKey.From(write.Target, _apis).Equals(path));

    /// <summary>The arguments of a project call that reach a path the called method creates.</summary>
    public IEnumerable<IOperation> PathArgumentsCreated(IInvocationOperation call, CancellationToken cancellationToken)
        => MethodSummaries.IsProjectMethod(call.TargetMethod) ? ArgumentsAt(call, CreatesPathFrom(call.TargetMethod, cancellationToken)) : [];

    /// <summary>Whether the call deletes a file or a directory: File/Directory.Delete, FileInfo/DirectoryInfo.Delete, or a project method that does.</summary>
    public bool DeletesFiles(IInvocationOperation call, CancellationToken cancellationToken)
    {
        var method = call.TargetMethod;
        if (method.Name == "Delete"
            && (_apis.Is(method.ContainingType, _apis.File) || _apis.Is(method.ContainingType, _apis.Directory)
                || TypeRelations.InheritsFrom(method.ContainingType, _apis.FileSystemInfo)))
        {
            return true;
        }

        return MethodSummaries.IsProjectMethod(method) && DeletesFiles(method, cancellationToken);
    }

    /// <summary>
    /// The variable a value is, itself rather than something built from it: <c>id</c>, <c>photo.Id</c>,
    /// <c>id.ToString()</c>. An INSERT of <c>id + "-note"</c> stores another value than a path built from <c>id</c>.
    /// </summary>
    public static ValueSource? Itself(IOperation? value)
    {
        value = PathKey.Unwrap(value);
        if (value is IInvocationOperation { TargetMethod.Name: "ToString", Arguments.IsEmpty: true } toString)
        {
            value = PathKey.Unwrap(toString.Instance);
        }

        switch (value)
        {
            case IParameterReferenceOperation parameter:
                return new ValueSource(parameter.Parameter.OriginalDefinition, null);
            case ILocalReferenceOperation local:
                return new ValueSource(local.Local, null);
            case IMemberReferenceOperation { Member: IPropertySymbol or IFieldSymbol } member:
                return PathKey.Unwrap(member.Instance) switch
                {
                    null or IInstanceReferenceOperation => new ValueSource(member.Member.OriginalDefinition, null),
                    ILocalReferenceOperation local => new ValueSource(local.Local, member.Member.OriginalDefinition),
                    IParameterReferenceOperation parameter => new ValueSource(parameter.Parameter.OriginalDefinition, member.Member.OriginalDefinition),
                    _ => null,
                };
            default:
                return null;
        }
    }

    /// <summary>The values a body binds into an INSERT, with the table: its own command parameters when its text inserts, and arguments of project methods that do.</summary>
    public IEnumerable<(string Table, IOperation Value)> InsertedValues(IOperation root, CancellationToken cancellationToken)
    {
        var tables = InsertedTables(root);
        foreach (var operation in root.Descendants())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (tables.Length > 0)
            {
                foreach (var bound in BoundValues(operation))
                {
                    foreach (var table in tables)
                    {
                        yield return (table, bound);
                    }
                }
            }

            if (operation is IInvocationOperation call && MethodSummaries.IsProjectMethod(call.TargetMethod))
            {
                foreach (var (table, ordinal) in BindsInsert(call.TargetMethod, cancellationToken))
                {
                    if (ArgumentAt(call, ordinal) is { } argument)
                    {
                        yield return (table, argument);
                    }
                }
            }
        }
    }

    /// <summary>The tables the constant SQL of a body inserts into.</summary>
    public ImmutableArray<string> InsertedTables(IOperation root)
        => _sqlite is null
            ? ImmutableArray<string>.Empty
            : SqliteCommandTexts.In(root, _sqlite)
                .Where(t => t.MayWrite)
                .SelectMany(t => t.Statements)
                .Where(s => s.Verb == SqlVerb.Insert)
                .Select(s => s.Table)
                .Distinct(System.StringComparer.OrdinalIgnoreCase)
                .ToImmutableArray();

    private ImmutableArray<int> ReturnsBuiltFrom(IMethodSymbol method, CancellationToken cancellationToken)
    {
        method = method.OriginalDefinition;
        if (method.Parameters.IsEmpty || method.ReturnsVoid)
        {
            return ImmutableArray<int>.Empty;
        }

        return _returnsBuiltFrom.Get(method, m => OrdinalsReached(m, cancellationToken, (body, sources) =>
        {
            foreach (var returned in body.Descendants().OfType<IReturnOperation>())
            {
                sources.AddRange(SourcesOf(returned.ReturnedValue, body, cancellationToken));
            }
        }));
    }

    /// <summary>
    /// The methods that can create files at all: those that do, and those that call them, as the rule that asks knows
    /// from the compilation's calls. Without it every method below a call would be read to find out.
    /// </summary>
    public void LimitCreatorsTo(HashSet<IMethodSymbol> mayCreate) => _mayCreate = mayCreate;

    private HashSet<IMethodSymbol>? _mayCreate;

    private ImmutableArray<int> CreatesPathFrom(IMethodSymbol method, CancellationToken cancellationToken)
    {
        method = method.OriginalDefinition;
        if (method.Parameters.IsEmpty || _mayCreate is { } mayCreate && !mayCreate.Contains(method))
        {
            return ImmutableArray<int>.Empty;
        }

        return _createsPathFrom.Get(method, m => OrdinalsReached(m, cancellationToken, (body, sources) =>
        {
            foreach (var operation in body.Descendants())
            {
                if (CreatedPath(operation) is { } path)
                {
                    sources.AddRange(SourcesOf(path, body, cancellationToken));
                }
                else if (operation is IInvocationOperation call)
                {
                    foreach (var argument in PathArgumentsCreated(call, cancellationToken))
                    {
                        sources.AddRange(SourcesOf(argument, body, cancellationToken));
                    }
                }
            }
        }));
    }

    /// <summary>The methods whose own SQL inserts, as the rule that asks knows them: only their calls are read for the values they bind.</summary>
    public void LimitInsertersTo(HashSet<IMethodSymbol> inserters) => _inserters = inserters;

    private HashSet<IMethodSymbol>? _inserters;

    private ImmutableArray<(string Table, int Ordinal)> BindsInsert(IMethodSymbol method, CancellationToken cancellationToken)
    {
        method = method.OriginalDefinition;
        if (method.Parameters.IsEmpty || _sqlite is null || _inserters is { } inserters && !inserters.Contains(method))
        {
            return ImmutableArray<(string, int)>.Empty;
        }

        return _bindsInsert.Get(method, m =>
        {
            var found = new HashSet<(string Table, int Ordinal)>();
            foreach (var (implementation, body) in SourceBodies.Of(m, _compilation, cancellationToken))
            {
                foreach (var (table, value) in InsertedValues(body, cancellationToken))
                {
                    if (Itself(value) is { Root: IParameterSymbol parameter } && SymbolEqualityComparer.Default.Equals(parameter.ContainingSymbol, implementation))
                    {
                        found.Add((table.ToLowerInvariant(), parameter.Ordinal));
                    }
                }
            }

            return found.ToImmutableArray();
        });
    }

    private bool DeletesFiles(IMethodSymbol method, CancellationToken cancellationToken)
        => _deletesFiles.Get(method.OriginalDefinition, m => SourceBodies.Of(m, _compilation, cancellationToken)
            .Any(b => b.Body.Descendants().OfType<IInvocationOperation>().Any(c => DeletesFiles(c, cancellationToken)))) == true;

    /// <summary>The ordinals of the method's parameters among the sources <paramref name="collect"/> gathers from each of its bodies.</summary>
    private ImmutableArray<int> OrdinalsReached(IMethodSymbol method, CancellationToken cancellationToken, System.Action<IOperation, List<ValueSource>> collect)
    {
        var ordinals = new HashSet<int>();
        foreach (var (implementation, body) in SourceBodies.Of(method, _compilation, cancellationToken))
        {
            var sources = new List<ValueSource>();
            collect(body, sources);
            foreach (var source in sources)
            {
                if (source.Root is IParameterSymbol parameter && SymbolEqualityComparer.Default.Equals(parameter.ContainingSymbol, implementation))
                {
                    ordinals.Add(parameter.Ordinal);
                }
            }
        }

        return ordinals.OrderBy(o => o).ToImmutableArray();
    }

    /// <summary>Values handed to a command as parameters: AddWithValue, Add on a parameter collection, a DbParameter's constructor or Value, a Dapper-style anonymous object.</summary>
    private IEnumerable<IOperation> BoundValues(IOperation operation)
    {
        switch (operation)
        {
            case IInvocationOperation { TargetMethod.Name: "AddWithValue" or "Add" } call
                when call.TargetMethod.Name == "AddWithValue" || call.Instance?.Type?.Name.EndsWith("ParameterCollection", System.StringComparison.Ordinal) == true:
                return call.Arguments.Skip(1).Select(a => a.Value);
            case IObjectCreationOperation creation when TypeRelations.InheritsFrom(creation.Type, _dbParameter):
                return creation.Arguments.Select(a => a.Value);
            case ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property.Name: "Value" } property } assignment
                when TypeRelations.InheritsFrom(property.Instance?.Type, _dbParameter):
                return [assignment.Value];
            case IAnonymousObjectCreationOperation anonymous when anonymous.Parent is IArgumentOperation or IConversionOperation:
                return anonymous.Initializers.Select(i => i is ISimpleAssignmentOperation a ? a.Value : i);
            default:
                return [];
        }
    }

    private static IEnumerable<IOperation> ArgumentsAt(IInvocationOperation call, ImmutableArray<int> ordinals)
    {
        foreach (var ordinal in ordinals)
        {
            if (ArgumentAt(call, ordinal) is { } argument)
            {
                yield return argument;
            }
        }
    }

    private static IOperation? ArgumentAt(IInvocationOperation call, int ordinal)
        => call.Arguments.FirstOrDefault(a => a.Parameter?.Ordinal == ordinal && a.ArgumentKind != ArgumentKind.DefaultValue)?.Value;
}
