using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Linq;
using System.Text.RegularExpressions;
using CheckpointAudit.Catalog;
using CheckpointAudit.Checks;
using CheckpointAudit.Knowledge;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace CheckpointAudit.Concurrency;

/// <summary>
/// CKPT601 (compilation end: WAL is a property of the database file, so setting it anywhere counts): the
/// project opens SQLite databases — <c>new SqliteConnection</c> (Microsoft.Data.Sqlite),
/// <c>new SQLiteConnection</c> (System.Data.SQLite), EF Core's <c>UseSqlite</c> — and no source file switches
/// to WAL: <c>PRAGMA journal_mode=WAL</c> in any command text or migration (any casing and spacing), a
/// ("journal_mode", "WAL") pair handed to a pragma helper,
/// <c>Journal Mode=Wal</c> in a connection string, or <c>JournalMode = ...Wal</c> on a connection string
/// builder. Read-only and in-memory databases (a constant connection string saying so) are exempt, and so are
/// connections opened in migration code (<see cref="MigrationCode"/>): a legacy database moved once.
/// EF Core's <c>UseSqlite</c> is exempt too when the project has EF Core create its database
/// (<c>Database.EnsureCreated</c>, <c>Database.Migrate</c>, or migrations applied by the tools): EF Core 6 and later
/// create a SQLite database in WAL mode. Reported at every place that opens one; nothing is registered when no
/// SQLite provider is referenced.
/// </summary>
public sealed class SqliteWithoutWalCheck : SqliteRuleCheck
{
    private static readonly Regex WalSetting = new(
        @"journal[_ ]?mode['""]?\s*[=,:]\s*['""]?wal\b|JournalMode\s*=\s*([\w.]+\.)?Wal\b",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    private static readonly Regex ExemptConnection = new(
        @"mode\s*=\s*(readonly|memory)|read\s*only\s*=\s*true|:memory:",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    public SqliteWithoutWalCheck()
        : base(RuleCatalog.SqliteWithoutWal)
    {
    }

    private protected override void Register(CheckStart start, SqliteSymbols sqlite, CheckpointAuditOptions options)
    {
        var sites = new ConcurrentBag<(Location Location, string Api, string Shown)>();
        var efCreates = 0;
        start.RegisterOperationAction(
            c =>
            {
                var creation = (IObjectCreationOperation)c.Operation;
                // A migration opens a legacy database once to move its data, a design-time factory serves `dotnet ef`: the live
                // database is set up elsewhere.
                if (sqlite.IsConnection(creation.Type) && options.IsAnalyzed(creation.Syntax.SyntaxTree)
                    && Opens(creation.Arguments, "connectionString") is { } shown && !MigrationCode.Contains(c.ContainingSymbol) && !DesignTimeCode.Contains(c.ContainingSymbol))
                {
                    sites.Add((creation.Syntax.GetLocation(), "new " + creation.Type!.Name, shown));
                }
            },
            OperationKind.ObjectCreation);
        // One pass over the invocations: EF Core's UseSqlite and database creation, and whether anything writes data
        // (for the query-only exemption; recorded here so the end needs no binding of its own).
        var writes = 0;
        start.RegisterOperationAction(
            c =>
            {
                var call = (IInvocationOperation)c.Operation;
                if (sqlite.EntityFrameworkExtensions is not null)
                {
                    if (sqlite.IsUseSqlite(call.TargetMethod) && options.IsAnalyzed(call.Syntax.SyntaxTree)
                        && Opens(call.Arguments, "connectionString") is { } shown && !MigrationCode.Contains(c.ContainingSymbol) && !DesignTimeCode.Contains(c.ContainingSymbol))
                    {
                        sites.Add((call.Syntax.GetLocation(), "UseSqlite", shown));
                    }
                    else if (CreatesDatabase(call.TargetMethod))
                    {
                        System.Threading.Interlocked.Exchange(ref efCreates, 1);
                    }
                }

                if (writes == 0 && WritesData(call.TargetMethod) && !Helpers.HelperFeatures.IsGeneratedType(c.ContainingSymbol.ContainingType, Helpers.HelperFeatures.WalInterceptorName))
                {
                    System.Threading.Interlocked.Exchange(ref writes, 1);
                }
            },
            OperationKind.Invocation);

        start.RegisterCompilationEndAction(end =>
        {
            if (sites.IsEmpty || SetsWal(end.Compilation, end.CancellationToken))
            {
                return;
            }

            // A database EF Core creates is in WAL mode already (EF Core 6 and later set it when they create the file).
            var efWal = sqlite.EntityFrameworkExtensions?.ContainingAssembly.Identity.Version.Major >= 6
                && (efCreates == 1 || HasMigrations(end.Compilation, end.CancellationToken));
            // A project that only queries (a viewer, an importer) reads another program's database: it has no writer
            // of its own to block, and switching that file to WAL would change it for its owner.
            var onlyQueries = writes == 0 && sites.All(s => s.Api != "UseSqlite") && OnlyQueries(end.Compilation, end.CancellationToken);
            foreach (var (location, api, shown) in sites)
            {
                if (!(efWal && api == "UseSqlite") && !(onlyQueries && api != "UseSqlite"))
                {
                    end.ReportDiagnostic(Diagnostic.Create(Rule.Descriptor, location, api, shown));
                }
            }
        });
    }

    /// <summary>
    /// The connection string as shown in the message (" ('Data Source=app.db')" when constant, else empty),
    /// or null for a read-only or in-memory database.
    /// </summary>
    private static string? Opens(ImmutableArray<IArgumentOperation> arguments, string parameterName)
    {
        foreach (var argument in arguments)
        {
            if (argument.Parameter?.Name != parameterName)
            {
                continue;
            }

            if (argument.Value.ConstantValue is { HasValue: true, Value: string constant })
            {
                return ExemptConnection.IsMatch(constant) ? null : " ('" + constant + "')";
            }

            // $"Data Source={path};Mode=ReadOnly": the constant parts say enough.
            if (SqliteSymbols.ConstantText(argument.Value) is { } parts && ExemptConnection.IsMatch(parts))
            {
                return null;
            }
        }

        return string.Empty;
    }

    /// <summary>EF Core creating the database when it is missing: <c>Database.EnsureCreated(Async)</c>, <c>Database.Migrate(Async)</c>.</summary>
    private static bool CreatesDatabase(IMethodSymbol method)
    {
        method = method.ReducedFrom ?? method;
        return method.Name is "EnsureCreated" or "EnsureCreatedAsync" or "Migrate" or "MigrateAsync"
            && method.ContainingType is { Name: "DatabaseFacade" or "RelationalDatabaseFacadeExtensions" } type
            && type.ContainingNamespace?.ToString() is "Microsoft.EntityFrameworkCore.Infrastructure" or "Microsoft.EntityFrameworkCore";
    }

    /// <summary>The project has EF Core migrations (a class derived from Migration): the tools or the app create the database with them.</summary>
    private static bool HasMigrations(Compilation compilation, System.Threading.CancellationToken cancellationToken)
    {
        var migration = compilation.GetTypeByMetadataName("Microsoft.EntityFrameworkCore.Migrations.Migration");
        if (migration is null)
        {
            return false;
        }

        foreach (var tree in SourceSearch.TreesNaming("Migration", compilation, cancellationToken))
        {
#pragma warning disable RS1030 // Compilation end: the trees that name a migration are few, each bound once.
            var model = compilation.GetSemanticModel(tree);
#pragma warning restore RS1030
            foreach (var type in tree.GetRoot(cancellationToken).DescendantNodes().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.ClassDeclarationSyntax>())
            {
                if (type.BaseList is not null && model.GetDeclaredSymbol(type, cancellationToken) is INamedTypeSymbol symbol && TypeRelations.InheritsFrom(symbol, migration))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private const string ReadPragmas = "table_info|table_xinfo|table_list|index_list|index_info|index_xinfo|foreign_key_list|foreign_key_check|integrity_check|quick_check|function_list|pragma_list|compile_options|database_list|collation_list";

    private static readonly Regex SqlQuery = new(
        @"^\s*((with\b[\s\S]*\b)?select\s[\s\S]*\bfrom\b|pragma\s+[\w.]+\s*;?\s*$|pragma\s+[\w.]*(" + ReadPragmas + @")\s*\()",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    private static readonly Regex SqlWrite = new(
        @"\b(insert\s+(or\s+\w+\s+)?into|replace\s+into|upsert\b|update\s+(or\s+\w+\s+)?(""[^""]*""|\[[^\]]*\]|`[^`]*`|\S+)\s+set\b|delete\s+from|create\s+(temp\w*\s+)?(table|index|unique|view|trigger|virtual)|drop\s+(table|index|view|trigger)|alter\s+table|vacuum|reindex|attach\s+(database\s+)?\S|begin(\s+(immediate|exclusive|deferred))?\s*(transaction)?\s*;?\s*$|pragma\s+[\w.]+\s*=|pragma\s+(?![\w.]*(" + ReadPragmas + @")\s*\()[\w.]+\s*\()",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    /// <summary>
    /// The project only queries (nothing runs a non-query, a data-access write or an EF Core save: see
    /// <see cref="WritesData"/>, recorded per invocation): some SQL text in it that reaches a command is a query, and no
    /// SQL text writes (INSERT, UPDATE … SET, DELETE FROM, CREATE, DROP, ALTER, a pragma set, a transaction). Texts
    /// are read whole: a concatenation or interpolation with its holes as placeholders. Without SQL text (an ORM) it is
    /// not known to.
    /// </summary>
    private static bool OnlyQueries(Compilation compilation, System.Threading.CancellationToken cancellationToken)
    {
        var queries = false;
        foreach (var tree in compilation.SyntaxTrees)
        {
            if (Helpers.CheckpointFileSource.IsGenerated(tree, cancellationToken))
            {
                continue;
            }

            foreach (var node in tree.GetRoot(cancellationToken).DescendantNodes())
            {
                if (node is not (LiteralExpressionSyntax { RawKind: (int)SyntaxKind.StringLiteralExpression } or InterpolatedStringExpressionSyntax or BinaryExpressionSyntax { RawKind: (int)SyntaxKind.AddExpression })
                    || node.Parent is BinaryExpressionSyntax { RawKind: (int)SyntaxKind.AddExpression } or ParenthesizedExpressionSyntax or InterpolationSyntax)
                {
                    continue; // not a text, or a part of a larger one
                }

                var text = Whole((ExpressionSyntax)node);
                if (SqlWrite.IsMatch(text))
                {
                    return false;
                }

                queries |= !queries && SqlQuery.IsMatch(text) && ReachesCommand(node);
            }
        }

        return queries;
    }

    /// <summary>The text of a string expression, with each part that is not constant as a placeholder word.</summary>
    private static string Whole(ExpressionSyntax expression)
        => expression switch
        {
            LiteralExpressionSyntax { RawKind: (int)SyntaxKind.StringLiteralExpression } literal => literal.Token.ValueText,
            InterpolatedStringExpressionSyntax interpolated => string.Concat(interpolated.Contents.Select(c => c is InterpolatedStringTextSyntax part ? part.TextToken.ValueText : " x ")),
            BinaryExpressionSyntax { RawKind: (int)SyntaxKind.AddExpression } sum => Whole(sum.Left) + Whole(sum.Right),
            ParenthesizedExpressionSyntax parenthesized => Whole(parenthesized.Expression),
            _ => " x ",
        };

    /// <summary>
    /// A text given to a command: assigned to CommandText (or another member naming a command), passed to a call or creation whose name says it runs SQL
    /// (a command, a query, an execute), or kept in a variable named for SQL (a query, an sql).
    /// </summary>
    private static bool ReachesCommand(SyntaxNode text)
    {
        var names = text.Parent switch
        {
            AssignmentExpressionSyntax assignment => assignment.Left.ToString(),
            EqualsValueClauseSyntax { Parent: VariableDeclaratorSyntax declarator } => declarator.Identifier.ValueText,
            ArgumentSyntax { Parent.Parent: InvocationExpressionSyntax call } => call.Expression.ToString(),
            ArgumentSyntax { Parent.Parent: ObjectCreationExpressionSyntax creation } => creation.Type.ToString(),
            _ => string.Empty,
        };
        return names.IndexOf("Command", System.StringComparison.OrdinalIgnoreCase) >= 0
            || names.IndexOf("Query", System.StringComparison.OrdinalIgnoreCase) >= 0
            || names.IndexOf("Execute", System.StringComparison.Ordinal) >= 0
            || names.IndexOf("sql", System.StringComparison.OrdinalIgnoreCase) >= 0;
    }

    /// <summary>
    /// A non-query of a command, a write of a data-access library on a connection, command or transaction (Dapper's
    /// Execute, an Insert/Update/Delete/Upsert), or an EF Core save or raw SQL. The name is tested first: this runs for
    /// every invocation.
    /// </summary>
    private static bool WritesData(IMethodSymbol method)
    {
        var name = method.Name;
        if (name.Length < 6 || name[0] is not ('E' or 'I' or 'U' or 'D' or 'S' or 'F'))
        {
            return false;
        }

        if (name.StartsWith("ExecuteNonQuery", System.StringComparison.Ordinal) || name.StartsWith("SaveChanges", System.StringComparison.Ordinal)
            || name.StartsWith("ExecuteSql", System.StringComparison.Ordinal) || name.StartsWith("ExecuteUpdate", System.StringComparison.Ordinal)
            || name.StartsWith("ExecuteDelete", System.StringComparison.Ordinal) || name.StartsWith("FromSql", System.StringComparison.Ordinal))
        {
            return true;
        }

        if (name.StartsWith("ExecuteReader", System.StringComparison.Ordinal) || name.StartsWith("ExecuteScalar", System.StringComparison.Ordinal)
            || !(name.StartsWith("Execute", System.StringComparison.Ordinal) || name.StartsWith("Insert", System.StringComparison.Ordinal)
                || name.StartsWith("Update", System.StringComparison.Ordinal) || name.StartsWith("Delete", System.StringComparison.Ordinal)
                || name.StartsWith("Upsert", System.StringComparison.Ordinal)))
        {
            return false;
        }

        var definition = method.ReducedFrom ?? method;
        return IsDataAccess(definition.ContainingType) || definition.Parameters.Any(p => IsDataAccess(p.Type));
    }

    private static bool IsDataAccess(ITypeSymbol? type)
        => type is not null && (IsDataAccessName(type) || type.AllInterfaces.Any(IsDataAccessName) || BaseTypes(type).Any(IsDataAccessName));

    private static bool IsDataAccessName(ITypeSymbol type)
    {
        if (type.Name is "IDbConnection" or "DbConnection" or "IDbCommand" or "DbCommand" or "IDbTransaction" or "DbTransaction"
            && (SymbolNames.IsNamespace(type.ContainingNamespace, "System.Data") || SymbolNames.IsNamespace(type.ContainingNamespace, "System.Data.Common")))
        {
            return true;
        }

        var space = type.ContainingNamespace?.ToString() ?? string.Empty;
        return DataAccessLibraries.Any(library => space.StartsWith(library, System.StringComparison.Ordinal));
    }

    /// <summary>Data-access libraries whose Insert/Update/Delete/Execute methods write through a connection or context of their own.</summary>
    private static readonly string[] DataAccessLibraries = { "Dapper", "LinqToDB", "ServiceStack.OrmLite", "SqlKata", "RepoDb", "NPoco", "PetaPoco", "SQLite" };

    private static System.Collections.Generic.IEnumerable<ITypeSymbol> BaseTypes(ITypeSymbol type)
    {
        for (var current = type.BaseType; current is not null; current = current.BaseType)
        {
            yield return current;
        }
    }

    /// <summary>
    /// Whether any source file switches a database to WAL (files without "wal" in them are skipped unread), or registers
    /// the generated helper's WAL interceptor. The helper's own text does not count: it is generated into every
    /// project with EF Core, registered or not.
    /// </summary>
    private static bool SetsWal(Compilation compilation, System.Threading.CancellationToken cancellationToken)
        => SourceSearch.TreesNaming("wal", compilation, cancellationToken, ignoreCase: true)
            .Any(tree => !Helpers.CheckpointFileSource.IsGenerated(tree, cancellationToken) && tree.GetText(cancellationToken).ToString() is var text
                && (WalSetting.IsMatch(text) || text.IndexOf(Helpers.HelperFeatures.WalInterceptorName, System.StringComparison.Ordinal) >= 0));
}
