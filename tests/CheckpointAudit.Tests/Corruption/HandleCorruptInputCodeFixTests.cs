using CheckpointAudit.CodeFixes.Corruption;
using CheckpointAudit.Corruption;
using CheckpointAudit.Tests.Infrastructure;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;
using Xunit;

namespace CheckpointAudit.Tests.Corruption;

/// <summary>CKPT301's second fix: "Handle corrupt input".</summary>
public class HandleCorruptInputCodeFixTests
{
    private const string Header = """
        using System.IO;
        using System.Text.Json;
        using System.Threading.Tasks;

        public class Settings { public int SchemaVersion { get; set; } }

        """;

    private const string FixedHeader = """
        using System.IO;
        using System.Text.Json;
        using System.Threading.Tasks;
        using CheckpointAudit;

        public class Settings { public int SchemaVersion { get; set; } }

        """;

    private static CSharpCodeFixTest<Only<UnguardedDeserializationCheck>, LoadCheckpointCodeFixProvider, DefaultVerifier> HandleTest(string source, string fixedSource)
    {
        var test = Verify.CodeFix<UnguardedDeserializationCheck, LoadCheckpointCodeFixProvider>(source, fixedSource);
        // Selected by key: where the action is not offered, nothing is applied.
        test.CodeActionEquivalenceKey = LoadCheckpointCodeFixProvider.HandleCorruptInputEquivalenceKey;
        return test;
    }

    [Fact]
    public async Task A_declaration_is_split_so_the_local_stays_visible_after_the_try()
    {
        await HandleTest(
            Header + """
            class Store
            {
                Settings Load(string path)
                {
                    // The stored settings.
                    var settings = {|CKPT301:JsonSerializer.Deserialize<Settings>(File.ReadAllText(path))|};
                    return settings ?? new Settings();
                }
            }
            """,
            FixedHeader + """
            class Store
            {
                Settings Load(string path)
                {
                    // The stored settings.
                    Settings settings;
                    try
                    {
                        settings = JsonSerializer.Deserialize<Settings>(File.ReadAllText(path));
                    }
                    catch (JsonException ex)
                    {
                        throw CheckpointFile.QuarantineCorrupt(path, ex);
                    }
                    return settings ?? new Settings();
                }
            }
            """).RunAsync();
    }

    [Fact]
    public async Task Streamed_and_async_loads_keep_their_call()
    {
        await HandleTest(
            Header + """
            class Store
            {
                private readonly string _path = "state.json";

                async Task<Settings?> LoadAsync()
                {
                    await using var stream = File.OpenRead(_path);
                    return await {|CKPT301:JsonSerializer.DeserializeAsync<Settings>(stream)|};
                }
            }
            """,
            FixedHeader + """
            class Store
            {
                private readonly string _path = "state.json";

                async Task<Settings?> LoadAsync()
                {
                    await using var stream = File.OpenRead(_path);
                    try
                    {
                        return await JsonSerializer.DeserializeAsync<Settings>(stream);
                    }
                    catch (JsonException ex)
                    {
                        throw CheckpointFile.QuarantineCorrupt(_path, ex);
                    }
                }
            }
            """).RunAsync();
    }

    [Fact]
    public async Task Expression_bodies_get_a_block_and_each_parser_its_own_exceptions()
    {
        await HandleTest(
            """
            using System.IO;
            using System.Runtime.Serialization;
            using System.Xml.Serialization;

            public class Settings { public int SchemaVersion { get; set; } }

            class Store
            {
                Settings? FromXml(string path)
                {
                    using var stream = File.OpenRead(path);
                    return (Settings?){|CKPT301:new XmlSerializer(typeof(Settings)).Deserialize(stream)|};
                }

                object? FromContract(string path) => {|CKPT301:new DataContractSerializer(typeof(Settings)).ReadObject(new FileStream(path, FileMode.Open))|};
            }
            """,
            """
            using System;
            using System.IO;
            using System.Runtime.Serialization;
            using System.Xml;
            using System.Xml.Serialization;
            using CheckpointAudit;

            public class Settings { public int SchemaVersion { get; set; } }

            class Store
            {
                Settings? FromXml(string path)
                {
                    using var stream = File.OpenRead(path);
                    try
                    {
                        return (Settings?)new XmlSerializer(typeof(Settings)).Deserialize(stream);
                    }
                    catch (InvalidOperationException ex)
                    {
                        throw CheckpointFile.QuarantineCorrupt(path, ex);
                    }
                }

                object? FromContract(string path)
                {
                    try
                    {
                        return new DataContractSerializer(typeof(Settings)).ReadObject(new FileStream(path, FileMode.Open));
                    }
                    catch (Exception ex) when (ex is SerializationException || ex is XmlException)
                    {
                        throw CheckpointFile.QuarantineCorrupt(path, ex);
                    }
                }
            }
            """).RunAsync();
    }

    [Fact]
    public async Task Newtonsoft_is_caught_by_its_base_exception()
    {
        var test = HandleTest(
            """
            using System.IO;
            using Newtonsoft.Json;

            public class Settings { public int SchemaVersion { get; set; } }

            class Store
            {
                void Apply(string path) => Use({|CKPT301:JsonConvert.DeserializeObject<Settings>(File.ReadAllText(path))|});

                void Use(Settings? settings) { }
            }
            """,
            """
            using System.IO;
            using CheckpointAudit;
            using Newtonsoft.Json;

            public class Settings { public int SchemaVersion { get; set; } }

            class Store
            {
                void Apply(string path)
                {
                    try
                    {
                        Use(JsonConvert.DeserializeObject<Settings>(File.ReadAllText(path)));
                    }
                    catch (JsonException ex)
                    {
                        throw CheckpointFile.QuarantineCorrupt(path, ex);
                    }
                }

                void Use(Settings? settings) { }
            }
            """);
        test.TestState.AdditionalReferences.AddRange(TestReferences.Newtonsoft);
        await test.RunAsync();
    }

    [Fact]
    public async Task Not_offered_without_a_known_file_or_a_safe_place_for_the_try()
    {
        var source = Header + """
            class Store
            {
                string PathFor(int id) => id + ".json";

                // The path is a call that may not give the same answer twice.
                Settings? A(int id) => {|CKPT301:JsonSerializer.Deserialize<Settings>(File.ReadAllText(PathFor(id)))|};

                // The parse is the condition of an if: wrapping the whole statement would also catch its body.
                void B(string path)
                {
                    if ({|CKPT301:JsonSerializer.Deserialize<Settings>(File.ReadAllText(path))|} is { } settings)
                    {
                        System.Console.WriteLine(settings.SchemaVersion);
                    }
                }

                // A database value: there is no file to move aside.
                Settings? C(System.Data.Common.DbDataReader reader) => {|CKPT301:JsonSerializer.Deserialize<Settings>(reader.GetString(0))|};
            }
            """;
        var test = HandleTest(source, source);
        test.FixedState.MarkupHandling = MarkupMode.Allow;
        await test.RunAsync();
    }

    [Fact]
    public async Task Fixes_one_by_one_and_all_in_document()
    {
        var test = HandleTest(
            Header + """
            class Store
            {
                Settings? A(string path) => {|CKPT301:JsonSerializer.Deserialize<Settings>(File.ReadAllText(path))|};

                Settings? B(string path)
                {
                    var loaded = {|CKPT301:JsonSerializer.Deserialize<Settings>(File.ReadAllText(path + ".old"))|};
                    return loaded;
                }
            }
            """,
            FixedHeader + """
            class Store
            {
                Settings? A(string path)
                {
                    try
                    {
                        return JsonSerializer.Deserialize<Settings>(File.ReadAllText(path));
                    }
                    catch (JsonException ex)
                    {
                        throw CheckpointFile.QuarantineCorrupt(path, ex);
                    }
                }

                Settings? B(string path)
                {
                    Settings loaded;
                    try
                    {
                        loaded = JsonSerializer.Deserialize<Settings>(File.ReadAllText(path + ".old"));
                    }
                    catch (JsonException ex)
                    {
                        throw CheckpointFile.QuarantineCorrupt(path + ".old", ex);
                    }
                    return loaded;
                }
            }
            """);
        test.NumberOfIncrementalIterations = 2;
        test.NumberOfFixAllIterations = 1;
        await test.RunAsync();
    }

    [Fact]
    public async Task A_reader_in_a_using_is_tried_with_everything_that_reads_it()
    {
        await HandleTest(
            Header + """
            class Themes
            {
                string Title(string path)
                {
                    using var reader = {|CKPT301:System.Xml.XmlReader.Create(path)|};
                    reader.Read();
                    return reader.Value;
                }

                int Count(string file)
                {
                    var count = 0;
                    using (var text = new StreamReader(file))
                    using (var reader = {|CKPT301:System.Xml.XmlReader.Create(text)|})
                    {
                        while (reader.Read()) count++;
                    }

                    return count;
                }
            }
            """,
            FixedHeader.Replace("using System.Threading.Tasks;", "using System.Threading.Tasks;\nusing System.Xml;") + """
            class Themes
            {
                string Title(string path)
                {
                    try
                    {
                        using var reader = System.Xml.XmlReader.Create(path);
                        reader.Read();
                        return reader.Value;
                    }
                    catch (XmlException ex)
                    {
                        throw CheckpointFile.QuarantineCorrupt(path, ex);
                    }
                }

                int Count(string file)
                {
                    var count = 0;
                    try
                    {
                        using (var text = new StreamReader(file))
                        using (var reader = System.Xml.XmlReader.Create(text))
                        {
                            while (reader.Read()) count++;
                        }
                    }
                    catch (XmlException ex)
                    {
                        throw CheckpointFile.QuarantineCorrupt(file, ex);
                    }

                    return count;
                }
            }
            """).RunAsync();
    }

    [Fact]
    public async Task A_path_computed_by_a_call_is_kept_in_a_local_when_it_is_evaluated_first()
    {
        await HandleTest(
            Header + """
            static class Paths
            {
                public static string Template(string name) => Path.Combine("templates", name);
            }

            class Themes
            {
                System.Xml.Linq.XDocument App()
                {
                    var app = {|CKPT301:System.Xml.Linq.XDocument.Load(Paths.Template("App.xaml"))|};
                    return app;
                }
            }
            """,
            FixedHeader.Replace("using System.Threading.Tasks;", "using System.Threading.Tasks;\nusing System.Xml;") + """
            static class Paths
            {
                public static string Template(string name) => Path.Combine("templates", name);
            }

            class Themes
            {
                System.Xml.Linq.XDocument App()
                {
                    var path = Paths.Template("App.xaml");
                    System.Xml.Linq.XDocument app;
                    try
                    {
                        app = System.Xml.Linq.XDocument.Load(path);
                    }
                    catch (XmlException ex)
                    {
                        throw CheckpointFile.QuarantineCorrupt(path, ex);
                    }
                    return app;
                }
            }
            """).RunAsync();
    }

    [Fact]
    public async Task A_project_loader_that_lets_the_parsers_exceptions_out_is_tried_at_its_call()
    {
        await HandleTest(
            Header + """
            static class Json
            {
                public static T? FromFile<T>(string file) => JsonSerializer.Deserialize<T>(File.ReadAllText(file));
            }

            class Store
            {
                Settings? Load(string path)
                {
                    var settings = {|CKPT301:Json.FromFile<Settings>(path)|};
                    return settings;
                }
            }
            """,
            FixedHeader + """
            static class Json
            {
                public static T? FromFile<T>(string file) => JsonSerializer.Deserialize<T>(File.ReadAllText(file));
            }

            class Store
            {
                Settings? Load(string path)
                {
                    Settings settings;
                    try
                    {
                        settings = Json.FromFile<Settings>(path);
                    }
                    catch (JsonException ex)
                    {
                        throw CheckpointFile.QuarantineCorrupt(path, ex);
                    }
                    return settings;
                }
            }
            """).RunAsync();
    }

    [Fact]
    public async Task A_project_loader_that_takes_a_FileInfo_quarantines_its_full_name()
    {
        // As OpenTabletDriver's Serialization.Deserialize<T>(FileInfo): the helper takes the file's name.
        await HandleTest(
            Header + """
            static class Json
            {
                public static T? FromFile<T>(FileInfo file) => JsonSerializer.Deserialize<T>(File.ReadAllText(file.FullName));
            }

            class Store
            {
                Settings? Load(FileInfo file) => {|CKPT301:Json.FromFile<Settings>(file)|};
            }
            """,
            FixedHeader + """
            static class Json
            {
                public static T? FromFile<T>(FileInfo file) => JsonSerializer.Deserialize<T>(File.ReadAllText(file.FullName));
            }

            class Store
            {
                Settings? Load(FileInfo file)
                {
                    try
                    {
                        return Json.FromFile<Settings>(file);
                    }
                    catch (JsonException ex)
                    {
                        throw CheckpointFile.QuarantineCorrupt(file.FullName, ex);
                    }
                }
            }
            """).RunAsync();
    }

    [Fact]
    public async Task Not_offered_around_a_using_that_yields_parses_another_file_or_reads_later()
    {
        var source = Header + """
            class Themes
            {
                System.Collections.Generic.IEnumerable<string> Names(string path)
                {
                    using var reader = {|CKPT301:System.Xml.XmlReader.Create(path)|};
                    while (reader.Read()) yield return reader.Name;
                }

                string Both(string path, string other)
                {
                    using var reader = {|CKPT301:System.Xml.XmlReader.Create(path)|};
                    reader.Read();
                    if ({|CKPT301:System.Xml.Linq.XDocument.Load(other)|}.Root is null) return "";
                    return reader.Value;
                }

                string Later(string path)
                {
                    var reader = {|CKPT301:System.Xml.XmlReader.Create(path)|};
                    reader.Read();
                    return reader.Value;
                }
            }
            """;
        var test = HandleTest(source, source);
        test.FixedState.MarkupHandling = MarkupMode.Allow;
        await test.RunAsync();
    }
}
