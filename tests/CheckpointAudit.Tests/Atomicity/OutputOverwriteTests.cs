using CheckpointAudit.Atomicity;
using CheckpointAudit.Catalog;
using CheckpointAudit.Checks;
using CheckpointAudit.CodeFixes.Atomicity;
using CheckpointAudit.Knowledge;
using CheckpointAudit.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;
using Xunit;

namespace CheckpointAudit.Tests.Atomicity;

/// <summary>
/// CKPT209 and the data-class split of CKPT201: the same in-place overwrites, told apart by what the file holds
/// (<see cref="WrittenData"/>). Every output case is checked both ways: CKPT209 reports it, CKPT201 stays quiet.
/// </summary>
public class OutputOverwriteTests
{
    // MONITOR rule: off by default (checked by the catalog tests), turned on here the way users do.
    private const string Enabled = "dotnet_diagnostic.CKPT209.severity = warning\n";

    private static string Wrap(string body) => $$"""
        using System;
        using System.IO;
        using System.Net.Http;
        using System.Text.Json;
        using System.Threading.Tasks;

        public class Settings { public int SchemaVersion { get; set; } public string Theme { get; set; } = ""; }

        class Store
        {
            private readonly HttpClient _http = new HttpClient();
            private readonly string _settingsPath = "settings.json";
            private readonly string _dataFolder = "data";

        {{body}}
        }

        namespace SkiaSharp { public class SKImage { public void Save(Stream stream) { } } }
        """;

    // Each case: a body with CALL marked, the marked write holding regenerable output.
    public static TheoryData<string> OutputWrites => new()
    {
        // A word of the path's names.
        "void Save(string thumbnailCachePath, byte[] png) => CALL(File.WriteAllBytes(thumbnailCachePath, png));",
        "void Save(byte[] data) { var logFile = Path.Combine(\"data\", \"app.txt\"); CALL(File.WriteAllBytes(logFile, data)); }",
        "void Save(string dir, string text) => CALL(File.WriteAllText(Path.Combine(dir, \"cache\", \"index.json\"), text));",
        "void Save(string dir, string text) { var path = Path.Combine(dir, \"Downloads\", \"list.json\"); CALL(File.WriteAllText(path, text)); }",
        // A log or media extension.
        "void Save(string dir, string text) => CALL(File.WriteAllText(Path.Combine(dir, \"run.log\"), text));",
        "void Save(string dir, byte[] png) => CALL(File.WriteAllBytes(dir + \"/preview.png\", png));",
        // The writing member names output.
        "void ExportHistory(string path, string csv) => CALL(File.WriteAllText(path, csv));",
        // Downloaded, copied or encoded bytes.
        "async Task Save(string path) { var bytes = await _http.GetByteArrayAsync(\"https://example.org/list\"); CALL(File.WriteAllBytes(path, bytes)); }",
        "async Task Save(string path) { var body = await _http.GetStreamAsync(\"https://example.org/list\"); using (var file = CALL(new FileStream(path, FileMode.Create))) { await body.CopyToAsync(file); } }",
        "void Save(string path, string source) { using var from = File.OpenRead(source); using var file = CALL(File.Create(path)); from.CopyTo(file); }",
        "void Save(string path, SkiaSharp.SKImage image) { using var file = CALL(File.Create(path)); image.Save(file); }",
    };

    // Each case: a write of the program's state, or of a file nothing tells about.
    public static TheoryData<string> StateWrites => new()
    {
        "void Save(Settings settings) => CALL(File.WriteAllText(_settingsPath, JsonSerializer.Serialize(settings)));",
        "void Save(string path, Settings settings) { using var file = CALL(File.Create(path)); JsonSerializer.Serialize(file, settings); }",
        "void Save(string path, string text) => CALL(File.WriteAllText(path, text));",
        // A stream handed in may hold bytes the program composed itself (its own document in a MemoryStream).
        "async Task Save(string path, Stream document) { using (var file = CALL(new FileStream(path, FileMode.Create))) { await document.CopyToAsync(file); } }",
        // A temp file holds the next version of what it replaces: "temp" is no sign of output.
        "void Save(string path, string text) { var tempFilePath = path + \".new\"; CALL(File.WriteAllText(tempFilePath, text)); }",
        // "catalog" and "dialog" hold the letters of "log", not the word.
        "void Save(string catalogPath, string text) => CALL(File.WriteAllText(catalogPath, text));",
        "void SaveDialogState(string path, string text) => CALL(File.WriteAllText(path, text));",
    };

    [Theory]
    [MemberData(nameof(OutputWrites))]
    public Task Output_is_CKPT209(string body)
        => Verify.AnalyzerAsync<OutputOverwriteCheck>(Wrap(Mark(body, "CKPT209")), Enabled);

    [Theory]
    [MemberData(nameof(OutputWrites))]
    public Task Output_is_not_CKPT201(string body)
        => Verify.AnalyzerAsync<NonAtomicOverwriteCheck>(Wrap(Mark(body, null)));

    [Theory]
    [MemberData(nameof(StateWrites))]
    public Task State_is_CKPT201(string body)
        => Verify.AnalyzerAsync<NonAtomicOverwriteCheck>(Wrap(Mark(body, "CKPT201")));

    [Theory]
    [MemberData(nameof(StateWrites))]
    public Task State_is_not_CKPT209(string body)
        => Verify.AnalyzerAsync<OutputOverwriteCheck>(Wrap(Mark(body, null)), Enabled);

    [Fact]
    public Task Scratch_and_promoted_temps_stay_quiet_in_both_rules()
    {
        var body = """
                void Save(byte[] data)
                {
                    var logTemp = Path.Combine(Path.GetTempPath(), Guid.NewGuid() + ".log");
                    File.WriteAllBytes(logTemp, data);
                }

                void Rotate(string logPath, string text)
                {
                    var tmp = logPath + ".tmp";
                    File.WriteAllText(tmp, text);
                    File.Move(tmp, logPath, true);
                }
            """;
        return Verify.AnalyzerAsync<OutputOverwriteCheck>(Wrap(body), Enabled);
    }

    // ---- One-shot writes: CKPT201, as a suggestion ------------------------------------

    public static TheoryData<string> OneShotWrites => new()
    {
        "void Init(string path) { if (!File.Exists(path)) { CALL(File.WriteAllText(path, \"{}\")); } }",
        "void Init(string path) { if (File.Exists(path)) return; CALL(File.WriteAllText(path, \"{}\")); }",
        "void Save(string path, string json) { if (File.Exists(path)) { File.WriteAllText(path + \".tmp\", json); File.Move(path + \".tmp\", path, true); } else { CALL(File.WriteAllText(path, json)); } }",
        "void Init(FileInfo file) { if (!file.Exists) { using var s = CALL(file.Create()); s.WriteByte(1); } }",
        "void MigrateSettings(string path, string json) => CALL(File.WriteAllText(path, json));",
        "void Init(string local, string path) { if (!File.Exists(local) && !File.Exists(path)) { CALL(File.WriteAllText(path, \"{}\")); } }",
        "void Init(string local, string path) { if (File.Exists(local) || File.Exists(path)) return; CALL(File.WriteAllText(path, \"{}\")); }",
        // The project's file-system wrapper, whose every implementation returns File.Exists of the path.
        "interface IFiles { bool FileExists(string path); } class DiskFiles : IFiles { public bool FileExists(string path) => File.Exists(path); } readonly IFiles _files = new DiskFiles(); void Init(string path) { if (_files.FileExists(path)) return; CALL(File.WriteAllText(path, \"{}\")); }",
    };

    [Theory]
    [MemberData(nameof(OneShotWrites))]
    public async Task One_shot_writes_are_suggestions(string body)
    {
        var test = Verify.AnalyzerTest<NonAtomicOverwriteCheck>(Wrap(Mark(body, "#0")));
        test.ExpectedDiagnostics.Add(new DiagnosticResult("CKPT201", DiagnosticSeverity.Info).WithLocation(0).WithMessage(null));
        await test.RunAsync();
    }

    [Theory]
    [InlineData("void Init(string path, string marker) { if (!File.Exists(marker)) { CALL(File.WriteAllText(path, \"{}\")); } }")]
    [InlineData("bool HasBackup(string path) => File.Exists(path + \".bak\"); void Init(string path) { if (HasBackup(path)) return; CALL(File.WriteAllText(path, \"{}\")); }")]
    [InlineData("bool Exists(string path, string other) => File.Exists(other); void Init(string path, string other) { if (Exists(path, other)) return; CALL(File.WriteAllText(path, \"{}\")); }")]
    public Task Existence_of_another_file_is_no_guard(string body)
        => Verify.AnalyzerAsync<NonAtomicOverwriteCheck>(Wrap(Mark(body, "CKPT201")));

    // ---- What the diagnostic carries ------------------------------------------------

    [Theory]
    [InlineData("void Save(string thumbnailCachePath, byte[] png) => File.WriteAllBytes(thumbnailCachePath, png);", "CKPT209", nameof(DataHeld.Output), "the path names thumbnails ('thumbnailCachePath')")]
    [InlineData("void Save(Settings s) => File.WriteAllText(_settingsPath, JsonSerializer.Serialize(s));", "CKPT201", nameof(DataHeld.State), "a serialized Settings, written by JsonSerializer.Serialize")]
    [InlineData("void Init(string path) { if (!File.Exists(path)) File.WriteAllText(path, \"{}\"); }", "CKPT201", nameof(DataHeld.OneShot), "written only when the file does not exist yet (defaults)")]
    [InlineData("void Save(string path, string text) => File.WriteAllText(path, text);", "CKPT201", nameof(DataHeld.Unclassified), "the path is handed in ('path'): the callers decide what the file holds")]
    [InlineData("void Save(string folder, string name, string text) { var file = Path.Combine(folder, name + \".txt\"); File.WriteAllText(file, text); }", "CKPT201", nameof(DataHeld.Unclassified), "the path is handed in ('folder'): the callers decide what the file holds")]
    [InlineData("void Save(string[] args) => File.WriteAllText(args[1], args[2]);", "CKPT201", nameof(DataHeld.Unclassified), "the path is handed in ('args'): the callers decide what the file holds")]
    [InlineData("void Extract(string[] args) { foreach (var f in System.Linq.Enumerable.Skip(args, 1)) File.WriteAllBytes(f, new byte[1]); }", "CKPT201", nameof(DataHeld.Unclassified), "the path is handed in ('args'): the callers decide what the file holds")]
    [InlineData("void Extract(string[] args) { string[] names = { _dataFolder + \"/a.bin\" }; foreach (var f in System.Linq.Enumerable.Where(names, n => n.Length > 0)) File.WriteAllBytes(f, new byte[1]); }", "CKPT201", nameof(DataHeld.Unclassified), "")]
    [InlineData("void Save(string name, string text) => File.WriteAllText(Path.Combine(_dataFolder, name), text);", "CKPT201", nameof(DataHeld.Unclassified), "")]
    [InlineData("void Save(string folder, string text) => File.WriteAllText(Path.Combine(folder, \"state.json\"), text);", "CKPT201", nameof(DataHeld.State), "the path names the program's state ('state.json')")]
    [InlineData("string ConfigPath() => Path.Combine(AppContext.BaseDirectory, \"app.xml\"); void Save(string xml) => File.WriteAllText(ConfigPath(), xml);", "CKPT201", nameof(DataHeld.State), "the path names the program's state ('ConfigPath')")]
    [InlineData("void SaveConfig(string xml) => File.WriteAllText(Path.Combine(_dataFolder, \"app.xml\"), xml);", "CKPT201", nameof(DataHeld.State), "written by 'SaveConfig', which names the program's state")]
    [InlineData("void SaveConfig(string path, string xml) => File.WriteAllText(path, xml);", "CKPT201", nameof(DataHeld.Unclassified), "the path is handed in ('path'): the callers decide what the file holds")]
    [InlineData("class ProviderSettings { public string TorrentFolder { get; set; } = \"\"; } ProviderSettings Settings { get; } = new(); void Add(string title, byte[] bytes) => File.WriteAllBytes(Path.Combine(Settings.TorrentFolder, title + \".torrent\"), bytes);", "CKPT201", nameof(DataHeld.Unclassified), "")]
    [InlineData("class PluginSettingsViewModel { readonly string _folder = \"plugins\"; void Unpack(byte[] tar) => File.WriteAllBytes(Path.Combine(_folder, \"gifski.tar\"), tar); }", "CKPT201", nameof(DataHeld.Unclassified), "")]
    [InlineData("class SettingsStore { readonly string _folder = \"data\"; void Save(string text) => File.WriteAllText(Path.Combine(_folder, \"app.xml\"), text); }", "CKPT201", nameof(DataHeld.State), "written by 'SettingsStore', which names the program's state")]
    [InlineData("static class Copier { public static void Copy(Stream source, Stream target) => source.CopyTo(target); } void Extract(System.IO.Compression.ZipArchiveEntry entry) { using var file = File.Create(Path.Combine(_dataFolder, entry.Name)); Copier.Copy(entry.Open(), file); }", "CKPT209", nameof(DataHeld.Output), "the bytes are unpacked from an archive ('entry.Open()')")]
    [InlineData("static class GifEncoder { public static Task EncodeAnimationAsync(object config, Stream stream) => Task.CompletedTask; } async Task Render(object config) { await using var stream = File.Create(Path.Combine(_dataFolder, \"a.bin\")); await GifEncoder.EncodeAnimationAsync(config, stream); }", "CKPT209", nameof(DataHeld.Output), "the bytes are encoded by GifEncoder.EncodeAnimationAsync")]
    [InlineData("class ExportProject { public string ChunkPath { get; set; } = \"\"; } void Render(ExportProject project, byte[] frames) => File.WriteAllBytes(project.ChunkPath, frames);", "CKPT209", nameof(DataHeld.Output), "the path is a member of 'ExportProject', which names an export")]
    [InlineData("class CacheOptions { public string SettingsPath { get; set; } = \"\"; } void Save(CacheOptions options, string text) => File.WriteAllText(options.SettingsPath, text);", "CKPT201", nameof(DataHeld.State), "the path names the program's state ('SettingsPath')")]
    [InlineData("void Stage(string project, string patch) => File.WriteAllText(Path.Combine(project, \"obj\", \"Inline\", \"pending.patch\"), patch);", "CKPT209", nameof(DataHeld.Output), "the path is in a project's obj folder, which every build regenerates (\"obj\")")]
    [InlineData("void Stage(string project, string kind, string patch) => File.WriteAllText(Path.Combine(project, kind == \"obj\" ? \"models\" : \"data\", \"state.json\"), patch);", "CKPT201", nameof(DataHeld.State), "the path names the program's state ('state.json')")]
    [InlineData("void Stage(string project, string patch) => File.WriteAllText(project + \"/obj/Inline/pending.patch\", patch);", "CKPT209", nameof(DataHeld.Output), "the path is in a project's obj folder, which every build regenerates (\"/obj/Inline/pending.patch\")")]
    [InlineData("void Stage(string project, string patch) => File.WriteAllText(Path.Combine(project, \"a\", \"obj\", \"b\", \"c\", \"pending.patch\"), patch);", "CKPT209", nameof(DataHeld.Output), "the path is in a project's obj folder, which every build regenerates (\"obj\")")]
    [InlineData("void Save(Settings obj, string objPath) => File.WriteAllText(objPath, JsonSerializer.Serialize(obj));", "CKPT201", nameof(DataHeld.State), "a serialized Settings, written by JsonSerializer.Serialize")]
    [InlineData("void WritePid(int id) => File.WriteAllText(Path.Combine(_dataFolder, \"app.pid\"), id.ToString());", "CKPT209", nameof(DataHeld.Output), "the path names a process-ID file (\"app.pid\")")]
    [InlineData("void CopyAll(DirectoryInfo source, DirectoryInfo target) { foreach (var file in source.GetFiles()) file.CopyTo(Path.Combine(target.FullName, file.Name), true); }", "CKPT201", nameof(DataHeld.Unclassified), "the path is handed in ('target'): the callers decide what the file holds")]
    [InlineData("async Task Refresh(string url) { var fresh = await System.Net.Http.Json.HttpClientJsonExtensions.GetFromJsonAsync<Settings>(_http, url).ConfigureAwait(false); using var stream = new FileStream(_settingsPath, FileMode.Create); await JsonSerializer.SerializeAsync(stream, fresh); }", "CKPT209", nameof(DataHeld.Output), "the serialized data is downloaded by HttpClientJsonExtensions.GetFromJsonAsync")]
    [InlineData("void Save(FileInfo file, string text) => File.WriteAllText(file.FullName, text);", "CKPT201", nameof(DataHeld.Unclassified), "the path is handed in ('file'): the callers decide what the file holds")]
    [InlineData("void MoveDirectory(string source, string destination) { var sourceDir = new DirectoryInfo(source); foreach (var file in sourceDir.EnumerateFiles()) file.CopyTo(Path.Combine(destination, file.Name), true); }", "CKPT201", nameof(DataHeld.Unclassified), "the path is handed in ('destination'): the callers decide what the file holds")]
    [InlineData("void Save(Settings s) => File.WriteAllText(s.Theme, s.Theme);", "CKPT201", nameof(DataHeld.Unclassified), "")]
    [InlineData("void SerializeTo(Stream stream, Settings s) => JsonSerializer.Serialize(stream, s); void Save(string path, Settings s) { using var fs = new FileStream(path, FileMode.Create); SerializeTo(fs, s); }", "CKPT201", nameof(DataHeld.State), "serialized data, written by Store.SerializeTo")]
    [InlineData("string Load() => File.ReadAllText(_settingsPath); void Save(string text) => File.WriteAllText(_settingsPath, text);", "CKPT201", nameof(DataHeld.State), "this file reads it back (the path from '_settingsPath')")]
    [InlineData("string Load() => new StreamReader(\"state.txt\").ReadToEnd(); void Save(string text) => File.WriteAllText(\"state.txt\", text);", "CKPT201", nameof(DataHeld.State), "this file reads it back (the path from \"state.txt\")")]
    [InlineData("void Encode(string[] frames, string ffmpeg) { var list = Path.Combine(_dataFolder, \"concat.txt\"); File.WriteAllText(list, string.Join(\"\\n\", frames)); var args = \"{I}\"; args = args.Replace(\"{I}\", $\"-f concat -i \\\"{list}\\\"\"); using var p = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(ffmpeg) { Arguments = args }); }", "CKPT209", nameof(DataHeld.Output), "the file is for another program: its path ('list') is passed to a process started here")]
    [InlineData("void Save(string text) { var path = Path.Combine(_dataFolder, \"app.json\"); File.WriteAllText(path, text); System.Diagnostics.Process.Start(\"notepad\", \"readme.txt\"); }", "CKPT201", nameof(DataHeld.Unclassified), "")]
    [InlineData("void Unpack(string archive) { var target = Path.Combine(_dataFolder, \"tool.tar\"); using var source = new FileStream(archive, FileMode.Open, FileAccess.Read, FileShare.Read); using var unpacked = new System.IO.Compression.GZipStream(source, System.IO.Compression.CompressionMode.Decompress); using var file = File.Create(target); unpacked.CopyTo(file); }", "CKPT209", nameof(DataHeld.Output), "the bytes are copied from another file ('unpacked')")]
    [InlineData("void Extract(string name) { var stream = typeof(Store).Assembly.GetManifestResourceStream(name)!; using var buffer = new MemoryStream(); stream.CopyTo(buffer); File.WriteAllBytes(Path.Combine(_dataFolder, name), buffer.ToArray()); }", "CKPT209", nameof(DataHeld.Output), "the bytes are the program's own embedded resource ('stream')")]
    [InlineData("static class Resources { public static Stream Get(string id) { var name = System.Linq.Enumerable.Single(typeof(Resources).Assembly.GetManifestResourceNames(), n => n.EndsWith(id)); return typeof(Resources).Assembly.GetManifestResourceStream(name)!; } } class Preset { public string Id = \"\"; public Stream Content => Resources.Get(Id); } void Apply(Preset preset) { using var file = File.Create(Path.Combine(_dataFolder, \"preset.bin\")); preset.Content.CopyTo(file); }", "CKPT209", nameof(DataHeld.Output), "the bytes are the program's own embedded resource ('preset.Content')")]
    [InlineData("void Save(string path, Settings s) { var json = JsonSerializer.Serialize(s); using var writer = new StreamWriter(File.Open(path, FileMode.Create, FileAccess.Write)); writer.WriteLine(json); }", "CKPT201", nameof(DataHeld.State), "a serialized Settings, written by JsonSerializer.Serialize")]
    [InlineData("string ConfigFilePath => Path.Combine(_dataFolder, \"config.json\"); public void Save(string text) => Write(ConfigFilePath, text); private void Write(string path, string text) => File.WriteAllText(path, text);", "CKPT201", nameof(DataHeld.State), "a caller passes 'path': the path names the program's state ('ConfigFilePath')")]
    [InlineData("public void Save(string text) { Write(_settingsPath, text); Write(Path.Combine(_dataFolder, \"location.json\"), text); } private void Write(string path, string text) => File.WriteAllText(path, text);", "CKPT201", nameof(DataHeld.State), "a caller passes 'path': the path names the program's state ('_settingsPath')")]
    [InlineData("public void Keep(byte[] png) => Write(Path.Combine(_dataFolder, \"thumbnails\", \"a.png\"), png); private void Write(string path, byte[] bytes) => File.WriteAllBytes(path, bytes);", "CKPT209", nameof(DataHeld.Output), "the callers pass 'path': the path names thumbnails (\"thumbnails\")")]
    [InlineData("public void Keep(byte[] png, string other) { Write(Path.Combine(_dataFolder, \"thumbnails\", \"a.png\"), png); Write(other, png); } private void Write(string path, byte[] bytes) => File.WriteAllBytes(path, bytes);", "CKPT201", nameof(DataHeld.Unclassified), "the path is handed in ('path'): the callers decide what the file holds")]
    [InlineData("public void Save(string text) => Write(_settingsPath, text); public void Write(string path, string text) => File.WriteAllText(path, text);", "CKPT201", nameof(DataHeld.Unclassified), "the path is handed in ('path'): the callers decide what the file holds")]
    [InlineData("static string HostsFolderPath => Path.Combine(Environment.SystemDirectory, \"drivers\", \"etc\"); public static string HostsFilePath => Path.Combine(HostsFolderPath, \"hosts\"); string[] Load() => File.ReadAllLines(HostsFilePath); void Save(string[] lines) => File.WriteAllLines(HostsFilePath, lines);", "CKPT209", nameof(DataHeld.Output), "the file belongs to the operating system: its path is under Environment.SystemDirectory")]
    [InlineData("void Autostart(string link) { var folder = Environment.GetFolderPath(Environment.SpecialFolder.Startup); File.WriteAllText($\"{folder}/App.url\", link); }", "CKPT209", nameof(DataHeld.Output), "the file belongs to the operating system: its path is under Environment.SpecialFolder.Startup")]
    [InlineData("void Save(string text) => File.WriteAllText(Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.ApplicationData), \"App\", \"app.json\"), text);", "CKPT201", nameof(DataHeld.Unclassified), "")]
    [InlineData("string CachePath { get; } = \"var\"; string ImageLimitFilePath => Path.Combine(CachePath, \"sd-image-limit.txt\"); public void Hit() => Persist(ImageLimitFilePath); private void Persist(string filePath) => File.WriteAllText(filePath, DateTime.UtcNow.ToString(\"O\"));", "CKPT209", nameof(DataHeld.Output), "the callers pass 'filePath': the path names a cache ('CachePath')")]
    [InlineData("static string Process => Environment.ProcessPath!; void Install(string target) => File.Copy(Process, target, true);", "CKPT209", nameof(DataHeld.Output), "the file is a copy of the program's own executable ('Process'): installing again restores it")]
    [InlineData("public string StorePath { get; set; } = Path.Combine(\"cache\", \"store.json\"); void Save(string text) => File.WriteAllText(StorePath, text);", "CKPT201", nameof(DataHeld.Unclassified), "")]
    [InlineData("static readonly string[] Stages = { \"upload\", \"ocr\", \"export\" }; static string StageName(int stage) => Stages[stage]; void Save(int stage, Settings s) => File.WriteAllText(Path.Combine(_dataFolder, $\"stage-{StageName(stage)}.json\"), JsonSerializer.Serialize(s));", "CKPT201", nameof(DataHeld.State), "a serialized Settings, written by JsonSerializer.Serialize")]
    [InlineData("async Task Record(System.Net.Sockets.UdpClient udp, string file) { var stream = new FileStream(file, FileMode.Create, FileAccess.Write, FileShare.Read); await using (stream.ConfigureAwait(false)) { while (true) { var res = await udp.ReceiveAsync(default(System.Threading.CancellationToken)).AsTask().WaitAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false); var buffer = res.Buffer; await stream.WriteAsync(buffer.AsMemory(12, buffer.Length - 12)).ConfigureAwait(false); } } }", "CKPT209", nameof(DataHeld.Output), "the bytes are received by UdpClient.ReceiveAsync")]
    public async Task Findings_carry_what_the_file_holds(string body, string id, string held, string evidence)
    {
        var compilation = ProbeCompilation.Of(Wrap(body));
        compilation = compilation.WithOptions(compilation.Options.WithSpecificDiagnosticOptions([new("CKPT209", ReportDiagnostic.Warn)]));
        var diagnostics = await compilation.WithAnalyzers([new AtomicityAnalyzer()]).GetAnalyzerDiagnosticsAsync();
        var diagnostic = Assert.Single(diagnostics, d => d.Id is "CKPT201" or "CKPT209");
        Assert.Equal(id, diagnostic.Id);
        Assert.Equal((Enum.Parse<DataHeld>(held), evidence), DataHeldDiagnostic.Read(diagnostic));
    }

    [Theory]
    [InlineData("string Load() => File.ReadAllText(_settingsPath); void Edit(string json) { var path = _settingsPath; File.WriteAllText(path, json); System.Diagnostics.Process.Start(\"notepad.exe\", path); }")]
    [InlineData("void Save(string json) { var path = Path.Combine(_dataFolder, \"app.json\"); File.WriteAllText(path, json); System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(\"tool\") { WorkingDirectory = Path.GetDirectoryName(path)!, Arguments = \"--check\" }); }")]
    [InlineData("void Save(Settings s) { using var original = File.OpenRead(_settingsPath); var merged = JsonSerializer.Deserialize<Settings>(original) ?? s; using var buffer = new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(merged)); using var file = File.Create(_settingsPath); buffer.CopyTo(file); }")]
    [InlineData("void Save(Settings s) { using var buffer = new MemoryStream(); JsonSerializer.Serialize(buffer, s); File.WriteAllBytes(Path.Combine(_dataFolder, \"app.json\"), buffer.ToArray()); }")]
    [InlineData("static Stream Open(string p) => File.OpenRead(p); void Save(string p) { using var file = File.Create(Path.Combine(_dataFolder, \"app.json\")); using var kept = new MemoryStream(); kept.CopyTo(file); }")]
    public async Task A_programs_own_file_stays_an_in_place_overwrite(string body)
    {
        // Opened in an editor but read back here; beside a process that is not given its path; bytes built from a merged model.
        var diagnostics = await ProbeCompilation.Of(Wrap(body)).WithAnalyzers([new AtomicityAnalyzer()]).GetAnalyzerDiagnosticsAsync();
        var diagnostic = Assert.Single(diagnostics, d => d.Id is "CKPT201" or "CKPT209");
        Assert.Equal("CKPT201", diagnostic.Id);
        Assert.NotEqual(DataHeld.Output, DataHeldDiagnostic.Read(diagnostic).Held);
    }

    /// <summary>What a client uploaded (an <c>IFormFile</c>, the request body) is output: the client keeps the file it sent.</summary>
    [Theory]
    [InlineData("async Task Upload(Microsoft.AspNetCore.Http.IFormFile plugin) { await using var stream = new FileStream(Path.Combine(_dataFolder, plugin.FileName), FileMode.Create); await plugin.CopyToAsync(stream); }", "the bytes are uploaded by a client ('plugin')")]
    [InlineData("void Upload(Microsoft.AspNetCore.Http.IFormFile file) { using var target = File.Create(Path.Combine(_dataFolder, \"upload.bin\")); using var source = file.OpenReadStream(); source.CopyTo(target); }", "the bytes are uploaded by a client ('source')")]
    [InlineData("async Task Splash(Microsoft.AspNetCore.Http.HttpRequest request) { var body = request.Body; var fs = new FileStream(Path.Combine(_dataFolder, \"splash.bin\"), FileMode.Create); await using (fs) { await body.CopyToAsync(fs); } }", "the bytes are uploaded by a client ('body')")]
    public async Task Uploads_are_output(string body, string evidence)
    {
        var compilation = AspNetCompilation(body);
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        compilation = compilation.WithOptions(compilation.Options.WithSpecificDiagnosticOptions([new("CKPT209", ReportDiagnostic.Warn)]));
        var diagnostics = await compilation.WithAnalyzers([new AtomicityAnalyzer()]).GetAnalyzerDiagnosticsAsync();
        var diagnostic = Assert.Single(diagnostics, d => d.Id is "CKPT201" or "CKPT209");
        Assert.Equal("CKPT209", diagnostic.Id);
        Assert.Equal((DataHeld.Output, evidence), DataHeldDiagnostic.Read(diagnostic));
    }

    private static Microsoft.CodeAnalysis.CSharp.CSharpCompilation AspNetCompilation(string body)
        => ProbeCompilation.Of(Wrap(body)).WithReferences(TestReferences.Net100.Concat(TestReferences.AspNetCore));

    /// <summary>An upload the program reads back (a synced save) is its copy of record: the client may not keep one.</summary>
    [Fact]
    public async Task An_upload_the_program_reads_back_is_state()
    {
        const string Body = "string SavePath(string game) => Path.Combine(_dataFolder, game + \".sav\"); Stream Download(string game) => File.OpenRead(SavePath(game)); async Task Upload(string game, Microsoft.AspNetCore.Http.IFormFile save) { await using var stream = new FileStream(SavePath(game), FileMode.Create); await save.CopyToAsync(stream); }";
        var compilation = AspNetCompilation(Body);
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        var diagnostics = await compilation.WithAnalyzers([new AtomicityAnalyzer()]).GetAnalyzerDiagnosticsAsync();
        var diagnostic = Assert.Single(diagnostics, d => d.Id is "CKPT201" or "CKPT209");
        Assert.Equal("CKPT201", diagnostic.Id);
        Assert.Equal((DataHeld.State, "this file reads it back (the path from 'SavePath')"), DataHeldDiagnostic.Read(diagnostic));
    }

    /// <summary>Bytes the program composed itself, copied in a request handler, are not an upload.</summary>
    [Fact]
    public async Task The_programs_own_bytes_in_a_request_handler_are_not_uploads()
    {
        const string Body = "void Save(Microsoft.AspNetCore.Http.HttpRequest request, Microsoft.AspNetCore.Http.IFormFile upload, byte[] state) { using var fs = new FileStream(_settingsPath, FileMode.Create); using var ms = new MemoryStream(state); ms.CopyTo(fs); using var named = File.OpenRead(Path.Combine(_dataFolder, upload.FileName)); Stream.Null.CopyTo(fs); }";
        var compilation = AspNetCompilation(Body);
        var diagnostics = await compilation.WithAnalyzers([new AtomicityAnalyzer()]).GetAnalyzerDiagnosticsAsync();
        var diagnostic = Assert.Single(diagnostics, d => d.Id is "CKPT201" or "CKPT209");
        Assert.Equal("CKPT201", diagnostic.Id);
        Assert.NotEqual(DataHeld.Output, DataHeldDiagnostic.Read(diagnostic).Held);
    }

    [Fact]
    public void Audit_severity_follows_the_data()
    {
        Assert.Equal(AuditSeverity.Critical, DataHeldDiagnostic.AuditSeverityFor(RuleCatalog.NonAtomicOverwrite, DataHeld.State));
        Assert.Equal(AuditSeverity.Critical, DataHeldDiagnostic.AuditSeverityFor(RuleCatalog.NonAtomicOverwrite, DataHeld.Unclassified));
        Assert.Equal(AuditSeverity.Medium, DataHeldDiagnostic.AuditSeverityFor(RuleCatalog.NonAtomicOverwrite, DataHeld.OneShot));
        Assert.Equal(AuditSeverity.Monitor, DataHeldDiagnostic.AuditSeverityFor(RuleCatalog.StaleTailWrite, DataHeld.Output));
        Assert.Equal(DiagnosticSeverity.Hidden, DataHeldDiagnostic.SeverityFor(RuleCatalog.StaleTailWrite, DataHeld.Output));
        Assert.Equal(DiagnosticSeverity.Info, DataHeldDiagnostic.SeverityFor(RuleCatalog.NonAtomicOverwrite, DataHeld.OneShot));
        Assert.Equal(RuleCatalog.OutputOverwrite.DefaultSeverity, DataHeldDiagnostic.SeverityFor(RuleCatalog.OutputOverwrite, DataHeld.Output));
    }

    // ---- The fix ------------------------------------------------------------------------

    [Fact]
    public async Task Fix_writes_the_output_atomically()
    {
        const string Before = """
            using System.IO;
            class Store { void Save(string thumbnailCachePath, byte[] png) => {|CKPT209:File.WriteAllBytes(thumbnailCachePath, png)|}; }
            """;
        const string After = """
            using System.IO;
            using CheckpointAudit;
            class Store { void Save(string thumbnailCachePath, byte[] png) => CheckpointFile.WriteAllBytes(thumbnailCachePath, png); }
            """;
        var test = Verify.CodeFix<OutputOverwriteCheck, WriteOutputAtomicallyCodeFixProvider>(Before, After);
        test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", "root = true\n[*]\n" + Enabled));
        await test.RunAsync();
    }

    [Fact]
    public async Task Fix_all_rewrites_every_output_write()
    {
        const string Before = """
            using System.IO;
            class Store
            {
                void Save(string cachePath, string logPath, byte[] data, string text)
                {
                    {|CKPT209:File.WriteAllBytes(cachePath, data)|};
                    {|CKPT209:File.WriteAllText(logPath, text)|};
                }
            }
            """;
        const string After = """
            using System.IO;
            using CheckpointAudit;
            class Store
            {
                void Save(string cachePath, string logPath, byte[] data, string text)
                {
                    CheckpointFile.WriteAllBytes(cachePath, data);
                    CheckpointFile.WriteAllText(logPath, text);
                }
            }
            """;
        var test = Verify.CodeFix<OutputOverwriteCheck, WriteOutputAtomicallyCodeFixProvider>(Before, After);
        test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", "root = true\n[*]\n" + Enabled));
        test.NumberOfFixAllIterations = 1;
        await test.RunAsync();
    }

    /// <summary>Marks the write inside CALL(...) with a rule's or a location's markup ("CKPT201", "#0"), or only removes CALL for quiet cases.</summary>
    private static string Mark(string body, string? ruleId)
    {
        var start = body.IndexOf("CALL(", StringComparison.Ordinal);
        Assert.True(start >= 0, "the case has no CALL(...)");
        var depth = 0;
        var end = start + 4;
        for (; end < body.Length; end++)
        {
            depth += body[end] == '(' ? 1 : body[end] == ')' ? -1 : 0;
            if (depth == 0)
            {
                break;
            }
        }

        var write = body.Substring(start + 5, end - start - 5);
        var marked = ruleId is null ? write : "{|" + ruleId + ":" + write + "|}";
        return body.Substring(0, start) + marked + body.Substring(end + 1);
    }
}
