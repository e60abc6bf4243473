using CheckpointAudit.Corruption;
using CheckpointAudit.Tests.Infrastructure;
using Xunit;

namespace CheckpointAudit.Tests.Corruption;

public class CorruptionSwallowedTests
{
    private static string Wrap(string body) => $$"""
        using System;
        using System.Collections.Generic;
        using System.IO;
        using System.Text.Json;

        public class Settings { public int SchemaVersion { get; set; } }

        class Store
        {
            private readonly string _path = "settings.json";
            private Settings _settings = new();

        {{body}}
        }
        """;

    private const string SaveToField = """
            public void Save(Settings settings) => File.WriteAllText(_path, JsonSerializer.Serialize(settings));
        """;

    private static Task Verify304(string body) => Verify.AnalyzerAsync<CorruptionSwallowedCheck>(Wrap(body));

    [Fact]
    public async Task Flags_resets_and_deletes_of_a_file_that_is_saved_again()
    {
        await Verify304(SaveToField + """
                public Settings Load()
                {
                    try
                    {
                        return JsonSerializer.Deserialize<Settings>(File.ReadAllText(_path)) ?? new Settings();
                    }
                    catch (JsonException)
                    {
                        {|CKPT304:return new Settings();|}
                    }
                }

                public Settings LoadOrDelete()
                {
                    try
                    {
                        return JsonSerializer.Deserialize<Settings>(File.ReadAllText(_path)) ?? new Settings();
                    }
                    catch (Exception)
                    {
                        {|CKPT304:File.Delete(_path);|}
                        return new Settings();
                    }
                }

                public void Reload()
                {
                    try
                    {
                        using var stream = new FileStream(_path, FileMode.Open, FileAccess.Read);
                        _settings = JsonSerializer.Deserialize<Settings>(stream) ?? new Settings();
                    }
                    catch
                    {
                        {|CKPT304:_settings = new Settings();|}
                    }
                }
            """);
    }

    [Fact]
    public async Task Flags_a_path_parameter_when_the_same_type_is_serialized_in_the_file()
    {
        await Verify304("""
                public List<Settings> LoadAll(string path)
                {
                    try
                    {
                        return JsonSerializer.Deserialize<List<Settings>>(File.ReadAllText(path)) ?? [];
                    }
                    catch (JsonException)
                    {
                        {|CKPT304:return [];|}
                    }
                }

                public void SaveAll(string path, List<Settings> all) => File.WriteAllText(path, JsonSerializer.Serialize(all));
            """);
    }

    // A generic configuration helper: any failure to read or parse gives fresh defaults, written straight back over the file.
    private const string ConfigurationHelper = """
        using System;
        using System.IO;
        using System.Xml.Serialization;

        public interface IBytesSerializer
        {
            object Deserialize(Type type, byte[] data);
            byte[] Serialize(object value);
        }

        public class XmlBytesSerializer : IBytesSerializer
        {
            public object Deserialize(Type type, byte[] data) => DeserializeStream(type, new MemoryStream(data));

            public object DeserializeStream(Type type, Stream stream) => new XmlSerializer(type).Deserialize(stream)!;

            public byte[] Serialize(object value)
            {
                var stream = new MemoryStream();
                new XmlSerializer(value.GetType()).Serialize(stream, value);
                return stream.ToArray();
            }
        }

        // Parses nothing: its name says Deserialize, its body reads numbers by hand.
        public class CounterFormat
        {
            public int Deserialize(byte[] data) => BitConverter.ToInt32(data, 0);
        }

        public static class ConfigurationFiles
        {
            public static object Read(Type type, string path, IBytesSerializer serializer)
            {
                object configuration;
                byte[]? bytes = null;
                try
                {
                    bytes = File.ReadAllBytes(path);
                    configuration = serializer.Deserialize(type, bytes);
                }
                catch (Exception)
                {
                    {|CKPT304:configuration = Activator.CreateInstance(type)!;|}
                }

                File.WriteAllBytes(path, serializer.Serialize(configuration));
                return configuration;
            }

            public static object ReadAndKeep(Type type, string path, IBytesSerializer serializer)
            {
                object configuration;
                byte[]? bytes = null;
                try
                {
                    bytes = File.ReadAllBytes(path);
                    configuration = serializer.Deserialize(type, bytes);
                }
                catch (Exception)
                {
                    File.Move(path, path + ".corrupt");
                    configuration = Activator.CreateInstance(type)!;
                }

                File.WriteAllBytes(path, serializer.Serialize(configuration));
                return configuration;
            }

            public static int ReadCounter(string path, CounterFormat format)
            {
                int counter;
                try
                {
                    counter = format.Deserialize(File.ReadAllBytes(path));
                }
                catch (Exception)
                {
                    counter = new int();
                }

                File.WriteAllBytes(path, BitConverter.GetBytes(counter + 1));
                return counter;
            }

            public static void Probe(Type type, string path, IBytesSerializer serializer)
            {
                try
                {
                    serializer.Deserialize(type, File.ReadAllBytes(path));
                }
                catch (Exception)
                {
                    object unused = Activator.CreateInstance(type)!;
                }

                File.WriteAllBytes(path, serializer.Serialize(new object()));
            }
        }
        """;

    [Fact]
    public async Task Flags_a_helper_that_writes_fresh_defaults_over_a_file_its_own_deserializer_rejected()
    {
        // The project's interface forwards to XmlSerializer (through a second method), so a catch-all handles what it
        // throws; the reset local is written back in the same method. Kept aside, a hand-made parser, or a local the
        // method never uses again: quiet.
        await Verify.AnalyzerAsync<CorruptionSwallowedCheck>(ConfigurationHelper);
    }

    [Fact]
    public async Task Flags_a_reset_through_a_method_of_the_same_type_and_a_private_parser_given_the_file_text()
    {
        await Verify304(SaveToField + """
                public Settings Load()
                {
                    Parse(File.ReadAllText(_path));
                    return _settings;
                }

                private void Parse(string text)
                {
                    try { _settings = JsonSerializer.Deserialize<Settings>(text) ?? new Settings(); }
                    catch (JsonException) { {|CKPT304:LoadDefaults();|} }
                }

                private void LoadDefaults()
                {
                    _settings = JsonSerializer.Deserialize<Settings>("{}")!;
                    Save(_settings);
                }
            """);
    }

    [Fact]
    public async Task Quiet_when_the_reset_method_backs_the_file_up_first()
    {
        await Verify304(SaveToField + """
                public Settings Load()
                {
                    try { return JsonSerializer.Deserialize<Settings>(File.ReadAllText(_path)) ?? new Settings(); }
                    catch (JsonException) { LoadDefaults(); return _settings; }
                }

                private void LoadDefaults()
                {
                    if (File.Exists(_path)) BackUp();
                    _settings = new Settings();
                    Save(_settings);
                }

                private void BackUp() => File.Copy(_path, _path + "." + DateTime.UtcNow.Ticks + ".bak", true);
            """);
    }

    // The reset is split over two methods: the loader says "failed" with null, the caller fills in defaults
    // into a member, and the type saves that member over the file.
    internal const string NullReturnReset = """
        using System;
        using System.IO;
        using System.Text.Json;

        public class Settings { public int SchemaVersion { get; set; } }

        static class UserSettings
        {
            private static Settings _appData;

            public static void Init(string appData) => _appData = Load(appData) ?? new Settings();

            private static Settings Load(string path)
            {
                try
                {
                    return JsonSerializer.Deserialize<Settings>(File.ReadAllText(path));
                }
                catch (Exception)
                {
                    {|CKPT304:return null;|}
                }
            }

            public static void Save(string path)
            {
                var settings = _appData ?? new Settings();
                using var stream = new FileStream(path, FileMode.Create);
                JsonSerializer.Serialize(stream, settings);
            }
        }
        """;

    [Fact]
    public Task Flags_a_null_return_that_the_caller_replaces_with_defaults_it_saves()
        => Verify.AnalyzerAsync<CorruptionSwallowedCheck>(NullReturnReset);

    [Fact]
    public async Task Quiet_when_the_caller_of_a_null_return_keeps_or_does_not_save_the_defaults()
    {
        await Verify.AnalyzerAsync<CorruptionSwallowedCheck>("""
            using System;
            using System.IO;
            using System.Text.Json;

            public class Settings { public int SchemaVersion { get; set; } }

            static class Preview
            {
                private static Settings _shown;

                // Defaults shown, never saved.
                public static void Init(string path) => _shown = Load(path) ?? new Settings();

                // The caller keeps null: it knows the load failed.
                public static Settings Peek(string path) => Load(path);

                private static Settings Load(string path)
                {
                    try { return JsonSerializer.Deserialize<Settings>(File.ReadAllText(path)); }
                    catch (Exception) { return null; }
                }
            }
            """);
    }

    [Fact]
    public async Task Quiet_when_the_bad_file_is_kept_or_never_saved_again()
    {
        await Verify304(SaveToField + """
                public Settings Moved()
                {
                    try { return JsonSerializer.Deserialize<Settings>(File.ReadAllText(_path)) ?? new Settings(); }
                    catch (JsonException)
                    {
                        File.Move(_path, _path + ".corrupt-" + DateTime.UtcNow.Ticks);
                        return new Settings();
                    }
                }

                public Settings Copied()
                {
                    try { return JsonSerializer.Deserialize<Settings>(File.ReadAllText(_path)) ?? new Settings(); }
                    catch (JsonException)
                    {
                        File.Copy(_path, _path + ".bad", overwrite: true);
                        return new Settings();
                    }
                }

                public Settings Quarantined()
                {
                    try { return JsonSerializer.Deserialize<Settings>(File.ReadAllText(_path)) ?? new Settings(); }
                    catch (JsonException)
                    {
                        Quarantine(_path);
                        return new Settings();
                    }
                }

                private static void Quarantine(string path) => File.Move(path, path + ".corrupt");

                // A helper of the same object that moves the file its field names aside.
                public Settings SetAside()
                {
                    try { return JsonSerializer.Deserialize<Settings>(File.ReadAllText(_path)) ?? new Settings(); }
                    catch (JsonException)
                    {
                        PreserveUnreadable();
                        return new Settings();
                    }
                }

                private void PreserveUnreadable()
                {
                    if (File.Exists(_path))
                    {
                        File.Move(_path, _path + ".unreadable", overwrite: false);
                    }
                }

                public Settings Rethrown()
                {
                    try { return JsonSerializer.Deserialize<Settings>(File.ReadAllText(_path)) ?? new Settings(); }
                    catch (JsonException ex) { throw new InvalidDataException(_path + " is corrupt", ex); }
                }

                // Read-only defaults shipped with the app: nothing in this file writes them.
                public Settings Defaults()
                {
                    try { return JsonSerializer.Deserialize<Settings>(File.ReadAllText("defaults.json")) ?? new Settings(); }
                    catch (JsonException) { return new Settings(); }
                }
            """);
    }

    [Fact]
    public async Task Flags_a_catch_that_falls_through_to_a_reset_after_a_try_that_returns()
    {
        // A scheduler's store: an unreadable file becomes an empty list, which the next Add writes over it. Reported on
        // the catch, which lets the reset below the try run.
        await Verify.AnalyzerAsync<CorruptionSwallowedCheck>(FallThroughStore.Replace("catch (JsonException)", "{|CKPT304:catch (JsonException)|}").Replace("CATCH_END", "_items = Array.Empty<Timer>();"));
    }

    [Fact]
    public async Task Flags_a_coalescing_reset_after_a_try_that_returns()
        => await Verify.AnalyzerAsync<CorruptionSwallowedCheck>(FallThroughStore.Replace("catch (JsonException)", "{|CKPT304:catch (JsonException)|}").Replace("CATCH_END", "_items ??= Array.Empty<Timer>();"));

    [Fact]
    public async Task Quiet_when_the_code_after_the_try_is_also_the_success_path_or_keeps_the_file()
    {
        // The same reset with the try returning is flagged (above): here it is not, only because the try does not return.
        await Verify.AnalyzerAsync<CorruptionSwallowedCheck>(FallThroughStore
            .Replace("                return;\n            }\n            catch", "            }\n            catch")
            .Replace("CATCH_END", "_items = Array.Empty<Timer>();"));

        // The catch moves the bad file aside first.
        await Verify.AnalyzerAsync<CorruptionSwallowedCheck>(FallThroughStore
            .Replace("Console.Error.WriteLine(\"cannot read \" + _dataPath);", "File.Move(_dataPath, _dataPath + \".corrupt\", true);")
            .Replace("CATCH_END", "_items = Array.Empty<Timer>();"));
    }

    internal const string FallThroughStore = """
            using System;
            using System.IO;
            using System.Text.Json;

            public class Timer { public string Id { get; set; } = ""; }

            class TimerStore
            {
                private readonly string _dataPath = "timers.json";
                private Timer[]? _items;

                private void EnsureLoaded()
                {
                    if (_items is not null)
                    {
                        return;
                    }

                    if (File.Exists(_dataPath))
                    {
                        try
                        {
                            _items = JsonSerializer.Deserialize<Timer[]>(File.ReadAllBytes(_dataPath)) ?? Array.Empty<Timer>();
                            return;
                        }
                        catch (JsonException)
                        {
                            Console.Error.WriteLine("cannot read " + _dataPath);
                        }
                    }

                    CATCH_END
                }

                public void Add(Timer timer)
                {
                    EnsureLoaded();
                    _items = [.. _items, timer];
                    File.WriteAllText(_dataPath, JsonSerializer.Serialize(_items));
                }
            }
            """;
}

public class QuarantineBadFileCodeFixTests
{
    [Fact]
    public async Task Fix_moves_the_bad_file_aside_before_a_reset_through_a_helper_in_a_private_parser()
    {
        // The path the caller read is a field: it means the same inside the private parser's catch.
        const string Before = """
            using System.IO;
            using System.Text.Json;

            public class Settings { public int SchemaVersion { get; set; } }

            class Store
            {
                private readonly string _path = "settings.json";
                private Settings _settings = new();

                public void Save() => File.WriteAllText(_path, JsonSerializer.Serialize(_settings));

                public void Load() => Parse(File.ReadAllText(_path));

                private void Parse(string text)
                {
                    try { _settings = JsonSerializer.Deserialize<Settings>(text) ?? new Settings(); }
                    catch (JsonException)
                    {
                        {|CKPT304:LoadDefaults();|}
                    }
                }

                private void LoadDefaults()
                {
                    _settings = new Settings();
                    Save();
                }
            }
            """;
        var after = Before.Replace(
            "{|CKPT304:LoadDefaults();|}",
            "try { File.Move(_path, _path + \".corrupt-\" + System.DateTime.UtcNow.ToString(\"yyyyMMddHHmmssfff\")); } catch (IOException) { } catch (System.UnauthorizedAccessException) { }\n            LoadDefaults();");
        await Verify.CodeFix<CorruptionSwallowedCheck, CheckpointAudit.CodeFixes.Corruption.QuarantineBadFileCodeFixProvider>(Before, after).RunAsync();
    }

    [Fact]
    public async Task Fix_moves_the_bad_file_aside_before_a_null_return_its_caller_fills_with_defaults()
    {
        var before = CorruptionSwallowedTests.NullReturnReset;
        var after = before.Replace("{|CKPT304:return null;|}", "try { File.Move(path, path + \".corrupt-\" + DateTime.UtcNow.ToString(\"yyyyMMddHHmmssfff\")); } catch (IOException) { } catch (UnauthorizedAccessException) { }\n            return null;");
        await Verify.CodeFix<CorruptionSwallowedCheck, CheckpointAudit.CodeFixes.Corruption.QuarantineBadFileCodeFixProvider>(before, after).RunAsync();
    }

    [Fact]
    public async Task Fix_moves_the_bad_file_aside_in_a_catch_that_falls_through_to_the_reset()
    {
        var test = Verify.CodeFix<CorruptionSwallowedCheck, CheckpointAudit.CodeFixes.Corruption.QuarantineBadFileCodeFixProvider>(
            CorruptionSwallowedTests.FallThroughStore.Replace("catch (JsonException)", "{|CKPT304:catch (JsonException)|}").Replace("CATCH_END", "_items = Array.Empty<Timer>();"),
            CorruptionSwallowedTests.FallThroughStore
                .Replace("                Console.Error.WriteLine", "                try { File.Move(_dataPath, _dataPath + \".corrupt-\" + DateTime.UtcNow.ToString(\"yyyyMMddHHmmssfff\")); } catch (IOException) { } catch (UnauthorizedAccessException) { }\n                Console.Error.WriteLine")
                .Replace("CATCH_END", "_items = Array.Empty<Timer>();"));
        await test.RunAsync();
    }

    [Fact]
    public async Task Fix_moves_the_bad_file_aside_before_the_reset()
    {
        var test = Verify.CodeFix<CorruptionSwallowedCheck, CheckpointAudit.CodeFixes.Corruption.QuarantineBadFileCodeFixProvider>(
            """
            using System.IO;
            using System.Text.Json;

            public class Settings { public int SchemaVersion { get; set; } }

            class Store
            {
                private readonly string _path = "settings.json";

                public void Save(Settings settings) => File.WriteAllText(_path, JsonSerializer.Serialize(settings));

                public Settings Load()
                {
                    try
                    {
                        return JsonSerializer.Deserialize<Settings>(File.ReadAllText(_path)) ?? new Settings();
                    }
                    catch (JsonException)
                    {
                        {|CKPT304:return new Settings();|}
                    }
                }
            }
            """,
            """
            using System.IO;
            using System.Text.Json;

            public class Settings { public int SchemaVersion { get; set; } }

            class Store
            {
                private readonly string _path = "settings.json";

                public void Save(Settings settings) => File.WriteAllText(_path, JsonSerializer.Serialize(settings));

                public Settings Load()
                {
                    try
                    {
                        return JsonSerializer.Deserialize<Settings>(File.ReadAllText(_path)) ?? new Settings();
                    }
                    catch (JsonException)
                    {
                        try { File.Move(_path, _path + ".corrupt-" + System.DateTime.UtcNow.ToString("yyyyMMddHHmmssfff")); } catch (IOException) { } catch (System.UnauthorizedAccessException) { }
                        return new Settings();
                    }
                }
            }
            """);
        await test.RunAsync();
    }

    [Fact]
    public async Task Fix_moves_the_bad_file_aside_before_a_local_reset_that_is_written_back()
    {
        const string Code = """
            using System;
            using System.IO;
            using System.Xml.Serialization;

            public interface IBytesSerializer { object Deserialize(Type type, byte[] data); }

            public class XmlBytesSerializer : IBytesSerializer
            {
                public object Deserialize(Type type, byte[] data) => new XmlSerializer(type).Deserialize(new MemoryStream(data))!;
            }

            public static class ConfigurationFiles
            {
                public static object Read(Type type, string path, IBytesSerializer serializer)
                {
                    object configuration;
                    try
                    {
                        configuration = serializer.Deserialize(type, File.ReadAllBytes(path));
                    }
                    catch (Exception)
                    {
                        RESET
                    }

                    File.WriteAllText(path, configuration.ToString());
                    return configuration;
                }
            }
            """;
        var test = Verify.CodeFix<CorruptionSwallowedCheck, CheckpointAudit.CodeFixes.Corruption.QuarantineBadFileCodeFixProvider>(
            Code.Replace("RESET", "{|CKPT304:configuration = Activator.CreateInstance(type)!;|}"),
            Code.Replace("RESET", "try { File.Move(path, path + \".corrupt-\" + DateTime.UtcNow.ToString(\"yyyyMMddHHmmssfff\")); } catch (IOException) { } catch (UnauthorizedAccessException) { }\n            configuration = Activator.CreateInstance(type)!;"));
        await test.RunAsync();
    }

    [Fact]
    public async Task Fix_all_in_document()
    {
        const string Before = """
            using System.IO;
            using System.Text.Json;

            public class Settings { public int SchemaVersion { get; set; } }

            class Store
            {
                private readonly string _path = "settings.json";
                private readonly string _other = "other.json";

                public void Save(Settings settings)
                {
                    File.WriteAllText(_path, JsonSerializer.Serialize(settings));
                    File.WriteAllText(_other, JsonSerializer.Serialize(settings));
                }

                public Settings A()
                {
                    try { return JsonSerializer.Deserialize<Settings>(File.ReadAllText(_path)) ?? new Settings(); }
                    catch (JsonException)
                    {
                        RESET_A
                    }
                }

                public Settings B()
                {
                    try { return JsonSerializer.Deserialize<Settings>(File.ReadAllText(_other)) ?? new Settings(); }
                    catch (JsonException)
                    {
                        RESET_B
                    }
                }
            }
            """;
        const string Quarantine = "try { File.Move(PATH, PATH + \".corrupt-\" + System.DateTime.UtcNow.ToString(\"yyyyMMddHHmmssfff\")); } catch (IOException) { } catch (System.UnauthorizedAccessException) { }\n            ";
        var test = Verify.CodeFix<CorruptionSwallowedCheck, CheckpointAudit.CodeFixes.Corruption.QuarantineBadFileCodeFixProvider>(
            Before.Replace("RESET_A", "{|CKPT304:return new Settings();|}").Replace("RESET_B", "{|CKPT304:return new Settings();|}"),
            Before.Replace("RESET_A", Quarantine.Replace("PATH", "_path") + "return new Settings();")
                .Replace("RESET_B", Quarantine.Replace("PATH", "_other") + "return new Settings();"));
        test.NumberOfIncrementalIterations = 2;
        test.NumberOfFixAllIterations = 1;
        await test.RunAsync();
    }

    [Fact]
    public async Task No_fix_when_the_path_is_a_local_of_the_try_block()
    {
        var source = """
            using System.IO;
            using System.Text.Json;

            public class Settings { public int SchemaVersion { get; set; } }

            class Store
            {
                public void Save(string dir, Settings settings) => File.WriteAllText(Path.Combine(dir, "s.json"), JsonSerializer.Serialize(settings));

                public Settings Load(string dir)
                {
                    try
                    {
                        var path = Path.Combine(dir, "s.json");
                        return JsonSerializer.Deserialize<Settings>(File.ReadAllText(path)) ?? new Settings();
                    }
                    catch (JsonException)
                    {
                        {|CKPT304:return new Settings();|}
                    }
                }
            }
            """;
        var test = Verify.CodeFix<CorruptionSwallowedCheck, CheckpointAudit.CodeFixes.Corruption.QuarantineBadFileCodeFixProvider>(source, source);
        test.FixedState.MarkupHandling = Microsoft.CodeAnalysis.Testing.MarkupMode.Allow;
        await test.RunAsync();
    }
}
