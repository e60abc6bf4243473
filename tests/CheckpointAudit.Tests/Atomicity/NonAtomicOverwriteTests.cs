using CheckpointAudit.Atomicity;
using CheckpointAudit.Tests.Infrastructure;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;
using Xunit;

namespace CheckpointAudit.Tests.Atomicity;

public class NonAtomicOverwriteTests
{
    // A flagged case without a marker would pass as a quiet one: each helper checks the markup says what it claims.
    private static Task Flagged(string body, string? editorConfig = null)
    {
        Assert.Contains("{|CKPT201:", body);
        return Verify.AnalyzerAsync<NonAtomicOverwriteCheck>(Wrap(body), editorConfig);
    }

    private static Task Quiet(string body, string? editorConfig = null)
    {
        Assert.DoesNotContain("{|", body);
        return Verify.AnalyzerAsync<NonAtomicOverwriteCheck>(Wrap(body), editorConfig);
    }

    private static string Wrap(string body) => $$"""
        using System;
        using System.IO;
        using System.Text;
        using System.Threading;
        using System.Threading.Tasks;
        using System.Xml;
        using System.Xml.Linq;

        class Store
        {
            private readonly string _path = "state.json";
            private string Target { get; } = "state.json";

            // Hands a stream or writer to code that writes to it.
            private static void Use(object writable) { }

        {{body}}
        }
        """;

    // ---- Flagged ---------------------------------------------------------------------

    [Theory]
    [InlineData("File.WriteAllText(path, text)")]
    [InlineData("File.WriteAllText(path, text, Encoding.UTF8)")]
    [InlineData("File.WriteAllBytes(path, bytes)")]
    [InlineData("File.WriteAllLines(path, lines)")]
    [InlineData("File.WriteAllLines(path, lines, Encoding.Unicode)")]
    [InlineData("File.Create(path).Dispose()")]
    [InlineData("File.CreateText(path).Dispose()")]
    [InlineData("File.Open(path, FileMode.Create).Dispose()")]
    [InlineData("File.Open(path, FileMode.Truncate, FileAccess.Write).Dispose()")]
    [InlineData("File.Open(path, new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write }).Dispose()")]
    [InlineData("File.Copy(\"other.json\", path, true)")]
    [InlineData("File.Copy(\"other.json\", path, overwrite: true)")]
    [InlineData("XmlWriter.Create(path).Dispose()")]
    [InlineData("new XDocument().Save(path)")]
    [InlineData("new XElement(\"a\").Save(path)")]
    [InlineData("new XmlDocument().Save(path)")]
    [InlineData("new XmlTextWriter(path, Encoding.UTF8).Dispose()")]
    public async Task Flags_static_api_overwriting_a_path(string call)
    {
        var marked = call.EndsWith(".Dispose()", StringComparison.Ordinal)
            ? "Use({|CKPT201:" + call[..^".Dispose()".Length] + "|})"
            : "{|CKPT201:" + call + "|}";
        await Flagged($$"""
                void Save(string path, string text, byte[] bytes, string[] lines)
                {
                    {{marked}};
                }
            """);
    }

    [Theory]
    [InlineData("File.WriteAllTextAsync(path, text)")]
    [InlineData("File.WriteAllTextAsync(path, text, Encoding.UTF8, token)")]
    [InlineData("File.WriteAllBytesAsync(path, bytes, token)")]
    [InlineData("File.WriteAllLinesAsync(path, lines)")]
    public async Task Flags_async_write_all(string call)
    {
        await Flagged($$"""
                async Task SaveAsync(string path, string text, byte[] bytes, string[] lines, CancellationToken token)
                {
                    await {|CKPT201:{{call}}|};
                }
            """);
    }

    [Theory]
    [InlineData("new FileStream(path, FileMode.Create)")]
    [InlineData("new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None)")]
    [InlineData("new FileStream(path, FileMode.Truncate, FileAccess.Write)")]
    [InlineData("new FileStream(path, new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write })")]
    [InlineData("new StreamWriter(path)")]
    [InlineData("new StreamWriter(path, false)")]
    [InlineData("new StreamWriter(path, append: false, Encoding.UTF8)")]
    [InlineData("new StreamWriter(path, Encoding.UTF8, new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write })")]
    public async Task Flags_streams_opened_with_truncation(string creation)
    {
        await Flagged($$"""
                void Save(string path)
                {
                    using var stream = {|CKPT201:{{creation}}|};
                    Use(stream);
                }
            """);
    }

    [Fact]
    public async Task Flags_a_file_deleted_then_opened_for_writing()
    {
        await Flagged("""
                void Save(string path, byte[] data)
                {
                    File.Delete(path);
                    using var stream = {|CKPT201:File.OpenWrite(path)|};
                    stream.Write(data);
                }

                void SaveInfo(FileInfo file, byte[] data)
                {
                    file.Delete();
                    using var stream = {|CKPT201:file.OpenWrite()|};
                    stream.Write(data);
                }
            """);
    }

    [Fact]
    public async Task Flags_FileStreamOptions_from_a_local()
    {
        await Flagged("""
                void Save(string path)
                {
                    var options = new FileStreamOptions { Mode = FileMode.Truncate, Access = FileAccess.Write };
                    using var stream = {|CKPT201:new FileStream(path, options)|};
                    Use(stream);
                }
            """);
    }

    [Theory]
    [InlineData("Use(info.Create())", "info.Create()")]
    [InlineData("Use(info.CreateText())", "info.CreateText()")]
    [InlineData("Use(info.Open(FileMode.Create))", "info.Open(FileMode.Create)")]
    [InlineData("info.CopyTo(\"b.json\", true)", "info.CopyTo(\"b.json\", true)")]
    public async Task Flags_FileInfo_overwrites(string statement, string flagged)
    {
        await Flagged($$"""
                void Save(FileInfo info)
                {
                    {{statement.Replace(flagged, "{|CKPT201:" + flagged + "|}")}};
                }
            """);
    }

    [Fact]
    public async Task Flags_fields_properties_and_lambdas()
    {
        await Flagged("""
                void Save(string text)
                {
                    {|CKPT201:File.WriteAllText(_path, text)|};
                    {|CKPT201:File.WriteAllText(Target, text)|};
                    Action save = () => {|CKPT201:File.WriteAllText(Path.Combine("data", "a.json"), text)|};
                    void Local() => {|CKPT201:File.WriteAllText(_path + ".bak", text)|};
                }
            """);
    }

    [Fact]
    public async Task Message_names_the_target_and_the_api()
    {
        var test = Verify.AnalyzerTest<NonAtomicOverwriteCheck>(Wrap("""
                    void Save(string settingsPath, string text)
                    {
                        {|#0:File.WriteAllText(settingsPath, text)|};
                    }
                """));
        test.ExpectedDiagnostics.Add(new DiagnosticResult("CKPT201", Microsoft.CodeAnalysis.DiagnosticSeverity.Warning)
            .WithLocation(0)
            .WithMessage("File.WriteAllText truncates and rewrites 'settingsPath' in place: a crash, kill or full disk during the write leaves it empty or half-written"));
        await test.RunAsync();
    }

    [Fact]
    public async Task Copy_of_a_temp_written_here_is_left_to_CKPT204()
    {
        // The temp is written in this body: the Copy(overwrite) is a two-step replacement (CKPT204).
        await Quiet("""
                void Save(string path, string text)
                {
                    var tmp = path + ".tmp";
                    File.WriteAllText(tmp, text);
                    File.Copy(tmp, path, true);
                    File.Delete(tmp);
                }
            """);
        await Flagged("""
                void Restore(string backup, string path) => {|CKPT201:File.Copy(backup, path, true)|};
            """);
    }

    [Fact]
    public async Task Flags_a_temp_moved_somewhere_else_only_when_not_the_written_file()
    {
        await Flagged("""
                void Save(string path, string other, string text)
                {
                    {|CKPT201:File.WriteAllText(path, text)|};
                    File.Move(other, path + ".old");
                }
            """);
    }

    // ---- Valid: must stay quiet -----------------------------------------------------

    // The project's own temp-file type, in another file: a unique name in the temp folder, deleted on Dispose,
    // used through an implicit conversion to string (directly or as a folder).
    private const string TempFileType = """
        using System;
        using System.IO;

        namespace App.Utility
        {
            public sealed class TempFile : IDisposable
            {
                private readonly string _path;
                public TempFile() : this(Path.Combine(Path.GetTempPath(), UniqueName())) { }
                private TempFile(string path) { _path = path; }
                private static string UniqueName() => "app-" + Guid.NewGuid().ToString("N");
                public static implicit operator string(TempFile file) => file._path;
                public void Dispose() => File.Delete(_path);
            }

            public sealed class Handle : IDisposable
            {
                private readonly string _path;
                public Handle(string path) { _path = path; }
                public static implicit operator string(Handle handle) => handle._path;
                public void Dispose() { }
            }
        }
        """;

    // A work file the method deletes in its finally block never outlives it (a list handed to a child process).
    [Fact]
    public Task Quiet_for_a_file_deleted_in_finally()
        => Quiet("""
                void Normalize(string workDirectory, string id, string list)
                {
                    var listFile = Path.Join(workDirectory, id + ".concat");
                    try
                    {
                        File.WriteAllText(listFile, list);
                    }
                    finally
                    {
                        File.Delete(listFile);
                    }
                }

                void RunTool(string workDirectory, string id, string list)
                {
                    var listFile = Path.Join(workDirectory, id + ".list");
                    File.WriteAllText(listFile, list);
                    try
                    {
                        Use(listFile);
                    }
                    finally
                    {
                        try { File.Delete(listFile); } catch (IOException) { }
                    }
                }
            """);

    // The operating system's hosts file, its path held by a field of a referenced project (bound with that project).
    [Fact]
    public Task Quiet_for_a_system_file_whose_path_a_referenced_project_holds()
    {
        var test = Verify.AnalyzerTest<NonAtomicOverwriteCheck>(Wrap("""
                void Save(string[] lines) => File.WriteAllLines(App.Utility.Hosts.FilePath, lines);
            """));
        return Verify.WithModelsProject(test, """
            namespace App.Utility
            {
                public static class Hosts
                {
                    public static readonly string FilePath = System.IO.Path.Combine(System.Environment.SystemDirectory, "drivers", "etc", "hosts");
                }
            }
            """).RunAsync();
    }

    // A theme written into a folder the method has just deleted and made again: a new file, nothing kept anyway.
    [Fact]
    public Task Quiet_for_a_file_in_a_folder_deleted_just_before()
        => Quiet("""
                void CreateTheme(string root, string name, string template)
                {
                    string dir = Path.Combine(root, name);
                    if (Directory.Exists(dir))
                        Directory.Delete(dir, true);
                    Directory.CreateDirectory(dir);
                    string themeFile = Path.Combine(dir, "Theme.xml");
                    File.WriteAllText(themeFile, template);
                }
            """);

    // Deleted without its contents, deleted after the write, or a write repeated by a loop: flagged.
    [Fact]
    public Task Flags_a_folder_not_emptied_before_the_write()
        => Flagged("""
                void CreateTheme(string root, string name, string template)
                {
                    string dir = Path.Combine(root, name);
                    Directory.Delete(dir, false);
                    {|CKPT201:File.WriteAllText(Path.Combine(dir, "Theme.xml"), template)|};
                    string other = Path.Combine(root, "other");
                    {|CKPT201:File.WriteAllText(Path.Combine(other, "Theme.xml"), template)|};
                    Directory.Delete(other, true);
                    string maybe = Path.Combine(root, "maybe");
                    if (template.Length == 0) Directory.Delete(maybe, true);
                    {|CKPT201:File.WriteAllText(Path.Combine(maybe, "Theme.xml"), template)|};
                    string looped = Path.Combine(root, "looped");
                    Directory.Delete(looped, true);
                    for (var i = 0; i < 2; i++)
                    {
                        {|CKPT201:File.WriteAllText(Path.Combine(looped, "Theme.xml"), template)|};
                    }
                }
            """);

    // A work copy deleted by a later statement of the same block, and a field given a fresh name just before the copy
    // that writes it: neither overwrites anything that outlives the method (a wallpaper copied in under a new name).
    [Fact]
    public Task Quiet_for_a_work_file_deleted_later_and_a_field_named_fresh_just_before()
        => Quiet("""
                private string _current = "";

                void CopyIn(string picked, string folder)
                {
                    var work = Path.Combine(folder, "Wallpaper_Temp" + Path.GetExtension(picked));
                    File.Copy(picked, work, true);
                    try { File.Delete(_current); } catch { }
                    _current = Path.Combine(folder, $"Wallpaper_{Guid.NewGuid()}{Path.GetExtension(picked)}");
                    File.Copy(work, _current, true);
                    File.Delete(work);
                }
            """);

    // The delete must be of the written file, after the write, and the fresh name must be the field's value at the write.
    [Fact]
    public Task Flags_a_delete_of_another_file_and_a_field_renamed_after_the_fresh_name()
        => Flagged("""
                private string _current = "";

                void CopyIn(string picked, string folder, string other)
                {
                    {|CKPT201:File.Copy(picked, _settingsLike, true)|};
                    File.Delete(other);
                    _current = Path.Combine(folder, $"Wallpaper_{Guid.NewGuid()}.png");
                    _current = Path.Combine(folder, "wallpaper.png");
                    {|CKPT201:File.Copy(picked, _current, true)|};
                }

                private string _settingsLike = "settings.json";
            """);

    // A loop that changes the name while a file of that name exists leaves a name no file has: the write creates a file.
    [Fact]
    public Task Quiet_for_a_path_a_loop_made_free()
        => Quiet("""
                void CreateShortcut(string folder, string name, string target)
                {
                    var file = Path.Combine(folder, name + ".lnk");
                    while (File.Exists(file))
                    {
                        name += "1";
                        file = Path.Combine(folder, name + ".lnk");
                    }

                    File.WriteAllText(file, target);
                }

                void Numbered(string folder, string text)
                {
                    var n = 0;
                    var file = Path.Combine(folder, "export.txt");
                    while (new FileInfo(file).Exists)
                    {
                        file = Path.Combine(folder, $"export-{++n}.txt");
                    }

                    if (text.Length > 0)
                    {
                        File.WriteAllText(file, text);
                    }
                }
            """);

    // The loop must test the written path and change it: otherwise the file written may be one that exists.
    [Fact]
    public Task Flags_when_the_loop_tests_or_changes_something_else()
        => Flagged("""
                void WaitForLock(string path, string lockFile, string text)
                {
                    while (File.Exists(lockFile))
                    {
                        Thread.Sleep(10);
                    }

                    {|CKPT201:File.WriteAllText(path, text)|};
                }

                void ChangesAnother(string folder, string text)
                {
                    var file = Path.Combine(folder, "a.txt");
                    var other = file;
                    while (File.Exists(file))
                    {
                        other = other + "1";
                    }

                    {|CKPT201:File.WriteAllText(file, text)|};
                }

                // Written again by a loop, assigned after the freeing loop, or left by a break while the file exists.
                void Periodic(string folder, string text, CancellationToken stop)
                {
                    var file = Path.Combine(folder, "a.txt");
                    while (File.Exists(file))
                    {
                        file = file + "1";
                    }

                    while (!stop.IsCancellationRequested)
                    {
                        {|CKPT201:File.WriteAllText(file, text)|};
                    }
                }

                void AssignedAfter(string folder, string settings, string text)
                {
                    var file = Path.Combine(folder, "a.txt");
                    while (File.Exists(file))
                    {
                        file = file + "1";
                    }

                    file = settings;
                    {|CKPT201:File.WriteAllText(file, text)|};
                }

                void BreaksOut(string folder, string text, bool replace)
                {
                    var file = Path.Combine(folder, "a.txt");
                    while (File.Exists(file))
                    {
                        if (replace)
                        {
                            break;
                        }

                        file = file + "1";
                    }

                    {|CKPT201:File.WriteAllText(file, text)|};
                }

                void LoopAfter(string folder, string text)
                {
                    var file = Path.Combine(folder, "a.txt");
                    {|CKPT201:File.WriteAllText(file, text)|};
                    while (File.Exists(file))
                    {
                        file = file + "1";
                    }
                }
            """);

    [Fact]
    public Task Flags_when_finally_deletes_another_file()
        => Flagged("""
                void Save(string path, string marker, string text)
                {
                    try
                    {
                        {|CKPT201:File.WriteAllText(path, text)|};
                    }
                    finally
                    {
                        File.Delete(marker);
                    }
                }
            """);

    [Fact]
    public Task Quiet_for_the_projects_own_temp_file_type()
        => Verify.AnalyzerAsync<NonAtomicOverwriteCheck>(
            Wrap("""
                void Write(string text)
                {
                    using var scratch = new App.Utility.TempFile();
                    File.WriteAllText(scratch, text);
                    using (var stream = new FileStream(new App.Utility.TempFile(), FileMode.Create)) { stream.WriteByte(1); }
                }
            """),
            editorConfig: null,
            TempFileType);

    // In a solution the temp-file type is often in a library project: bound from that project's compilation.
    [Fact]
    public Task Quiet_for_a_temp_file_type_of_a_referenced_project()
    {
        var test = Verify.AnalyzerTest<NonAtomicOverwriteCheck>(Wrap("""
                void Write(string text)
                {
                    using var scratch = new App.Utility.TempFile();
                    File.WriteAllText(scratch, text);
                }
            """));
        return Verify.WithModelsProject(test, TempFileType).RunAsync();
    }

    [Fact]
    public Task Flags_a_disposable_wrapper_around_a_given_path()
        => Verify.AnalyzerAsync<NonAtomicOverwriteCheck>(
            Wrap("""
                void Write(string path, string text)
                {
                    using var handle = new App.Utility.Handle(path);
                    {|CKPT201:File.WriteAllText(handle, text)|};
                }
            """),
            editorConfig: null,
            TempFileType);

    [Fact]
    public async Task Quiet_for_temp_then_move_overwrite()
    {
        await Quiet("""
                void Save(string path, string text)
                {
                    var tmp = path + ".tmp";
                    File.WriteAllText(tmp, text);
                    File.Move(tmp, path, overwrite: true);
                }
            """);
    }

    [Fact]
    public async Task Quiet_for_stream_temp_flushed_then_replaced()
    {
        await Quiet("""
                void Save(string path, byte[] data)
                {
                    string tmp = path + "." + Environment.ProcessId + ".tmp";
                    using (var stream = new FileStream(tmp, FileMode.Create, FileAccess.Write))
                    {
                        stream.Write(data);
                        stream.Flush(flushToDisk: true);
                    }

                    File.Replace(tmp, path, path + ".bak");
                }
            """);
    }

    [Fact]
    public async Task Quiet_for_same_expression_written_and_moved()
    {
        await Quiet("""
                async Task SaveAsync(string path, string text)
                {
                    await File.WriteAllTextAsync(path + ".tmp", text);
                    File.Move(path + ".tmp", path, true);
                }
            """);
    }

    [Fact]
    public async Task Quiet_for_FileInfo_temp_moved()
    {
        await Quiet("""
                void Save(string path, string text)
                {
                    var temp = new FileInfo(path + ".tmp");
                    using (var writer = temp.CreateText())
                    {
                        writer.Write(text);
                    }

                    temp.MoveTo(path, true);
                }
            """);
    }

    [Fact]
    public async Task Quiet_for_appends_and_non_truncating_opens()
    {
        await Quiet("""
                void Log(string path, string line, FileMode unknown)
                {
                    File.AppendAllText(path, line);
                    using var a = new StreamWriter(path, append: true);
                    using var b = new FileStream(path, FileMode.Append);
                    using var c = new FileStream(path, FileMode.CreateNew);
                    using var d = new FileStream(path, unknown);
                    using var e = File.Open(path, FileMode.Open);
                    using var f = new FileStream(path, new FileStreamOptions { Access = FileAccess.Write });
                    File.Copy(path, path + ".copy");
                    File.Copy(path, path + ".copy", overwrite: false);
                }
            """);
    }

    [Fact]
    public async Task Quiet_for_readers_and_stream_overloads()
    {
        await Quiet("""
                void Load(string path, Stream output, TextWriter writer)
                {
                    var text = File.ReadAllText(path);
                    using var reader = new StreamReader(path);
                    using var read = new FileStream(path, FileMode.Open, FileAccess.Read);
                    new XDocument().Save(output);
                    new XmlDocument().Save(writer);
                    using var xml = XmlWriter.Create(output);
                    using var sw = new StreamWriter(output);
                }
            """);
    }

    [Fact]
    public async Task Quiet_for_fresh_unique_files()
    {
        await Quiet("""
                void Export(string text, string dir)
                {
                    var scratch = Path.GetTempFileName();
                    File.WriteAllText(scratch, text);
                    File.WriteAllText(Path.Combine(dir, Guid.NewGuid() + ".json"), text);
                    File.WriteAllText(Path.Combine(dir, Path.GetRandomFileName()), text);
                }
            """);
    }

    [Fact]
    public async Task Quiet_when_a_helper_in_the_same_file_promotes_the_temp()
    {
        await Quiet("""
                private string TempPath => _path + ".tmp";

                public void Save(string json)
                {
                    File.WriteAllText(TempPath, json);
                    Promote();
                }

                public void SaveTo(string path, string json)
                {
                    var tmp = path + ".new";
                    File.WriteAllText(tmp, json);
                    MoveIntoPlace(tmp, path);
                }

                private void Promote() => File.Replace(TempPath, _path, null);

                private static void MoveIntoPlace(string from, string to) => File.Move(from, to, true);
            """);
    }

    [Fact]
    public async Task Flags_when_the_helper_moves_a_different_file()
    {
        await Flagged("""
                public void SaveTo(string path, string other, string json)
                {
                    {|CKPT201:File.WriteAllText(path, json)|};
                    MoveIntoPlace(other, path + ".old");
                }

                private static void MoveIntoPlace(string from, string to) => File.Move(from, to, true);
            """);
    }

    [Fact]
    public async Task Quiet_for_marker_files_without_content()
    {
        await Quiet("""
                void Mark(string path, string lockPath, FileInfo info)
                {
                    File.Create(path).Dispose();
                    File.Create(lockPath).Close();
                    File.WriteAllText(path, "");
                    File.WriteAllText(path, string.Empty);
                    File.WriteAllBytes(path, new byte[0]);
                    File.WriteAllBytes(path, Array.Empty<byte>());
                    using var _ = File.CreateText(path + ".deleteme");
                    using (File.Create(path + ".lock")) { }
                    info.Create().Dispose();
                }
            """);
    }

    [Fact]
    public async Task Flags_streams_that_are_written_to()
    {
        await Flagged("""
                void Save(string path, byte[] data)
                {
                    using var stream = {|CKPT201:File.Create(path)|};
                    stream.Write(data);
                }
            """);
    }

    [Fact]
    public async Task Quiet_for_scratch_and_timestamped_paths()
    {
        await Quiet("""
                void Scratch(string text, byte[] data, string dir)
                {
                    var tempDir = Path.Combine(Path.GetTempPath(), "app-update");
                    var zip = Path.Combine(tempDir, "update.zip");
                    File.WriteAllBytes(zip, data);
                    var stamp = DateTime.UtcNow.ToString("yyyyMMddHHmmssfff");
                    var backup = Path.Combine(dir, $"state-{stamp}.json");
                    File.Copy(Path.Combine(dir, "state.json"), backup, true);
                    File.WriteAllText(NewTempFile("json"), text);
                }

                private static string NewTempFile(string extension) => Path.ChangeExtension(Path.GetTempFileName(), extension);
            """);
    }

    [Fact]
    public async Task Flags_settings_kept_by_a_type_named_cache_when_the_path_or_method_names_them()
    {
        // The nearest name decides: the settings path (or WriteSettings) says state, whatever the type is called.
        await Verify.AnalyzerAsync<NonAtomicOverwriteCheck>("""
            using System.IO;

            class FileSettingsCache
            {
                public string SettingsFilePath { get; set; } = "app.settings";

                void Save(string text) => {|CKPT201:File.WriteAllText(SettingsFilePath, text)|};

                void WriteSettings(string text) => {|CKPT201:File.WriteAllText("app.xml", text)|};
            }
            """);
    }

    [Fact]
    public async Task Flags_a_copy_into_another_folder_whose_name_comes_from_the_source()
    {
        await Flagged("""
                void Publish(string source, string stateDir)
                {
                    var target = Path.Combine(stateDir, Path.GetFileName(source));
                    {|CKPT201:File.Copy(source, target, true)|};
                }
            """);
    }

    [Fact]
    public async Task Quiet_for_a_backup_copied_beside_the_file_it_copies()
    {
        // A torn backup leaves the original whole; the original's own write is another finding.
        await Quiet("""
                void Backup(string path)
                {
                    File.Copy(path, path + ".bak", true);
                    var previous = Path.ChangeExtension(path, ".previous");
                    File.Copy(path, previous, overwrite: true);
                }
            """);
    }

    [Fact]
    public async Task Quiet_for_a_name_made_unique_in_a_loop_and_defaults_written_when_no_file_exists()
    {
        await Quiet("""
                void Frame(string root, byte[] png)
                {
                    string name;
                    do
                        name = $"{Guid.NewGuid():N}.png";
                    while (File.Exists(Path.Combine(root, name)));
                    using var stream = new FileStream(Path.Combine(root, name), FileMode.Create);
                    stream.Write(png);
                }
            """);
    }

    [Fact]
    public async Task Flags_when_only_one_branch_is_scratch()
    {
        await Flagged("""
                void Save(string[] args, string? configured, string text)
                {
                    var path = args.Length > 0 ? args[0] : Path.Combine(Path.GetTempPath(), "state.json");
                    {|CKPT201:File.WriteAllText(path, text)|};
                    {|CKPT201:File.WriteAllText(configured ?? Path.GetTempFileName(), text)|};
                }
            """);
    }

    [Fact]
    public async Task Quiet_for_streams_returned_or_kept_in_fields()
    {
        await Quiet("""
                private StreamWriter? _log;
                private Stream Recording { get; set; } = Stream.Null;

                Stream OpenForWrite(string path) => new FileStream(path, FileMode.Create, FileAccess.ReadWrite);

                Stream OpenPosix(string path)
                {
                    var stream = File.Create(path);
                    return stream;
                }

                void StartSession(string logPath, string recordingPath)
                {
                    _log = File.CreateText(logPath);
                    Recording = File.Create(recordingPath);
                }
            """);
    }

    [Fact]
    public async Task Flags_write_all_even_inside_factories()
    {
        await Flagged("""
                string Save(string path, string text)
                {
                    {|CKPT201:File.WriteAllText(path, text)|};
                    return path;
                }
            """);
    }

    [Fact]
    public async Task Quiet_in_configured_atomic_write_helpers()
    {
        var config = "checkpoint_audit.atomic_write_methods = Store.SaveAtomically, Write*\n";
        await Quiet("""
                void SaveAtomically(string path, string text) => File.WriteAllText(path, text);
                void WriteState(string path, string text) { Action a = () => File.WriteAllText(path, text); a(); }
            """, config);
        await Flagged("""
                void SaveAtomically(string path, string text) => File.WriteAllText(path, text);
                void Other(string path, string text) => {|CKPT201:File.WriteAllText(path, text)|};
            """, "checkpoint_audit.atomic_write_methods = SaveAtomically\n");
    }

    [Fact]
    public async Task Quiet_in_test_projects_unless_asked()
    {
        var body = Wrap("""
                void Save(string path, string text) => File.WriteAllText(path, text);
            """);

        // A project that references a test framework assembly is a test project.
        await InTestProject(body, editorConfig: null);
        await InTestProject(
            body.Replace("=> File.WriteAllText(path, text)", "=> {|CKPT201:File.WriteAllText(path, text)|}"),
            "checkpoint_audit.analyze_test_projects = true\n");

        static Task InTestProject(string code, string? editorConfig)
        {
            var test = Verify.AnalyzerTest<NonAtomicOverwriteCheck>(code);
            TestReferences.AsTestProject(test.TestState, TestReferences.Net80);
            if (editorConfig is not null)
            {
                test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", "root = true\n[*]\n" + editorConfig));
            }

            return test.RunAsync();
        }
    }

    [Fact]
    public async Task Quiet_in_generated_code()
    {
        await Verify.AnalyzerAsync<NonAtomicOverwriteCheck>("""
            // <auto-generated/>
            using System.IO;
            class Generated { void Save(string path) => File.WriteAllText(path, "x"); }
            """);
    }

    [Fact]
    public async Task Never_throws_on_half_typed_code()
    {
        var test = new CSharpAnalyzerTest<Only<NonAtomicOverwriteCheck>, DefaultVerifier>
        {
            TestCode = """
                using System.IO;
                class Broken
                {
                    void A(string path) { File.WriteAllText(path, ; File.WriteAllText(; }
                    void B() { File.WriteAllText(); new FileStream(); new StreamWriter(); File.Move(); }
                    void C(string p) { File.WriteAll(p, "x"); File.Open(p, (FileMode)99).Dispose(); }
                }
                """,
            ReferenceAssemblies = TestReferences.None,
            CompilerDiagnostics = CompilerDiagnostics.None,
        };
        test.TestState.AdditionalReferences.AddRange(TestReferences.Net80);
        await test.RunAsync();
    }

    [Fact]
    public async Task Registers_nothing_without_System_IO()
    {
        var test = new CSharpAnalyzerTest<Only<NonAtomicOverwriteCheck>, DefaultVerifier>
        {
            TestCode = "class C { void M() { } }",
            ReferenceAssemblies = TestReferences.None,
            CompilerDiagnostics = CompilerDiagnostics.None,
        };
        await test.RunAsync();
    }
}
