using CheckpointAudit.CodeFixes.Concurrency;
using CheckpointAudit.Concurrency;
using CheckpointAudit.Tests.Infrastructure;
using Xunit;

namespace CheckpointAudit.Tests.Concurrency;

public class SqliteSharedCacheTests
{

    [Fact]
    public async Task Flags_shared_cache_in_connection_strings_and_builders()
    {
        var test = Verify.AnalyzerTest<SqliteSharedCacheCheck>("""
            using Microsoft.Data.Sqlite;

            class Store
            {
                private const string ConnectionString = "Data Source=jobs.db;Cache=Shared";

                SqliteConnection Jobs() => new SqliteConnection({|CKPT603:ConnectionString|});

                SqliteConnection Path(string path) => new SqliteConnection({|CKPT603:$"Data Source={path};Cache=Shared"|});

                SqliteConnection Joined(string path) => new SqliteConnection({|CKPT603:"Data Source=" + path + ";Cache=Shared"|});

                void Set(SqliteConnection connection) => connection.ConnectionString = {|CKPT603:"Data Source=x.db;Cache=Shared"|};

                SqliteConnection A() => new SqliteConnection({|CKPT603:"Data Source=app.db; cache = shared"|});

                SqliteConnection B() => new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = "b.db", Cache = {|CKPT603:SqliteCacheMode.Shared|} }.ToString());

                // Through a local, with the shared cache one branch of a conditional.
                SqliteConnection Flagged(string path, bool noSharing)
                {
                    var caching = noSharing ? "Private" : "Shared";
                    var connectionString = $"Data Source={path};Cache={caching};Pooling=True";
                    return new SqliteConnection({|CKPT603:connectionString|});
                }

                // Quiet: private or default cache, a shared in-memory database, unrelated text.
                SqliteConnection C() => new SqliteConnection("Data Source=c.db;Cache=Private");
                SqliteConnection D() => new SqliteConnection("Data Source=test;Mode=Memory;Cache=Shared");
                string Help() => "Set Cache=Shared in your own tools if you like";
            }
            """);
        TestReferences.UseSqlite(test.TestState);
        await test.RunAsync();
    }

    [Fact]
    public async Task Quiet_in_a_design_time_factory_that_only_dotnet_ef_runs()
    {
        var test = Verify.AnalyzerTest<SqliteSharedCacheCheck>(DesignTimeFactorySource.With(
            "new DbContextOptionsBuilder<AppContext>().UseSqlite(\"Data Source=design.db;Cache=Shared\")",
            "new DbContextOptionsBuilder<AppContext>().UseSqlite({|CKPT603:\"Data Source=app.db;Cache=Shared\"|})"));
        TestReferences.UseEfCoreSqlite(test.TestState);
        await test.RunAsync();
    }

    [Fact]
    public async Task Fix_switches_to_a_private_cache()
    {
        var test = Verify.CodeFix<SqliteSharedCacheCheck, PrivateCacheCodeFixProvider>(
            """
            using Microsoft.Data.Sqlite;

            class Store
            {
                SqliteConnection A() => new SqliteConnection({|CKPT603:"Data Source=app.db;Cache=Shared;Pooling=True"|});

                SqliteConnectionStringBuilder B() => new() { DataSource = "b.db", Cache = {|CKPT603:SqliteCacheMode.Shared|} };
            }
            """,
            """
            using Microsoft.Data.Sqlite;

            class Store
            {
                SqliteConnection A() => new SqliteConnection("Data Source=app.db;Cache=Private;Pooling=True");

                SqliteConnectionStringBuilder B() => new() { DataSource = "b.db", Cache = SqliteCacheMode.Private };
            }
            """);
        TestReferences.UseSqlite(test.TestState);
        test.NumberOfIncrementalIterations = 2;
        test.NumberOfFixAllIterations = 1;
        await test.RunAsync();
    }
}
