using Microsoft.Data.Sqlite;
using Xunit;

namespace CheckpointAudit.Tests.Concurrency;

/// <summary>
/// Microsoft.Data.Sqlite's own busy handling, established on the engine (the ground for CKPT602): it does
/// not set SQLite's busy_timeout; instead a command that meets a locked database retries until its
/// CommandTimeout — 30 s by default, "Default Timeout" in the connection string — and 0 means no limit.
/// Outcomes are asserted, not durations.
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

    private static SqliteConnection Open(string path, string extra = "")
    {
        var connection = new SqliteConnection($"Data Source={path};Pooling=False;{extra}");
        connection.Open();
        return connection;
    }

    /// <summary>A connection with an uncommitted write: every other writer meets a locked database.</summary>
    private static SqliteConnection HoldWriteLock(string path, out SqliteTransaction transaction)
    {
        var connection = Open(path);
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
}
