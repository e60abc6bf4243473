using CheckpointAudit.CodeFixes.Concurrency;
using CheckpointAudit.Concurrency;
using CheckpointAudit.Tests.Infrastructure;
using Xunit;

namespace CheckpointAudit.Tests.Concurrency;

public class DoneBeforeDataTests
{
    /// <summary>The project's own status store and file store, as the helper form calls them.</summary>
    private const string Stores = """
        using System.Data;
        using System.IO;
        using Microsoft.Data.Sqlite;

        enum JobState { Queued, Running, Completed }

        static class SqlMapper
        {
            public static int Execute(this IDbConnection connection, string sql, object? param = null) => 0;
        }

        class StatusStore(SqliteConnection connection)
        {
            public void SetStatus(string id, string status)
            {
                using var command = connection.CreateCommand();
                command.CommandText = "UPDATE jobs SET status = $status WHERE id = $id";
                command.Parameters.AddWithValue("$id", id);
                command.Parameters.AddWithValue("$status", status);
                command.ExecuteNonQuery();
            }

            public void SetState(string id, JobState state) => connection.Execute("UPDATE jobs SET state = @state WHERE id = @id", new { state, id });

            public void Log(string id, string message) => System.Console.WriteLine(id + message);
        }

        class FileStore(string directory)
        {
            public void Save(string id, string json) => File.WriteAllText(Path.Combine(directory, id + ".json"), json);
        }
        """;

    private static async Task VerifyAsync(string source)
    {
        var test = Verify.AnalyzerTest<DoneBeforeDataCheck>(source);
        test.TestState.Sources.Add(Stores);
        test.TestState.Sources.Add((Verify.HelperPath, Verify.HelperSourceNet80));
        TestReferences.UseSqlite(test.TestState);
        await test.RunAsync();
    }

    [Fact]
    public async Task Flags_completion_recorded_before_the_file_is_written()
    {
        await VerifyAsync("""
            using System.IO;
            using Microsoft.Data.Sqlite;

            class Runner(StatusStore statuses, FileStore files, SqliteConnection connection)
            {
                void ThroughHelpers(string id, string json)
                {
                    {|CKPT605:statuses.SetStatus(id, "done")|};
                    files.Save(id, json);
                }

                void Enum(string id, string json)
                {
                    {|CKPT605:statuses.SetState(id, JobState.Completed)|};
                    File.WriteAllText(id + ".json", json);
                }

                void Direct(string jobId, string json)
                {
                    using var command = connection.CreateCommand();
                    command.CommandText = "UPDATE jobs SET status = 'completed' WHERE id = $id";
                    command.Parameters.AddWithValue("$id", jobId);
                    {|CKPT605:command.ExecuteNonQuery()|};
                    using var stream = new FileStream(Path.Combine("out", jobId), FileMode.Create);
                    stream.Write(System.Text.Encoding.UTF8.GetBytes(json));
                }

                void Helper(string id, string json)
                {
                    {|CKPT605:statuses.SetStatus(id, "completed")|};
                    CheckpointAudit.CheckpointFile.WriteAllText(id + ".json", json);
                }

                void Dapper(string id, string json)
                {
                    {|CKPT605:connection.Execute("UPDATE jobs SET state = @state WHERE id = @id", new { state = "finished", id })|};
                    File.WriteAllText(id + ".json", json);
                }

                // The record only in some cases, but the write always follows it.
                void Conditional(string id, string json, bool final)
                {
                    if (final)
                    {
                        {|CKPT605:statuses.SetStatus(id, "done")|};
                    }

                    files.Save(id, json);
                }
            }
            """);
    }

    [Fact]
    public async Task Quiet_when_the_record_and_the_write_cannot_both_run()
    {
        await VerifyAsync("""
            using System.IO;

            class Runner(StatusStore statuses, FileStore files)
            {
                void Branches(string id, string json, bool cached)
                {
                    if (cached)
                    {
                        statuses.SetStatus(id, "done");
                    }
                    else
                    {
                        files.Save(id, json);
                        statuses.SetStatus(id, "done");
                    }
                }

                void EarlyReturn(string id, string? json)
                {
                    if (json is null)
                    {
                        statuses.SetStatus(id, "done");
                        return;
                    }

                    files.Save(id, json);
                }

                void Switch(string id, string json, int mode)
                {
                    switch (mode)
                    {
                        case 0:
                            statuses.SetStatus(id, "done");
                            break;
                        default:
                            File.WriteAllText(id + ".json", json);
                            break;
                    }
                }
            }
            """);
    }

    [Fact]
    public async Task Quiet_when_the_data_is_written_first_or_the_record_is_unrelated()
    {
        await VerifyAsync("""
            using System.IO;
            using System.Threading.Tasks;
            using Microsoft.Data.Sqlite;

            class Runner(StatusStore statuses, FileStore files)
            {
                private readonly string _logPath = "run.log";

                void WriteFirst(string id, string json)
                {
                    files.Save(id, json);
                    statuses.SetStatus(id, "done");
                }

                void NotCompletion(string id, string json)
                {
                    statuses.SetStatus(id, "running");
                    files.Save(id, json);
                }

                void NotStored(string id, string json)
                {
                    statuses.Log(id, "done");
                    files.Save(id, json);
                }

                void OtherData(string id)
                {
                    statuses.SetStatus(id, "done");
                    File.AppendAllText(_logPath, "finished");
                    File.WriteAllText(_logPath, "finished");
                }

                // The write names only part of what identifies the record.
                void Partial(string id, int stage, string json)
                {
                    statuses.SetStatus(id + stage, "done");
                    files.Save(id, json);
                }

                void Later(string id, string json)
                {
                    statuses.SetStatus(id, "done");
                    Task.Run(() => files.Save(id, json));
                }
            }
            """);
    }

    [Fact]
    public async Task Fix_records_completion_after_the_write()
    {
        const string Source = """
            using System.IO;

            class Runner(StatusStore statuses, FileStore files)
            {
                void Adjacent(string id, string json)
                {
                    System.Console.WriteLine(json);

                    // The stage is finished.
                    {|CKPT605:statuses.SetStatus(id, "done")|};
                    files.Save(id, json);
                    System.Console.WriteLine(id);
                }

                void WithStepBetween(string id, string json)
                {
                    {|CKPT605:statuses.SetStatus(id, "done")|};
                    var path = id + ".json";
                    File.WriteAllText(path, json);
                }
            }
            """;
        const string Fixed = """
            using System.IO;

            class Runner(StatusStore statuses, FileStore files)
            {
                void Adjacent(string id, string json)
                {
                    System.Console.WriteLine(json);

                    files.Save(id, json);
                    // The stage is finished.
                    statuses.SetStatus(id, "done");
                    System.Console.WriteLine(id);
                }

                void WithStepBetween(string id, string json)
                {
                    var path = id + ".json";
                    File.WriteAllText(path, json);
                    statuses.SetStatus(id, "done");
                }
            }
            """;
        var test = Verify.CodeFix<DoneBeforeDataCheck, RecordAfterWriteCodeFixProvider>(Source, Fixed);
        test.TestState.Sources.Add(Stores);
        test.FixedState.Sources.Add(Stores);
        TestReferences.UseSqlite(test.TestState);
        test.NumberOfIncrementalIterations = 2;
        test.NumberOfFixAllIterations = 1;
        await test.RunAsync();
    }

    [Fact]
    public async Task No_fix_when_a_statement_between_uses_the_status_store()
    {
        const string Source = """
            class Runner(StatusStore statuses, FileStore files)
            {
                void M(string id, string json)
                {
                    {|CKPT605:statuses.SetStatus(id, "done")|};
                    statuses.Log(id, "saving");
                    files.Save(id, json);
                }
            }
            """;
        var test = Verify.CodeFix<DoneBeforeDataCheck, RecordAfterWriteCodeFixProvider>(Source, Source);
        test.TestState.Sources.Add(Stores);
        test.FixedState.Sources.Add(Stores);
        TestReferences.UseSqlite(test.TestState);
        await test.RunAsync();
    }
}
