// Correct code: a SQLite job store in WAL mode with a connection per operation, claims made by one
// conditional UPDATE, a check-then-act in one transaction, the result file written before the job is
// marked done, and a missing result handled where it is read.
using System;
using System.IO;
using System.Threading.Tasks;
using Microsoft.Data.Sqlite;

namespace ValidCode;

public sealed class SqliteJobStore(string databasePath, string resultDirectory)
{
    private readonly string _connectionString = $"Data Source={databasePath}";

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using (var walCommand = connection.CreateCommand())
        {
            walCommand.CommandText = "PRAGMA journal_mode=WAL;";
            walCommand.ExecuteNonQuery();
        }

        return connection;
    }

    /// <summary>The check is the UPDATE's WHERE: exactly one caller changes the row.</summary>
    public bool TryClaim(string id)
    {
        using var connection = Open();
        using var claim = connection.CreateCommand();
        claim.CommandText = "UPDATE jobs SET state = 'running' WHERE id = $id AND state = 'queued'";
        claim.Parameters.AddWithValue("$id", id);
        return claim.ExecuteNonQuery() == 1;
    }

    /// <summary>A decision made in C#, inside one transaction.</summary>
    public bool Retry(string id, int maxAttempts)
    {
        using var connection = Open();
        using var transaction = connection.BeginTransaction();
        using var select = connection.CreateCommand();
        select.CommandText = "SELECT state, attempts FROM jobs WHERE id = $id";
        select.Parameters.AddWithValue("$id", id);
        using (var reader = select.ExecuteReader())
        {
            if (!reader.Read() || reader.GetString(0) != "failed" || reader.GetInt32(1) >= maxAttempts)
            {
                return false;
            }
        }

        using var update = connection.CreateCommand();
        update.CommandText = "UPDATE jobs SET state = 'queued', attempts = attempts + 1 WHERE id = $id";
        update.Parameters.AddWithValue("$id", id);
        update.ExecuteNonQuery();
        transaction.Commit();
        return true;
    }

    /// <summary>The result is on disk before the status says so.</summary>
    public async Task CompleteAsync(string id, string result)
    {
        // Atomic and durable: the generated helper writes a temp file beside it, flushes and renames.
        await CheckpointAudit.CheckpointFile.WriteAllTextAsync(Path.Combine(resultDirectory, id + ".txt"), result);

        using var connection = Open();
        using var done = connection.CreateCommand();
        done.CommandText = "UPDATE jobs SET state = 'done' WHERE id = $id";
        done.Parameters.AddWithValue("$id", id);
        done.ExecuteNonQuery();
    }

    /// <summary>No File.Exists first: a result deleted by a cleanup in between is just "no result".</summary>
    public string? ReadResult(string id)
    {
        try
        {
            return File.ReadAllText(Path.Combine(resultDirectory, id + ".txt"));
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }

    /// <summary>
    /// Another installation's database is read from a copy with a name of its own: no pooled connection has that file
    /// yet when it is copied, and the pool lets it go before the copy is deleted.
    /// </summary>
    public long CountImported(string exportedDatabase)
    {
        var copy = Path.Combine(resultDirectory, $"import-{Guid.NewGuid():N}.db");
        File.Copy(exportedDatabase, copy, true);
        long count;
        using (var connection = new SqliteConnection($"Data Source={copy};Mode=ReadOnly"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT count(*) FROM jobs";
            count = (long)command.ExecuteScalar()!;
            SqliteConnection.ClearPool(connection);
        }

        File.Delete(copy);
        return count;
    }
}
