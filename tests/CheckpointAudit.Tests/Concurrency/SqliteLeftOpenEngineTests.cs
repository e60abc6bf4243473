using Microsoft.Data.Sqlite;
using Xunit;

namespace CheckpointAudit.Tests.Concurrency;

/// <summary>
/// What CKPT610 is about, on the real engine (Microsoft.Data.Sqlite): a data reader or a transaction that an exception
/// left open on a connection that lives on keeps its lock, so every other connection's write fails with
/// SQLITE_BUSY until it is disposed; a command that has run and was never disposed holds nothing, which is why the
/// rule leaves commands alone. Deterministic: the lock is held by this test while the other connection tries once,
/// with a one-second busy timeout.
/// </summary>
public sealed class SqliteLeftOpenEngineTests : IDisposable
{
    private const int SqliteBusy = 5;

    private readonly string _path;
    private readonly SqliteConnection _longLived;

    public SqliteLeftOpenEngineTests()
    {
        _path = Path.Combine(Directory.CreateTempSubdirectory("ckpt-sqlite-open-").FullName, "jobs.db");
        _longLived = Open();
        SqlCommands.Execute(_longLived, "CREATE TABLE jobs (id INTEGER PRIMARY KEY, state TEXT NOT NULL); INSERT INTO jobs (state) VALUES ('queued'), ('queued');");
    }

    public void Dispose()
    {
        _longLived.Dispose();
        Directory.Delete(Path.GetDirectoryName(_path)!, recursive: true);
    }

    [Fact]
    public void A_reader_left_open_blocks_every_writer_until_it_is_disposed()
    {
        var command = _longLived.CreateCommand();
        command.CommandText = "SELECT state FROM jobs";
        var reader = command.ExecuteReader();
        Assert.True(reader.Read());

        // The exception that skipped reader.Close(): the reader is still open on the long-lived connection.
        Assert.Equal(SqliteBusy, Assert.Throws<SqliteException>(() => WriteFromAnotherConnection()).SqliteErrorCode);

        reader.Dispose();
        Assert.Equal(1, WriteFromAnotherConnection());
    }

    [Fact]
    public void A_transaction_left_open_keeps_the_write_lock_and_blocks_the_next_transaction()
    {
        var transaction = _longLived.BeginTransaction();
        SqlCommands.Execute(_longLived, "UPDATE jobs SET state = 'claimed' WHERE id = 1", transaction);

        // The exception that skipped Commit(): other connections cannot write, and this one cannot begin again.
        Assert.Equal(SqliteBusy, Assert.Throws<SqliteException>(() => WriteFromAnotherConnection()).SqliteErrorCode);
        Assert.Throws<InvalidOperationException>(() => _longLived.BeginTransaction());

        // Disposing it (what a using does on the error path) rolls back and releases the lock.
        transaction.Dispose();
        Assert.Equal(1, WriteFromAnotherConnection());
        Assert.Equal("queued", Scalar("SELECT state FROM jobs WHERE id = 1"));
    }

    [Fact]
    public void A_command_that_has_run_and_was_never_disposed_holds_no_lock()
    {
        var command = _longLived.CreateCommand();
        command.CommandText = "SELECT count(*) FROM jobs";
        Assert.Equal(2L, command.ExecuteScalar());

        Assert.Equal(1, WriteFromAnotherConnection());
        GC.KeepAlive(command);
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection($"Data Source={_path};Pooling=False");
        connection.Open();
        return connection;
    }

    private int WriteFromAnotherConnection()
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandTimeout = 1;
        command.CommandText = "INSERT INTO jobs (state) VALUES ('done')";
        return command.ExecuteNonQuery();
    }

    private string? Scalar(string sql)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar() as string;
    }
}
