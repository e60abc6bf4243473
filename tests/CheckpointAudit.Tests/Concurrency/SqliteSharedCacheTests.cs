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
    public async Task Flags_a_connection_string_built_for_the_project_own_registration_helper()
    {
        // The string is kept in a dictionary and handed to the project's helper: no SQLite type in sight where it is built.
        var test = Verify.AnalyzerTest<SqliteSharedCacheCheck>("""
            using System.Collections.Generic;
            using System.IO;
            using System.Linq;
            using Microsoft.Data.Sqlite;

            class Startup
            {
                Dictionary<string, string> ConnectionStrings(string dataDirectory, string[] databases, bool noSharing, bool inMemory)
                    => databases.ToDictionary(d => d, d =>
                    {
                        var caching = noSharing ? "Private" : "Shared";
                        return inMemory
                            ? $"Data Source=file:{d}?mode=memory;Cache={caching}"
                            : {|CKPT603:$"Data Source={Path.Combine(dataDirectory, d + ".db")};Cache={caching};Pooling=True"|};
                    });

                Dictionary<string, string> Fixed() => new() { ["jobs"] = {|CKPT603:"Data Source=jobs.db;Cache=Shared"|} };

                // One finding for the interpolation, none for its text part.
                string Secret(string password) => {|CKPT603:$"Data Source=app.db;Cache=Shared;Password={password}"|};

                // Quiet: a private cache; text that is no connection string; a string handed to SQLite here (judged at the hand-off).
                string Private(string path) => $"Data Source={path};Cache=Private";
                string Help() => "Cache=Shared speeds up tests";

                SqliteConnection Open(string path)
                {
                    var text = $"Data Source={path};Cache=Shared";
                    return new SqliteConnection({|CKPT603:text|});
                }
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
