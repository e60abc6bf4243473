using CheckpointAudit.Concurrency;
using CheckpointAudit.Tests.Infrastructure;
using Xunit;

namespace CheckpointAudit.Tests.Concurrency;

public class TransactionAcrossIoTests
{
    private static async Task VerifyAsync(string body)
    {
        var test = Verify.AnalyzerTest<TransactionAcrossIoCheck>($$"""
            using System.IO;
            using System.Net.Http;
            using System.Threading.Tasks;
            using Microsoft.Data.Sqlite;

            class Jobs
            {
                private readonly HttpClient _http = new();

            {{body}}
            }
            """);
        TestReferences.UseSqlite(test.TestState);
        test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", "root = true\n[*]\ndotnet_diagnostic.CKPT607.severity = warning\n"));
        await test.RunAsync();
    }

    [Fact]
    public async Task Flags_file_and_network_io_awaited_inside_an_open_transaction()
    {
        await VerifyAsync("""
                async Task Complete(SqliteConnection connection, string id, string path)
                {
                    using var transaction = connection.BeginTransaction();
                    var update = connection.CreateCommand();
                    update.Transaction = transaction;
                    update.CommandText = "UPDATE jobs SET state = 'sending' WHERE id = $id";
                    await update.ExecuteNonQueryAsync();
                    var body = {|CKPT607:await File.ReadAllTextAsync(path)|};
                    {|CKPT607:await _http.PostAsync("https://example.test/jobs", new StringContent(body)).ConfigureAwait(false)|};
                    transaction.Commit();
                }

                async Task Later(SqliteConnection connection, Stream upload)
                {
                    await using var transaction = await connection.BeginTransactionAsync();
                    {|CKPT607:await upload.FlushAsync()|};
                    await transaction.CommitAsync();
                }
            """);
    }

    [Fact]
    public async Task Quiet_for_io_outside_the_transaction_and_for_database_work_inside()
    {
        await VerifyAsync("""
                async Task Complete(SqliteConnection connection, string id, string path)
                {
                    var body = await File.ReadAllTextAsync(path);
                    using (var transaction = connection.BeginTransaction())
                    {
                        var update = connection.CreateCommand();
                        update.Transaction = transaction;
                        update.CommandText = "UPDATE jobs SET body = $body WHERE id = $id";
                        await update.ExecuteNonQueryAsync();
                        transaction.Commit();
                    }

                    await _http.PostAsync("https://example.test/jobs", new StringContent(body));
                }

                async Task RolledBack(SqliteConnection connection, string path)
                {
                    using var transaction = connection.BeginTransaction();
                    transaction.Rollback();
                    await File.ReadAllTextAsync(path);
                }
            """);
    }
}
