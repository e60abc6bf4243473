using System.Data.SQLite;
using Microsoft.Data.Sqlite;
using Xunit;

namespace CheckpointAudit.Tests.Concurrency;

/// <summary>
/// Whether each provider enforces declared foreign keys, measured on its engine (the ground for CKPT611): a row that
/// references a parent that does not exist is rejected only where <c>PRAGMA foreign_keys</c> is on for the connection.
/// </summary>
public sealed class SqliteForeignKeyEngineTests : IDisposable
{
    private const string Schema = "CREATE TABLE documents (id INTEGER PRIMARY KEY); CREATE TABLE pages (id INTEGER PRIMARY KEY, document_id INTEGER NOT NULL REFERENCES documents(id));";
    private const string Orphan = "INSERT INTO pages (document_id) VALUES (42);";

    private readonly string _directory = Directory.CreateTempSubdirectory("ckpt-sqlite-fk-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData("", 1L)]
    [InlineData("Foreign Keys=True", 1L)]
    [InlineData("Foreign Keys=False", 0L)]
    public void Microsoft_Data_Sqlite(string option, long enforced)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(_directory, "m" + enforced + option.Length + ".db")};Pooling=False;{option}");
        AssertEnforcement(connection, enforced);
    }

    [Theory]
    [InlineData("", 0L)]
    [InlineData("Foreign Keys=True", 1L)]
    public void System_Data_SQLite(string option, long enforced)
    {
        using var connection = new SQLiteConnection($"Data Source={Path.Combine(_directory, "s" + enforced + ".db")};{option}");
        AssertEnforcement(connection, enforced);
    }

    /// <summary>The pragma reads as expected, and a row with a missing parent is rejected exactly when it is on.</summary>
    private static void AssertEnforcement(System.Data.Common.DbConnection connection, long enforced)
    {
        connection.Open();
        Assert.Equal(enforced, SqlCommands.Scalar(connection, "PRAGMA foreign_keys;"));
        SqlCommands.Execute(connection, Schema);
        var rejected = Record.Exception(() => SqlCommands.Execute(connection, Orphan));
        if (enforced == 1)
        {
            Assert.IsAssignableFrom<System.Data.Common.DbException>(rejected);
        }
        else
        {
            Assert.Null(rejected);
        }
    }
}
