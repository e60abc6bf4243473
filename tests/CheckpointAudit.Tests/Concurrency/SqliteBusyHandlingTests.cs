using CheckpointAudit.CodeFixes.Concurrency;
using CheckpointAudit.Concurrency;
using CheckpointAudit.Tests.Infrastructure;
using Microsoft.CodeAnalysis.Testing;
using Xunit;

namespace CheckpointAudit.Tests.Concurrency;

public class SqliteBusyHandlingTests
{
    /// <summary>A Dapper-shaped extension: the rule reads the parameter name, not the library.</summary>
    private const string DapperLike = """
        using System.Data;

        static class SqlMapper
        {
            public static int Execute(this IDbConnection connection, string sql, object? param = null, IDbTransaction? transaction = null, int? commandTimeout = null) => 0;
        }
        """;

    private static async Task VerifyAsync(string source, params string[] others)
    {
        var test = Verify.AnalyzerTest<SqliteBusyHandlingCheck>(source);
        foreach (var other in others)
        {
            test.TestState.Sources.Add(other);
        }

        TestReferences.UseSqlite(test.TestState, systemDataSqlite: true);
        await test.RunAsync();
    }

    [Fact]
    public async Task Flags_short_waits_with_Microsoft_Data_Sqlite()
    {
        await VerifyAsync(
            """
            using Microsoft.Data.Sqlite;

            class Store
            {
                SqliteConnection A() => new SqliteConnection({|CKPT602:"Data Source=a.db;Default Timeout=1"|});

                SqliteConnection B(string path) => new SqliteConnection({|CKPT602:$"Data Source={path}; default timeout = 2"|});

                SqliteConnectionStringBuilder C() => new() { DataSource = "c.db", DefaultTimeout = {|CKPT602:3|} };

                void D(SqliteConnection connection)
                {
                    using var command = connection.CreateCommand();
                    command.CommandTimeout = {|CKPT602:1|};
                    connection.Execute("UPDATE jobs SET state = 1", commandTimeout: {|CKPT602:2|});
                }

                // Quiet: the default, long waits, 0 (no limit with this provider), values not known here.
                SqliteConnection E() => new SqliteConnection("Data Source=e.db;Default Timeout=0");
                SqliteConnection F() => new SqliteConnection("Data Source=f.db;Default Timeout=60");
                void G(SqliteConnection connection, int seconds)
                {
                    using var command = connection.CreateCommand();
                    command.CommandTimeout = 0;
                    command.CommandTimeout = seconds;
                    command.CommandTimeout = 30;
                    connection.Execute("DELETE FROM jobs", commandTimeout: 120);
                    connection.Execute("DELETE FROM jobs");
                }
            }
            """,
            DapperLike);
    }

    [Fact]
    public async Task Short_command_timeouts_are_quiet_when_the_engine_waits_itself()
    {
        await VerifyAsync(
            """
            using Microsoft.Data.Sqlite;

            class Store
            {
                private const int BusyMilliseconds = 10000;

                SqliteConnection Open(string path)
                {
                    var connection = new SqliteConnection($"Data Source={path}");
                    connection.Open();
                    using var command = connection.CreateCommand();
                    command.CommandText = $"PRAGMA busy_timeout={BusyMilliseconds}";
                    command.ExecuteNonQuery();
                    return connection;
                }

                void Cleanup(SqliteCommand command) => command.CommandTimeout = 2;
            }
            """);
    }

    [Fact]
    public async Task Short_command_timeouts_are_quiet_when_the_connections_come_from_another_project()
    {
        await VerifyAsync(
            """
            using Microsoft.Data.Sqlite;

            class Cleanup
            {
                void Drop(SqliteConnection connectionFromLoader)
                {
                    using var command = connectionFromLoader.CreateCommand();
                    command.CommandTimeout = 2;
                    command.CommandText = "DROP TABLE IF EXISTS scratch";
                    command.ExecuteNonQuery();
                }
            }
            """);
    }

    [Fact]
    public async Task Flags_System_Data_SQLite_connections_without_a_busy_timeout()
    {
        await VerifyAsync(
            """
            using System.Data.SQLite;

            class Store
            {
                private readonly string _connectionString;

                Store(string connectionString) => _connectionString = connectionString;

                SQLiteConnection Constant() => {|CKPT602:new SQLiteConnection("Data Source=jobs.db")|};

                SQLiteConnection Configured() => {|CKPT602:new SQLiteConnection(_connectionString)|};

                void Setup()
                {
                    // The pragma belongs to this connection only: Constant() and Configured() still get none.
                    using var connection = new SQLiteConnection("Data Source=jobs.db");
                    connection.Open();
                    using var command = connection.CreateCommand();
                    command.CommandText = "PRAGMA busy_timeout = 10000;";
                    command.ExecuteNonQuery();
                }

            }
            """);
    }

    [Fact]
    public async Task Quiet_when_the_connection_gets_a_busy_timeout()
    {
        await VerifyAsync(
            """
            using System.Data.SQLite;

            class Store
            {
                private readonly string _connectionString = "Data Source=a.db";

                // In the string, the initializer or the creating method (property or pragma); an in-memory database.
                SQLiteConnection InString() => new SQLiteConnection("Data Source=a.db;BusyTimeout=30000");
                SQLiteConnection InInitializer() => new SQLiteConnection(_connectionString) { BusyTimeout = 30000 };
                SQLiteConnection InMethod()
                {
                    var connection = new SQLiteConnection(_connectionString);
                    connection.BusyTimeout = 30000;
                    return connection;
                }

                SQLiteConnection Pragma()
                {
                    var connection = new SQLiteConnection("Data Source=a.db");
                    connection.Open();
                    using var command = new SQLiteCommand("PRAGMA busy_timeout=30000", connection);
                    command.ExecuteNonQuery();
                    return connection;
                }

                SQLiteConnection Memory() => new SQLiteConnection("Data Source=:memory:");
            }
            """);
    }

    [Fact]
    public async Task Flags_a_builder_that_makes_connection_strings_without_a_busy_timeout()
    {
        await VerifyAsync(
            """
            using System.Data.Common;
            using System.Data.SQLite;

            class ConnectionStrings
            {
                // Connections come from the provider factory: the builder is where their strings get made.
                public static string Main(string path)
                {
                    var builder = {|CKPT602:new SQLiteConnectionStringBuilder
                    {
                        DataSource = path,
                        JournalMode = SQLiteJournalModeEnum.Wal,
                        Pooling = true,
                    }|};
                    return builder.ConnectionString;
                }

                public static string Log(string path)
                {
                    var builder = {|CKPT602:new SQLiteConnectionStringBuilder()|};
                    builder.DataSource = path;
                    builder.Pooling = true;
                    return builder.ToString();
                }

                // Parsing a string to read its file back makes no connection string.
                public static string PathOf(string connectionString) => new SQLiteConnectionStringBuilder(connectionString).DataSource;

                public static string Memory() => new SQLiteConnectionStringBuilder { DataSource = ":memory:" }.ConnectionString;

                public static DbConnection Open(string connectionString)
                {
                    var connection = SQLiteFactory.Instance.CreateConnection();
                    connection.ConnectionString = connectionString;
                    return connection;
                }
            }
            """);
    }

    [Fact]
    public async Task Quiet_when_the_builder_sets_a_busy_timeout()
    {
        await VerifyAsync(
            """
            using System.Data.SQLite;

            class ConnectionStrings
            {
                public static string Main(string path)
                {
                    var builder = new SQLiteConnectionStringBuilder { DataSource = path, BusyTimeout = 100 };
                    return builder.ConnectionString;
                }
            }
            """);
    }

    [Fact]
    public async Task A_connection_string_built_elsewhere_with_a_busy_timeout_counts()
    {
        await VerifyAsync(
            """
            using System.Data.SQLite;

            class Store
            {
                SQLiteConnection Open(string connectionString) => new SQLiteConnection(connectionString);

                // A constant string is known to lack it, whatever other files do.
                SQLiteConnection Constant() => {|CKPT602:new SQLiteConnection("Data Source=jobs.db")|};

                // A busy timeout does not help when the command timeout gives up at once.
                SQLiteConnection ZeroWait() => new SQLiteConnection({|CKPT602:"Data Source=z.db;BusyTimeout=5000;Default Timeout=0"|});
            }
            """,
            """
            using System.Data.SQLite;

            static class Settings
            {
                public static string ConnectionString(string path) => new SQLiteConnectionStringBuilder { DataSource = path, BusyTimeout = 30000 }.ToString();
            }
            """);
    }

    [Fact]
    public async Task Quiet_without_SQLite()
    {
        var test = Verify.AnalyzerTest<SqliteBusyHandlingCheck>("""
            class Command { public int CommandTimeout { get; set; } }

            class C
            {
                void M(Command command) => command.CommandTimeout = 1;
            }
            """);
        await test.RunAsync();
    }

    [Fact]
    public async Task Fix_waits_up_to_30_seconds()
    {
        const string Source = """
            using Microsoft.Data.Sqlite;
            using System.Data.SQLite;

            class Store
            {
                SqliteConnection A() => new SqliteConnection({|CKPT602:"Data Source=a.db;Default Timeout=1"|});

                void B(SqliteCommand command) => command.CommandTimeout = {|CKPT602:2|};

                SQLiteConnection C(string connectionString) => {|CKPT602:new SQLiteConnection(connectionString)|};

                SQLiteConnection D(string connectionString) => {|CKPT602:new SQLiteConnection(connectionString) { ParseViaFramework = false }|};
            }
            """;
        const string Fixed = """
            using Microsoft.Data.Sqlite;
            using System.Data.SQLite;

            class Store
            {
                SqliteConnection A() => new SqliteConnection("Data Source=a.db;Default Timeout=30");

                void B(SqliteCommand command) => command.CommandTimeout = 30;

                SQLiteConnection C(string connectionString) => new SQLiteConnection(connectionString) { BusyTimeout = 30000 };

                SQLiteConnection D(string connectionString) => new SQLiteConnection(connectionString) { ParseViaFramework = false, BusyTimeout = 30000 };
            }
            """;
        var test = Verify.CodeFix<SqliteBusyHandlingCheck, WaitForLocksCodeFixProvider>(Source, Fixed);
        TestReferences.UseSqlite(test.TestState, systemDataSqlite: true);
        test.CodeFixTestBehaviors |= CodeFixTestBehaviors.SkipLocalDiagnosticCheck;
        test.NumberOfIncrementalIterations = 4;
        test.NumberOfFixAllIterations = 1;
        await test.RunAsync();
    }

    [Fact]
    public async Task No_fix_for_a_timeout_held_in_a_constant()
    {
        const string Source = """
            using Microsoft.Data.Sqlite;

            class Store
            {
                private const int QuickSeconds = 1;

                SqliteConnection Open() => new SqliteConnection("Data Source=app.db");

                void B(SqliteCommand command) => command.CommandTimeout = {|CKPT602:QuickSeconds|};
            }
            """;
        var test = Verify.CodeFix<SqliteBusyHandlingCheck, WaitForLocksCodeFixProvider>(Source, Source);
        TestReferences.UseSqlite(test.TestState, systemDataSqlite: true);
        test.CodeFixTestBehaviors |= CodeFixTestBehaviors.SkipLocalDiagnosticCheck;
        test.FixedState.MarkupHandling = MarkupMode.Allow;
        await test.RunAsync();
    }
}
