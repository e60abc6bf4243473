using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace CheckpointAudit.Knowledge;

/// <summary>The SQLite providers' types, resolved once per compilation: Microsoft.Data.Sqlite, System.Data.SQLite, EF Core's UseSqlite.</summary>
internal sealed class SqliteSymbols
{
    private readonly Compilation _compilation;

    // Which string parameters of the project's own methods reach a command's text, computed once per method.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<IMethodSymbol, ImmutableArray<int>> _textParameters = new(SymbolEqualityComparer.Default);

    // Facts about the project's own methods that a rule decides by reading their bodies (CKPT605: "writes a status
    // column", "writes a file"), decided once per method and compilation.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string Fact, IMethodSymbol Method), bool> _methodFacts = new(MethodFactComparer.Instance);

    private sealed class MethodFactComparer : IEqualityComparer<(string Fact, IMethodSymbol Method)>
    {
        public static readonly MethodFactComparer Instance = new();

        public bool Equals((string Fact, IMethodSymbol Method) x, (string Fact, IMethodSymbol Method) y)
            => x.Fact == y.Fact && SymbolEqualityComparer.Default.Equals(x.Method, y.Method);

        public int GetHashCode((string Fact, IMethodSymbol Method) obj) => (obj.Fact.GetHashCode() * 31) + SymbolEqualityComparer.Default.GetHashCode(obj.Method);
    }

    // The command texts of each function body, read once however many rules and operations ask.
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<IOperation, IReadOnlyList<SqliteCommandText>> _textsByBody = new();

    private SqliteSymbols(Compilation compilation)
    {
        _compilation = compilation;
        INamedTypeSymbol? Type(string name) => KnownTypes.Get(compilation, name);
        Connections = ImmutableArray.Create(Type("Microsoft.Data.Sqlite.SqliteConnection"), Type("System.Data.SQLite.SQLiteConnection"))
            .RemoveAll(t => t is null)!;
        ConnectionStringBuilders = ImmutableArray.Create(Type("Microsoft.Data.Sqlite.SqliteConnectionStringBuilder"), Type("System.Data.SQLite.SQLiteConnectionStringBuilder"))
            .RemoveAll(t => t is null)!;
        EntityFrameworkExtensions = Type("Microsoft.EntityFrameworkCore.SqliteDbContextOptionsBuilderExtensions");
        CacheMode = Type("Microsoft.Data.Sqlite.SqliteCacheMode");
        SystemDataSqliteConnection = Type("System.Data.SQLite.SQLiteConnection");
        SystemDataSqliteBuilder = Type("System.Data.SQLite.SQLiteConnectionStringBuilder");
        SystemDataSqliteCommand = Type("System.Data.SQLite.SQLiteCommand");
        Commands = ImmutableArray.Create(Type("Microsoft.Data.Sqlite.SqliteCommand"), SystemDataSqliteCommand)
            .RemoveAll(t => t is null)!;
        Readers = ImmutableArray.Create(Type("Microsoft.Data.Sqlite.SqliteDataReader"), Type("System.Data.SQLite.SQLiteDataReader"))
            .RemoveAll(t => t is null)!;
        Transactions = ImmutableArray.Create(Type("Microsoft.Data.Sqlite.SqliteTransaction"), Type("System.Data.SQLite.SQLiteTransaction"))
            .RemoveAll(t => t is null)!;
    }

    /// <summary>SqliteConnection, SQLiteConnection.</summary>
    public ImmutableArray<INamedTypeSymbol> Connections { get; }

    public ImmutableArray<INamedTypeSymbol> ConnectionStringBuilders { get; }

    /// <summary>The class that declares UseSqlite.</summary>
    public INamedTypeSymbol? EntityFrameworkExtensions { get; }

    public INamedTypeSymbol? CacheMode { get; }

    /// <summary>System.Data.SQLite's connection: its busy handling differs from Microsoft.Data.Sqlite's (see CKPT602).</summary>
    public INamedTypeSymbol? SystemDataSqliteConnection { get; }

    public INamedTypeSymbol? SystemDataSqliteBuilder { get; }

    public INamedTypeSymbol? SystemDataSqliteCommand { get; }

    /// <summary>SqliteCommand, SQLiteCommand.</summary>
    public ImmutableArray<INamedTypeSymbol> Commands { get; }

    /// <summary>SqliteDataReader, SQLiteDataReader.</summary>
    public ImmutableArray<INamedTypeSymbol> Readers { get; }

    /// <summary>SqliteTransaction, SQLiteTransaction.</summary>
    public ImmutableArray<INamedTypeSymbol> Transactions { get; }

    /// <summary>
    /// The compilation's instance, shared by every SQLite rule; null when the compilation references no SQLite
    /// provider: the Concurrency SQLite rules register nothing.
    /// </summary>
    public static SqliteSymbols? For(Compilation compilation)
        => PerCompilation<SqliteSymbols>.Get(compilation, c =>
        {
            var symbols = new SqliteSymbols(c);
            return symbols.Connections.IsEmpty && symbols.EntityFrameworkExtensions is null ? null : symbols;
        });

    /// <summary>A fact about a method of the project, computed once per compilation by <paramref name="decide"/>.</summary>
    internal bool MethodFact(string fact, IMethodSymbol method, System.Func<IMethodSymbol, bool> decide)
        => _methodFacts.GetOrAdd((fact, method.OriginalDefinition), key => decide(key.Method));

    /// <summary>Every command text in the function body <paramref name="root"/>, in source order (computed once per body).</summary>
    internal IReadOnlyList<SqliteCommandText> TextsIn(IOperation root)
        => _textsByBody.GetValue(root, r => SqliteCommandTexts.Collect(r, this));

    /// <summary>
    /// The ordinals of the string parameters of a source method that become a SQLite command's text: assigned to
    /// CommandText, given to a command's constructor, or handed on to another such method (three levels deep).
    /// Empty for methods declared in metadata.
    /// </summary>
    internal ImmutableArray<int> CommandTextParameters(IMethodSymbol method, int depth = 0)
    {
        method = method.OriginalDefinition;
        if (_textParameters.TryGetValue(method, out var known))
        {
            return known;
        }

        if (depth > 3 || method.DeclaringSyntaxReferences.Length != 1 || !method.Parameters.Any(p => p.Type.SpecialType == SpecialType.System_String))
        {
            return ImmutableArray<int>.Empty;
        }

        // A placeholder first, so that recursive wrappers end.
        _textParameters[method] = ImmutableArray<int>.Empty;
        var syntax = method.DeclaringSyntaxReferences[0].GetSyntax();
        if (!_compilation.ContainsSyntaxTree(syntax.SyntaxTree))
        {
            return ImmutableArray<int>.Empty;
        }

#pragma warning disable RS1030 // Only for a call on a SQLite command or connection into the project's own method; the driver's model covers the current file only.
        var body = _compilation.GetSemanticModel(syntax.SyntaxTree).GetOperation(syntax);
#pragma warning restore RS1030
        var ordinals = body is null
            ? ImmutableArray<int>.Empty
            : body.Descendants().SelectMany(o => TextParameterOrdinals(o, depth)).Distinct().ToImmutableArray();
        _textParameters[method] = ordinals;
        return ordinals;
    }

    private IEnumerable<int> TextParameterOrdinals(IOperation operation, int depth)
    {
        static int? Ordinal(IOperation? value) => PathKey.Unwrap(value) is IParameterReferenceOperation { Parameter.Type.SpecialType: SpecialType.System_String } p ? p.Parameter.Ordinal : null;

        switch (operation)
        {
            case ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property.Name: "CommandText" } property } assignment when IsCommand(property.Instance?.Type):
                if (Ordinal(assignment.Value) is { } assigned)
                {
                    yield return assigned;
                }

                break;
            case IObjectCreationOperation creation when IsCommand(creation.Type):
                foreach (var argument in creation.Arguments.Where(a => a.Parameter?.Name is "commandText" or "sql"))
                {
                    if (Ordinal(argument.Value) is { } created)
                    {
                        yield return created;
                    }
                }

                break;
            case IInvocationOperation call when call.TargetMethod.DeclaringSyntaxReferences.Length == 1:
                var handedOn = CommandTextParameters(call.TargetMethod, depth + 1);
                foreach (var argument in call.Arguments.Where(a => a.Parameter is not null && handedOn.Contains(a.Parameter.Ordinal)))
                {
                    if (Ordinal(argument.Value) is { } passed)
                    {
                        yield return passed;
                    }
                }

                break;
        }
    }

    public bool IsCommand(ITypeSymbol? type) => IsOneOf(type, Commands);

    /// <summary>A System.Data.SQLite connection, connection string builder or command.</summary>
    public bool IsSystemDataSqlite(ITypeSymbol? type)
        => type is not null && (SymbolEqualityComparer.Default.Equals(type, SystemDataSqliteConnection) || SymbolEqualityComparer.Default.Equals(type, SystemDataSqliteBuilder)
            || SymbolEqualityComparer.Default.Equals(type, SystemDataSqliteCommand));

    public bool IsConnection(ITypeSymbol? type) => IsOneOf(type, Connections);

    public bool IsReader(ITypeSymbol? type) => IsOneOf(type, Readers);

    public bool IsTransaction(ITypeSymbol? type) => IsOneOf(type, Transactions);

    /// <summary>A provider's connection, connection-string builder or command: where timeouts and journal modes are set.</summary>
    public bool IsProviderType(ITypeSymbol? type) => IsOneOf(type, Connections) || IsOneOf(type, ConnectionStringBuilders) || IsOneOf(type, Commands);

    // Asked for the type of every call's receiver and every member read: the name, a string already at hand, first.
    private static bool IsOneOf(ITypeSymbol? type, ImmutableArray<INamedTypeSymbol> types)
    {
        if (type is not INamedTypeSymbol named)
        {
            return false;
        }

        foreach (var candidate in types)
        {
            if (string.Equals(candidate.Name, named.Name, System.StringComparison.Ordinal) && SymbolEqualityComparer.Default.Equals(candidate, named))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A connection or a connection string builder: what a connection string is handed to.</summary>
    public bool TakesConnectionString(ITypeSymbol? type)
        => IsConnection(type) || (type is INamedTypeSymbol named && ConnectionStringBuilders.Contains(named, SymbolEqualityComparer.Default));

    /// <summary>
    /// The constant text of a connection string or command: a literal or constant, or an interpolation or
    /// concatenation with each part not known here (a variable, a non-constant hole) read as <paramref name="hole"/>
    /// — ";" keeps connection-string keys apart, "?" stands for a SQL value; null when nothing is constant.
    /// </summary>
    public static string? ConstantText(IOperation value, string hole = ";") => value switch
    {
        _ when value.ConstantValue is { HasValue: true, Value: string constant } => constant,
        IInterpolatedStringOperation interpolated => string.Concat(interpolated.Parts.Select(p => p switch
        {
            IInterpolatedStringTextOperation text => text.Text.ConstantValue.Value as string,
            IInterpolationOperation { Expression.ConstantValue: { HasValue: true, Value: { } constant } } => System.Convert.ToString(constant, System.Globalization.CultureInfo.InvariantCulture),
            _ => hole,
        })),
        IBinaryOperation { OperatorKind: BinaryOperatorKind.Add } add => (ConstantText(add.LeftOperand, hole) ?? hole) + (ConstantText(add.RightOperand, hole) ?? hole),
        IConversionOperation conversion => ConstantText(conversion.Operand, hole),
        _ => null,
    };

    /// <summary>
    /// The texts a connection string can have: as <see cref="ConstantText"/>, with locals followed to their values and
    /// both branches of a conditional (<c>flag ? "Private" : "Shared"</c>) kept, up to a few variants.
    /// </summary>
    public static IReadOnlyList<string> ConstantTextVariants(IOperation value) => Variants(value, 0);

    private const int MaxVariants = 8;

    private static List<string> Variants(IOperation? value, int depth)
    {
        value = PathKey.Unwrap(value);
        if (value is null || depth > 4)
        {
            return [];
        }

        switch (value)
        {
            case { ConstantValue: { HasValue: true, Value: string constant } }:
                return [constant];
            case ILocalReferenceOperation local:
                return Variants(OperationTree.StoredValue(local.Local, OperationTree.Root(value)), depth + 1);
            case IConditionalOperation conditional:
                return [.. Variants(conditional.WhenTrue, depth + 1).Concat(Variants(conditional.WhenFalse, depth + 1)).Take(MaxVariants)];
            case IInterpolatedStringOperation interpolated:
                var texts = new List<string> { string.Empty };
                foreach (var part in interpolated.Parts)
                {
                    var options = part switch
                    {
                        IInterpolatedStringTextOperation text => [text.Text.ConstantValue.Value as string ?? string.Empty],
                        IInterpolationOperation hole => Variants(hole.Expression, depth + 1) is { Count: > 0 } known ? known : [";"],
                        _ => [";"],
                    };
                    texts = [.. texts.SelectMany(t => options.Select(o => t + o)).Take(MaxVariants)];
                }

                return texts;
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Add } add:
                var left = Variants(add.LeftOperand, depth + 1) is { Count: > 0 } l ? l : [";"];
                var right = Variants(add.RightOperand, depth + 1) is { Count: > 0 } r ? r : [";"];
                return [.. left.SelectMany(a => right.Select(b => a + b)).Take(MaxVariants)];
            default:
                return [];
        }
    }

    public bool IsUseSqlite(IMethodSymbol method)
        => method.Name == "UseSqlite" && SymbolEqualityComparer.Default.Equals(method.ContainingType, EntityFrameworkExtensions);
}
