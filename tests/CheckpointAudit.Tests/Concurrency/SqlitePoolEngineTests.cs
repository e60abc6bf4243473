using Microsoft.Data.Sqlite;
using Xunit;

namespace CheckpointAudit.Tests.Concurrency;

/// <summary>
/// What CKPT609 is about, on the real engine: Microsoft.Data.Sqlite keeps a disposed connection open in its pool, so a
/// restore that moves a backup over the database file while the pool holds it either fails (Windows: the file is in
/// use) or leaves the pool on the old file (elsewhere): the next connection reads the data the restore replaced, and
/// its writes fail with "attempt to write a readonly database". With <c>ClearAllPools()</c> first — the fix — the next
/// connection opens the restored file. Deterministic: one process, no timing, and run alone (the pool is
/// process-wide, and another test's ClearAllPools would empty it in between).
/// </summary>
[Collection(SqlitePoolCollection.Name)]
public sealed class SqlitePoolEngineTests : IDisposable
{
    private const int SqliteReadOnly = 8;

    private readonly string _directory = Directory.CreateTempSubdirectory("ckpt-sqlite-pool-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public void A_restore_under_a_pooled_connection_fails_or_leaves_the_pool_on_the_old_file()
    {
        var (database, backup) = DatabaseAndBackup("stale");
        using (var connection = Open(database))
        {
            Assert.Equal("live", Read(connection));
        }

        if (OperatingSystem.IsWindows())
        {
            Assert.Throws<IOException>(() => File.Move(backup, database, overwrite: true));
            return;
        }

        File.Move(backup, database, overwrite: true);
        using (var pooled = Open(database))
        {
            // The pooled connection still reads the replaced file, and cannot write any more: SQLite sees that its
            // file was moved away (SQLITE_READONLY_DBMOVED).
            Assert.Equal("live", Read(pooled));
            var error = Assert.Throws<SqliteException>(() => SqlCommands.Execute(pooled, "UPDATE state SET value = 'written after the restore'"));
            Assert.Equal(SqliteReadOnly, error.SqliteErrorCode);
        }

        SqliteConnection.ClearAllPools();
        using var fresh = Open(database);
        Assert.Equal("restored", Read(fresh));
    }

    [Fact]
    public void Clearing_the_pools_first_opens_the_restored_file()
    {
        var (database, backup) = DatabaseAndBackup("cleared");
        using (var connection = Open(database))
        {
            Assert.Equal("live", Read(connection));
        }

        SqliteConnection.ClearAllPools();
        File.Move(backup, database, overwrite: true);

        using var next = Open(database);
        Assert.Equal("restored", Read(next));
    }

    private (string Database, string Backup) DatabaseAndBackup(string name)
    {
        var database = Path.Combine(_directory, name + ".db");
        var backup = Path.Combine(_directory, name + ".backup.db");
        foreach (var (path, value) in new[] { (database, "live"), (backup, "restored") })
        {
            using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
            connection.Open();
            SqlCommands.Execute(connection, $"CREATE TABLE state (value TEXT NOT NULL); INSERT INTO state VALUES ('{value}');");
        }

        return (database, backup);
    }

    // Pooled, the provider's default.
    private static SqliteConnection Open(string path)
    {
        var connection = new SqliteConnection($"Data Source={path}");
        connection.Open();
        return connection;
    }

    private static string? Read(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT value FROM state";
        return command.ExecuteScalar() as string;
    }
}

/// <summary>Tests that depend on what the process-wide connection pool holds: run after the others, one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SqlitePoolCollection
{
    public const string Name = "SQLite connection pool";
}
