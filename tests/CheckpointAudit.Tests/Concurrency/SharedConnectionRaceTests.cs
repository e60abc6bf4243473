using Microsoft.Data.Sqlite;
using Xunit;

namespace CheckpointAudit.Tests.Concurrency;

/// <summary>
/// What CKPT606 is about, on the real provider: parallel workers that each insert a row in their own transaction,
/// half committing and half rolling back. Through one shared SqliteConnection they fail (the connection holds one
/// transaction at a time) or the wrong rows survive; with a connection per operation every outcome is exactly
/// what each worker asked for. Bounded rounds, no timing asserted.
/// </summary>
public sealed class SharedConnectionRaceTests : IDisposable
{
    private const int Workers = 8;

    private readonly string _path = Path.Combine(Directory.CreateTempSubdirectory("ckpt-shared-").FullName, "rows.db");

    public SharedConnectionRaceTests()
    {
        using var connection = Open();
        Execute(connection, "PRAGMA journal_mode=WAL; CREATE TABLE rows (worker INTEGER NOT NULL, round INTEGER NOT NULL)");
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(Path.GetDirectoryName(_path)!, recursive: true);
    }

    [Fact]
    public async Task One_shared_connection_fails_or_keeps_the_wrong_rows()
    {
        using var shared = Open();
        var broken = false;
        for (var round = 0; round < 30 && !broken; round++)
        {
            var outcome = await Round(round, shared);
            broken = outcome.Failures > 0 || !outcome.RowsAsAsked;
        }

        Assert.True(broken);
    }

    [Fact]
    public async Task A_connection_per_operation_keeps_exactly_the_committed_rows()
    {
        for (var round = 0; round < 3; round++)
        {
            var outcome = await Round(round, shared: null);
            Assert.Equal(0, outcome.Failures);
            Assert.True(outcome.RowsAsAsked);
        }
    }

    /// <summary>One round of workers, all through <paramref name="shared"/>, or each through its own connection when it is null.</summary>
    private async Task<(int Failures, bool RowsAsAsked)> Round(int round, SqliteConnection? shared)
    {
        var start = new Barrier(Workers);
        var failures = await Task.WhenAll(Enumerable.Range(0, Workers).Select(worker => Task.Run(() =>
        {
            var connection = shared ?? Open();
            start.SignalAndWait();
            try
            {
                using var transaction = connection.BeginTransaction();
                using var insert = connection.CreateCommand();
                insert.CommandText = "INSERT INTO rows VALUES ($worker, $round)";
                insert.Parameters.AddWithValue("$worker", worker);
                insert.Parameters.AddWithValue("$round", round);
                insert.ExecuteNonQuery();
                Thread.Sleep(1);
                if (worker % 2 == 0)
                {
                    transaction.Commit();
                }
                else
                {
                    transaction.Rollback();
                }

                return 0;
            }
            catch (Exception)
            {
                // Through a shared connection the provider fails in more ways than one (InvalidOperationException,
                // SqliteException, and now and then a NullReferenceException from its own state): each is a failure.
                return 1;
            }
            finally
            {
                if (shared is null)
                {
                    connection.Dispose();
                }
            }
        })));

        using var check = Open();
        using var select = check.CreateCommand();
        select.CommandText = "SELECT worker FROM rows WHERE round = $round ORDER BY worker";
        select.Parameters.AddWithValue("$round", round);
        var kept = new List<long>();
        using (var reader = select.ExecuteReader())
        {
            while (reader.Read())
            {
                kept.Add(reader.GetInt64(0));
            }
        }

        var asked = Enumerable.Range(0, Workers).Where(w => w % 2 == 0).Select(w => (long)w);
        return (failures.Sum(), kept.SequenceEqual(asked));
    }

    /// <summary>With the engine's busy handler, which waits in finer steps than the provider's 150 ms retries.</summary>
    private SqliteConnection Open()
    {
        var connection = new SqliteConnection($"Data Source={_path}");
        connection.Open();
        Execute(connection, "PRAGMA busy_timeout=10000");
        return connection;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
