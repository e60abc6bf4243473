using CheckpointAudit.Concurrency;
using CheckpointAudit.Tests.Infrastructure;
using Xunit;

namespace CheckpointAudit.Tests.Concurrency;

public class SharedConnectionTests
{
    /// <summary>The hosting types the rule looks for to know requests run concurrently.</summary>
    private const string Hosting = """
        namespace Microsoft.Extensions.Hosting { public interface IHost { } }
        namespace Microsoft.Extensions.DependencyInjection
        {
            public interface IServiceCollection { }
            public static class ServiceCollectionExtensions
            {
                public static IServiceCollection AddSingleton<T>(this IServiceCollection services) => services;
                public static IServiceCollection AddScoped<T>(this IServiceCollection services) => services;
            }
        }
        """;

    private static async Task VerifyAsync(string source, bool server = false)
    {
        var test = Verify.AnalyzerTest<SharedConnectionCheck>(source);
        if (server)
        {
            test.TestState.Sources.Add(Hosting);
        }

        TestReferences.UseSqlite(test.TestState);
        await test.RunAsync();
    }

    [Fact]
    public async Task Flags_a_connection_used_from_parallel_work()
    {
        await VerifyAsync("""
            using System.Collections.Generic;
            using System.Linq;
            using System.Threading;
            using System.Threading.Tasks;
            using Microsoft.Data.Sqlite;

            class Importer
            {
                private readonly SqliteConnection {|CKPT606:_connection|} = new("Data Source=app.db");
                private static SqliteConnection {|CKPT606:Shared|} { get; } = new("Data Source=app.db");
                private readonly SqliteConnection {|CKPT606:_timerConnection|} = new("Data Source=app.db");

                void Import(IEnumerable<string> rows)
                    => Parallel.ForEach(rows, row => _connection.CreateCommand().ExecuteNonQuery());

                Task Background() => Task.Run(() => Shared.CreateCommand().ExecuteNonQuery());

                Task All(IEnumerable<string> ids) => Task.WhenAll(ids.Select(async id => await Shared.CreateCommand().ExecuteNonQueryAsync()));

                Timer Tick() => new Timer(_ => _timerConnection.CreateCommand().ExecuteNonQuery(), null, 0, 1000);
            }

            // A method group started on the thread pool, through an override.
            abstract class HistoryBase
            {
                public abstract int Load();

                public Task<int> LoadAsync() => Task.Run(Load);
            }

            sealed class History : HistoryBase
            {
                private readonly SqliteConnection {|CKPT606:_history|} = new("Data Source=history.db");

                public override int Load() => Read();

                private int Read() => _history.CreateCommand().ExecuteNonQuery();

                public int Append() => _history.CreateCommand().ExecuteNonQuery();
            }
            """);
    }

    [Fact]
    public async Task Flags_static_and_singleton_connections_used_by_async_requests_in_a_server()
    {
        await VerifyAsync(
            """
            using System.Threading.Tasks;
            using Microsoft.Data.Sqlite;
            using Microsoft.Extensions.DependencyInjection;

            static class Database
            {
                public static SqliteConnection {|CKPT606:Connection|} = new("Data Source=app.db");
            }

            class JobStore
            {
                private readonly SqliteConnection {|CKPT606:_connection|} = new("Data Source=app.db");

                public async Task SaveAsync() => await _connection.CreateCommand().ExecuteNonQueryAsync();

                public async Task LoadAsync() => await Database.Connection.CreateCommand().ExecuteScalarAsync();
            }

            class PerRequest
            {
                private readonly SqliteConnection _connection = new("Data Source=app.db");

                public async Task SaveAsync() => await _connection.CreateCommand().ExecuteNonQueryAsync();
            }

            static class Startup
            {
                public static void Configure(IServiceCollection services)
                {
                    services.AddSingleton<JobStore>();
                    services.AddScoped<PerRequest>();
                }
            }
            """,
            server: true);
    }

    [Fact]
    public async Task Quiet_for_serialized_per_thread_or_sequential_use()
    {
        await VerifyAsync("""
            using System;
            using System.Threading;
            using System.Threading.Tasks;
            using Microsoft.Data.Sqlite;

            class Store
            {
                private readonly object _gate = new();
                private readonly SemaphoreSlim _semaphore = new(1);
                private readonly SqliteConnection _locked = new("Data Source=app.db");
                private readonly SqliteConnection _awaited = new("Data Source=app.db");
                private static SqliteConnection _static = new("Data Source=app.db");
                [ThreadStatic] private static SqliteConnection? _perThread;

                Task Locked() => Task.Run(() => { lock (_gate) { _locked.CreateCommand().ExecuteNonQuery(); } });

                Task Semaphore() => Task.Run(async () =>
                {
                    await _semaphore.WaitAsync();
                    try { await _awaited.CreateCommand().ExecuteNonQueryAsync(); }
                    finally { _semaphore.Release(); }
                });

                Task PerThread() => Task.Run(() => (_perThread ??= new SqliteConnection("Data Source=app.db")).CreateCommand().ExecuteNonQuery());

                // Not a server: an async method of a desktop app runs one flow at a time.
                async Task SaveAsync() => await _static.CreateCommand().ExecuteNonQueryAsync();

                // A worker thread that owns its connection: nothing else uses it.
                private readonly SqliteConnection _workerConnection = new("Data Source=app.db");

                Thread StartWorker()
                {
                    var thread = new Thread(Work);
                    thread.Start();
                    return thread;
                }

                void Work() => _workerConnection.CreateCommand().ExecuteNonQuery();

                Task Once() => Task.Run(() => _onlyHere.CreateCommand().ExecuteNonQuery());

                private readonly SqliteConnection _onlyHere = new("Data Source=app.db");

                // A connection per operation.
                Task PerOperation() => Task.Run(() =>
                {
                    using var connection = new SqliteConnection("Data Source=app.db");
                    connection.Open();
                    connection.CreateCommand().ExecuteNonQuery();
                });
            }
            """);
    }

    [Fact]
    public async Task A_connection_of_a_referenced_project_is_reported_at_its_concurrent_use()
    {
        // Its declaration belongs to the referenced project's compilation: reported where this project shares it.
        var test = Verify.AnalyzerTest<SharedConnectionCheck>("""
            using System.Threading.Tasks;

            class Importer
            {
                Task Background() => Task.Run(() => {|CKPT606:Models.Db.Shared|}.CreateCommand().ExecuteNonQuery());

                int Now() => Models.Db.Shared.CreateCommand().ExecuteNonQuery();
            }
            """);
        TestReferences.UseSqlite(test.TestState);
        Verify.WithModelsProject(test, """
            using Microsoft.Data.Sqlite;

            namespace Models;

            public static class Db { public static SqliteConnection Shared { get; } = new("Data Source=app.db"); }
            """);
        TestReferences.UseSqlite(test.TestState.AdditionalProjects[Verify.ModelsProject]);
        await test.RunAsync();
    }
}
