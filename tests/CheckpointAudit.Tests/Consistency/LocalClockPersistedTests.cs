using CheckpointAudit.CodeFixes.Consistency;
using CheckpointAudit.Consistency;
using CheckpointAudit.Tests.Infrastructure;
using Microsoft.CodeAnalysis.Testing;
using Xunit;

namespace CheckpointAudit.Tests.Consistency;

public class LocalClockPersistedTests
{
    private static string Program(string models, string body) => StoreProgram.Of(models, body, "Microsoft.Data.Sqlite");

    private const string Job = """
        public class Job
        {
            public string Id { get; set; } = "";
            public DateTime CreatedAt { get; set; } = DateTime.Now;   // a DateTime member: the serializer writes its offset
            public DateTime? FinishedAt { get; set; }
            public string Stamp { get; set; } = "";
            public string Created { get; set; } = {|CKPT502:DateTime.Now|}.ToString("yyyy-MM-dd HH:mm:ss");
        }
        """;

    private static Task VerifyAsync(string source)
    {
        var test = Verify.AnalyzerTest<LocalClockPersistedCheck>(source);
        TestReferences.UseSqlite(test.TestState);
        return test.RunAsync();
    }

    [Fact]
    public async Task Flags_local_time_stored_in_persisted_members_and_database_values()
    {
        await VerifyAsync(Program(Job, """
                void Save(string path, Job job) => File.WriteAllText(path, JsonSerializer.Serialize(job));

                void Finish(Job job)
                {
                    job.FinishedAt = DateTime.Now;   // JSON keeps the offset: the same instant reads back
                    var stamp = {|CKPT502:DateTime.Today|}.AddDays(-1);
                    job.Stamp = stamp.ToString("O");
                }

                void Record(SqliteConnection connection, string id)
                {
                    using var command = connection.CreateCommand();
                    command.CommandText = "UPDATE jobs SET updated = $now WHERE id = $id";
                    command.Parameters.AddWithValue("$now", {|CKPT502:DateTime.Now|}.ToString("O"));
                    command.Parameters.AddWithValue("$id", id);
                    var parameter = command.CreateParameter();
                    parameter.Value = {|CKPT502:DateTime.Now|};
                    command.ExecuteNonQuery();
                }
            """));
    }

    [Fact]
    public async Task Flags_local_time_in_ef_core_entities_and_documents()
    {
        var test = Verify.AnalyzerTest<LocalClockPersistedCheck>("""
            using System;
            using System.Xml.Linq;
            using Microsoft.EntityFrameworkCore;

            public class Search
            {
                public Guid Id { get; set; }
                public DateTime StartedAt { get; set; }
                public DateTime Shown => DateTime.Now;
            }

            public class View { public DateTime OpenedAt { get; set; } }

            public class SearchContext : DbContext
            {
                public DbSet<Search> Searches { get; set; } = null!;
            }

            class SearchService
            {
                void Start(SearchContext context, View view, XElement element)
                {
                    var search = new Search { Id = Guid.NewGuid(), StartedAt = {|CKPT502:DateTime.Now|} };
                    context.Add(search);
                    context.SaveChanges();
                    view.OpenedAt = DateTime.Now;   // not an entity, not persisted
                    element.SetAttributeValue("started", {|CKPT502:DateTime.Now|});
                }
            }

            namespace Microsoft.EntityFrameworkCore
            {
                public class DbContext { public void Add(object entity) { } public int SaveChanges() => 0; }
                public class DbSet<T> where T : class { }
            }
            """);
        await test.RunAsync();
    }

    [Fact]
    public async Task Flags_local_time_in_a_member_its_settings_class_writes_and_reads_by_its_own_name()
    {
        // A static settings class mapped by hand to its file: every member goes out and comes back under nameof(itself).
        await VerifyAsync(Program("""
            public static class Config
            {
                public static string LastUpdateCheck { get; set; } = "";
                public static string LastSeen { get; set; } = "";
                public static string LastLogged { get; set; } = "";

                public static void Load(Dictionary<string, object> items)
                {
                    LastUpdateCheck = items.TryGetValue(nameof(LastUpdateCheck), out var value) ? (string)value : LastUpdateCheck;
                    LastSeen = (string)items[nameof(LastSeen)];
                }

                public static Dictionary<string, object> Prepare()
                {
                    var settings = new Dictionary<string, object>();
                    settings.TryAdd(nameof(LastUpdateCheck), LastUpdateCheck);
                    settings[nameof(LastSeen)] = LastSeen;
                    settings.TryAdd(nameof(LastLogged), LastLogged);   // written, never read back: a log's bag
                    return settings;
                }
            }
            """, """
                void Checked()
                {
                    Config.LastUpdateCheck = {|CKPT502:DateTime.Now|}.ToString("yyyy/MM/dd HH:mm:ss");
                    Config.LastSeen = {|CKPT502:DateTime.Now|}.ToString("s");
                    Config.LastLogged = DateTime.Now.ToString("s");
                }

                void Edited(Draft draft) => draft.LastModified = DateTime.Now.ToString("s"); // copied to the type's own backup and back: not kept
            """) + """

            public class Draft
            {
                private readonly Dictionary<string, object> _backup = new();
                public string LastModified { get; set; } = "";
                public void BeginEdit() => _backup[nameof(LastModified)] = LastModified;
                public void CancelEdit() => LastModified = (string)_backup[nameof(LastModified)];
            }
            """);
    }

    [Fact]
    public async Task Quiet_for_entity_columns_kept_beside_a_utc_twin_and_for_date_components()
    {
        var test = Verify.AnalyzerTest<LocalClockPersistedCheck>("""
            using System;
            using Microsoft.EntityFrameworkCore;

            public class Progress
            {
                public int Id { get; set; }
                public DateTime LastModified { get; set; }
                public DateTime LastModifiedUtc { get; set; }
                public DateTime Created { get; set; } = DateTime.Now;
                public DateTime CreatedUtc { get; set; } = DateTime.UtcNow;
                public DateTime Finished { get; set; }
                public long FinishedTicks { get; set; }
                public int Year { get; set; }

                public void MarkModified()
                {
                    LastModified = DateTime.Now;
                    LastModifiedUtc = DateTime.UtcNow;
                }
            }

            public class ProgressContext : DbContext
            {
                public DbSet<Progress> Progresses { get; set; } = null!;
            }

            class Statistics
            {
                void Record(ProgressContext context, Progress progress)
                {
                    progress.Year = DateTime.Today.Year;   // a calendar year, not a timestamp
                    progress.Finished = {|CKPT502:DateTime.Now|};   // no UTC twin: still reported
                    progress.FinishedTicks = {|CKPT502:DateTime.Now|}.Ticks;   // the whole local instant, as a number
                    context.SaveChanges();
                }
            }

            namespace Microsoft.EntityFrameworkCore
            {
                public class DbContext { public int SaveChanges() => 0; }
                public class DbSet<T> where T : class { }
            }
            """);
        await test.RunAsync();
    }

    [Fact]
    public async Task Quiet_for_comparisons_display_utc_and_data_that_is_not_stored()
    {
        await VerifyAsync(Program("""
            public class Job { public DateTime CreatedAt { get; set; } = DateTime.UtcNow; public DateTime Seen { get; set; } public string Folder { get; set; } = ""; }
            public class ViewModel { public DateTime Shown { get; set; } = DateTime.Now; }
            """, """
                void Save(string path, Job job) => File.WriteAllText(path, JsonSerializer.Serialize(job));

                bool Expired(Job job, TimeSpan lease) => job.CreatedAt < DateTime.Now - lease;

                void Show(Job job, ViewModel view)
                {
                    Console.WriteLine($"{DateTime.Now:T} saving");
                    view.Shown = DateTime.Now;
                    job.Seen = DateTime.Now.ToUniversalTime();
                    job.Folder = DateTime.Now.ToString("yyyy-MM-dd HH-mm-ss") + "/";     // a name built from the time, not a stored time
                    var elapsed = DateTime.Now - job.CreatedAt;
                    Console.WriteLine(elapsed);
                }

                void Record(SqliteConnection connection)
                {
                    using var command = connection.CreateCommand();
                    command.CommandText = "UPDATE jobs SET updated = $now";
                    command.Parameters.AddWithValue("$now", DateTime.UtcNow.ToString("O"));
                    command.ExecuteNonQuery();
                }
            """));
    }

    [Fact]
    public async Task Fix_stores_utc_one_at_a_time_and_with_fix_all()
    {
        var test = Verify.CodeFix<LocalClockPersistedCheck, StoreUtcCodeFixProvider>(
            Program(Job, """
                void Save(string path, Job job) => File.WriteAllText(path, JsonSerializer.Serialize(job));

                void Finish(Job job)
                {
                    job.Stamp = {|CKPT502:System.DateTime.Today|}.ToString("O");
                }
            """),
            Program(Job.Replace("{|CKPT502:DateTime.Now|}", "DateTime.UtcNow"), """
                void Save(string path, Job job) => File.WriteAllText(path, JsonSerializer.Serialize(job));

                void Finish(Job job)
                {
                    job.Stamp = System.DateTime.UtcNow.Date.ToString("O");
                }
            """),
            withHelper: false);
        TestReferences.UseSqlite(test.TestState);
        test.CodeFixTestBehaviors |= CodeFixTestBehaviors.SkipLocalDiagnosticCheck;
        test.NumberOfIncrementalIterations = 2;
        test.NumberOfFixAllIterations = 1;
        await test.RunAsync();
    }

    [Fact]
    public void Evidence_a_local_timestamp_written_in_one_time_zone_reads_as_another_instant_in_another()
    {
        // The same wall-clock reading, stored without its zone, is two different instants in Berlin and New York;
        // a UTC reading is one instant everywhere.
        var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
        var newYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
        var stored = new DateTime(2026, 3, 29, 2, 30, 0, DateTimeKind.Unspecified).AddHours(1); // a local reading, zone lost
        var inBerlin = TimeZoneInfo.ConvertTimeToUtc(stored, berlin);
        var inNewYork = TimeZoneInfo.ConvertTimeToUtc(stored, newYork);
        Assert.NotEqual(inBerlin, inNewYork);

        // Across the daylight-saving change, local readings taken an hour apart can be stored in the wrong order.
        var beforeChange = new DateTimeOffset(2026, 10, 25, 0, 45, 0, TimeSpan.Zero); // 02:45 CEST
        var afterChange = beforeChange.AddHours(1);                                    // 02:45 CET
        Assert.Equal(TimeZoneInfo.ConvertTime(beforeChange, berlin).DateTime, TimeZoneInfo.ConvertTime(afterChange, berlin).DateTime);
        Assert.True(afterChange.UtcDateTime > beforeChange.UtcDateTime);
    }
}
