using CheckpointAudit.Atomicity;
using CheckpointAudit.Corruption;
using CheckpointAudit.Schema;
using CheckpointAudit.Tests.Infrastructure;
using Xunit;

namespace CheckpointAudit.Tests.Knowledge;

/// <summary>
/// Rules that see through the project's own helpers declared in another file (method summaries): what a helper does
/// to the path it is given, what it returns, and which type argument it persists.
/// </summary>
public class ProjectHelperTests
{
    private const string Files = """
        using System.IO;
        using System.Text.Json;

        static class Files
        {
            public static void WriteJson(string path, object value) => File.WriteAllText(path, JsonSerializer.Serialize(value));

            public static void WriteJsonDurably(string path, object value)
            {
                using var stream = new FileStream(path, FileMode.CreateNew);
                JsonSerializer.Serialize(stream, value);
                stream.Flush(true);
            }

            public static void Promote(string temp, string target) => File.Move(temp, target, true);

            public static string ReadText(string path) => File.ReadAllText(path);

            public static string Describe(string path) => "file " + path;
        }
        """;

    // ---- Temp written by a helper, promoted here (CKPT202, CKPT204) ----------------------------

    [Fact]
    public async Task Flags_temp_written_by_a_helper_then_moved_without_flush()
    {
        await Verify.AnalyzerAsync<UnflushedTempPromotionCheck>(
            """
            using System.IO;

            class Store
            {
                void Save(string path, object settings)
                {
                    var tmp = path + ".tmp";
                    Files.WriteJson(tmp, settings);
                    {|CKPT202:File.Move(tmp, path, true)|};
                }
            }
            """,
            additionalSources: Files);
    }

    [Fact]
    public async Task Flags_temp_written_through_an_interface_whose_implementations_do_not_flush()
    {
        await Verify.AnalyzerAsync<UnflushedTempPromotionCheck>(
            """
            using System.IO;

            interface IWriter { void Write(string path, string text); }

            class Plain : IWriter { public void Write(string path, string text) => File.WriteAllText(path, text); }

            class Store
            {
                private readonly IWriter _writer = new Plain();

                void Save(string path, string text)
                {
                    var tmp = path + ".tmp";
                    _writer.Write(tmp, text);
                    {|CKPT202:File.Move(tmp, path, true)|};
                }
            }
            """);
    }

    [Fact]
    public async Task Flags_temp_written_by_a_helper_then_target_deleted_and_moved()
    {
        await Verify.AnalyzerAsync<UnsafeReplacementCheck>(
            """
            using System.IO;

            class Store
            {
                void Save(string path, object settings)
                {
                    var tmp = path + ".tmp";
                    Files.WriteJson(tmp, settings);
                    File.Delete(path);
                    {|CKPT204:File.Move(tmp, path)|};
                }
            }
            """,
            additionalSources: Files);
    }

    [Fact]
    public async Task Quiet_when_the_helper_flushes_to_disk_or_an_implementation_does_not_write()
    {
        await Verify.AnalyzerAsync<UnflushedTempPromotionCheck>(
            """
            using System.IO;

            interface IWriter { void Write(string path, string text); }

            class Plain : IWriter { public void Write(string path, string text) => File.WriteAllText(path, text); }

            class Remote : IWriter { public void Write(string path, string text) => System.Console.WriteLine(path + text); }

            class Store
            {
                private readonly IWriter _writer = new Plain();

                void Save(string path, object settings)
                {
                    var tmp = path + ".tmp";
                    Files.WriteJsonDurably(tmp, settings);
                    File.Move(tmp, path, true);
                }

                // Not every implementation writes the file: the summaries disagree, nothing is reported.
                void SaveText(string path, string text)
                {
                    var tmp = path + ".tmp";
                    _writer.Write(tmp, text);
                    File.Move(tmp, path, true);
                }

                // The helper only names the path; nothing is known about how the temp is written.
                void Log(string path)
                {
                    var tmp = path + ".tmp";
                    System.Console.WriteLine(Files.Describe(tmp));
                    File.Move(tmp, path, true);
                }
            }
            """,
            additionalSources: Files);
    }

    [Fact]
    public async Task A_helper_flushes_to_disk_through_a_method_it_calls_without_the_path()
    {
        // The helper that writes the temp hands its stream to another method: that one's flush counts (flushing is
        // followed through every call), a plain Flush() there does not.
        await Verify.AnalyzerAsync<UnflushedTempPromotionCheck>(
            """
            using System.IO;
            using System.Text;

            static class Streams
            {
                public static void WriteSynced(string path, string text)
                {
                    using var stream = new FileStream(path, FileMode.CreateNew);
                    stream.Write(Encoding.UTF8.GetBytes(text));
                    Sync(stream);
                }

                public static void WriteBuffered(string path, string text)
                {
                    using var stream = new FileStream(path, FileMode.CreateNew);
                    stream.Write(Encoding.UTF8.GetBytes(text));
                    Drain(stream);
                }

                static void Sync(FileStream stream) => stream.Flush(true);

                static void Drain(FileStream stream) => stream.Flush();
            }

            class Store
            {
                void Save(string path, string text)
                {
                    var tmp = path + ".tmp";
                    Streams.WriteSynced(tmp, text);
                    File.Move(tmp, path, true);
                }

                void SaveBuffered(string path, string text)
                {
                    var tmp = path + ".tmp";
                    Streams.WriteBuffered(tmp, text);
                    {|CKPT202:File.Move(tmp, path, true)|};
                }
            }
            """);
    }

    // ---- Temp promoted by a helper (CKPT201 quiet) --------------------------------------------

    [Fact]
    public async Task Quiet_on_a_temp_that_a_helper_in_another_file_moves_into_place()
    {
        await Verify.AnalyzerAsync<NonAtomicOverwriteCheck>(
            """
            using System.IO;

            class Store
            {
                void Save(string path, string text)
                {
                    var tmp = path + ".tmp";
                    File.WriteAllText(tmp, text);
                    Files.Promote(tmp, path);
                }

                void Overwrite(string path, string text)
                {
                    var settings = Path.Combine(path, "settings.json");
                    {|CKPT201:File.WriteAllText(settings, text)|};
                    System.Console.WriteLine(Files.Describe(settings));
                }
            }
            """,
            additionalSources: Files.Replace("=> File.WriteAllText(path, JsonSerializer.Serialize(value))", "=> {|CKPT201:File.WriteAllText(path, JsonSerializer.Serialize(value))|}"));
    }

    // ---- Loads through a helper (CKPT301) ------------------------------------------------------

    [Fact]
    public async Task Flags_a_parse_of_text_read_by_a_helper_and_stays_quiet_when_caught()
    {
        await Verify.AnalyzerAsync<UnguardedDeserializationCheck>(
            """
            using System.IO;
            using System.Text.Json;

            class Settings { public int Width { get; set; } }

            class Store
            {
                Settings? Load(string path) => {|CKPT301:JsonSerializer.Deserialize<Settings>(Files.ReadText(path))|};

                Settings? TryLoad(string path)
                {
                    try
                    {
                        return JsonSerializer.Deserialize<Settings>(Files.ReadText(path));
                    }
                    catch (JsonException)
                    {
                        return null;
                    }
                }

                Settings? Parse(string path) => JsonSerializer.Deserialize<Settings>(Files.Describe(path));
            }
            """,
            additionalSources: Files);
    }

    // ---- Template methods: a write through an overridable method (CKPT201) --------------------------

    // The implementations' own writes of a handed-in path are reported where they are (the audit lists them for review).
    private const string Templates = """
        using System.IO;
        using System.Xml;

        abstract class SettingsFile
        {
            protected abstract void WriteSettings(string fileName);

            public string SettingsPath { get; set; } = "settings.xml";
        }

        class XmlSettingsCache : SettingsFile
        {
            protected override void WriteSettings(string fileName)
            {
                using var writer = {|CKPT201:new XmlTextWriter(fileName, System.Text.Encoding.UTF8)|};
                writer.WriteStartDocument();
            }
        }

        class TextSettings : SettingsFile
        {
            protected override void WriteSettings(string fileName) => {|CKPT201:File.WriteAllText(fileName, "x=1")|};
        }

        interface IFiles
        {
            void Write(string path, string text);
        }

        class DiskFiles : IFiles
        {
            public void Write(string path, string text) => {|CKPT201:File.WriteAllText(path, text)|};
        }

        class AtomicFiles : IFiles
        {
            public void Write(string path, string text)
            {
                File.WriteAllText(path + ".tmp", text);
                File.Move(path + ".tmp", path, true);
            }
        }
        """;

    [Fact]
    public async Task Flags_a_template_method_whose_overrides_all_overwrite_the_file_it_names()
    {
        await Verify.AnalyzerAsync<NonAtomicOverwriteCheck>(
            """
            abstract class SettingsStore : SettingsFile
            {
                public void Save() => {|CKPT201:WriteSettings(SettingsPath)|};

                // A backup copied away first is not a temp moved into place: the write is still in place.
                public void SaveWithBackup()
                {
                    System.IO.File.Copy(SettingsPath, SettingsPath + ".backup", true);
                    {|CKPT201:WriteSettings(SettingsPath)|};
                }
            }

            class Store : SettingsStore
            {
                protected override void WriteSettings(string fileName) => System.IO.File.WriteAllText(fileName, "");
            }
            """,
            additionalSources: Templates);
    }

    [Fact]
    public async Task Quiet_when_the_template_writes_a_temp_and_moves_it_or_an_implementation_writes_atomically()
    {
        await Verify.AnalyzerAsync<NonAtomicOverwriteCheck>(
            """
            using System.IO;

            abstract class SettingsStore : SettingsFile
            {
                public void Save()
                {
                    var temp = SettingsPath + "." + System.Guid.NewGuid().ToString("N");
                    WriteSettings(temp);
                    File.Move(temp, SettingsPath, true);
                }
            }

            class Store : SettingsStore
            {
                protected override void WriteSettings(string fileName) => File.WriteAllText(fileName, "");
            }

            class App
            {
                void Save(IFiles files) => files.Write("state.json", "{}");
            }
            """,
            additionalSources: Templates);
    }

    // ---- Generic stores (CKPT101) ------------------------------------------------------------------

    private const string Stores = """
        using System.IO;
        using System.Text.Json;

        static class Json
        {
            public static void Save<T>(string path, T value) => File.WriteAllText(path, JsonSerializer.Serialize(value));

            public static T? Load<T>(string path) => JsonSerializer.Deserialize<T>(File.ReadAllText(path));
        }

        class JsonStore<T> where T : new()
        {
            private readonly string _path;

            public JsonStore(string path) => _path = path;

            public T Value { get; set; } = new T();

            public void Save() => Json.Save(_path, Value);
        }

        abstract class SettingsBase<TSelf> where TSelf : SettingsBase<TSelf>
        {
            public void SaveTo(string path) => Json.Save(path, (TSelf)this);
        }
        """;

    [Fact]
    public async Task Flags_models_persisted_through_generic_stores()
    {
        await Verify.AnalyzerAsync<MissingSchemaVersionCheck>(
            """
            class Settings { public int Width { get; set; } }

            class Layout { public int Columns { get; set; } }

            class Theme : SettingsBase<Theme> { public string Name { get; set; } = ""; }

            class App
            {
                void Save(string path, Settings settings) => {|CKPT101:Json.Save(path, settings)|};

                Layout? Load(string path) => {|CKPT101:Json.Load<Layout>(path)|};

                void SaveTheme(string path, Theme theme) => {|CKPT101:theme.SaveTo(path)|};
            }
            """,
            additionalSources: Stores);
    }

    [Fact]
    public async Task Flags_the_type_argument_of_a_generic_store_class()
    {
        await Verify.AnalyzerAsync<MissingSchemaVersionCheck>(
            """
            class Window { public int Left { get; set; } }

            class Tabs { public int Count { get; set; } }

            // A wrapper whose own name says nothing: its call of a JSON helper with T inferred is followed.
            class Cache<T> where T : new()
            {
                public T Value { get; set; } = new T();

                public void Flush(string path) => JsonFiles.Put(path, Value);
            }

            static class JsonFiles
            {
                public static void Put<T>(string path, T value) => System.IO.File.WriteAllText(path, System.Text.Json.JsonSerializer.Serialize(value));
            }

            class App
            {
                private readonly JsonStore<Window> _window = new("window.json");
                private readonly Cache<Tabs> _tabs = new();

                void Close() => {|CKPT101:_window.Save()|};

                void CloseTabs() => {|CKPT101:_tabs.Flush("tabs.json")|};
            }
            """,
            additionalSources: Stores);
    }

    [Fact]
    public async Task Quiet_on_versioned_models_and_on_generic_helpers_that_do_not_persist()
    {
        await Verify.AnalyzerAsync<MissingSchemaVersionCheck>(
            """
            using System.Collections.Generic;

            class Settings { public int SchemaVersion { get; set; } = 1; public int Width { get; set; } }

            class Point { public int X { get; set; } }

            static class Lists
            {
                public static List<T> Of<T>(T item) => new() { item };
            }

            class App
            {
                void Save(string path, Settings settings) => Json.Save(path, settings);

                List<Point> Points() => Lists.Of(new Point());

                void SaveNames(string path, List<string> names) => Json.Save(path, names);
            }
            """,
            additionalSources: Stores);
    }
}
