using System.Data.Common;
using Microsoft.Data.Sqlite;
using Xunit;

namespace CheckpointAudit.Tests.Concurrency;

/// <summary>
/// Each provider's own busy handling, established on its engine (the ground for CKPT602). Microsoft.Data.Sqlite
/// does not set SQLite's busy_timeout; a command that meets a locked database retries until its
/// CommandTimeout — 30 s by default, "Default Timeout" in the connection string — and 0 means no limit.
/// System.Data.SQLite also leaves busy_timeout at 0 but retries only StepRetries (40) times with short random
/// sleeps (2–3 s in all here), whatever the command timeout; a command timeout of 0 gives up at once; a
/// BusyTimeout on the connection makes it wait. Outcomes are asserted, not durations.
/// </summary>
public sealed class SqliteProviderBehaviourTests : IDisposable
{
    private const int SqliteBusy = 5;

    private readonly string _directory = Directory.CreateTempSubdirectory("ckpt-sqlite-busy-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Commands_retry_for_30_seconds_by_default_and_busy_timeout_stays_unset()
    {
        using var connection = Open(Path.Combine(_directory, "defaults.db"));
        using var command = connection.CreateCommand();
        Assert.Equal(30, command.CommandTimeout);

        command.CommandText = "PRAGMA busy_timeout;";
        Assert.Equal(0L, command.ExecuteScalar());
    }

    [Fact]
    public void A_short_default_timeout_gives_up_with_SQLITE_BUSY_while_another_connection_writes()
    {
        var path = Path.Combine(_directory, "short.db");
        using var holder = HoldWriteLock(path, out var transaction);

        using var writer = Open(path, "Default Timeout=1");
        using var insert = writer.CreateCommand();
        insert.CommandText = "INSERT INTO t VALUES (2)";
        var error = Assert.Throws<SqliteException>(() => insert.ExecuteNonQuery());

        Assert.Equal(SqliteBusy, error.SqliteErrorCode);
        transaction.Rollback();
    }

    /// <summary>Why CKPT602 stays quiet about short command timeouts when the project sets busy_timeout: the engine waits first.</summary>
    [Fact]
    public async Task The_engines_busy_timeout_outlasts_a_short_command_timeout()
    {
        var path = Path.Combine(_directory, "engine-waits.db");
        var holder = HoldWriteLock(path, out var transaction);
        var release = Task.Run(async () =>
        {
            await Task.Delay(2000);
            transaction.Commit();
            holder.Dispose();
        });

        using var writer = Open(path, "Default Timeout=1");
        using (var pragma = writer.CreateCommand())
        {
            pragma.CommandText = "PRAGMA busy_timeout=10000";
            pragma.ExecuteNonQuery();
        }

        using var insert = writer.CreateCommand();
        insert.CommandText = "INSERT INTO t VALUES (2)";
        Assert.Equal(1, insert.ExecuteNonQuery());
        await release;
    }

    [Fact]
    public async Task A_zero_timeout_waits_for_the_lock_instead_of_failing()
    {
        var path = Path.Combine(_directory, "zero.db");
        var holder = HoldWriteLock(path, out var transaction);
        var release = Task.Run(async () =>
        {
            await Task.Delay(500);
            transaction.Commit();
            holder.Dispose();
        });

        using var writer = Open(path, "Default Timeout=0");
        using var insert = writer.CreateCommand();
        insert.CommandText = "INSERT INTO t VALUES (2)";
        Assert.Equal(1, insert.ExecuteNonQuery());
        await release;
    }

    [Fact]
    public void SystemDataSqlite_leaves_busy_timeout_unset_and_retries_40_times()
    {
        using var connection = OpenSystemDataSqlite(Path.Combine(_directory, "sds-defaults.db"));
        using var command = connection.CreateCommand();
        Assert.Equal(30, command.CommandTimeout);
        Assert.Equal(0, connection.BusyTimeout);
        Assert.Equal(40, connection.StepRetries);

        command.CommandText = "PRAGMA busy_timeout;";
        Assert.Equal(0L, command.ExecuteScalar());
    }

    /// <summary>The lock is never released here: without BusyTimeout the default 30 s command timeout does not make it wait.</summary>
    [Theory]
    [InlineData("")]
    [InlineData("Default Timeout=0")]
    public void SystemDataSqlite_without_BusyTimeout_gives_up_with_SQLITE_BUSY_long_before_its_command_timeout(string extra)
    {
        var path = Path.Combine(_directory, "sds-gives-up.db");
        using var holder = HoldSystemDataSqliteWriteLock(path, out var transaction);

        using var writer = OpenSystemDataSqlite(path, extra);
        using var insert = writer.CreateCommand();
        insert.CommandText = "INSERT INTO t VALUES (2)";
        var error = Assert.Throws<System.Data.SQLite.SQLiteException>(() => insert.ExecuteNonQuery());

        Assert.Equal(System.Data.SQLite.SQLiteErrorCode.Busy, error.ResultCode);
        transaction.Rollback();
    }

    /// <summary>What CKPT602's fix writes: BusyTimeout in the initializer, applied when the connection opens.</summary>
    [Fact]
    public async Task SystemDataSqlite_with_BusyTimeout_waits_for_the_lock()
    {
        var path = Path.Combine(_directory, "sds-waits.db");
        var holder = HoldSystemDataSqliteWriteLock(path, out var transaction);
        var release = Task.Run(async () =>
        {
            // Longer than the 40 retries last without a busy timeout.
            await Task.Delay(6000);
            transaction.Commit();
            holder.Dispose();
        });

        using var writer = new System.Data.SQLite.SQLiteConnection($"Data Source={path};Pooling=False") { BusyTimeout = 30000 };
        writer.Open();
        using var insert = writer.CreateCommand();
        insert.CommandText = "INSERT INTO t VALUES (2)";
        Assert.Equal(1, insert.ExecuteNonQuery());
        await release;
    }

    private static System.Data.SQLite.SQLiteConnection OpenSystemDataSqlite(string path, string extra = "")
    {
        var connection = new System.Data.SQLite.SQLiteConnection($"Data Source={path};Pooling=False;{extra}");
        connection.Open();
        return connection;
    }

    private static SqliteConnection Open(string path, string extra = "")
    {
        var connection = new SqliteConnection($"Data Source={path};Pooling=False;{extra}");
        connection.Open();
        return connection;
    }

    /// <summary>
    /// An opened connection with an uncommitted write: every other writer meets a locked database. The holder must
    /// run on the same SQLite build as the writer: two copies of the engine in one process do not see each other's
    /// POSIX locks (SQLite's "multiple copies" hazard), so System.Data.SQLite is held with System.Data.SQLite.
    /// </summary>
    private static TConnection HoldWriteLock<TConnection>(TConnection connection, out DbTransaction transaction)
        where TConnection : DbConnection
    {
        using (var create = connection.CreateCommand())
        {
            create.CommandText = "CREATE TABLE t (x)";
            create.ExecuteNonQuery();
        }

        transaction = connection.BeginTransaction();
        using var write = connection.CreateCommand();
        write.Transaction = transaction;
        write.CommandText = "INSERT INTO t VALUES (1)";
        write.ExecuteNonQuery();
        return connection;
    }

    private static SqliteConnection HoldWriteLock(string path, out DbTransaction transaction) => HoldWriteLock(Open(path), out transaction);

    private static System.Data.SQLite.SQLiteConnection HoldSystemDataSqliteWriteLock(string path, out DbTransaction transaction)
        => HoldWriteLock(OpenSystemDataSqlite(path), out transaction);
}
