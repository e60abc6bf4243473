using Microsoft.Data.Sqlite;
using Xunit;

namespace CheckpointAudit.Tests.Concurrency;

/// <summary>
/// What CKPT601 and CKPT603 are about, shown on the real engine: in the default rollback journal a reader that is in the
/// middle of a read blocks a writer's commit (SQLITE_BUSY, "database is locked"); after
/// <c>PRAGMA journal_mode=WAL</c> — what the fix runs — the same write succeeds while the read goes on.
/// Deterministic: the reader holds its snapshot while the writer tries once, with a one-second busy timeout.
/// </summary>
public sealed class SqliteEngineEvidenceTests : IDisposable
{
    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;

    private readonly string _directory = Directory.CreateTempSubdirectory("ckpt-sqlite-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public void In_the_rollback_journal_a_reader_blocks_the_writer()
    {
        var path = Path.Combine(_directory, "rollback.db");
        Create(path, wal: false);

        using var reader = ReadingSnapshot(path, out var snapshot);
        var error = Assert.Throws<SqliteException>(() => Write(path));

        Assert.Equal(SqliteBusy, error.SqliteErrorCode);
        snapshot.Dispose();
    }

    [Fact]
    public void In_WAL_the_writer_commits_while_the_reader_reads()
    {
        var path = Path.Combine(_directory, "wal.db");
        Create(path, wal: true);

        using var reader = ReadingSnapshot(path, out var snapshot);
        Assert.Equal(1, Write(path));

        // The journal mode is stored in the database file: a new connection finds it set.
        using var check = Open(path);
        Assert.Equal("wal", Scalar(check, "PRAGMA journal_mode;"));
        snapshot.Dispose();
    }

    [Fact]
    public void In_shared_cache_the_writer_waits_its_command_timeout_and_fails_even_in_WAL()
    {
        var path = Path.Combine(_directory, "shared.db");
        Create(path, wal: true);

        // Two connections of one process sharing a cache lock the table: the engine does not retry SQLITE_LOCKED, the
        // provider does until the command timeout (1 s here) has passed, then the write fails.
        using var reader = ReadingSnapshot(path, out var snapshot, "Cache=Shared");
        var waited = System.Diagnostics.Stopwatch.StartNew();
        var error = Assert.Throws<SqliteException>(() => Write(path, "Cache=Shared"));
        Assert.Equal(SqliteLocked, error.SqliteErrorCode);
        Assert.True(waited.ElapsedMilliseconds >= 900, $"failed after {waited.ElapsedMilliseconds} ms, before the command timeout");

        // With a private cache (the CKPT603 fix) the same write goes through.
        Assert.Equal(1, Write(path, "Cache=Private"));
        snapshot.Dispose();
    }

    private static SqliteConnection Open(string path, string extra = "")
    {
        var connection = new SqliteConnection($"Data Source={path};Pooling=False;{extra}");
        connection.Open();
        return connection;
    }

    private static void Create(string path, bool wal)
    {
        using var connection = Open(path);
        SqlCommands.Execute(connection, "CREATE TABLE jobs (id INTEGER PRIMARY KEY, state TEXT NOT NULL); INSERT INTO jobs (state) VALUES ('queued');");
        if (wal)
        {
            // What the CKPT601 fix inserts after Open().
            using var walCommand = connection.CreateCommand();
            walCommand.CommandText = "PRAGMA journal_mode=WAL;";
            walCommand.ExecuteNonQuery();
        }
    }

    /// <summary>A connection in the middle of reading: a deferred transaction whose SELECT has started.</summary>
    private static SqliteConnection ReadingSnapshot(string path, out SqliteDataReader snapshot, string extra = "")
    {
        var connection = Open(path, extra);
        var transaction = connection.BeginTransaction(deferred: true);
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT state FROM jobs";
        snapshot = command.ExecuteReader();
        Assert.True(snapshot.Read());
        return connection;
    }

    private static int Write(string path, string extra = "")
    {
        using var connection = Open(path, extra);
        using var command = connection.CreateCommand();
        command.CommandTimeout = 1;
        command.CommandText = "INSERT INTO jobs (state) VALUES ('done')";
        return command.ExecuteNonQuery();
    }

    private static string? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar() as string;
    }
}
