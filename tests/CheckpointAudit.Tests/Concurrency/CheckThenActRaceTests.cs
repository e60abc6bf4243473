using Microsoft.Data.Sqlite;
using Xunit;

namespace CheckpointAudit.Tests.Concurrency;

/// <summary>
/// What CKPT604 is about, on the real engine: workers that each read a job's state and, seeing "queued", set it
/// to "running" — the check and the act as two statements — can both claim the same job. Run as the CKPT604 fix
/// leaves it (both in one transaction) or as one conditional UPDATE with a rows-affected check, exactly one
/// worker claims it. Bounded: rounds repeat until the race shows or a generous count is reached; the pause
/// between check and act stands for the work a real caller does there. No timing is asserted.
/// </summary>
public sealed class CheckThenActRaceTests : IDisposable
{
    private const int Workers = 6;

    private readonly string _path = Path.Combine(Directory.CreateTempSubdirectory("ckpt-race-").FullName, "jobs.db");

    public CheckThenActRaceTests()
    {
        using var connection = Open();
        Execute(connection, "PRAGMA journal_mode=WAL; CREATE TABLE jobs (id INTEGER PRIMARY KEY, state TEXT NOT NULL); INSERT INTO jobs VALUES (1, 'queued');");
    }

    public void Dispose() => Directory.Delete(Path.GetDirectoryName(_path)!, recursive: true);

    [Fact]
    public async Task Check_then_act_lets_two_workers_claim_the_same_job()
    {
        var doubleClaims = 0;
        for (var round = 0; round < 50 && doubleClaims == 0; round++)
        {
            if (await ClaimsInOneRound(CheckThenAct) > 1)
            {
                doubleClaims++;
            }
        }

        Assert.Equal(1, doubleClaims);
    }

    [Fact]
    public async Task In_one_transaction_exactly_one_worker_claims_it()
    {
        for (var round = 0; round < 10; round++)
        {
            Assert.Equal(1, await ClaimsInOneRound(CheckThenActInOneTransaction));
        }
    }

    [Fact]
    public async Task With_a_conditional_update_exactly_one_worker_claims_it()
    {
        for (var round = 0; round < 10; round++)
        {
            Assert.Equal(1, await ClaimsInOneRound(ConditionalUpdate));
        }
    }

    private async Task<int> ClaimsInOneRound(Func<SqliteConnection, bool> claim)
    {
        using (var reset = Open())
        {
            Execute(reset, "UPDATE jobs SET state = 'queued' WHERE id = 1");
        }

        var start = new Barrier(Workers);
        var claims = await Task.WhenAll(Enumerable.Range(0, Workers).Select(_ => Task.Run(() =>
        {
            using var connection = Open();
            start.SignalAndWait();
            return claim(connection);
        })));
        return claims.Count(c => c);
    }

    /// <summary>The shape CKPT604 reports.</summary>
    private static bool CheckThenAct(SqliteConnection connection)
    {
        using var select = connection.CreateCommand();
        select.CommandText = "SELECT state FROM jobs WHERE id = 1";
        if ((string?)select.ExecuteScalar() != "queued")
        {
            return false;
        }

        Thread.Sleep(5);
        using var update = connection.CreateCommand();
        update.CommandText = "UPDATE jobs SET state = 'running' WHERE id = 1";
        update.ExecuteNonQuery();
        return true;
    }

    /// <summary>The same code as the CKPT604 fix leaves it.</summary>
    private static bool CheckThenActInOneTransaction(SqliteConnection connection)
    {
        using var transaction = connection.BeginTransaction();
        using var select = connection.CreateCommand();
        select.CommandText = "SELECT state FROM jobs WHERE id = 1";
        if ((string?)select.ExecuteScalar() != "queued")
        {
            return false;
        }

        Thread.Sleep(5);
        using var update = connection.CreateCommand();
        update.CommandText = "UPDATE jobs SET state = 'running' WHERE id = 1";
        update.ExecuteNonQuery();
        transaction.Commit();
        return true;
    }

    /// <summary>The hand-written alternative the doc page shows: the check is the UPDATE's WHERE.</summary>
    private static bool ConditionalUpdate(SqliteConnection connection)
    {
        using var update = connection.CreateCommand();
        update.CommandText = "UPDATE jobs SET state = 'running' WHERE id = 1 AND state = 'queued'";
        return update.ExecuteNonQuery() == 1;
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection($"Data Source={_path};Pooling=False");
        connection.Open();
        return connection;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
