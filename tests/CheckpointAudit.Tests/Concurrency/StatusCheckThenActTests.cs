using CheckpointAudit.CodeFixes.Concurrency;
using CheckpointAudit.Concurrency;
using CheckpointAudit.Tests.Infrastructure;
using Xunit;

namespace CheckpointAudit.Tests.Concurrency;

public class StatusCheckThenActTests
{
    private const string DapperLike = """
        using System.Data;

        static class SqlMapper
        {
            public static T QuerySingle<T>(this IDbConnection connection, string sql, object? param = null) => default!;
            public static int Execute(this IDbConnection connection, string sql, object? param = null) => 0;
        }
        """;

    private const string Wrappers = """
        using Microsoft.Data.Sqlite;

        static class CommandExtensions
        {
            public static object? Scalar(this SqliteCommand command, string text)
            {
                command.CommandText = text;
                return command.ExecuteScalar();
            }

            public static int Run(this SqliteCommand command, string sql) => Run(command, sql, log: true);

            private static int Run(SqliteCommand command, string statement, bool log)
            {
                command.CommandText = statement;
                return command.ExecuteNonQuery();
            }
        }
        """;

    private static async Task VerifyAsync(string source)
    {
        var test = Verify.AnalyzerTest<StatusCheckThenActCheck>(source);
        test.TestState.Sources.Add(DapperLike);
        test.TestState.Sources.Add(Wrappers);
        TestReferences.UseSqlite(test.TestState);
        await test.RunAsync();
    }

    [Fact]
    public async Task Flags_an_update_acting_on_a_status_read_earlier_in_the_method()
    {
        await VerifyAsync("""
            using Microsoft.Data.Sqlite;

            class Jobs
            {
                bool TryClaim(SqliteConnection connection, string id)
                {
                    using var select = connection.CreateCommand();
                    select.CommandText = "SELECT state FROM jobs WHERE id = $id";
                    select.Parameters.AddWithValue("$id", id);
                    if ((string?)select.ExecuteScalar() != "queued")
                    {
                        return false;
                    }

                    using var update = connection.CreateCommand();
                    update.CommandText = {|CKPT604:"UPDATE jobs SET state = 'running' WHERE id = $id"|};
                    update.Parameters.AddWithValue("$id", id);
                    update.ExecuteNonQuery();
                    return true;
                }

                void Bump(SqliteConnection connection, string id)
                {
                    var version = connection.QuerySingle<long>("SELECT j.version AS v FROM \"jobs\" j WHERE j.id = @id", new { id });
                    connection.Execute({|CKPT604:"UPDATE jobs SET version = @next, payload = @p WHERE id = @id"|}, new { next = version + 1, id });
                }

                // The project's own wrappers, two levels deep, whose parameter becomes the command text.
                void Wrapped(SqliteCommand command)
                {
                    var state = command.Scalar("SELECT state FROM jobs WHERE id = 1");
                    command.Run({|CKPT604:"UPDATE jobs SET state = 'done' WHERE id = 1"|});
                }

                void Star(SqliteConnection connection, string id)
                {
                    using var select = new SqliteCommand("SELECT * FROM documents WHERE id = $id", connection);
                    using var reader = select.ExecuteReader();
                    using var update = new SqliteCommand({|CKPT604:"UPDATE documents SET stage_status = 'done' WHERE id = $id"|}, connection);
                    update.ExecuteNonQuery();
                }

                // The check only when asked, and its return only sometimes: the update can still follow it.
                void CheckedWhenAsked(SqliteConnection connection, string id, bool check)
                {
                    if (check)
                    {
                        var state = connection.QuerySingle<string>("SELECT state FROM jobs WHERE id = @id", new { id });
                        if (state != "queued")
                        {
                            return;
                        }
                    }

                    connection.Execute({|CKPT604:"UPDATE jobs SET state = 'running' WHERE id = @id"|}, new { id });
                }
            }
            """);
    }

    [Fact]
    public async Task Quiet_when_the_read_and_the_update_cannot_both_run()
    {
        await VerifyAsync("""
            using System;
            using Microsoft.Data.Sqlite;

            class Jobs
            {
                void Branches(SqliteConnection connection, string id, bool peek)
                {
                    if (peek)
                    {
                        Console.WriteLine(connection.QuerySingle<string>("SELECT state FROM jobs WHERE id = @id", new { id }));
                    }
                    else
                    {
                        connection.Execute("UPDATE jobs SET state = 'queued' WHERE id = @id", new { id });
                    }
                }

                string? EarlyReturn(SqliteConnection connection, string id, bool peek)
                {
                    if (peek)
                    {
                        return connection.QuerySingle<string>("SELECT state FROM jobs WHERE id = @id", new { id });
                    }

                    connection.Execute("UPDATE jobs SET state = 'queued' WHERE id = @id", new { id });
                    return null;
                }

                void Switch(SqliteConnection connection, string id, int action)
                {
                    switch (action)
                    {
                        case 0:
                            Console.WriteLine(connection.QuerySingle<string>("SELECT state FROM jobs WHERE id = @id", new { id }));
                            break;
                        case 1:
                            connection.Execute("UPDATE jobs SET state = 'queued' WHERE id = @id", new { id });
                            break;
                    }
                }
            }
            """);
    }

    [Fact]
    public async Task Quiet_for_guarded_atomic_or_transactional_updates()
    {
        await VerifyAsync("""
            using Microsoft.Data.Sqlite;

            class Jobs
            {
                // Compare-and-set: the WHERE names the old value.
                bool Guarded(SqliteConnection connection, string id)
                {
                    var state = connection.QuerySingle<string>("SELECT state FROM jobs WHERE id = @id", new { id });
                    return connection.Execute("UPDATE jobs SET state = 'running' WHERE id = @id AND state = @state", new { id, state }) == 1;
                }

                // Computed from itself in one statement.
                void Increment(SqliteConnection connection, string id)
                {
                    var version = connection.QuerySingle<long>("SELECT version FROM jobs WHERE id = @id", new { id });
                    connection.Execute("UPDATE jobs SET version = version + 1 WHERE id = @id", new { id });
                }

                // Both in one transaction.
                void InTransaction(SqliteConnection connection, string id)
                {
                    using var transaction = connection.BeginTransaction();
                    var state = connection.QuerySingle<string>("SELECT state FROM jobs WHERE id = @id", new { id });
                    connection.Execute("UPDATE jobs SET state = 'running' WHERE id = @id", new { id });
                    transaction.Commit();
                }

                // Another table, another column, no status read, an update with no read before it, a listing.
                void Unrelated(SqliteConnection connection, string id)
                {
                    var state = connection.QuerySingle<string>("SELECT state FROM runs WHERE id = @id", new { id });
                    var name = connection.QuerySingle<string>("SELECT name FROM jobs WHERE id = @id", new { id });
                    connection.Execute("UPDATE jobs SET state = 'running' WHERE id = @id", new { id });
                    connection.Execute("UPDATE jobs SET name = 'x' WHERE id = @id", new { id });
                }

                void ReadAfter(SqliteConnection connection, string id)
                {
                    connection.Execute("UPDATE jobs SET state = 'running' WHERE id = @id", new { id });
                    var state = connection.QuerySingle<string>("SELECT state FROM jobs WHERE id = @id", new { id });
                }

                void Listing(SqliteConnection connection)
                {
                    var states = connection.QuerySingle<string>("SELECT state FROM jobs");
                    connection.Execute("UPDATE jobs SET state = 'queued' WHERE state IS NULL");
                }
            }
            """);
    }

    [Fact]
    public async Task Fix_runs_the_check_and_the_update_in_one_transaction()
    {
        const string Source = """
            using Microsoft.Data.Sqlite;

            class Jobs
            {
                bool TryClaim(SqliteConnection connection, string id)
                {
                    using var select = connection.CreateCommand();
                    select.CommandText = "SELECT state FROM jobs WHERE id = $id";
                    select.Parameters.AddWithValue("$id", id);
                    if ((string?)select.ExecuteScalar() != "queued")
                    {
                        return false;
                    }

                    using var update = connection.CreateCommand();
                    update.CommandText = {|CKPT604:"UPDATE jobs SET state = 'running' WHERE id = $id"|};
                    update.Parameters.AddWithValue("$id", id);
                    update.ExecuteNonQuery();
                    return true;
                }

                void Finish(SqliteConnection connection, string id, string transaction)
                {
                    var state = connection.QuerySingle<string>("SELECT state FROM jobs WHERE id = @id", new { id });
                    connection.Execute({|CKPT604:"UPDATE jobs SET state = 'done' WHERE id = @id"|}, new { id });
                }
            }
            """;
        const string Fixed = """
            using Microsoft.Data.Sqlite;

            class Jobs
            {
                bool TryClaim(SqliteConnection connection, string id)
                {
                    using var transaction = connection.BeginTransaction();
                    using var select = connection.CreateCommand();
                    select.CommandText = "SELECT state FROM jobs WHERE id = $id";
                    select.Parameters.AddWithValue("$id", id);
                    if ((string?)select.ExecuteScalar() != "queued")
                    {
                        return false;
                    }

                    using var update = connection.CreateCommand();
                    update.CommandText = "UPDATE jobs SET state = 'running' WHERE id = $id";
                    update.Parameters.AddWithValue("$id", id);
                    update.ExecuteNonQuery();
                    transaction.Commit();
                    return true;
                }

                void Finish(SqliteConnection connection, string id, string transaction)
                {
                    using var checkTransaction = connection.BeginTransaction();
                    var state = connection.QuerySingle<string>("SELECT state FROM jobs WHERE id = @id", new { id });
                    connection.Execute("UPDATE jobs SET state = 'done' WHERE id = @id", new { id });
                    checkTransaction.Commit();
                }
            }
            """;
        var test = Verify.CodeFix<StatusCheckThenActCheck, OneTransactionCodeFixProvider>(Source, Fixed);
        test.TestState.Sources.Add(DapperLike);
        test.FixedState.Sources.Add(DapperLike);
        TestReferences.UseSqlite(test.TestState);
        test.NumberOfIncrementalIterations = 2;
        test.NumberOfFixAllIterations = 1;
        await test.RunAsync();
    }

    [Fact]
    public async Task No_fix_when_the_commands_run_on_different_connections_or_the_connection_is_not_in_sight()
    {
        const string Source = """
            using Microsoft.Data.Sqlite;

            class Jobs
            {
                void Finish(SqliteConnection reader, SqliteConnection writer, string id)
                {
                    var state = reader.QuerySingle<string>("SELECT state FROM jobs WHERE id = @id", new { id });
                    writer.Execute({|CKPT604:"UPDATE jobs SET state = 'done' WHERE id = @id"|}, new { id });
                }

                void Wrapped(SqliteCommand command)
                {
                    var state = command.Scalar("SELECT state FROM jobs WHERE id = 1");
                    command.Run({|CKPT604:"UPDATE jobs SET state = 'done' WHERE id = 1"|});
                }
            }
            """;
        var test = Verify.CodeFix<StatusCheckThenActCheck, OneTransactionCodeFixProvider>(Source, Source);
        test.TestState.Sources.Add(DapperLike);
        test.FixedState.Sources.Add(DapperLike);
        test.TestState.Sources.Add(Wrappers);
        test.FixedState.Sources.Add(Wrappers);
        TestReferences.UseSqlite(test.TestState);
        await test.RunAsync();
    }
}
