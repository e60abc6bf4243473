using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Xunit;

namespace CheckpointAudit.Tests.Concurrency;

/// <summary>
/// Why CKPT601 is quiet for EF Core's UseSqlite when the project has EF Core create its database: on the real EF Core
/// SQLite provider, a database created by EnsureCreated or Migrate is in WAL mode, and one EF Core did not create (a
/// file an older version or another tool made) keeps the default rollback journal, until the generated interceptor of
/// CKPT601's fix switches it on open.
/// </summary>
public sealed class EfCoreWalEngineTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("ckpt-ef-wal-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public void A_database_ef_core_creates_is_in_wal_mode()
    {
        using (var db = Open("created.db"))
        {
            Assert.True(db.Database.EnsureCreated());
        }

        using (var db = Open("migrated.db"))
        {
            db.Database.Migrate();
        }

        Assert.Equal("wal", JournalMode("created.db"));
        Assert.Equal("wal", JournalMode("migrated.db"));
    }

    [Fact]
    public void A_database_ef_core_did_not_create_keeps_the_rollback_journal()
    {
        using (var connection = new SqliteConnection(ConnectionString("existing.db")))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "CREATE TABLE Notes (Id INTEGER PRIMARY KEY, Text TEXT NOT NULL)";
            command.ExecuteNonQuery();
        }

        using (var db = Open("existing.db"))
        {
            Assert.False(db.Database.EnsureCreated());
            db.Notes.Add(new Note { Text = "kept" });
            db.SaveChanges();
        }

        Assert.Equal("delete", JournalMode("existing.db"));
    }

    [Fact]
    public async Task The_generated_interceptor_switches_a_database_ef_core_did_not_create_to_wal()
    {
        // CKPT601's fix for UseSqlite: UseSqlite(...).AddInterceptors(SqliteWalInterceptor.Instance).
        foreach (var file in new[] { "existing-sync.db", "existing-async.db" })
        {
            using var connection = new SqliteConnection(ConnectionString(file));
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "CREATE TABLE Notes (Id INTEGER PRIMARY KEY, Text TEXT NOT NULL)";
            command.ExecuteNonQuery();
        }

        Assert.Equal("delete", JournalMode("existing-sync.db"));
        using (var db = OpenWithWal("existing-sync.db"))
        {
            db.Notes.Add(new Note { Text = "kept" });
            db.SaveChanges();
        }

        using (var db = OpenWithWal("existing-async.db"))
        {
            db.Notes.Add(new Note { Text = "kept" });
            await db.SaveChangesAsync();
        }

        Assert.Equal("wal", JournalMode("existing-sync.db"));
        Assert.Equal("wal", JournalMode("existing-async.db"));
        using (var db = OpenWithWal("existing-sync.db"))
        {
            Assert.Equal("kept", db.Notes.Single().Text);
        }
    }

    private NotesDb OpenWithWal(string file)
        => new(new DbContextOptionsBuilder<NotesDb>().UseSqlite(ConnectionString(file)).AddInterceptors(CheckpointAudit.SqliteWalInterceptor.Instance).Options);

    private NotesDb Open(string file)
        => new(new DbContextOptionsBuilder<NotesDb>().UseSqlite(ConnectionString(file)).Options);

    private string ConnectionString(string file) => "Data Source=" + Path.Combine(_directory, file) + ";Pooling=False";

    private string JournalMode(string file)
    {
        using var connection = new SqliteConnection(ConnectionString(file));
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";
        return (string)command.ExecuteScalar()!;
    }

    public sealed class Note
    {
        public int Id { get; set; }

        public string Text { get; set; } = "";
    }

    public sealed class NotesDb(DbContextOptions<NotesDb> options) : DbContext(options)
    {
        public DbSet<Note> Notes => Set<Note>();
    }
}
