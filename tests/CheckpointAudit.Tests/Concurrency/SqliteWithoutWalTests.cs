using CheckpointAudit.CodeFixes.Concurrency;
using CheckpointAudit.Concurrency;
using CheckpointAudit.Tests.Infrastructure;
using Microsoft.CodeAnalysis.Testing;
using Xunit;

namespace CheckpointAudit.Tests.Concurrency;

public class SqliteWithoutWalTests
{
    private static async Task VerifyAsync(string source, params string[] others)
    {
        var test = Verify.AnalyzerTest<SqliteWithoutWalCheck>(source);
        foreach (var other in others)
        {
            test.TestState.Sources.Add(other);
        }

        TestReferences.UseSqlite(test.TestState);
        await test.RunAsync();
    }

    private const string Store = """
        using Microsoft.Data.Sqlite;

        class Store
        {
            private readonly string _connectionString = "Data Source=app.db";

            SqliteConnection Open()
            {
                var connection = {|CKPT601:new SqliteConnection(_connectionString)|};
                connection.Open();
                return connection;
            }

            SqliteConnection OpenConstant() => {|CKPT601:new SqliteConnection("Data Source=jobs.db")|};
        }
        """;

    [Fact]
    public async Task Quiet_for_a_design_time_factory_that_only_dotnet_ef_runs()
    {
        var test = Verify.AnalyzerTest<SqliteWithoutWalCheck>(DesignTimeFactorySource.With(
            "new DbContextOptionsBuilder<AppContext>().UseSqlite(\"Data Source=design.db\")",
            "{|CKPT601:new DbContextOptionsBuilder<AppContext>().UseSqlite(\"Data Source=app.db\")|}"));
        TestReferences.UseEfCoreSqlite(test.TestState);
        await test.RunAsync();
    }

    [Fact]
    public async Task Flags_every_place_that_opens_a_database_when_nothing_sets_WAL()
    {
        await VerifyAsync(Store);
    }

    // A migration opens a legacy database once to move its data; the live database is opened (and set up) elsewhere.
    [Fact]
    public async Task Quiet_for_legacy_databases_opened_by_migration_code()
    {
        await VerifyAsync(Store, """
            using Microsoft.Data.Sqlite;

            namespace App.Migrations.Routines
            {
                class MoveActivityLog { void Perform() { using var legacy = new SqliteConnection("Data Source=activitylog.db"); legacy.Open(); } }
            }

            class UserDbMigrator { void Run() { using var legacy = new SqliteConnection("Data Source=users.db"); legacy.Open(); } }

            class Startup { void MigrateLegacyHistory() { using var legacy = new SqliteConnection("Data Source=history.db"); legacy.Open(); } }
            """);
    }

    [Theory]
    [InlineData("\"PRAGMA journal_mode=WAL;\"")]
    [InlineData("\"pragma JOURNAL_MODE = 'wal'\"")]
    [InlineData("\"Data Source=x.db;Journal Mode=Wal\"")]
    [InlineData("new System.Collections.Generic.Dictionary<string, string> { { \"journal_mode\", \"WAL\" } }.ToString()")]
    public async Task Quiet_when_any_file_switches_to_WAL(string setting)
    {
        var unmarked = Store.Replace("{|CKPT601:", string.Empty).Replace("|}", string.Empty);
        await VerifyAsync(unmarked, $$"""
            static class Migrations
            {
                public static readonly object EnableWal = {{setting}};
            }
            """);
    }

    [Fact]
    public async Task Read_only_and_in_memory_databases_are_exempt()
    {
        await VerifyAsync("""
            using Microsoft.Data.Sqlite;

            class Reports
            {
                SqliteConnection Archive() => new SqliteConnection("Data Source=archive.db;Mode=ReadOnly");
                SqliteConnection Scratch() => new SqliteConnection("Data Source=:memory:");
                SqliteConnection Shared() => new SqliteConnection("Data Source=cache;Mode=Memory;Cache=Shared");
                SqliteConnection Copy(string path) => new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=false");
                SqliteConnection Joined(string path) => new SqliteConnection("Data Source=" + path + ";Mode=ReadOnly");
            }
            """);
    }

    // A viewer of databases other programs own: every SQL text queries, nothing runs a non-query.
    private const string Viewer = """
        using System.Collections.Generic;
        using Microsoft.Data.Sqlite;

        class Viewer
        {
            SqliteConnection Open(string path) => OPEN;

            List<string> Tables(string path)
            {
                var names = new List<string>();
                using var connection = Open(path);
                connection.Open();
                using var command = connection.CreateCommand();
                command.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table'";
                using var reader = command.ExecuteReader();
                while (reader.Read()) names.Add(reader.GetString(0));
                return names;
            }

            long Count(SqliteConnection connection, string table)
            {
                using var command = connection.CreateCommand();
                command.CommandText = $"SELECT COUNT(*) FROM [{table}]";
                return (long)command.ExecuteScalar()!;
            }

            string Title => "Select a table to update";
            EXTRA
        }
        """;

    [Fact]
    public async Task Quiet_for_a_project_that_only_queries()
    {
        await VerifyAsync(Viewer.Replace("OPEN", "new SqliteConnection($\"Data Source={path}\")").Replace("EXTRA", string.Empty));
    }

    [Theory]
    [InlineData("void Mark(SqliteConnection c) { using var command = c.CreateCommand(); command.CommandText = \"UPDATE Seen SET At = 1\"; command.ExecuteScalar(); }")]
    [InlineData("void Mark(SqliteConnection c) { using var command = c.CreateCommand(); command.CommandText = Load(); command.ExecuteNonQuery(); } string Load() => System.IO.File.ReadAllText(\"mark.sql\");")]
    [InlineData("void Mark(SqliteConnection c, string sql) => Sql.Execute(c, sql);")]
    [InlineData("const string Schema = @\"\n    CREATE TABLE IF NOT EXISTS Seen (At INTEGER)\";")]
    [InlineData("string Mark(string table) => $\"UPDATE {table} SET Seen = 1 RETURNING Id\";")]
    [InlineData("const string Mark = \"UPDATE Items \" + \"SET Seen = 1\";")]
    [InlineData("const string Mark = \"update or ignore \\\"my items\\\" set Seen = 1\";")]
    [InlineData("const string Version = \"PRAGMA user_version(3)\";")]
    [InlineData("void Save(Microsoft.EntityFrameworkCore.DbContext db) => db.SaveChanges();")]
    public async Task Flags_a_project_that_also_writes(string extra)
    {
        const string Dapper = """
            static class Sql
            {
                public static int Execute(this System.Data.IDbConnection connection, string sql) => 0;
            }
            """;
        var test = Verify.AnalyzerTest<SqliteWithoutWalCheck>(Viewer.Replace("OPEN", "{|CKPT601:new SqliteConnection($\"Data Source={path}\")|}").Replace("EXTRA", extra));
        test.TestState.Sources.Add(Dapper);
        TestReferences.UseEfCoreSqlite(test.TestState);
        await test.RunAsync();
    }

    [Fact]
    public async Task Flags_a_project_whose_only_query_looking_text_reaches_no_command()
    {
        // "Select ... from ..." in a label is not SQL the project runs: without a query it runs, nothing says it only reads.
        await VerifyAsync("""
            using Microsoft.Data.Sqlite;

            class Library
            {
                string Hint => "Select a game from the list";

                SqliteConnection Open(string path) => {|CKPT601:new SqliteConnection($"Data Source={path}")|};
            }
            """);
    }

    private const string TwoOpens = """
        using System.Threading.Tasks;
        using Microsoft.Data.Sqlite;

        class Store
        {
            SqliteConnection Open(string path)
            {
                var connection = {|CKPT601:new SqliteConnection($"Data Source={path}")|};
                connection.Open();
                return connection;
            }

            async Task<SqliteConnection> OpenAsync(string path)
            {
                var connection = {|CKPT601:new SqliteConnection($"Data Source={path}")|};
                await connection.OpenAsync();
                return connection;
            }
        }
        """;

    private const string SyncPragma = """
                connection.Open();
                using (var walCommand = connection.CreateCommand())
                {
                    walCommand.CommandText = "PRAGMA journal_mode=WAL;";
                    walCommand.ExecuteNonQuery();
                }

        """;

    private const string AsyncPragma = """
                await connection.OpenAsync();
                using (var walCommand = connection.CreateCommand())
                {
                    walCommand.CommandText = "PRAGMA journal_mode=WAL;";
                    await walCommand.ExecuteNonQueryAsync();
                }

        """;

    private const string EfContext = """
        using Microsoft.EntityFrameworkCore;

        public sealed class Note { public int Id { get; set; } public string Text { get; set; } = ""; }

        public sealed class NotesDb : DbContext
        {
            public DbSet<Note> Notes => Set<Note>();

            protected override void OnConfiguring(DbContextOptionsBuilder options) => {|CKPT601:options.UseSqlite("Data Source=notes.db")|};
        }
        """;

    [Fact]
    public async Task Flags_ef_core_when_the_database_is_not_created_by_ef_core()
    {
        var test = Verify.AnalyzerTest<SqliteWithoutWalCheck>(EfContext);
        TestReferences.UseEfCoreSqlite(test.TestState);
        await test.RunAsync();
    }

    // EF Core 6 and later create a SQLite database in WAL mode (EfCoreWalEngineTests reads it back on the real provider).
    [Theory]
    [InlineData("db.Database.EnsureCreated();")]
    [InlineData("await db.Database.EnsureCreatedAsync();")]
    [InlineData("db.Database.Migrate();")]
    public async Task Quiet_for_ef_core_when_ef_core_creates_the_database(string create)
    {
        var test = Verify.AnalyzerTest<SqliteWithoutWalCheck>(EfContext.Replace("{|CKPT601:", "").Replace("|}", ""));
        test.TestState.Sources.Add("""
            using System.Threading.Tasks;
            using Microsoft.EntityFrameworkCore;

            static class Startup
            {
                public static async Task CreateAsync()
                {
                    using var db = new NotesDb();
                    CREATE
                }
            }
            """.Replace("CREATE", create));
        TestReferences.UseEfCoreSqlite(test.TestState);
        await test.RunAsync();
    }

    [Fact]
    public async Task Quiet_for_ef_core_with_migrations_but_not_for_connections_it_did_not_open()
    {
        var test = Verify.AnalyzerTest<SqliteWithoutWalCheck>(EfContext.Replace("{|CKPT601:", "").Replace("|}", ""));
        test.TestState.Sources.Add("""
            using Microsoft.Data.Sqlite;
            using Microsoft.EntityFrameworkCore.Migrations;

            public partial class Initial : Migration
            {
                protected override void Up(MigrationBuilder migrationBuilder) { }
            }

            static class Exporter
            {
                public static SqliteConnection Open() => {|CKPT601:new SqliteConnection("Data Source=export.db")|};
            }
            """);
        TestReferences.UseEfCoreSqlite(test.TestState);
        await test.RunAsync();
    }

    private static readonly string HelperWithInterceptor = CheckpointAudit.Helpers.CheckpointFileSource.Generate(
        new CheckpointAudit.Helpers.HelperFeatures(true, true, false, false, hasSystemTextJson: true, hasEfCoreInterceptors: true));

    [Fact]
    public async Task The_generated_interceptor_counts_only_once_registered()
    {
        // The helper spells the pragma in every project with EF Core: that alone sets nothing.
        var flagged = Verify.AnalyzerTest<SqliteWithoutWalCheck>(EfContext);
        flagged.TestState.Sources.Add((Verify.HelperPath, HelperWithInterceptor));
        TestReferences.UseEfCoreSqlite(flagged.TestState);
        await flagged.RunAsync();

        var registered = Verify.AnalyzerTest<SqliteWithoutWalCheck>(EfContext.Replace("{|CKPT601:", string.Empty).Replace("|}", string.Empty)
            .Replace("options.UseSqlite(\"Data Source=notes.db\")", "options.UseSqlite(\"Data Source=notes.db\").AddInterceptors(CheckpointAudit.SqliteWalInterceptor.Instance)"));
        registered.TestState.Sources.Add((Verify.HelperPath, HelperWithInterceptor));
        TestReferences.UseEfCoreSqlite(registered.TestState);
        await registered.RunAsync();
    }

    [Theory]
    [InlineData("protected override void OnConfiguring(DbContextOptionsBuilder options) => USE;", "options.UseSqlite(\"Data Source=notes.db\")")]
    [InlineData("public static void Register(Microsoft.Extensions.DependencyInjection.IServiceCollection services, string path) => services.AddDbContext<NotesDb>(o => USE);", "o.UseSqlite($\"Data Source={path}\", sqlite => sqlite.CommandTimeout(5))")]
    [InlineData("public static DbContextOptions<NotesDb> Options(string path) => USE.Options;", "new DbContextOptionsBuilder<NotesDb>().UseSqlite(path)")]
    public async Task Fix_registers_the_wal_interceptor_with_ef_core(string member, string useSqlite)
    {
        const string Context = """
            using Microsoft.EntityFrameworkCore;
            using Microsoft.Extensions.DependencyInjection;

            public sealed class NotesDb : DbContext
            {
                public NotesDb() { }
                public NotesDb(DbContextOptions<NotesDb> options) : base(options) { }

                MEMBER
            }
            """;
        var before = Context.Replace("MEMBER", member.Replace("USE", "{|CKPT601:" + useSqlite + "|}"));
        var after = "using CheckpointAudit;\n" + Context.Replace("MEMBER", member.Replace("USE", useSqlite + ".AddInterceptors(SqliteWalInterceptor.Instance)"));
        var test = Verify.CodeFix<SqliteWithoutWalCheck, WalInterceptorCodeFixProvider>(before, after, withHelper: false);
        test.TestState.Sources.Add((Verify.HelperPath, HelperWithInterceptor));
        test.FixedState.Sources.Add((Verify.HelperPath, HelperWithInterceptor));
        TestReferences.UseEfCoreSqlite(test.TestState);
        test.CodeFixTestBehaviors |= CodeFixTestBehaviors.SkipLocalDiagnosticCheck;
        await test.RunAsync();
    }

    [Fact]
    public async Task No_interceptor_fix_without_the_helper_interceptor()
    {
        var test = Verify.CodeFix<SqliteWithoutWalCheck, WalInterceptorCodeFixProvider>(EfContext, EfContext);
        TestReferences.UseEfCoreSqlite(test.TestState);
        test.CodeFixTestBehaviors |= CodeFixTestBehaviors.SkipLocalDiagnosticCheck;
        await test.RunAsync();
    }

    [Fact]
    public async Task No_interceptor_fix_for_a_connection_handed_to_ef_core()
    {
        // EF Core does not open a connection that is open already: the interceptor would never run.
        var source = EfContext.Replace("options.UseSqlite(\"Data Source=notes.db\")", "options.UseSqlite(Shared)")
            .Replace("public DbSet<Note> Notes", "public static readonly Microsoft.Data.Sqlite.SqliteConnection Shared = new(\"Data Source=:memory:\");\n\n    public DbSet<Note> Notes");
        var test = Verify.CodeFix<SqliteWithoutWalCheck, WalInterceptorCodeFixProvider>(source, source, withHelper: false);
        test.TestState.Sources.Add((Verify.HelperPath, HelperWithInterceptor));
        test.FixedState.Sources.Add((Verify.HelperPath, HelperWithInterceptor));
        TestReferences.UseEfCoreSqlite(test.TestState);
        test.CodeFixTestBehaviors |= CodeFixTestBehaviors.SkipLocalDiagnosticCheck;
        await test.RunAsync();
    }

    [Fact]
    public async Task Fix_enables_WAL_right_after_the_connection_opens()
    {
        var unmarked = TwoOpens.Replace("{|CKPT601:", string.Empty).Replace("|}", string.Empty);
        var test = Verify.CodeFix<SqliteWithoutWalCheck, EnableWalCodeFixProvider>(
            TwoOpens,
            // WAL is stored in the database file: once one place sets it, the other finding is gone.
            unmarked.Replace("        connection.Open();\n", SyncPragma + "\n"));
        test.BatchFixedState.Sources.Add(unmarked.Replace("        connection.Open();\n", SyncPragma + "\n").Replace("        await connection.OpenAsync();\n", AsyncPragma + "\n"));
        test.BatchFixedState.Sources.Add((Verify.HelperPath, Verify.HelperSourceNet80));
        TestReferences.UseSqlite(test.TestState);
        test.CodeFixTestBehaviors |= CodeFixTestBehaviors.SkipLocalDiagnosticCheck;
        test.NumberOfIncrementalIterations = 1;
        test.NumberOfFixAllIterations = 1;
        await test.RunAsync();
    }

    [Fact]
    public async Task No_fix_when_the_connection_is_opened_elsewhere()
    {
        var source = """
            using Microsoft.Data.Sqlite;

            class Store
            {
                SqliteConnection Create(string path) => {|CKPT601:new SqliteConnection($"Data Source={path}")|};
            }
            """;
        var test = Verify.CodeFix<SqliteWithoutWalCheck, EnableWalCodeFixProvider>(source, source);
        TestReferences.UseSqlite(test.TestState);
        test.CodeFixTestBehaviors |= CodeFixTestBehaviors.SkipLocalDiagnosticCheck;
        test.FixedState.MarkupHandling = MarkupMode.Allow;
        await test.RunAsync();
    }

    [Fact]
    public async Task Fix_enables_WAL_where_an_open_helper_assigns_the_connection_to_a_field()
    {
        const string Before = """
            using Microsoft.Data.Sqlite;

            class History
            {
                private SqliteConnection connection;

                private void Connect(string path)
                {
                    connection = {|CKPT601:new SqliteConnection($"Data Source={path}")|};
                    connection.Open();
                }
            }
            """;
        const string After = """
            using Microsoft.Data.Sqlite;

            class History
            {
                private SqliteConnection connection;

                private void Connect(string path)
                {
                    connection = new SqliteConnection($"Data Source={path}");
                    connection.Open();
                    using (var walCommand = connection.CreateCommand())
                    {
                        walCommand.CommandText = "PRAGMA journal_mode=WAL;";
                        walCommand.ExecuteNonQuery();
                    }
                }
            }
            """;
        var test = Verify.CodeFix<SqliteWithoutWalCheck, EnableWalCodeFixProvider>(Before, After);
        TestReferences.UseSqlite(test.TestState);
        test.CodeFixTestBehaviors |= CodeFixTestBehaviors.SkipLocalDiagnosticCheck;
        await test.RunAsync();
    }
}
