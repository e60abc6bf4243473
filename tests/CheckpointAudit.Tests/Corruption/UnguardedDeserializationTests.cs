using CheckpointAudit.Checks;
using CheckpointAudit.Corruption;
using CheckpointAudit.Knowledge;
using CheckpointAudit.Tests.Infrastructure;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;

namespace CheckpointAudit.Tests.Corruption;

public class UnguardedDeserializationTests
{
    private static string Wrap(string body) => $$"""
        using System;
        using System.Data.Common;
        using System.IO;
        using System.Text.Json;
        using System.Text.Json.Nodes;
        using System.Threading.Tasks;
        using System.Xml;
        using System.Xml.Linq;
        using System.Xml.Serialization;

        public class Settings { public int SchemaVersion { get; set; } }

        class Store
        {
        {{body}}
        }
        """;

    private static Task Verify301(string body) => Verify.AnalyzerAsync<UnguardedDeserializationCheck>(Wrap(body));

    private static async Task VerifyNewtonsoft301(string body)
    {
        var test = Verify.AnalyzerTest<UnguardedDeserializationCheck>(Wrap(body).Replace("using System;", "using System;\nusing Newtonsoft.Json;\nusing Newtonsoft.Json.Linq;"));
        test.TestState.AdditionalReferences.AddRange(TestReferences.Newtonsoft);
        await test.RunAsync();
    }

    [Theory]
    [InlineData("Settings Load() => JsonSerializer.Deserialize<Settings>(File.ReadAllText(\"settings.json\"))!; void Save(Settings s) => File.WriteAllText(\"settings.json\", JsonSerializer.Serialize(s));", "")]
    [InlineData("Settings Load(string path) => JsonSerializer.Deserialize<Settings>(File.ReadAllText(path))!; void Save(string path, Settings s) => File.WriteAllText(path, JsonSerializer.Serialize(s));", "")]
    [InlineData("JsonNode Bookmarks(string profile) => JsonNode.Parse(File.ReadAllText(Path.Combine(profile, \"Bookmarks\")))!;", "nothing in this source file writes the file: it may be another program's input rather than this program's state")]
    [InlineData("string Title(string theme) { using var reader = XmlReader.Create(Path.Combine(\"Themes\", theme)); reader.Read(); return reader.Value; }", "nothing in this source file writes the file: it may be another program's input rather than this program's state")]
    public async Task A_file_nothing_here_writes_is_said_to_be_possibly_input(string body, string evidence)
    {
        var diagnostics = await ProbeCompilation.Of(Wrap(body)).WithAnalyzers([new CorruptionAnalyzer()]).GetAnalyzerDiagnosticsAsync();
        var diagnostic = Assert.Single(diagnostics, d => d.Id == "CKPT301");
        Assert.Equal((DataHeld.Unclassified, evidence), DataHeldDiagnostic.Read(diagnostic));
    }

    private const string Dialogs = """
            class CommonDialog { }
            class OpenFileDialog : CommonDialog { public string FileName { get; set; } = ""; }
            class FolderBrowserDialog : CommonDialog { public string SelectedPath { get; set; } = ""; }
            interface IDataObject { object GetData(string format); }
            static class DataFormats { public const string FileDrop = "FileDrop"; }
        """;

    [Theory]
    [InlineData("Settings Import(OpenFileDialog dialog) => JsonSerializer.Deserialize<Settings>(File.ReadAllText(dialog.FileName))!;")]
    [InlineData("void Drop(IDataObject data) { if (data.GetData(DataFormats.FileDrop) is string[] files) foreach (var file in System.Linq.Enumerable.Where(files, f => f.EndsWith(\".json\"))) JsonSerializer.Deserialize<Settings>(File.ReadAllText(file)); }")]
    [InlineData("static string Browse() { var dialog = new FolderBrowserDialog(); return dialog.SelectedPath; } void ImportAll() { foreach (var file in Directory.GetFiles(Browse(), \"*.json\")) { var text = File.ReadAllText(file); JsonSerializer.Deserialize<Settings>(text); } }")]
    public async Task A_file_the_user_picks_to_import_is_input_for_review(string body)
    {
        var diagnostics = await ProbeCompilation.Of(Wrap(body) + Dialogs).WithAnalyzers([new CorruptionAnalyzer()]).GetAnalyzerDiagnosticsAsync();
        var diagnostic = Assert.Single(diagnostics, d => d.Id == "CKPT301");
        Assert.Equal((DataHeld.Unclassified, UserPickedFile.Evidence), DataHeldDiagnostic.Read(diagnostic));
    }

    [Fact]
    public async Task A_file_the_program_names_is_not_taken_for_a_pick()
    {
        // The dialog only picks where to export; the settings file itself is the program's.
        var body = """
                Settings Load(OpenFileDialog dialog) { var export = dialog.FileName; return JsonSerializer.Deserialize<Settings>(File.ReadAllText(Path.Combine("data", "settings.json")))!; }
                void Save(Settings s) => File.WriteAllText(Path.Combine("data", "settings.json"), JsonSerializer.Serialize(s));
            """;
        var diagnostics = await ProbeCompilation.Of(Wrap(body) + Dialogs).WithAnalyzers([new CorruptionAnalyzer()]).GetAnalyzerDiagnosticsAsync();
        var diagnostic = Assert.Single(diagnostics, d => d.Id == "CKPT301");
        Assert.Equal((DataHeld.Unclassified, ""), DataHeldDiagnostic.Read(diagnostic));
    }

    [Fact]
    public async Task Flags_an_xml_file_read_by_hand_and_stays_quiet_when_a_deserializer_reads_it_or_a_catch_handles_it()
    {
        await Verify301("""
                public int Port;

                void Load(string configFile)
                {
                    using (XmlReader reader = {|CKPT301:XmlReader.Create(configFile)|})
                    {
                        while (reader.Read()) { if (reader.Name == "Port") Port = reader.ReadElementContentAsInt(); }
                    }
                }

                void LoadGuarded(string configFile)
                {
                    try
                    {
                        using var reader = XmlReader.Create(configFile);
                        while (reader.Read()) { }
                    }
                    catch (XmlException) { Port = 0; }
                }

                Settings? LoadBySerializer(string configFile)
                {
                    try
                    {
                        using var reader = XmlReader.Create(configFile);
                        return (Settings?)new XmlSerializer(typeof(Settings)).Deserialize(reader);
                    }
                    catch (InvalidOperationException) { return null; }
                }

                void Echo(TextWriter output) { using var reader = XmlReader.Create(new StringReader("<a/>")); while (reader.Read()) output.Write(reader.Name); }
            """);
    }

    [Fact]
    public async Task A_cache_file_returned_by_an_awaited_helper_is_regenerable_output()
    {
        // await EnsureItemInfo(id).ConfigureAwait(false): the helper downloads the file when stale and returns its path.
        var body = """
                private readonly string _cachePath = "cache";

                async Task<string> EnsureItemInfo(string id)
                {
                    var path = Path.Combine(_cachePath, "omdb", id + ".json");
                    if (!File.Exists(path))
                    {
                        await File.WriteAllTextAsync(path, "{}").ConfigureAwait(false);
                    }

                    return path;
                }

                async Task<Settings> Item(string id)
                {
                    var path = await EnsureItemInfo(id).ConfigureAwait(false);
                    using var stream = File.OpenRead(path);
                    return (await JsonSerializer.DeserializeAsync<Settings>(stream).ConfigureAwait(false))!;
                }
            """;
        var diagnostics = await ProbeCompilation.Of(Wrap(body)).WithAnalyzers([new CorruptionAnalyzer()]).GetAnalyzerDiagnosticsAsync();
        var diagnostic = Assert.Single(diagnostics, d => d.Id == "CKPT301");
        Assert.Equal((DataHeld.Output, "the path names a cache ('_cachePath')"), DataHeldDiagnostic.Read(diagnostic));
    }

    [Fact]
    public async Task A_cache_file_named_by_a_path_helper_is_regenerable_output()
    {
        var body = """
                private readonly string _cachePath = "cache";

                string AlbumDataPath(string id) => Path.Combine(_cachePath, "albums", id);

                string AlbumInfoPath(string id) => Path.Combine(AlbumDataPath(id), "album.json");

                static FileStream OpenRead(string path) => new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096, FileOptions.Asynchronous);

                Settings Album(string id)
                {
                    var path = AlbumInfoPath(id);
                    using var stream = OpenRead(path);
                    return JsonSerializer.Deserialize<Settings>(stream)!;
                }
            """;
        var diagnostics = await ProbeCompilation.Of(Wrap(body)).WithAnalyzers([new CorruptionAnalyzer()]).GetAnalyzerDiagnosticsAsync();
        var diagnostic = Assert.Single(diagnostics, d => d.Id == "CKPT301");
        Assert.Equal((DataHeld.Output, "the path names a cache ('_cachePath')"), DataHeldDiagnostic.Read(diagnostic));
        Assert.Equal(Microsoft.CodeAnalysis.DiagnosticSeverity.Hidden, diagnostic.Severity);
    }

    [Fact]
    public async Task A_file_the_program_ships_and_only_reads_is_regenerable()
    {
        // The schema beside the executable, reached through a field set in the constructor and a private method's
        // parameter; this file writes a database, so the file is not "only read" for lack of writes.
        var body = """
                private readonly string _schemaPath;

                public Store(string? custom) => _schemaPath = custom is null ? Path.Combine(AppDomain.CurrentDomain.BaseDirectory, "Schemas\\defaults_v1.json") : Path.Combine(AppContext.BaseDirectory, custom);

                void Create() => CreateFrom(_schemaPath);

                private void CreateFrom(string schemaFile)
                {
                    var schema = JsonSerializer.Deserialize<Settings>(File.ReadAllText(schemaFile))!;
                    File.WriteAllText(Path.Combine("data", "app.db"), schema.SchemaVersion.ToString());
                }
            """;
        var diagnostics = await ProbeCompilation.Of(Wrap(body)).WithAnalyzers([new CorruptionAnalyzer()]).GetAnalyzerDiagnosticsAsync();
        var diagnostic = Assert.Single(diagnostics, d => d.Id == "CKPT301");
        Assert.Equal(
            (DataHeld.Output, "the file ships with the program: its path is under the program's directory ('AppDomain.BaseDirectory'), and no other source file names 'defaults_v1.json'"),
            DataHeldDiagnostic.Read(diagnostic));
    }

    [Theory]
    // Beside the entry assembly, read through ?. and a static field; and the operating system's hosts file.
    [InlineData("static readonly string ServersPath = Path.Combine(Path.GetDirectoryName(System.Reflection.Assembly.GetEntryAssembly()?.Location)!, \"Resources\", \"Servers.xml\"); XDocument Load() => XDocument.Load(ServersPath);",
        "the file ships with the program: its path is under the program's directory ('Assembly.Location'), and no other source file names 'Servers.xml'")]
    [InlineData("static string HostsPath => Path.Combine(Environment.SystemDirectory, \"drivers\", \"etc\", \"hosts\"); XDocument Load() => XDocument.Load(HostsPath);",
        "the file belongs to the operating system: its path is under Environment.SystemDirectory")]
    public async Task Files_the_program_ships_or_the_system_owns_are_not_its_state(string body, string evidence)
    {
        var diagnostics = await ProbeCompilation.Of(Wrap(body)).WithAnalyzers([new CorruptionAnalyzer()]).GetAnalyzerDiagnosticsAsync();
        var diagnostic = Assert.Single(diagnostics, d => d.Id == "CKPT301");
        Assert.Equal((DataHeld.Output, evidence), DataHeldDiagnostic.Read(diagnostic));
    }

    [Theory]
    [InlineData("Settings Load() => JsonSerializer.Deserialize<Settings>(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, \"settings.json\")))!; void Save(Settings s) => File.WriteAllText(Path.Combine(AppContext.BaseDirectory, \"settings.json\"), JsonSerializer.Serialize(s));", "")]
    [InlineData("Settings Load() => JsonSerializer.Deserialize<Settings>(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, \"portable.json\")))!; void Other() => File.WriteAllText(Path.Combine(\"data\", \"x.db\"), \"\");", "")]
    [InlineData("Settings Load(bool custom) { var path = custom ? Environment.GetEnvironmentVariable(\"APP_SETTINGS\")! : Path.Combine(AppContext.BaseDirectory, \"defaults.json\"); return JsonSerializer.Deserialize<Settings>(File.ReadAllText(path))!; } void Other() => File.WriteAllText(Path.Combine(\"data\", \"x.db\"), \"\");", "")]
    [InlineData("Settings Load() => JsonSerializer.Deserialize<Settings>(File.ReadAllText(Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.ApplicationData), Path.GetFileNameWithoutExtension(Environment.ProcessPath) + \".settings.json\")))!; void Other() => File.WriteAllText(Path.Combine(\"data\", \"x.db\"), \"\");", "")]
    public async Task A_portable_programs_own_file_beside_the_executable_keeps_its_severity(string body, string evidence)
    {
        // Saved here; named by another source file, which may write it; one branch elsewhere; the program's name under AppData.
        var elsewhere = "using System; using System.IO; static class Portable { public static void Save(string json) => File.WriteAllText(Path.Combine(AppContext.BaseDirectory, \"portable.json\"), json); }";
        var compilation = ProbeCompilation.Of(Wrap(body), elsewhere);
        var diagnostics = await compilation.WithAnalyzers([new CorruptionAnalyzer()]).GetAnalyzerDiagnosticsAsync();
        var diagnostic = Assert.Single(diagnostics, d => d.Id == "CKPT301");
        Assert.Equal((DataHeld.Unclassified, evidence), DataHeldDiagnostic.Read(diagnostic));
        Assert.Equal(Microsoft.CodeAnalysis.DiagnosticSeverity.Warning, diagnostic.Severity);
    }

    [Theory]
    // Leaves through Switch (Peek catches it); through nothing the project can name when a lambda or an internal
    // method nothing here calls (an entry point, a handler) calls it: whoever calls those is unknown, or the exception
    // is not caught at all.
    [InlineData("public void Switch(string path) => Load(path);", "M:Profiles.Switch(System.String)")]
    [InlineData("public void Switch(string path) { if (path.Length == 0) Switch(\"default.json\"); else Load(path); } public void Rename(string path) => Switch(path + \".json\");", "M:Profiles.Rename(System.String);M:Profiles.Switch(System.String)")]
    [InlineData("public void Switch(string path) => Load(path); public Action Later(string path) => () => Load(path);", "")]
    [InlineData("internal void Switch(string path) => Load(path);", "")]
    [InlineData("public void Switch(string path) => Load(path); internal void Reload(string path) => Load(path);", "")]
    public async Task An_uncaught_load_names_the_public_methods_it_leaves_the_project_through(string entries, string exits)
    {
        var source = $$"""
            using System;
            using System.IO;
            using System.Text.Json;

            public class Settings { public int SchemaVersion { get; set; } }

            public class Profiles
            {
                private Settings _current = new();

                {{entries}}

                public Settings Peek(string path) { try { return Parse(path); } catch (JsonException) { return new Settings(); } }

                private void Load(string path) => _current = Parse(path);

                private Settings Parse(string path) => JsonSerializer.Deserialize<Settings>(File.ReadAllText(path))!;
            }
            """;
        var diagnostics = await ProbeCompilation.Of(source).WithAnalyzers([new CorruptionAnalyzer()]).GetAnalyzerDiagnosticsAsync();
        var diagnostic = Assert.Single(diagnostics, d => d.Id == "CKPT301");
        var (throwsTo, caughtBy) = ThrownToCallers.Read(diagnostic);
        Assert.Equal(exits, string.Join(";", throwsTo));
        Assert.Equal(exits.Length == 0 ? "" : "T:System.Exception;T:System.Object;T:System.Text.Json.JsonException", string.Join(";", caughtBy));
    }

    [Fact]
    public async Task Flags_parses_of_files_and_database_values_without_a_catch()
    {
        await Verify301("""
                Settings? A(string path)
                {
                    var json = File.ReadAllText(path);
                    return {|CKPT301:JsonSerializer.Deserialize<Settings>(json)|};
                }

                async Task<Settings?> B(string path)
                {
                    await using var stream = File.OpenRead(path);
                    return await {|CKPT301:JsonSerializer.DeserializeAsync<Settings>(stream)|};
                }

                JsonDocument C(string path) => {|CKPT301:JsonDocument.Parse(File.ReadAllText(path))|};

                JsonNode? D(FileInfo file)
                {
                    using var reader = file.OpenText();
                    return {|CKPT301:JsonNode.Parse(reader.ReadToEnd())|};
                }

                XDocument E(string path) => {|CKPT301:XDocument.Load(path)|};

                object? F(string path)
                {
                    using var reader = new StreamReader(path);
                    return {|CKPT301:new XmlSerializer(typeof(Settings)).Deserialize(reader)|};
                }

                Settings? G(DbDataReader reader) => {|CKPT301:JsonSerializer.Deserialize<Settings>(reader.GetString(0))|};

                Settings? H(DbCommand command) => {|CKPT301:JsonSerializer.Deserialize<Settings>((string)command.ExecuteScalar()!)|};
            """);
    }

    [Fact]
    public async Task Flags_catches_that_miss_the_parser_exception()
    {
        await Verify301("""
                Settings? IoOnly(string path)
                {
                    try
                    {
                        return {|CKPT301:JsonSerializer.Deserialize<Settings>(File.ReadAllText(path))|};
                    }
                    catch (IOException)
                    {
                        return null;
                    }
                }

                Settings? FilteredToIo(string path)
                {
                    try
                    {
                        return {|CKPT301:JsonSerializer.Deserialize<Settings>(File.ReadAllText(path))|};
                    }
                    catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                    {
                        return null;
                    }
                }

                // XmlSerializer wraps the XmlException in an InvalidOperationException.
                object? XmlOnly(string path)
                {
                    try
                    {
                        using var stream = File.OpenRead(path);
                        return {|CKPT301:new XmlSerializer(typeof(Settings)).Deserialize(stream)|};
                    }
                    catch (XmlException)
                    {
                        return null;
                    }
                }

                // A try around the lambda's creation does not guard its execution.
                Task<Settings?> InLambda(string path)
                {
                    try
                    {
                        return Task.Run(() => {|CKPT301:JsonSerializer.Deserialize<Settings>(File.ReadAllText(path))|});
                    }
                    catch (JsonException)
                    {
                        return Task.FromResult<Settings?>(null);
                    }
                }
            """);
    }

    [Fact]
    public async Task Quiet_when_guarded_or_when_the_input_is_not_known_to_be_stored()
    {
        await Verify301("""
                Settings? Exact(string path)
                {
                    try { return JsonSerializer.Deserialize<Settings>(File.ReadAllText(path)); }
                    catch (JsonException) { return null; }
                }

                Settings? Broad(string path)
                {
                    try { return JsonSerializer.Deserialize<Settings>(File.ReadAllText(path)); }
                    catch (Exception) { return null; }
                }

                Settings? Bare(string path)
                {
                    try { return JsonSerializer.Deserialize<Settings>(File.ReadAllText(path)); }
                    catch { return null; }
                }

                Settings? Filtered(string path)
                {
                    try { return JsonSerializer.Deserialize<Settings>(File.ReadAllText(path)); }
                    catch (Exception ex) when (ex is JsonException or IOException) { return null; }
                }

                Settings? AllButCancellation(string path)
                {
                    try { return JsonSerializer.Deserialize<Settings>(File.ReadAllText(path)); }
                    catch (Exception ex) when (ex is not OperationCanceledException) { return null; }
                }

                object? XmlSerializerGuarded(string path)
                {
                    try
                    {
                        using var stream = File.OpenRead(path);
                        return new XmlSerializer(typeof(Settings)).Deserialize(stream);
                    }
                    catch (InvalidOperationException) { return null; }
                }

                XDocument? XmlGuarded(string path)
                {
                    try { return XDocument.Load(path); }
                    catch (XmlException) { return null; }
                }

                // Where the text comes from is not known here: the caller decides.
                Settings? FromText(string json) => JsonSerializer.Deserialize<Settings>(json);

                async Task<Settings?> FromRequest(Stream body) => await JsonSerializer.DeserializeAsync<Settings>(body);

                // A private loader whose every caller handles corrupt input.
                private Settings? LoadCore(string path) => JsonSerializer.Deserialize<Settings>(File.ReadAllText(path));

                public Settings Load(string path)
                {
                    try { return LoadCore(path) ?? new Settings(); }
                    catch (JsonException) { return new Settings(); }
                }

                string Save(Settings settings) => JsonSerializer.Serialize(settings);
            """);
    }

    [Fact]
    public async Task Callers_in_other_files_and_up_the_call_chain_count_for_loaders_only_this_assembly_calls()
    {
        const string Loaders = """
            using System;
            using System.IO;
            using System.Text.Json;

            public class Settings { public int SchemaVersion { get; set; } }

            // Internal loader, guarded by its caller in another file.
            internal static class SettingsFile
            {
                internal static Settings? Read(string path) => JsonSerializer.Deserialize<Settings>(File.ReadAllText(path));
            }

            // An override of an internal abstract method, reached through the base class two calls up.
            public abstract class HistoryStore
            {
                internal Settings? Load() => Load("history.json");

                internal abstract Settings? Load(string path);

                public Settings? LoadOrNull()
                {
                    try { return Load(); }
                    catch (Exception) { return null; }
                }
            }

            internal sealed class JsonHistoryStore : HistoryStore
            {
                internal override Settings? Load(string path) => JsonSerializer.Deserialize<Settings>(File.ReadAllText(path));
            }

            // Public: other assemblies may call it without a catch.
            public static class PublicLoader
            {
                public static Settings? Read(string path) => {|CKPT301:JsonSerializer.Deserialize<Settings>(File.ReadAllText(path))|};
            }

            // Internal, but one caller does not guard it.
            internal static class HalfGuarded
            {
                internal static Settings? Read(string path) => {|CKPT301:JsonSerializer.Deserialize<Settings>(File.ReadAllText(path))|};

                internal static Settings? Guarded(string path)
                {
                    try { return Read(path); }
                    catch (JsonException) { return null; }
                }

                internal static Settings? Unguarded(string path) => Read(path);

                static void Main() => Unguarded("x");
            }

            // Internal, but handed out as a delegate: whoever invokes it is unknown.
            internal static class AsDelegate
            {
                internal static Settings? Read(string path) => {|CKPT301:JsonSerializer.Deserialize<Settings>(File.ReadAllText(path))|};

                internal static Func<string, Settings?> Reader => Read;
            }
            """;
        const string Callers = """
            using System.Text.Json;

            internal sealed class App
            {
                internal Settings Start(string path)
                {
                    try { return SettingsFile.Read(path) ?? new Settings(); }
                    catch (JsonException) { return new Settings(); }
                }
            }
            """;
        await Verify.AnalyzerAsync<UnguardedDeserializationCheck>(Loaders, null, Callers);
    }

    [Fact]
    public async Task Newtonsoft_parses_are_judged_against_its_own_exceptions()
    {
        await VerifyNewtonsoft301("""
                Settings? A(string path) => {|CKPT301:JsonConvert.DeserializeObject<Settings>(File.ReadAllText(path))|};

                JObject B(string path) => {|CKPT301:JObject.Parse(File.ReadAllText(path))|};

                Settings? C(string path)
                {
                    // System.Text.Json's JsonException is another type: it does not catch Newtonsoft's.
                    try { return {|CKPT301:JsonConvert.DeserializeObject<Settings>(File.ReadAllText(path))|}; }
                    catch (System.Text.Json.JsonException) { return null; }
                }

                // One subtype of JsonException leaves the other's torn files uncaught: garbled text throws
                // JsonReaderException, a truncated object JsonSerializationException.
                Settings? D(string path)
                {
                    try { return {|CKPT301:JsonConvert.DeserializeObject<Settings>(File.ReadAllText(path))|}; }
                    catch (JsonReaderException) { return null; }
                }

                Settings? F(string path)
                {
                    try { return {|CKPT301:JsonConvert.DeserializeObject<Settings>(File.ReadAllText(path))|}; }
                    catch (JsonSerializationException) { return null; }
                }

                // The text reaches a private parser from its caller in this file.
                Settings? _data;

                public void Load(string path) => Parse(File.ReadAllText(path));

                private void Parse(string text) => _data = {|CKPT301:JsonConvert.DeserializeObject<Settings>(text)|};

                public Settings? FromText(string text) => Parse2(text);

                private Settings? Parse2(string text) => JsonConvert.DeserializeObject<Settings>(text);

                Settings? E(string path)
                {
                    using var reader = new JsonTextReader(File.OpenText(path));
                    try { return new Newtonsoft.Json.JsonSerializer().Deserialize<Settings>(reader); }
                    catch (Newtonsoft.Json.JsonException) { return null; }
                }
            """);
    }

    [Fact]
    public async Task A_catch_around_a_project_loader_that_takes_only_part_of_what_it_throws_is_reported_at_the_call()
    {
        await VerifyNewtonsoft301("""
                public string FilePath { get; set; } = "config.json";

                // The loader parses the file uncaught: reported where it parses, and, at the call, for the narrow catch.
                public void LoadFile() => {|CKPT301:JsonConvert.PopulateObject(File.ReadAllText(FilePath), this)|};

                public void LoadOrCreateDefault()
                {
                    try { {|CKPT301:LoadFile()|}; }
                    catch (JsonReaderException) { Console.WriteLine("corrupt, recreated"); }
                }

                // Quiet: the catch takes every case; a try that handles no damaged input (the caller does not recover here);
                // a parse in a handler the callee subscribes (it never throws through the call); a loader that catches for itself.
                public void Whole()
                {
                    try { LoadFile(); }
                    catch (Newtonsoft.Json.JsonException) { }
                }

                public void Unrelated()
                {
                    try { LoadFile(); }
                    catch (IOException) { }
                }

                public void Watched()
                {
                    try { Watch(); }
                    catch (JsonReaderException) { }
                }

                private void Watch()
                {
                    var watcher = new FileSystemWatcher(".");
                    watcher.Changed += (_, _) => {|CKPT301:JsonConvert.PopulateObject(File.ReadAllText(FilePath), this)|}; // its own finding
                }

                public void Safe()
                {
                    try { SafeLoad(); }
                    catch (JsonReaderException) { }
                }

                private void SafeLoad()
                {
                    try { JsonConvert.PopulateObject(File.ReadAllText(FilePath), this); }
                    catch (Newtonsoft.Json.JsonException) { }
                }
            """);
    }

    private const string JsonHelper = """
        using System.IO;
        using System.Text.Json;

        public static class JsonHelper
        {
            public static T? DeserializeFromFile<T>(string path) => Deserialize<T>(File.ReadAllText(path));

            public static T? Deserialize<T>(string json) => JsonSerializer.Deserialize<T>(json);

            public static T? TryDeserializeFromFile<T>(string path)
            {
                try { return JsonSerializer.Deserialize<T>(File.ReadAllText(path)); }
                catch (JsonException) { return default; }
            }
        }
        """;

    [Fact]
    public async Task Flags_a_value_of_the_types_own_saved_xml_converted_under_a_narrow_catch()
    {
        // The type writes "Bounds" itself and reads it back from whatever XElement it is handed: its saved settings.
        // A TypeConverter throws its own exception for text it cannot read, not only FormatException.
        await Verify301("""
                public string Bounds = "";

                public XElement SaveToXml() => new XElement("Session", new XElement("Bounds", ToText(Bounds)));

                public void LoadFromXml(XElement section)
                {
                    Bounds = FromText((string?)section.Element("Bounds"), "");
                }

                static T FromText<T>(string? text, T fallback)
                {
                    if (text == null)
                        return fallback;
                    try
                    {
                        var converter = System.ComponentModel.TypeDescriptor.GetConverter(typeof(T));
                        return (T){|CKPT301:converter.ConvertFromInvariantString(text)|}!;
                    }
                    catch (FormatException)
                    {
                        return fallback;
                    }
                }

                static string ToText<T>(T value) => System.ComponentModel.TypeDescriptor.GetConverter(typeof(T)).ConvertToInvariantString(value)!;
            """);
    }

    [Fact]
    public async Task Flags_an_attribute_written_under_nameof_and_converted_through_the_longest_overload()
    {
        await Verify301("""
                public int Mode;

                public XElement Save() => new XElement("Session", new System.Xml.Linq.XAttribute(nameof(Mode), Mode));

                public void Load(XElement section)
                {
                    var text = (string?)section.Attribute(nameof(Mode));
                    Mode = (int){|CKPT301:new System.ComponentModel.Int32Converter().ConvertFrom(null, System.Globalization.CultureInfo.InvariantCulture, text!)|}!;
                }
            """);
    }

    [Fact]
    public async Task Quiet_for_converted_xml_values_caught_whole_or_not_written_by_the_type()
    {
        await Verify301("""
                public string Bounds = "";

                public XElement SaveToXml() => new XElement("Session", new XElement("Bounds", Bounds), ToXElement("Count"));

                public void LoadFromXml(XElement section)
                {
                    Bounds = FromText((string?)section.Element("Bounds"), "");
                }

                // Every exception of the converter is taken.
                static T FromText<T>(string? text, T fallback)
                {
                    if (text == null)
                        return fallback;
                    try
                    {
                        return (T)System.ComponentModel.TypeDescriptor.GetConverter(typeof(T)).ConvertFromInvariantString(text)!;
                    }
                    catch (Exception)
                    {
                        return fallback;
                    }
                }

                // A reply of a web service: the type makes no XElement or XAttribute of that name (a method named
                // ToXElement is not one), and a nested type's writes are its own.
                public int ReadReply(XElement reply) => Parse((string)reply.Element("Count")!) + Parse((string)reply.Element("Total")!);

                static XElement ToXElement(string name) => new XElement("Wrapper");

                static int Parse(string text) => (int)new System.ComponentModel.Int32Converter().ConvertFromInvariantString(text)!;

                class Request
                {
                    public XElement Build() => new XElement("Total", 1);
                }

                // What the user typed.
                public object FromUser(string typed) => new System.ComponentModel.Int32Converter().ConvertFromString(typed)!;
            """);
    }

    [Fact]
    public async Task Quiet_inside_an_xml_serializable_read_whose_load_takes_what_it_throws()
    {
        // XmlSerializer wraps what ReadXml throws in the InvalidOperationException its load's catch takes.
        await Verify.AnalyzerAsync<UnguardedDeserializationCheck>("""
            using System.Xml;
            using System.Xml.Linq;
            using System.Xml.Schema;
            using System.Xml.Serialization;

            public class Placement : IXmlSerializable
            {
                public int Left;

                public XmlSchema? GetSchema() => null;

                public void ReadXml(XmlReader reader)
                {
                    var root = XElement.Parse(reader.ReadOuterXml());
                    Left = (int)new System.ComponentModel.Int32Converter().ConvertFromInvariantString(root.Element("Left")!.Value)!;
                }

                public void WriteXml(XmlWriter writer) => new XElement("Left", Left).WriteTo(writer);
            }
            """);
    }

    [Fact]
    public async Task Loads_through_the_projects_own_file_loader_are_judged_at_the_call()
    {
        await Verify.AnalyzerAsync<UnguardedDeserializationCheck>(
            Wrap("""
                Settings? Load(string path) => {|CKPT301:JsonHelper.DeserializeFromFile<Settings>(path)|};

                Settings? LoadOrDefault(string path)
                {
                    try { return JsonHelper.DeserializeFromFile<Settings>(path); }
                    catch (JsonException) { return new Settings(); }
                }

                Settings? Safe(string path) => JsonHelper.TryDeserializeFromFile<Settings>(path);

                Settings? FromText(string text) => JsonHelper.Deserialize<Settings>(text);
            """),
            null,
            JsonHelper);
    }
}

public class LoadCheckpointCodeFixTests
{
    private const string Header = """
        using System.IO;
        using System.Text.Json;

        public class Settings { public int SchemaVersion { get; set; } }

        """;

    [Fact]
    public async Task Fix_loads_through_the_checksummed_helper_with_the_same_serializer()
    {
        await Verify.CodeFix<UnguardedDeserializationCheck, CheckpointAudit.CodeFixes.Corruption.LoadCheckpointCodeFixProvider>(
            Header + """
            class Store
            {
                private static readonly JsonSerializerOptions Options = new() { WriteIndented = true };

                Settings? A(string path) => {|CKPT301:JsonSerializer.Deserialize<Settings>(File.ReadAllText(path))|};

                Settings? B(string path) => {|CKPT301:JsonSerializer.Deserialize<Settings>(File.ReadAllText(path), Options)|};
            }
            """,
            """
            using System.IO;
            using System.Text.Json;
            using CheckpointAudit;

            public class Settings { public int SchemaVersion { get; set; } }
            class Store
            {
                private static readonly JsonSerializerOptions Options = new() { WriteIndented = true };

                Settings? A(string path) => CheckpointFile.Load<Settings>(path);

                Settings? B(string path) => CheckpointFile.Load<Settings>(path, Options);
            }
            """).RunAsync();
    }

    [Fact]
    public async Task Fix_passes_other_parsers_as_the_deserializer()
    {
        var test = Verify.CodeFix<UnguardedDeserializationCheck, CheckpointAudit.CodeFixes.Corruption.LoadCheckpointCodeFixProvider>(
            """
            using System.IO;
            using Newtonsoft.Json;

            public class Settings { public int SchemaVersion { get; set; } }

            class Store
            {
                Settings? A(string path) => {|CKPT301:JsonConvert.DeserializeObject<Settings>(File.ReadAllText(path))|};
            }
            """,
            """
            using System.IO;
            using CheckpointAudit;
            using Newtonsoft.Json;

            public class Settings { public int SchemaVersion { get; set; } }

            class Store
            {
                Settings? A(string path) => CheckpointFile.Load(path, storedText => JsonConvert.DeserializeObject<Settings>(storedText));
            }
            """);
        test.TestState.AdditionalReferences.AddRange(TestReferences.Newtonsoft);
        await test.RunAsync();
    }

    [Fact]
    public async Task Fix_moves_a_read_from_the_statement_before_into_the_load()
    {
        await Verify.CodeFix<UnguardedDeserializationCheck, CheckpointAudit.CodeFixes.Corruption.LoadCheckpointCodeFixProvider>(
            Header + """
            class Store
            {
                Settings A(string path)
                {
                    // Read the stored settings.
                    var json = File.ReadAllText(path);
                    return {|CKPT301:JsonSerializer.Deserialize<Settings>(json)|} ?? new Settings();
                }
            }
            """,
            """
            using System.IO;
            using System.Text.Json;
            using CheckpointAudit;

            public class Settings { public int SchemaVersion { get; set; } }
            class Store
            {
                Settings A(string path)
                {
                    // Read the stored settings.
                    return CheckpointFile.Load<Settings>(path) ?? new Settings();
                }
            }
            """).RunAsync();
    }

    [Fact]
    public async Task No_fix_when_the_text_is_read_elsewhere_or_streamed()
    {
        var source = Header + """
            class Store
            {
                Settings? A(string path)
                {
                    var json = File.ReadAllText(path);
                    System.Console.WriteLine(json.Length);
                    return {|CKPT301:JsonSerializer.Deserialize<Settings>(json)|};
                }

                async System.Threading.Tasks.Task<Settings?> B(string path)
                {
                    await using var stream = File.OpenRead(path);
                    return await {|CKPT301:JsonSerializer.DeserializeAsync<Settings>(stream)|};
                }
            }
            """;
        var test = Verify.CodeFix<UnguardedDeserializationCheck, CheckpointAudit.CodeFixes.Corruption.LoadCheckpointCodeFixProvider>(source, source);
        test.CodeActionEquivalenceKey = CheckpointAudit.CodeFixes.Corruption.LoadCheckpointCodeFixProvider.EquivalenceKey;
        test.FixedState.MarkupHandling = Microsoft.CodeAnalysis.Testing.MarkupMode.Allow;
        await test.RunAsync();
    }
}
