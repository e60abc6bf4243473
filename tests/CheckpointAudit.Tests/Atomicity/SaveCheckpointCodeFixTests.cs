using CheckpointAudit.Atomicity;
using CheckpointAudit.CodeFixes.Atomicity;
using CheckpointAudit.Tests.Infrastructure;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;
using Xunit;

namespace CheckpointAudit.Tests.Atomicity;

/// <summary>CKPT201's second fix: "Save as checksummed checkpoint (changes the file format)".</summary>
public class SaveCheckpointCodeFixTests
{
    private const string Header = """
        using System.IO;
        using System.Text.Json;

        public class Settings { public int SchemaVersion { get; set; } }

        """;

    private const string FixedHeader = """
        using System.IO;
        using System.Text.Json;
        using CheckpointAudit;

        public class Settings { public int SchemaVersion { get; set; } }

        """;

    private static CSharpCodeFixTest<Only<NonAtomicOverwriteCheck>, WriteAtomicallyCodeFixProvider, DefaultVerifier> SaveTest(string source, string fixedSource)
    {
        var test = Verify.CodeFix<NonAtomicOverwriteCheck, WriteAtomicallyCodeFixProvider>(source, fixedSource);
        // Selected by key: where the second action is not offered, nothing is applied.
        test.CodeActionEquivalenceKey = WriteAtomicallyCodeFixProvider.SaveCheckpointEquivalenceKey;
        return test;
    }

    [Fact]
    public async Task System_Text_Json_writes_become_Save_with_the_same_options_and_type()
    {
        await SaveTest(
            Header + """
            class Store
            {
                private static readonly JsonSerializerOptions Options = new() { WriteIndented = true };
                private readonly string _path = "settings.json";

                void A(Settings settings) => {|CKPT201:File.WriteAllText(_path, JsonSerializer.Serialize(settings))|};

                void B(Settings settings) => {|CKPT201:File.WriteAllText(_path, JsonSerializer.Serialize(settings, Options))|};

                void C(Settings settings) => {|CKPT201:File.WriteAllText(_path, JsonSerializer.Serialize<Settings>(settings, Options))|};

                void D(object settings) => {|CKPT201:File.WriteAllText(_path, JsonSerializer.Serialize<Settings>((Settings)settings))|};

                void E(Settings settings) => {|CKPT201:File.WriteAllText(_path, JsonSerializer.Serialize(settings, typeof(Settings), Options))|};
            }
            """,
            FixedHeader + """
            class Store
            {
                private static readonly JsonSerializerOptions Options = new() { WriteIndented = true };
                private readonly string _path = "settings.json";

                void A(Settings settings) => CheckpointFile.Save(_path, settings);

                void B(Settings settings) => CheckpointFile.Save(_path, settings, Options);

                void C(Settings settings) => CheckpointFile.Save(_path, settings, Options);

                void D(object settings) => CheckpointFile.Save(_path, (Settings)settings);

                void E(Settings settings) => CheckpointFile.Save(_path, settings, state => JsonSerializer.Serialize(state, typeof(Settings), Options));
            }
            """).RunAsync();
    }

    [Fact]
    public async Task A_serialization_into_the_local_just_before_moves_into_the_save()
    {
        await SaveTest(
            Header + """
            class Store
            {
                void Save(string path, Settings settings)
                {
                    // Persist the user's settings.
                    var json = JsonSerializer.Serialize(settings);
                    {|CKPT201:File.WriteAllText(path, json)|};
                }
            }
            """,
            FixedHeader + """
            class Store
            {
                void Save(string path, Settings settings)
                {
                    // Persist the user's settings.
                    CheckpointFile.Save(path, settings);
                }
            }
            """).RunAsync();
    }

    [Fact]
    public async Task Other_serializers_are_passed_as_the_serialize_delegate()
    {
        var test = SaveTest(
            """
            using System.IO;
            using Newtonsoft.Json;

            public class Settings { public int SchemaVersion { get; set; } }

            class Store
            {
                void A(string path, Settings settings) => {|CKPT201:File.WriteAllText(path, JsonConvert.SerializeObject(settings, Formatting.Indented))|};

                void B(string path, Settings state) => {|CKPT201:File.WriteAllText(path, JsonConvert.SerializeObject(state))|};
            }
            """,
            """
            using System.IO;
            using CheckpointAudit;
            using Newtonsoft.Json;

            public class Settings { public int SchemaVersion { get; set; } }

            class Store
            {
                void A(string path, Settings settings) => CheckpointFile.Save(path, settings, state => JsonConvert.SerializeObject(state, Formatting.Indented));

                void B(string path, Settings state) => CheckpointFile.Save(path, state, checkpoint => JsonConvert.SerializeObject(checkpoint));
            }
            """);
        test.TestState.AdditionalReferences.AddRange(TestReferences.Newtonsoft);
        await test.RunAsync();
    }

    [Fact]
    public async Task Offered_when_the_file_is_loaded_through_the_helper()
    {
        await SaveTest(
            FixedHeader + """
            class Store
            {
                private const string Path = "state.json";

                Settings Load() => CheckpointFile.Load<Settings>(Path);

                void Save(Settings settings) => {|CKPT201:File.WriteAllText(Path, JsonSerializer.Serialize(settings))|};
            }
            """,
            FixedHeader + """
            class Store
            {
                private const string Path = "state.json";

                Settings Load() => CheckpointFile.Load<Settings>(Path);

                void Save(Settings settings) => CheckpointFile.Save(Path, settings);
            }
            """).RunAsync();
    }

    [Theory]
    // Something in the file still reads the old format: the envelope would reach it instead of the data.
    [InlineData("Settings? Load(string p) => JsonSerializer.Deserialize<Settings>(File.ReadAllText(p));")]
    [InlineData("string Raw() => File.ReadAllText(_path);")]
    [InlineData("Stream Open() => new FileStream(_path, FileMode.Open);")]
    public async Task Not_offered_while_the_same_file_reads_the_old_format(string reader)
    {
        var source = Header + """
            class Store
            {
                private readonly string _path = "settings.json";

                READER

                void Save(Settings settings) => {|CKPT201:File.WriteAllText(_path, JsonSerializer.Serialize(settings))|};
            }
            """.Replace("READER", reader);
        var test = SaveTest(source, source);
        test.FixedState.MarkupHandling = MarkupMode.Allow;
        await test.RunAsync();
    }

    [Theory]
    [InlineData("File.WriteAllText(path, text)")] // not a serialization
    [InlineData("File.WriteAllText(path, JsonSerializer.Serialize(settings), System.Text.Encoding.Unicode)")] // the helper writes UTF-8
    [InlineData("File.WriteAllText(path, settings.ToString())")]
    public async Task Not_offered_for_other_writes(string write)
    {
        var source = Header + """
            class Store
            {
                void Save(string path, string text, Settings settings) => {|CKPT201:WRITE|};
            }
            """.Replace("WRITE", write);
        var test = SaveTest(source, source);
        test.FixedState.MarkupHandling = MarkupMode.Allow;
        await test.RunAsync();
    }

    [Fact]
    public async Task Not_offered_when_the_serialized_text_is_used_again()
    {
        var source = Header + """
            class Store
            {
                string Save(string path, Settings settings)
                {
                    var json = JsonSerializer.Serialize(settings);
                    {|CKPT201:File.WriteAllText(path, json)|};
                    return json;
                }
            }
            """;
        var test = SaveTest(source, source);
        test.FixedState.MarkupHandling = MarkupMode.Allow;
        await test.RunAsync();
    }

    [Fact]
    public async Task The_format_preserving_rewrite_stays_the_first_action()
    {
        await Verify.CodeFix<NonAtomicOverwriteCheck, WriteAtomicallyCodeFixProvider>(
            Header + """
            class Store
            {
                void Save(string path, Settings settings) => {|CKPT201:File.WriteAllText(path, JsonSerializer.Serialize(settings))|};
            }
            """,
            FixedHeader + """
            class Store
            {
                void Save(string path, Settings settings) => CheckpointFile.WriteAllText(path, JsonSerializer.Serialize(settings));
            }
            """).RunAsync();
    }

    [Fact]
    public async Task Fixes_one_by_one_and_all_in_document()
    {
        var test = SaveTest(
            Header + """
            class Store
            {
                void A(string path, Settings settings) => {|CKPT201:File.WriteAllText(path, JsonSerializer.Serialize(settings))|};

                void B(string path, Settings settings)
                {
                    var json = JsonSerializer.Serialize(settings);
                    {|CKPT201:File.WriteAllText(path + ".copy", json)|};
                }
            }
            """,
            FixedHeader + """
            class Store
            {
                void A(string path, Settings settings) => CheckpointFile.Save(path, settings);

                void B(string path, Settings settings)
                {
                    CheckpointFile.Save(path + ".copy", settings);
                }
            }
            """);
        test.NumberOfIncrementalIterations = 2;
        test.NumberOfFixAllIterations = 1;
        await test.RunAsync();
    }
}
