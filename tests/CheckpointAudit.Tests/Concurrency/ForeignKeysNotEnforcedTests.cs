using CheckpointAudit.CodeFixes.Concurrency;
using CheckpointAudit.Concurrency;
using CheckpointAudit.Tests.Infrastructure;
using Microsoft.CodeAnalysis.Testing;
using Xunit;

namespace CheckpointAudit.Tests.Concurrency;

public class ForeignKeysNotEnforcedTests
{
    private const string Schema = """
        static class Schema
        {
            public const string Create = @"
                CREATE TABLE documents (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
                CREATE TABLE pages (id INTEGER PRIMARY KEY, document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE);";
        }
        """;

    [Fact]
    public async Task Flags_System_Data_SQLite_connections_without_foreign_keys_on()
    {
        var test = Verify.AnalyzerTest<ForeignKeysNotEnforcedCheck>("""
            using System.Data.SQLite;

            class Store
            {
                SQLiteConnection Open(string path) => new SQLiteConnection({|CKPT611:$"Data Source={path};Version=3"|});

                SQLiteConnection Enforced(string path) => new SQLiteConnection($"Data Source={path};Foreign Keys=True");

                void Set(SQLiteConnection connection) => connection.ConnectionString = {|CKPT611:"Data Source=jobs.db"|};

                // A builder told to enforce them.
                SQLiteConnection Built(string path) => new SQLiteConnection(new SQLiteConnectionStringBuilder($"Data Source={path}") { ForeignKeys = true }.ToString());

                // From configuration: not known here.
                SQLiteConnection Configured(string connectionString) => new SQLiteConnection(connectionString);
            }
            """);
        test.TestState.Sources.Add(Schema);
        TestReferences.UseSqlite(test.TestState, systemDataSqlite: true);
        await test.RunAsync();
    }

    [Fact]
    public async Task Flags_Microsoft_Data_Sqlite_only_when_turned_off()
    {
        var test = Verify.AnalyzerTest<ForeignKeysNotEnforcedCheck>("""
            using Microsoft.Data.Sqlite;

            class Store
            {
                SqliteConnection Default(string path) => new SqliteConnection($"Data Source={path}");

                SqliteConnection Off(string path) => new SqliteConnection({|CKPT611:"Data Source=jobs.db;Foreign Keys=False"|});

                SqliteConnectionStringBuilder Builder() => new() { DataSource = "b.db", ForeignKeys = {|CKPT611:false|} };
            }
            """);
        test.TestState.Sources.Add(Schema);
        TestReferences.UseSqlite(test.TestState);
        await test.RunAsync();
    }

    [Fact]
    public async Task Valid_no_foreign_keys_or_a_pragma_that_enforces_them_stays_quiet()
    {
        var noForeignKeys = Verify.AnalyzerTest<ForeignKeysNotEnforcedCheck>("""
            using System.Data.SQLite;

            class Store
            {
                const string Create = "CREATE TABLE documents (id INTEGER PRIMARY KEY, note TEXT); -- see the references page";
                const string Help = "REFERENCES documents(id) is how a page points to its document";

                SQLiteConnection Open(string path) => new SQLiteConnection($"Data Source={path}");
            }
            """);
        TestReferences.UseSqlite(noForeignKeys.TestState, systemDataSqlite: true);
        await noForeignKeys.RunAsync();

        var pragma = Verify.AnalyzerTest<ForeignKeysNotEnforcedCheck>("""
            using System.Data.SQLite;

            class Store
            {
                SQLiteConnection Open(string path)
                {
                    var connection = new SQLiteConnection($"Data Source={path}");
                    connection.Open();
                    using var command = connection.CreateCommand();
                    command.CommandText = "PRAGMA foreign_keys = ON;";
                    command.ExecuteNonQuery();
                    return connection;
                }
            }
            """);
        pragma.TestState.Sources.Add(Schema);
        TestReferences.UseSqlite(pragma.TestState, systemDataSqlite: true);
        await pragma.RunAsync();
    }

    [Fact]
    public async Task Fix_enforces_foreign_keys_in_the_connection_string()
    {
        var test = Verify.CodeFix<ForeignKeysNotEnforcedCheck, EnforceForeignKeysCodeFixProvider>(
            """
            using System.Data.SQLite;

            class Store
            {
                SQLiteConnection A(string path) => new SQLiteConnection({|CKPT611:$"Data Source={path};Version=3"|});

                SQLiteConnection Escaped(string folder) => new SQLiteConnection({|CKPT611:$"Data Source={folder}\\jobs.db"|});

                SQLiteConnection B() => new SQLiteConnection({|CKPT611:"Data Source=jobs.db;"|});

                SQLiteConnection C() => new SQLiteConnection({|CKPT611:"Data Source=jobs.db;Foreign Keys=False"|});
            }
            """,
            """
            using System.Data.SQLite;

            class Store
            {
                SQLiteConnection A(string path) => new SQLiteConnection($"Data Source={path};Version=3;Foreign Keys=True");

                SQLiteConnection Escaped(string folder) => new SQLiteConnection($"Data Source={folder}\\jobs.db;Foreign Keys=True");

                SQLiteConnection B() => new SQLiteConnection("Data Source=jobs.db;Foreign Keys=True");

                SQLiteConnection C() => new SQLiteConnection("Data Source=jobs.db;Foreign Keys=True");
            }
            """);
        test.TestState.Sources.Add(Schema);
        test.FixedState.Sources.Add(Schema);
        TestReferences.UseSqlite(test.TestState, systemDataSqlite: true);
        test.NumberOfIncrementalIterations = 4;
        test.NumberOfFixAllIterations = 1;
        test.CodeFixTestBehaviors |= CodeFixTestBehaviors.SkipLocalDiagnosticCheck;
        await test.RunAsync();
    }
}
