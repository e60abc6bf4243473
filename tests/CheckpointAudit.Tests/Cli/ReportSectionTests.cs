using CheckpointAudit.Cli.Report;
using CheckpointAudit.Tests.Infrastructure;
using Xunit;

namespace CheckpointAudit.Tests.Cli;

/// <summary>Each section of the report, over small generated codebases whose answer is known.</summary>
public class ReportSectionTests
{
    private const string RiskyStore = """
        using System;
        using System.IO;
        using System.Text.Json;
        using Microsoft.Data.Sqlite;

        public abstract class Shape { public string Id { get; set; } = ""; }
        public sealed class Circle : Shape { public double Radius { get; set; } }
        public sealed class Drawing { public Shape[] Shapes { get; set; } = Array.Empty<Shape>(); public Layer Layer { get; set; } = new(); }
        public sealed class Layer { public string Name { get; set; } = ""; }

        public class DrawingStore(string dataDirectory)
        {
            private readonly SqliteConnection _connection = new("Data Source=jobs.db");

            public string PathFor(string documentId, int page) => Path.Combine(dataDirectory, documentId, $"page-{page}.json");

            public void Save(string documentId, int page, Drawing drawing)
            {
                File.WriteAllText(PathFor(documentId, page), JsonSerializer.Serialize(drawing));
            }

            public void SaveTwice(string documentId, Drawing drawing)
            {
                File.WriteAllText(PathFor(documentId, 1), JsonSerializer.Serialize(drawing));
                File.WriteAllText(PathFor(documentId, 2), JsonSerializer.Serialize(drawing));
            }

            public Drawing? Load(string documentId, int page)
                => JsonSerializer.Deserialize<Drawing>(File.ReadAllText(PathFor(documentId, page)));
        }
        """;

    private const string CarefulStore = """
        using System;
        using System.IO;
        using CheckpointAudit;
        using Microsoft.Data.Sqlite;

        public sealed class Settings
        {
            public const int CurrentSchemaVersion = 1;
            public int SchemaVersion { get; set; }
            public string Theme { get; set; } = "";
        }

        public class SettingsStore(string directory)
        {
            public void Save(Settings settings)
            {
                settings.SchemaVersion = Settings.CurrentSchemaVersion;
                CheckpointFile.Save(Path.Combine(directory, "settings.json"), settings);
            }

            public Settings Load()
            {
                var settings = CheckpointFile.Load<Settings>(Path.Combine(directory, "settings.json"));
                if (settings.SchemaVersion > Settings.CurrentSchemaVersion)
                {
                    throw new InvalidDataException("settings.json was written by a newer version");
                }

                return settings;
            }

            public void SweepTemps()
            {
                foreach (var leftover in Directory.EnumerateFiles(directory, "*.tmp"))
                {
                    File.Delete(leftover);
                }
            }

            public int CountJobs()
            {
                using var connection = new SqliteConnection("Data Source=jobs.db;Default Timeout=30");
                connection.Open();
                using (var pragma = connection.CreateCommand())
                {
                    pragma.CommandText = "PRAGMA journal_mode=WAL;";
                    pragma.ExecuteNonQuery();
                }

                using var transaction = connection.BeginTransaction();
                using var count = connection.CreateCommand();
                count.CommandText = "SELECT COUNT(*) FROM jobs";
                return Convert.ToInt32(count.ExecuteScalar());
            }
        }
        """;

    private static EnvironmentItem Item(AuditReport report, string topic) => Assert.Single(report.Environment, i => i.Topic == topic);

    [Fact]
    public async Task Environment_infers_layout_write_patterns_sqlite_and_model_hierarchy()
    {
        using var folder = new SourceFolder(("DrawingStore.cs", RiskyStore));
        var report = await CliRun.ReportAsync(folder.Root);

        var layout = Item(report, "Checkpoint file layout");
        Assert.Equal("Found", layout.Status);
        Assert.Equal("By what the path says: 1 data.", layout.Details[0]);
        Assert.Contains(layout.Details, d => d.StartsWith("`{dataDirectory}/{documentId}/page-{page}.json` (data) — rewritten in place, by File.WriteAllText (`DrawingStore.cs:19`, `DrawingStore.cs:24`, `DrawingStore.cs:25`)", StringComparison.Ordinal));
        Assert.Contains("`{dataDirectory}`", layout.ToConfirm);

        var writes = Item(report, "Write patterns");
        Assert.Equal("All 3 state writes rewrite the file in place; none is atomic.", writes.Summary);
        Assert.Contains(writes.Details, d => d.StartsWith("Direct, in place (truncate and rewrite the real file): 3", StringComparison.Ordinal));

        var versioning = Item(report, "Schema versioning strategy");
        Assert.StartsWith("None: the one persisted model does not carry a schema version", versioning.Summary);

        var sqlite = Item(report, "SQLite usage");
        Assert.Equal("Default assumed", sqlite.Status);
        Assert.Contains(sqlite.Details, d => d.Contains("Journal mode: not set in code — *default assumed*: rollback journal (DELETE)", StringComparison.Ordinal));
        Assert.Contains(sqlite.Details, d => d.Contains("kept in field '_connection' (long-lived)", StringComparison.Ordinal));
        Assert.Contains("PRAGMA journal_mode;", sqlite.ToConfirm);

        var hierarchy = Item(report, "Persisted model hierarchy");
        Assert.Contains(hierarchy.Details, d => d.StartsWith("`Drawing` (System.Text.Json; file) — contains: `Layer`, `Shape`", StringComparison.Ordinal));

        var recovery = Item(report, "Error-recovery mechanisms");
        Assert.Equal("Needs confirmation", recovery.Status);
        Assert.Contains("backup", recovery.ToConfirm);
    }

    [Fact]
    public async Task Environment_knows_ef_core_its_interceptors_and_migrations_and_classes_path_templates()
    {
        // EF Core is not referenced (as in a checkout whose packages are not restored): the types are found by their
        // bases imported from EF Core's namespaces.
        using var folder = new SourceFolder(
            ("Db.cs", """
                using Microsoft.EntityFrameworkCore;
                public class LibraryContext : DbContext { }
                """),
            ("Pragmas.cs", """
                using Microsoft.EntityFrameworkCore.Diagnostics;
                public class PragmaInterceptor : DbConnectionInterceptor { }
                """),
            ("Migrations/Init.cs", """
                using Microsoft.EntityFrameworkCore.Migrations;
                public partial class Init : Migration { }
                """),
            ("Files.cs", """
                using System.IO;
                public class Files
                {
                    private readonly string _configDirectory = "config";
                    private readonly string _cacheDirectory = "cache";
                    public void SaveSettings(string json) => File.WriteAllText(Path.Combine(_configDirectory, "system.xml"), json);
                    public void SaveThumbnail(byte[] png) => File.WriteAllBytes(Path.Combine(_cacheDirectory, "thumb.png"), png);
                    public void SaveLibrary(string json) => File.WriteAllText("library.json", json);
                }
                """));
        var report = await CliRun.ReportAsync(folder.Root);

        var sqlite = Item(report, "SQLite usage");
        Assert.Equal("EF Core; 0 places open a connection, 1 EF Core context.", sqlite.Summary);
        Assert.Contains(sqlite.Details, d => d.StartsWith("EF Core: context 'LibraryContext' (`Db.cs:2`); connection interceptor 'PragmaInterceptor' (`Pragmas.cs:2`). Each SaveChanges runs in one transaction", StringComparison.Ordinal));
        Assert.Contains("Journal mode: not set in this code's SQL — connection interceptor 'PragmaInterceptor' (`Pragmas.cs:2`) may set it on every open; read it before assuming the rollback journal", sqlite.Details);

        var versioning = Item(report, "Schema versioning strategy");
        Assert.Contains(versioning.Details, d => d.StartsWith("Database schema: versioned (1 migration step: `Migrations/Init.cs:2`)", StringComparison.Ordinal));
        Assert.Contains(report.Score.Justification, j => j.StartsWith("Credit for versioned database schema (EF Core migration 'Init')", StringComparison.Ordinal));

        var layout = Item(report, "Checkpoint file layout");
        Assert.Equal("By what the path says: 1 cache or output, 1 config, 1 data.", layout.Details[0]);
    }

    private const string Pipeline = """
        using System;
        using System.IO;
        using System.Linq;
        using System.Text.Json;
        using Microsoft.Data.Sqlite;

        public sealed class Pages { public int Count { get; set; } }
        public sealed class Layout { public int PageCount { get; set; } }

        public class PipelineStore(string root)
        {
            private readonly SqliteConnection connection = new("Data Source=documents.db");

            public string DirectoryFor(string id) => Path.Combine(root, id);

            public void SavePages(string id, Pages pages) => File.WriteAllText(Path.Combine(DirectoryFor(id), "pages.json"), JsonSerializer.Serialize(pages));

            public void SaveLayout(string id, Layout layout) => File.WriteAllText(Path.Combine(DirectoryFor(id), "layout.json"), JsonSerializer.Serialize(layout));

            public void Assemble(string id)
            {
                var pages = JsonSerializer.Deserialize<Pages>(File.ReadAllText(Path.Combine(DirectoryFor(id), "pages.json")))!;
                var layout = JsonSerializer.Deserialize<Layout>(File.ReadAllText(Path.Combine(DirectoryFor(id), "layout.json")))!;
                CHECK
                Console.WriteLine(pages.Count + layout.PageCount);
            }

            HOUSEKEEPING
        }
        """;

    private const string Housekeeping = """
            public void Reconcile()
            {
                foreach (var directory in Directory.EnumerateDirectories(root))
                {
                    using var command = connection.CreateCommand();
                    command.CommandText = "SELECT COUNT(*) FROM documents WHERE id = $id";
                    command.Parameters.AddWithValue("$id", Path.GetFileName(directory));
                    if (Convert.ToInt32(command.ExecuteScalar()) == 0)
                    {
                        Directory.Delete(directory, recursive: true);
                    }
                }
            }

            public void Expire(TimeSpan age)
            {
                foreach (var directory in new DirectoryInfo(root).EnumerateDirectories().Where(d => d.LastWriteTimeUtc < DateTime.UtcNow - age))
                {
                    directory.Delete(recursive: true);
                }
            }
        """;

    [Fact]
    public async Task Environment_asks_about_reconciliation_retention_and_cross_stage_checks_when_no_code_does_them()
    {
        using var folder = new SourceFolder(("PipelineStore.cs", Pipeline.Replace("CHECK", string.Empty).Replace("HOUSEKEEPING", string.Empty)));
        var report = await CliRun.ReportAsync(folder.Root);

        var reconciliation = Item(report, "Records and files on disk");
        Assert.Equal("Needs confirmation", reconciliation.Status);
        Assert.Contains("`{root}/{id}/layout.json`", reconciliation.Summary);
        Assert.Contains("directories or files with no record", reconciliation.ToConfirm);

        var retention = Item(report, "Retention of stored files");
        Assert.Equal("Needs confirmation", retention.Status);
        Assert.StartsWith("2 path templates are written per ID or stage", retention.Summary, StringComparison.Ordinal);

        var stages = Item(report, "Cross-stage checks");
        Assert.Equal("Needs confirmation", stages.Status);
        Assert.Equal("PipelineStore.Assemble loads Layout, Pages (`PipelineStore.cs:22`)", Assert.Single(stages.Details));
        Assert.Contains("page counts agree", stages.ToConfirm);
    }

    [Fact]
    public async Task Environment_credits_reconciliation_retention_and_cross_stage_checks_it_finds()
    {
        var source = Pipeline
            .Replace("CHECK", "if (layout.PageCount != pages.Count) { throw new InvalidDataException(\"layout and pages disagree\"); }")
            .Replace("HOUSEKEEPING", Housekeeping);
        using var folder = new SourceFolder(("PipelineStore.cs", source));
        var report = await CliRun.ReportAsync(folder.Root);

        var reconciliation = Item(report, "Records and files on disk");
        Assert.Equal("Found", reconciliation.Status);
        Assert.Contains("lists directories (Directory.EnumerateDirectories) and looks up or deletes records in the same method", reconciliation.Details[0]);
        var retention = Item(report, "Retention of stored files");
        Assert.Equal("Found", retention.Status);
        Assert.Contains("deletes stored files by age (DirectoryInfo.Delete)", retention.Details[0]);
        Assert.Equal("Found", Item(report, "Cross-stage checks").Status);
    }

    [Fact]
    public async Task Environment_lists_update_endpoints_pushes_to_clients_and_state_kept_in_the_browser()
    {
        using var folder = new SourceFolder(("NotesApi.cs", """
            using System.IO;
            using System.Linq;
            using System.Threading.Tasks;
            using Microsoft.AspNetCore.Builder;
            using Microsoft.AspNetCore.Components.Server.ProtectedBrowserStorage;
            using Microsoft.AspNetCore.Http;
            using Microsoft.AspNetCore.SignalR;

            public class Note { public int Id { get; set; } public string Title { get; set; } = ""; public string Body { get; set; } = ""; public int Version { get; set; } }
            public class NotesHub : Hub { }

            public static class NotesApi
            {
                public static void Map(WebApplication app)
                {
                    app.MapPut("/notes/{id}", (int id, Note note) => { File.WriteAllText("notes/" + id + ".json", note.Title + note.Body); return Results.Ok(); });
                    app.MapPatch("/notes/{id}", (int id, Note note, HttpRequest request) =>
                    {
                        if (!request.Headers.IfMatch.Any()) return Results.StatusCode(428);
                        File.WriteAllText("notes/" + id + ".json", note.Title + note.Body);
                        return Results.Ok();
                    });
                }

                public static Task Announce(IHubContext<NotesHub> hub, Note note) => hub.Clients.All.SendAsync("changed", note.Id);

                public static async Task<Note?> Draft(ProtectedLocalStorage storage) => (await storage.GetAsync<Note>("draft")).Value;
            }
            """));
        var report = await CliRun.ReportAsync(folder.Root);

        var sync = Item(report, "Frontend / state sync");
        Assert.Equal("Needs confirmation", sync.Status);
        Assert.Equal("2 update endpoints write back edited state, 1 with no version check; 1 place pushes changes to open clients; 1 read and write of state kept in the browser.", sync.Summary);
        Assert.Equal("PUT /notes/{id} writes back an edited copy, last writer wins (`NotesApi.cs:16`)", sync.Details[0]);
        Assert.Equal("PATCH /notes/{id} writes back an edited copy, conditional on the client's version (`NotesApi.cs:17`)", sync.Details[1]);
        Assert.StartsWith("Pushes to connected clients: SendAsync in NotesApi.Announce", sync.Details[2], StringComparison.Ordinal);
        Assert.StartsWith("Kept in the browser: ProtectedLocalStorage.GetAsync", sync.Details[3], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Environment_finds_the_mechanisms_of_careful_code_and_the_score_reaches_the_top_band()
    {
        using var folder = new SourceFolder(("SettingsStore.cs", CarefulStore));
        var report = await CliRun.ReportAsync(folder.Root);

        Assert.Equal("The one persisted model carries a version member.", Item(report, "Schema versioning strategy").Summary);
        Assert.Equal("The one state write is atomic.", Item(report, "Write patterns").Summary);
        var sqlite = Item(report, "SQLite usage");
        Assert.Equal("Found", sqlite.Status);
        Assert.Contains(sqlite.Details, d => d.Contains("PRAGMA journal_mode=WAL", StringComparison.Ordinal));
        Assert.Contains(sqlite.Details, d => d.Contains("connection string Default Timeout=30", StringComparison.Ordinal));
        Assert.Contains(sqlite.Details, d => d.Contains("one per operation (using local)", StringComparison.Ordinal));
        var recovery = Item(report, "Error-recovery mechanisms");
        Assert.Equal("Found", recovery.Status);
        Assert.Contains(recovery.Details, d => d.StartsWith("CheckpointFile.Load verifies the checksum", StringComparison.Ordinal));
        Assert.Contains(recovery.Details, d => d.StartsWith("lists leftover temp files (*.tmp)", StringComparison.Ordinal));

        // One settings file, not files per record: nothing to reconcile, expire or check across stages.
        Assert.DoesNotContain(report.Environment, i => i.Topic is "Records and files on disk" or "Retention of stored files" or "Cross-stage checks");

        Assert.DoesNotContain(report.Findings, f => f.Severity is "CRITICAL" or "HIGH");
        Assert.InRange(report.Score.Value, 9, 10);
        Assert.Contains(report.Score.Justification, j => j.StartsWith("In place: atomic writes, checksums, schema versioning, temp-file cleanup", StringComparison.Ordinal));
    }

    /// <summary>A model saved and loaded by several members is one missing version: one entry, with every site's line.</summary>
    [Fact]
    public async Task A_model_without_a_version_is_one_finding_wherever_it_is_saved_or_loaded()
    {
        const string Source = """
            using System.IO;
            using System.Text.Json;

            public class AppSettings { public string TokenKey { get; set; } = ""; public int Port { get; set; } }
            public class Profile { public string Name { get; set; } = ""; }

            public static class Configuration
            {
                public static string Token(string path) => JsonSerializer.Deserialize<AppSettings>(File.ReadAllText(path))?.TokenKey ?? "";

                public static int Port(string path) => JsonSerializer.Deserialize<AppSettings>(File.ReadAllText(path))?.Port ?? 0;

                public static void Save(string path, AppSettings settings) => File.WriteAllText(path, JsonSerializer.Serialize(settings));

                public static void SaveProfile(string path, Profile profile) => File.WriteAllText(path, JsonSerializer.Serialize(profile));
            }
            """;
        using var folder = new SourceFolder(("Configuration.cs", Source));
        var report = await CliRun.ReportAsync(folder.Root);

        var settings = Assert.Single(report.Findings, f => f.RuleId == "CKPT101" && f.Message.Contains("'AppSettings'", StringComparison.Ordinal));
        Assert.Equal(3, settings.Count);
        Assert.Equal([9, 11, 13], settings.Lines);
        Assert.Contains("The same holds at 3 places in this file (lines 9, 11, 13).", settings.Problem);
        var profile = Assert.Single(report.Findings, f => f.RuleId == "CKPT101" && f.Message.Contains("'Profile'", StringComparison.Ordinal));
        Assert.Equal(1, profile.Count);

        // SARIF keeps one result per site, each with its own member and message, and fingerprints that do not collide.
        var sarif = System.Text.Json.Nodes.JsonNode.Parse(SarifReportWriter.Write(report, folder.Root))!["runs"]![0]!["results"]!.AsArray()
            .Where(r => (string)r!["ruleId"]! == "CKPT101" && ((string)r["message"]!["text"]!).Contains("'AppSettings'", StringComparison.Ordinal)).ToList();
        Assert.Equal(
            ["Configuration.Token", "Configuration.Port", "Configuration.Save"],
            sarif.Select(r => (string)r!["locations"]![0]!["logicalLocations"]![0]!["fullyQualifiedName"]!));
        Assert.Contains("saved", (string)sarif[2]!["message"]!["text"]!, StringComparison.Ordinal);
        Assert.Equal(3, sarif.Select(r => (string)r!["partialFingerprints"]!["checkpointAudit/v2"]!).Distinct().Count());
    }

    [Fact]
    public async Task Findings_have_the_fixed_form_are_collapsed_per_member_and_show_this_sites_fix()
    {
        using var folder = new SourceFolder(("DrawingStore.cs", RiskyStore));
        var report = await CliRun.ReportAsync(folder.Root);

        var twice = Assert.Single(report.Findings, f => f.RuleId == "CKPT201" && f.Member == "DrawingStore.SaveTwice");
        Assert.Equal(2, twice.Count);
        Assert.Equal([24, 25], twice.Lines);
        Assert.Contains("The same happens 2 times in this member (lines 24, 25).", twice.Problem);

        var save = Assert.Single(report.Findings, f => f.RuleId == "CKPT201" && f.Member == "DrawingStore.Save");
        Assert.Equal("CRITICAL", save.Severity);
        Assert.Equal("Atomicity", save.Category);
        Assert.Equal("DrawingStore.cs", save.File);
        Assert.StartsWith("In `DrawingStore.Save` (`DrawingStore.cs`), `File.WriteAllText(PathFor(documentId, page), JsonSerializer.Serialize(drawing))`: File.WriteAllText truncates", save.Problem);
        Assert.Contains("Confidence: High.", save.Impact);
        Assert.NotEmpty(save.Verify);
        Assert.True(save.Fix.ForThisSite);
        Assert.Equal("Write atomically", save.Fix.CodeFix);
        Assert.Equal("File.WriteAllText(PathFor(documentId, page), JsonSerializer.Serialize(drawing));", save.Fix.Before);
        Assert.Equal("CheckpointFile.WriteAllText(PathFor(documentId, page), JsonSerializer.Serialize(drawing));", save.Fix.After);
        Assert.Contains("adds `using CheckpointAudit;`", save.Fix.AlsoChanges);
        Assert.NotEmpty(save.TradeOff);

        // Without a code fix, the rule page's example is shown and marked as such.
        var unguarded = Assert.Single(report.Findings, f => f.RuleId == "CKPT301");
        Assert.NotNull(unguarded.Fix.After);

        var markdown = MarkdownReportWriter.Write(report);
        // One block per rule (its text once), then a table with one row per collapsed site.
        var sites201 = report.Findings.Where(f => f.RuleId == "CKPT201").Sum(f => f.Count);
        Assert.Contains($"#### [SEVERITY: CRITICAL] CKPT201 File overwritten in place — {sites201} sites", markdown);
        Assert.Contains("| CRITICAL | `DrawingStore.cs:24, 25` ×2 | `DrawingStore.SaveTwice` |", markdown);
        // A rule with findings is described there; its suspicious sites point to it.
        var described = report.Findings.Select(f => f.RuleId).ToHashSet();
        var rules = described.Count + report.Suspicious.Select(f => f.RuleId).Distinct().Count(id => !described.Contains(id));
        foreach (var field in new[] { "**Risk category:**", "**The problem:**", "**Data impact:**", "**How to verify:**", "**The fix:**", "**Trade-off:**" })
        {
            Assert.Equal(rules, CountOf(markdown, field));
        }

        // The previewed fix shows only the changed lines, as a diff.
        Assert.Contains("-  File.WriteAllText(PathFor(documentId, page), JsonSerializer.Serialize(drawing));".Replace("-  ", "- "), markdown);
    }

    [Fact]
    public async Task Sites_of_one_member_that_hold_different_data_are_not_collapsed()
    {
        // A default written once and the settings saved beside it: one MEDIUM and one CRITICAL finding, not one
        // CRITICAL finding "2 times in this member".
        const string source = """
            using System.IO;
            using System.Text.Json;

            public class Settings { public int SchemaVersion { get; set; } }

            public static class Store
            {
                public static void Apply(string folder, Settings settings)
                {
                    var defaults = Path.Combine(folder, "defaults.json");
                    if (!File.Exists(defaults))
                        File.WriteAllText(defaults, "{}");
                    File.WriteAllText(Path.Combine(folder, "settings.json"), JsonSerializer.Serialize(settings));
                }
            }
            """;
        using var folder = new SourceFolder(("Store.cs", source));
        var report = await CliRun.ReportAsync(folder.Root);

        var sites = report.Findings.Where(f => f.RuleId == "CKPT201" && f.Member == "Store.Apply").OrderBy(f => f.Lines[0]).ToList();
        Assert.Equal(["MEDIUM", "CRITICAL"], sites.Select(f => f.Severity));
        Assert.All(sites, f => Assert.Equal(1, f.Count));
    }

    [Fact]
    public async Task Findings_are_grouped_by_category_most_severe_first_and_sections_come_in_order()
    {
        using var folder = new SourceFolder(("DrawingStore.cs", RiskyStore));
        var report = await CliRun.ReportAsync(folder.Root);

        var severities = report.Findings.Select(f => f.Severity).ToList();
        Assert.Equal("CRITICAL", severities[0]);
        var categories = report.Findings.Select(f => f.Category).Distinct().ToList();
        foreach (var category in categories)
        {
            var indexes = report.Findings.Select((f, i) => (f, i)).Where(x => x.f.Category == category).Select(x => x.i).ToList();
            Assert.Equal(indexes.Count, indexes[^1] - indexes[0] + 1); // each category is contiguous
        }

        var markdown = MarkdownReportWriter.Write(report);
        var headings = new[] { "## 1. Environment & assumptions", "## 2. Findings", "## 3. Suspicious patterns", "## 4. Integrity score", "## 5. Top 3 fixes", "## 6. Summary & action plan" };
        var positions = headings.Select(h => markdown.IndexOf(h, StringComparison.Ordinal)).ToList();
        Assert.All(positions, p => Assert.True(p >= 0));
        Assert.Equal(positions.Order(), positions);
    }

    [Fact]
    public async Task A_rules_table_lists_the_programs_state_before_data_not_known_here()
    {
        // "a.cs" sorts first by name, but its file's content is not known; "b.cs" writes the program's settings.
        using var folder = new SourceFolder(
            ("a.cs", """
                using System.IO;
                public sealed class Notes { public void Write(string text) => File.WriteAllText(Path.Combine("data", "notes.txt"), text); }
                """),
            ("b.cs", """
                using System.IO;
                public sealed class Prefs { public void Write(string xml) => File.WriteAllText(Path.Combine("data", "settings.xml"), xml); }
                """));
        var report = await CliRun.ReportAsync(folder.Root);
        var sites = report.Findings.Where(f => f.RuleId == "CKPT201" && f.Severity == "CRITICAL").ToList();
        Assert.Equal(["b.cs", "a.cs"], sites.OrderBy(f => f.HeldOrder).Select(f => f.File));

        var markdown = MarkdownReportWriter.Write(report);
        var state = markdown.IndexOf("| `b.cs:2`", StringComparison.Ordinal);
        var unknown = markdown.IndexOf("| `a.cs:2`", StringComparison.Ordinal);
        Assert.True(state >= 0 && unknown > state, "the settings file's row comes first");
    }

    [Fact]
    public async Task Monitor_rules_and_unsure_findings_go_to_suspicious_patterns_with_what_to_check()
    {
        using var folder = new SourceFolder(("Store.cs", """
            using System;
            using System.IO;
            public class Store
            {
                public void Write(string target, string text)
                {
                    var temp = target + "." + Guid.NewGuid().ToString("N") + ".tmp";
                    using (var stream = new FileStream(temp, FileMode.CreateNew))
                    using (var writer = new StreamWriter(stream))
                    {
                        writer.Write(text);
                        writer.Flush();
                        stream.Flush(true);
                    }

                    File.Move(temp, target, true);
                }

                public void Unbound(string folder) => Missing.Helper(folder, () => File.WriteAllText(Path.Combine(folder, "state.json"), "x"));

                public void UnboundTemp(string target, string text)
                {
                    var temp = target + "." + Guid.NewGuid().ToString("N") + ".tmp";
                    File.WriteAllText(temp, text);
                    Missing.Check(temp);
                    File.Move(temp, target, true);
                }
            }
            """));
        var report = await CliRun.ReportAsync(folder.Root);

        var monitor = Assert.Single(report.Suspicious, f => f.RuleId == "CKPT305" && f.Member == "Store.Write");
        Assert.Equal("MONITOR", monitor.Severity);
        Assert.Contains("MONITOR rule", monitor.WhatToCheck);
        // A site in code that does not compile here is one confidence level lower: a critical stays a finding...
        var lowered = Assert.Single(report.Findings, f => f.RuleId == "CKPT201" && f.Member == "Store.Unbound");
        Assert.Equal("Medium", lowered.Confidence);
        Assert.Contains("does not fully compile here (1 unresolved name)", lowered.Impact);
        // ...a medium one becomes a suspicious pattern.
        var unsure = Assert.Single(report.Suspicious, f => f.RuleId == "CKPT401" && f.Member == "Store.UnboundTemp");
        Assert.Equal("Low", unsure.Confidence);
        Assert.StartsWith("Read `Store.UnboundTemp` and confirm the finding by hand", unsure.WhatToCheck);
        Assert.DoesNotContain(report.Findings, f => f.Confidence == "Low");
        Assert.Contains(report.Plan.Monitor, m => m.What.StartsWith("CKPT305", StringComparison.Ordinal) && m.Metric.Length > 0 && m.Threshold.Length > 0);
    }

    [Fact]
    public async Task Top_fixes_and_the_action_plan_follow_the_findings()
    {
        using var folder = new SourceFolder(("DrawingStore.cs", RiskyStore));
        var report = await CliRun.ReportAsync(folder.Root);

        Assert.InRange(report.TopFixes.Count, 1, 3);
        // CKPT101 is reported at each of the four serializer calls, CKPT201 at the three writes: both critical and systemic.
        Assert.Equal(["CKPT101", "CKPT201", "CKPT301"], report.TopFixes.Select(f => f.RuleId));
        Assert.Equal(3, report.TopFixes[1].Sites);
        Assert.Contains("removes a systemic gap", report.TopFixes[1].Why);
        Assert.Equal(Enumerable.Range(1, report.TopFixes.Count), report.TopFixes.Select(f => f.Rank));

        Assert.Contains(report.Plan.FixNow, i => i.RuleId == "CKPT201" && i.Sites == 3 && i.CodeFix == "Write atomically");
        Assert.All(report.Plan.FixNow, i => Assert.Contains(i.Severity, new[] { "CRITICAL", "HIGH" }));
        Assert.All(report.Plan.FixSoon, i => Assert.Equal("MEDIUM", i.Severity));
        Assert.True(report.Plan.FixNowHoursLow > 0 && report.Plan.FixNowHoursHigh > report.Plan.FixNowHoursLow);
        var infrastructure = report.Plan.Infrastructure.Select(i => i.Kind).ToList();
        Assert.Contains("Integrity checks", infrastructure);
        Assert.Contains("Test: kill during write", infrastructure);
        Assert.Contains("Test: inject corrupt JSON", infrastructure);
        Assert.Contains("Test: concurrent processing", infrastructure);
        Assert.Contains("Test: schema migration", infrastructure);
        Assert.Contains(report.Plan.Monitor, m => m.What == "SQLite lock contention");
        // No job is claimed by status here: the concurrency test is two writers at once, not workers claiming jobs.
        Assert.StartsWith("Run the code that saves state from two threads and two processes at once against one data folder and database", report.Plan.Infrastructure.Single(i => i.Kind == "Test: concurrent processing").What);
    }

    [Fact]
    public async Task The_concurrency_test_of_a_pipeline_whose_workers_claim_jobs_is_about_claims()
    {
        var report = await CliRun.ReportAsync(RepositoryFiles.PathOf("samples"), "--no-fix-preview");

        Assert.Contains(report.Findings, f => f.RuleId is "CKPT604" or "CKPT605");
        Assert.StartsWith("Several workers claim and finish the same jobs", report.Plan.Infrastructure.Single(i => i.Kind == "Test: concurrent processing").What);
    }

    [Fact]
    public async Task A_codebase_that_stores_nothing_says_so_instead_of_pretending_to_be_safe()
    {
        using var folder = new SourceFolder(("Math.cs", "public static class Calc { public static int Add(int a, int b) => a + b; }"));
        var report = await CliRun.ReportAsync(folder.Root);

        Assert.Empty(report.Findings);
        Assert.False(report.Score.HasPersistedState);
        Assert.StartsWith("No persisted state was found", report.Score.Justification[0]);
        Assert.InRange(report.Score.Justification.Count, 2, 5);
    }

    private static int CountOf(string text, string value)
    {
        var count = 0;
        for (var index = text.IndexOf(value, StringComparison.Ordinal); index >= 0; index = text.IndexOf(value, index + value.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
