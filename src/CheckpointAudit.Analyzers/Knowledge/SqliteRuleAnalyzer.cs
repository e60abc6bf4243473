using System.Collections.Immutable;
using System.Linq;
using CheckpointAudit.Catalog;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace CheckpointAudit.Knowledge;

/// <summary>The SQLite providers' types, resolved once per compilation: Microsoft.Data.Sqlite, System.Data.SQLite, EF Core's UseSqlite.</summary>
internal sealed class SqliteSymbols
{
    private SqliteSymbols(Compilation compilation)
    {
        INamedTypeSymbol? Type(string name) => compilation.GetTypeByMetadataName(name);
        Connections = ImmutableArray.Create(Type("Microsoft.Data.Sqlite.SqliteConnection"), Type("System.Data.SQLite.SQLiteConnection"))
            .RemoveAll(t => t is null)!;
        ConnectionStringBuilders = ImmutableArray.Create(Type("Microsoft.Data.Sqlite.SqliteConnectionStringBuilder"), Type("System.Data.SQLite.SQLiteConnectionStringBuilder"))
            .RemoveAll(t => t is null)!;
        EntityFrameworkExtensions = Type("Microsoft.EntityFrameworkCore.SqliteDbContextOptionsBuilderExtensions");
        CacheMode = Type("Microsoft.Data.Sqlite.SqliteCacheMode");
        SystemDataSqliteConnection = Type("System.Data.SQLite.SQLiteConnection");
        SystemDataSqliteBuilder = Type("System.Data.SQLite.SQLiteConnectionStringBuilder");
        Commands = ImmutableArray.Create(Type("Microsoft.Data.Sqlite.SqliteCommand"), Type("System.Data.SQLite.SQLiteCommand"))
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

    /// <summary>SqliteCommand, SQLiteCommand.</summary>
    public ImmutableArray<INamedTypeSymbol> Commands { get; }

    /// <summary>Null when the compilation references no SQLite provider: the Concurrency SQLite rules register nothing.</summary>
    public static SqliteSymbols? Create(Compilation compilation)
    {
        var symbols = new SqliteSymbols(compilation);
        return symbols.Connections.IsEmpty && symbols.EntityFrameworkExtensions is null ? null : symbols;
    }

    public bool IsCommand(ITypeSymbol? type) => type is INamedTypeSymbol named && Commands.Contains(named, SymbolEqualityComparer.Default);

    /// <summary>A System.Data.SQLite connection or connection string builder.</summary>
    public bool IsSystemDataSqlite(ITypeSymbol? type)
        => type is not null && (SymbolEqualityComparer.Default.Equals(type, SystemDataSqliteConnection) || SymbolEqualityComparer.Default.Equals(type, SystemDataSqliteBuilder));

    public bool IsConnection(ITypeSymbol? type) => type is INamedTypeSymbol named && Connections.Contains(named, SymbolEqualityComparer.Default);

    /// <summary>A connection or a connection string builder: what a connection string is handed to.</summary>
    public bool TakesConnectionString(ITypeSymbol? type)
        => IsConnection(type) || (type is INamedTypeSymbol named && ConnectionStringBuilders.Contains(named, SymbolEqualityComparer.Default));

    /// <summary>
    /// The constant text of a connection string: a literal or constant, or the constant parts of an
    /// interpolation or concatenation (the holes left out, parts joined by ';'); null when nothing is constant.
    /// </summary>
    public static string? ConstantText(IOperation value) => value switch
    {
        _ when value.ConstantValue is { HasValue: true, Value: string constant } => constant,
        IInterpolatedStringOperation interpolated => string.Concat(interpolated.Parts.OfType<IInterpolatedStringTextOperation>().Select(p => p.Text.ConstantValue.Value as string)),
        IBinaryOperation { OperatorKind: BinaryOperatorKind.Add } add => ConstantText(add.LeftOperand) + ";" + ConstantText(add.RightOperand),
        IConversionOperation conversion => ConstantText(conversion.Operand),
        _ => null,
    };

    public bool IsUseSqlite(IMethodSymbol method)
        => method.Name == "UseSqlite" && SymbolEqualityComparer.Default.Equals(method.ContainingType, EntityFrameworkExtensions);
}

/// <summary>
/// Base of the SQLite rules: one rule, nothing registered without a SQLite provider, generated code
/// skipped; the subclass registers its actions with the provider types and the options.
/// </summary>
public abstract class SqliteRuleAnalyzer : DiagnosticAnalyzer
{
    private protected SqliteRuleAnalyzer(RuleDefinition rule)
    {
        Rule = rule;
        SupportedDiagnostics = ImmutableArray.Create(rule.Descriptor);
    }

    private protected RuleDefinition Rule { get; }

    public sealed override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; }

    public sealed override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            if (SqliteSymbols.Create(start.Compilation) is { } sqlite)
            {
                Register(start, sqlite, new CheckpointAuditOptions(start.Options.AnalyzerConfigOptionsProvider, start.Compilation));
            }
        });
    }

    private protected abstract void Register(CompilationStartAnalysisContext start, SqliteSymbols sqlite, CheckpointAuditOptions options);
}
