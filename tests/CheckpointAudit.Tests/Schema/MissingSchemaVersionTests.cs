using CheckpointAudit.Checks;
using CheckpointAudit.Knowledge;
using CheckpointAudit.Schema;
using CheckpointAudit.Tests.Infrastructure;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;

namespace CheckpointAudit.Tests.Schema;

public class MissingSchemaVersionTests
{
    private static string Program(string body, string models = "") => $$"""
        using System;
        using System.Collections.Generic;
        using System.Data.Common;
        using System.IO;
        using System.Net.Http;
        using System.Runtime.Serialization;
        using System.Text.Json;
        using System.Text.Json.Serialization;
        using System.Threading.Tasks;
        using System.Xml.Serialization;

        public class Settings { public string Theme { get; set; } = ""; public WindowState Window { get; set; } = new(); }
        public class WindowState { public int Width { get; set; } }
        {{models}}

        class Store
        {
        {{body}}
        }
        """;

    // A migration's own types are the shape an older release wrote, read once; only current models need a version.
    [Fact]
    public async Task Quiet_for_legacy_shapes_declared_in_migration_code()
    {
        await Verify.AnalyzerAsync<MissingSchemaVersionCheck>(Program(
            """
                void Save(string path, Settings s) => File.WriteAllText(path, {|CKPT101:JsonSerializer.Serialize(s)|});
            """,
            """
            public class MigrateNetworkConfiguration
            {
                public class OldNetworkConfiguration { public string Bind { get; set; } = ""; }

                public void Perform(string path)
                {
                    var old = JsonSerializer.Deserialize<OldNetworkConfiguration>(File.ReadAllText(path));
                    File.WriteAllText(path + ".new", JsonSerializer.Serialize(old));
                }
            }

            namespace App.Migrations
            {
                public class LegacyUser { public string Name { get; set; } = ""; }

                public static class UserImport
                {
                    public static LegacyUser Read(string path) => JsonSerializer.Deserialize<LegacyUser>(File.ReadAllText(path));
                }
            }
            """));
    }

    [Fact]
    public async Task Flags_models_saved_to_or_loaded_from_files_and_databases()
    {
        await Verify.AnalyzerAsync<MissingSchemaVersionCheck>(Program("""
                void Inline(string path, Settings s) => File.WriteAllText(path, {|CKPT101:JsonSerializer.Serialize(s)|});

                void ThroughLocal(string path, Settings s)
                {
                    var json = {|CKPT101:JsonSerializer.Serialize(s, new JsonSerializerOptions { WriteIndented = true })|};
                    File.WriteAllText(path, json);
                }

                async Task ToStream(string path, Settings s)
                {
                    await using var stream = File.Create(path);
                    await {|CKPT101:JsonSerializer.SerializeAsync(stream, s)|};
                }

                // Written to the temp directory, then moved into place: stored.
                void ViaTemp(string path, Settings s)
                {
                    var temp = Path.GetTempFileName();
                    File.WriteAllText(temp, {|CKPT101:JsonSerializer.Serialize(s)|});
                    File.Move(temp, path, true);
                }

                void ThroughOwnHelper(string path, Settings s) => WriteText(path, {|CKPT101:JsonSerializer.Serialize(s)|});

                void WriteText(string path, string text) => File.WriteAllText(path, text);

                void Xml(string path, Settings s)
                {
                    using var writer = new StreamWriter(path);
                    {|CKPT101:new XmlSerializer(typeof(Settings)).Serialize(writer, s)|};
                }

                void Contract(string path, Settings s)
                {
                    var serializer = new DataContractSerializer(typeof(Settings));
                    using var stream = new FileStream(path, FileMode.Create);
                    {|CKPT101:serializer.WriteObject(stream, s)|};
                }

                Settings? Load(string path) => {|CKPT101:JsonSerializer.Deserialize<Settings>(File.ReadAllText(path))|};

                void Row(DbCommand command, Settings s)
                {
                    var parameter = command.CreateParameter();
                    parameter.Value = {|CKPT101:JsonSerializer.Serialize(s)|};
                }
            """));
    }

    [Fact]
    public async Task Flags_opted_in_types_on_their_declaration()
    {
        await Verify.AnalyzerAsync<MissingSchemaVersionCheck>(
            Program("", """
                [AttributeUsage(AttributeTargets.Class)] public sealed class CheckpointAttribute : Attribute { }
                [Checkpoint] public class {|CKPT101:Job|} { public string Id { get; set; } = ""; }
                public class {|CKPT101:ImportCursor|} { public long Offset { get; set; } }
                public class ImportReport { public long Offset { get; set; } }
                """),
            "checkpoint_audit.persisted_types = *Cursor, MyApp.Other.*\n");
    }

    [Fact]
    public async Task An_application_version_stamp_counts_only_when_the_load_compares_it()
    {
        await Verify.AnalyzerAsync<MissingSchemaVersionCheck>(Program(
            """
                Config? Load(string path)
                {
                    var config = JsonSerializer.Deserialize<Config>(File.ReadAllText(path));
                    if (config is not null && string.Compare(config.ApplicationVersion, "13.1", StringComparison.Ordinal) < 0)
                    {
                        config.Theme = "dark";   // migrate settings written before 13.1
                    }

                    return config;
                }

                Plugin? Manifest(string path) => {|CKPT101:JsonSerializer.Deserialize<Plugin>(File.ReadAllText(path))|};
            """,
            """
            public class Config { public string ApplicationVersion { get; set; } = "13.2"; public string Theme { get; set; } = ""; }
            public class Plugin { public string AppVersion { get; set; } = ""; public string Name { get; set; } = ""; }
            """));
    }

    [Fact]
    public async Task A_member_every_instance_fills_with_the_writing_release_is_a_version()
    {
        // The file records which build wrote it, even when the readers that compare it live in another project.
        await Verify.AnalyzerAsync<MissingSchemaVersionCheck>(Program("""
                void Save(string path, Stamped stamped, Built built, Literal literal, Unstamped unstamped, Titled titled, Library library, Hidden hidden)
                {
                    File.WriteAllText(path, JsonSerializer.Serialize(stamped));
                    File.WriteAllText(path, JsonSerializer.Serialize(built));
                    File.WriteAllText(path, {|CKPT101:JsonSerializer.Serialize(literal)|});
                    File.WriteAllText(path, {|CKPT101:JsonSerializer.Serialize(unstamped)|});
                    File.WriteAllText(path, {|CKPT101:JsonSerializer.Serialize(titled)|});
                    File.WriteAllText(path, {|CKPT101:JsonSerializer.Serialize(library)|});
                    File.WriteAllText(path, {|CKPT101:JsonSerializer.Serialize(hidden)|});
                }
            """, """
                public class Stamped
                {
                    private string revision = GetVersion();
                    public string Revision { get => revision; set => revision = value; }
                    public static string GetVersion()
                        => System.Reflection.CustomAttributeExtensions.GetCustomAttribute<System.Reflection.AssemblyInformationalVersionAttribute>(typeof(Stamped).Assembly)?.InformationalVersion ?? "";
                }
                public class Built { public Version? WrittenBy { get; set; } = typeof(Built).Assembly.GetName().Version; }
                public class Literal { public string Revision { get; set; } = "1.0"; }
                public class Unstamped { public string Revision { get; set; } = Environment.MachineName; }
                // Computed from the version, another assembly's version, or a member the serializer does not write.
                public class Titled { public string Title { get; set; } = $"App {typeof(Titled).Assembly.GetName().Version}"; }
                public class Library { public Version? Serializer { get; set; } = typeof(JsonSerializer).Assembly.GetName().Version; }
                public class Hidden { private readonly Version? _built = typeof(Hidden).Assembly.GetName().Version; public string Name { get; set; } = ""; }
                """));
    }

    [Fact]
    public async Task A_version_set_to_the_release_where_the_project_makes_the_model_is_a_version()
    {
        // new Info { Version = AssemblyManager.Current.Version.ToString() }, the holder set once from the entry assembly;
        // a holder also given another value, and a stamp of another kind, do not count.
        await Verify.AnalyzerAsync<MissingSchemaVersionCheck>(Program("""
                void Save(string path, Info info, Mixed mixed, Named named)
                {
                    File.WriteAllText(path, JsonSerializer.Serialize(info));
                    File.WriteAllText(path, {|CKPT101:JsonSerializer.Serialize(mixed)|});
                    File.WriteAllText(path, {|CKPT101:JsonSerializer.Serialize(named)|});
                }

                Info Fresh() => new Info { Version = AssemblyManager.Current.Version!.ToString() };
                Mixed Other() => new Mixed { Version = Holder.Value.ToString() };
                Named Machine() => new Named { Version = Environment.MachineName };
            """, """
                public class AssemblyInfo { public Version? Version { get; set; } public string Name { get; set; } = ""; }
                public static class AssemblyManager
                {
                    static AssemblyManager()
                    {
                        var assembly = System.Reflection.Assembly.GetEntryAssembly()!;
                        var name = assembly.GetName();
                        Current = new AssemblyInfo { Version = name.Version, Name = name.Name ?? "" };
                    }

                    public static AssemblyInfo Current { get; set; }
                }
                public static class Holder
                {
                    public static Version Value { get; set; } = typeof(Holder).Assembly.GetName().Version!;
                    public static void Reset() => Value = new Version(1, 0);
                }
                public class Info { public string Version { get; set; } = ""; public string Theme { get; set; } = ""; }
                public class Mixed { public string Version { get; set; } = ""; public string Theme { get; set; } = ""; }
                public class Named { public string Version { get; set; } = ""; public string Theme { get; set; } = ""; }
                """));
    }

    [Fact]
    public async Task A_model_read_from_a_cache_file_is_regenerable_output()
    {
        var source = Program("""
                private readonly string _cachePath = "cache";

                Settings Cached(string id) => JsonSerializer.Deserialize<Settings>(File.ReadAllText(Path.Combine(_cachePath, id + ".json")))!;

                async Task SaveSimilarItemsCacheAsync(string file, Settings items)
                {
                    using var stream = new FileStream(file, FileMode.Create);
                    await JsonSerializer.SerializeAsync(stream, items);
                }
            """);
        var diagnostics = await ProbeCompilation.Of(source).WithAnalyzers([new SchemaAnalyzer()]).GetAnalyzerDiagnosticsAsync();
        var found = diagnostics.Where(d => d.Id == "CKPT101").OrderBy(d => d.Location.SourceSpan.Start).ToList();
        Assert.Equal(2, found.Count);
        Assert.Equal((DataHeld.Output, "the path names a cache ('_cachePath')"), DataHeldDiagnostic.Read(found[0]));
        Assert.Equal(DataHeld.Output, DataHeldDiagnostic.Read(found[1]).Held);
        Assert.All(found, d => Assert.Equal(Microsoft.CodeAnalysis.DiagnosticSeverity.Hidden, d.Severity));
    }

    [Fact]
    public async Task A_model_saved_to_a_stream_on_a_cache_path_or_read_through_branches_is_output()
    {
        // The save's stream is opened on the cache path (not named for a cache itself); the load's path is assigned in branches.
        var source = Program("""
                private readonly string _cacheFolder = "cache";

                string ItemPath(string id) => Path.Combine(_cacheFolder, id + ".json");

                async Task Write(string id, Settings items)
                {
                    var stream = File.Create(ItemPath(id));
                    await using (stream.ConfigureAwait(false))
                    {
                        await JsonSerializer.SerializeAsync(stream, items);
                    }
                }

                Settings? Read(string? id)
                {
                    string path;
                    if (id is not null) { path = ItemPath(id); } else { path = Path.Combine(_cacheFolder, "last.json"); }
                    return JsonSerializer.Deserialize<Settings>(File.ReadAllText(path));
                }
            """);
        var diagnostics = await ProbeCompilation.Of(source).WithAnalyzers([new SchemaAnalyzer()]).GetAnalyzerDiagnosticsAsync();
        var found = diagnostics.Where(d => d.Id == "CKPT101").OrderBy(d => d.Location.SourceSpan.Start).ToList();
        Assert.Equal(2, found.Count);
        Assert.All(found, d => Assert.Equal((DataHeld.Output, "the path names a cache ('_cacheFolder')"), DataHeldDiagnostic.Read(d)));
    }

    [Fact]
    public async Task A_load_whose_path_is_a_cache_in_only_one_branch_keeps_its_severity()
    {
        var source = Program("""
                private readonly string _cacheFolder = "cache";

                Settings? Read(string? id, string settingsFile)
                {
                    string path;
                    if (id is not null) { path = Path.Combine(_cacheFolder, id + ".json"); } else { path = settingsFile; }
                    return JsonSerializer.Deserialize<Settings>(File.ReadAllText(path));
                }

                void Save(string settingsFile, Settings settings) => File.WriteAllText(settingsFile, JsonSerializer.Serialize(settings));
            """);
        var diagnostics = await ProbeCompilation.Of(source).WithAnalyzers([new SchemaAnalyzer()]).GetAnalyzerDiagnosticsAsync();
        Assert.All(diagnostics.Where(d => d.Id == "CKPT101"), d => Assert.NotEqual(DataHeld.Output, DataHeldDiagnostic.Read(d).Held));
        Assert.Contains(diagnostics, d => d.Id == "CKPT101" && d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Warning);
    }

    [Fact]
    public async Task Quiet_for_versioned_models_and_data_that_is_not_stored()
    {
        await Verify.AnalyzerAsync<MissingSchemaVersionCheck>(Program("""
                void Versioned(string path, Job job, Mapped mapped, Derived derived, Revised revised)
                {
                    File.WriteAllText(path, JsonSerializer.Serialize(job));
                    File.WriteAllText(path, JsonSerializer.Serialize(mapped));
                    File.WriteAllText(path, JsonSerializer.Serialize(derived));
                }

                // A scratch copy in the temp directory (an upload body), not moved into place.
                async Task Upload(Settings s)
                {
                    var temp = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N") + ".json");
                    await using (var stream = new FileStream(temp, FileMode.CreateNew))
                    {
                        await JsonSerializer.SerializeAsync(stream, s);
                    }

                    File.Delete(temp);
                }

                // Not stored here: returned, sent, logged.
                string ToJson(Settings s) => JsonSerializer.Serialize(s);
                HttpContent Send(Settings s) => new StringContent(JsonSerializer.Serialize(s));
                void Log(Settings s) => Console.WriteLine(JsonSerializer.Serialize(s));
                Settings? FromResponse(string body) => JsonSerializer.Deserialize<Settings>(body);

                // Roots with no members of their own to version.
                void Collections(string path, List<Settings> all, Dictionary<string, int> counts)
                {
                    File.WriteAllText(path, JsonSerializer.Serialize(all));
                    File.WriteAllText(path, JsonSerializer.Serialize(counts));
                    File.WriteAllText(path, JsonSerializer.Serialize(new { A = 1 }));
                    File.WriteAllText(path, JsonSerializer.Serialize(42));
                }
            """, """
                public class Job { public int Version { get; set; } }
                public class Mapped { [JsonPropertyName("schema_version")] public int V { get; set; } }
                public class Base { public int SchemaVersion { get; set; } }
                public class Derived : Base { }
                public class Revised { public int Revision { get; set; } }
                """));
    }

    [Theory]
    [InlineData("Settings Load() => JsonSerializer.Deserialize<Settings>(File.ReadAllText(\"settings.json\"))!; void Save(Settings s) => File.WriteAllText(\"settings.json\", JsonSerializer.Serialize(s));", "")]
    [InlineData("Settings Read(string folder) => JsonSerializer.Deserialize<Settings>(File.ReadAllText(Path.Combine(folder, \"plugin.json\")))!;", "nothing in this source file writes the file: it may be another program's input rather than this program's state")]
    // Written and read back here, but no call of the project serializes the model: a downloaded response kept on disk.
    [InlineData("async Task<Settings> Fetch(HttpClient http, string path) { if (!File.Exists(path)) { using var body = await http.GetStreamAsync(\"u\"); using var file = File.Create(path); await body.CopyToAsync(file); } using var stream = File.OpenRead(path); return (await JsonSerializer.DeserializeAsync<Settings>(stream))!; }", "'Settings' is only loaded in this project, never saved: it may be another program's or a person's format rather than this program's state")]
    // Serialized to a MemoryStream and then written: the program writes the format.
    [InlineData("Settings Load(string path) => JsonSerializer.Deserialize<Settings>(File.ReadAllText(path))!; void Save(string path, Settings s) { using var ms = new MemoryStream(); JsonSerializer.Serialize(ms, s); File.WriteAllBytes(path, ms.ToArray()); }", "")]
    public async Task A_model_only_read_from_a_file_nothing_here_writes_says_so(string body, string evidence)
    {
        var diagnostics = await ProbeCompilation.Of(Program(body)).WithAnalyzers([new SchemaAnalyzer()]).GetAnalyzerDiagnosticsAsync();
        var diagnostic = Assert.Single(diagnostics, d => d.Id == "CKPT101" && d.Location.SourceSpan.Length > 0 && d.GetMessage().Contains("loaded from", StringComparison.Ordinal));
        Assert.Equal((DataHeld.Unclassified, evidence), DataHeldDiagnostic.Read(diagnostic));
    }

    [Fact]
    public async Task A_release_version_is_not_a_schema_version()
    {
        // A plugin manifest's Version is the plugin's release ("10.9.1.0"): a bare Version counts only as a number.
        await Verify.AnalyzerAsync<MissingSchemaVersionCheck>(Program("""
                void Save(string path, PluginManifest manifest, PackageInfo package, Counter counter, Layout layout)
                {
                    File.WriteAllText(path, {|CKPT101:JsonSerializer.Serialize(manifest)|});
                    File.WriteAllText(path, {|CKPT101:JsonSerializer.Serialize(package)|});
                    File.WriteAllText(path, JsonSerializer.Serialize(counter));
                    File.WriteAllText(path, JsonSerializer.Serialize(layout));
                }
            """, """
                public class PluginManifest { public string Name { get; set; } = ""; public string Version { get; set; } = ""; }
                public class PackageInfo { public Version Version { get; set; } = new(1, 0); }
                public class Counter { public int Version { get; set; } }
                public class Layout { public string SchemaVersion { get; set; } = "2"; }
                """));
    }

    [Fact]
    public async Task Ignored_version_members_do_not_count_and_names_are_configurable()
    {
        await Verify.AnalyzerAsync<MissingSchemaVersionCheck>(
            Program("""
                void Save(string path, Ignored ignored, Revised revised)
                {
                    File.WriteAllText(path, {|CKPT101:JsonSerializer.Serialize(ignored)|});
                    File.WriteAllText(path, JsonSerializer.Serialize(revised));
                }
            """, """
                public class Ignored { [JsonIgnore] public int Revision { get; set; } }
                public class Revised { public int Revision { get; set; } }
                """),
            "checkpoint_audit.schema_version_members = Revision\n");
    }

    [Fact]
    public async Task Newtonsoft_saves_are_judged_too()
    {
        var test = Verify.AnalyzerTest<MissingSchemaVersionCheck>(Program("""
                void Save(string path, Settings s) => File.WriteAllText(path, {|CKPT101:Newtonsoft.Json.JsonConvert.SerializeObject(s)|});

                Settings? Load(string path) => {|CKPT101:Newtonsoft.Json.JsonConvert.DeserializeObject<Settings>(File.ReadAllText(path))|};
            """));
        test.TestState.AdditionalReferences.AddRange(TestReferences.Newtonsoft);
        await test.RunAsync();
    }

    [Fact]
    public async Task A_type_map_method_names_every_model_it_returns_in_one_finding()
    {
        var test = Verify.AnalyzerTest<MissingSchemaVersionCheck>(Program("""
                void Save(string path, int stage, object checkpoint)
                    => File.WriteAllText(path, {|#0:JsonSerializer.Serialize(checkpoint, Stages.TypeOf(stage))|});
            """, """
                public class {|#1:UploadCheckpoint|} { public string Name { get; set; } = ""; }
                public class {|#2:OcrCheckpoint|} { public string Text { get; set; } = ""; }
                public class LayoutCheckpoint { public int SchemaVersion { get; set; } }
                public static class Stages
                {
                    public static Type TypeOf(int stage) => stage switch
                    {
                        1 => typeof(UploadCheckpoint),
                        2 => typeof(OcrCheckpoint),
                        _ => typeof(LayoutCheckpoint),
                    };
                }
                """));
        // The versioned LayoutCheckpoint is left out; the other two are named in one finding.
        test.ExpectedDiagnostics.Add(new Microsoft.CodeAnalysis.Testing.DiagnosticResult(CheckpointAudit.Catalog.RuleCatalog.MissingSchemaVersion.Descriptor)
            .WithLocation(0).WithLocation(1).WithLocation(2).WithArguments("'UploadCheckpoint' and 'OcrCheckpoint' are", "saved to a file here"));
        await test.RunAsync();
    }

    [Fact]
    public async Task A_model_of_a_referenced_project_is_reported_at_the_call_without_its_declaration()
    {
        // The model's declaration belongs to the referenced project's compilation: it cannot be a location of this
        // project's diagnostic (Roslyn throws, AD0001). The finding stays at the call, names the model, and has
        // only the declarations of this project as additional locations.
        var test = Verify.AnalyzerTest<MissingSchemaVersionCheck>(Program("""
                void Save(string path, Models.Job job) => File.WriteAllText(path, {|#0:JsonSerializer.Serialize(job)|});

                Models.Job? Load(string path) => {|#1:JsonSerializer.Deserialize<Models.Job>(File.ReadAllText(path))|};

                void Save(string path, int stage, object checkpoint)
                    => File.WriteAllText(path, {|#2:JsonSerializer.Serialize(checkpoint, LocalStages.TypeOf(stage))|});

                // A type map of the referenced project is not followed into its compilation: no model is known here.
                void SaveMapped(string path, int stage, object checkpoint) => File.WriteAllText(path, JsonSerializer.Serialize(checkpoint, Models.Stages.TypeOf(stage)));
            """, """
                public class {|#3:Local|} { public string Name { get; set; } = ""; }
                public static class LocalStages { public static Type TypeOf(int stage) => stage == 1 ? typeof(Models.Job) : typeof(Local); }
                """));
        Verify.WithModelsProject(test, """
            using System;

            namespace Models;

            public class Job { public string Id { get; set; } = ""; }
            public static class Stages { public static Type TypeOf(int stage) => typeof(Job); }
            """);
        var rule = CheckpointAudit.Catalog.RuleCatalog.MissingSchemaVersion.Descriptor;
        test.ExpectedDiagnostics.Add(new Microsoft.CodeAnalysis.Testing.DiagnosticResult(rule).WithLocation(0).WithArguments("'Job' is", "saved to a file here"));
        test.ExpectedDiagnostics.Add(new Microsoft.CodeAnalysis.Testing.DiagnosticResult(rule).WithLocation(1).WithArguments("'Job' is", "loaded from a file here"));
        test.ExpectedDiagnostics.Add(new Microsoft.CodeAnalysis.Testing.DiagnosticResult(rule).WithLocation(2).WithLocation(3).WithArguments("'Job' and 'Local' are", "saved to a file here"));
        await test.RunAsync();
    }
}
