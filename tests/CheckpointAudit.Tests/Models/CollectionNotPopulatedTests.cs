using CheckpointAudit.CodeFixes.Models;
using CheckpointAudit.Models;
using CheckpointAudit.Tests.Infrastructure;
using Microsoft.CodeAnalysis.Testing;
using Xunit;

namespace CheckpointAudit.Tests.Models;

public class CollectionNotPopulatedTests
{
    private static string Program(string models, string body = SaveAndLoadHistory) => StoreProgram.Of(models, body, "System.Text.Json.Serialization");

    private const string SaveAndLoadHistory = """
            void Save(string path, History history) => File.WriteAllText(path, JsonSerializer.Serialize(history));
            History? Load(string path) => JsonSerializer.Deserialize<History>(File.ReadAllText(path));
        """;

    private const string LossyModel = """
        using System.Collections.Generic;
        public class History
        {
            public List<string> Recent { get; } = new();
            public Dictionary<string, int> Counts { get; } = new();
            public string Name { get; set; } = "";
        }
        """;

    [Fact]
    public async Task Flags_get_only_collections_of_models_System_Text_Json_stores()
    {
        await Verify.AnalyzerAsync<CollectionNotPopulatedCheck>(Program("""
            public class History
            {
                public List<string> {|CKPT804:Recent|} { get; } = new();
                public Dictionary<string, int> {|CKPT804:Counts|} { get; } = new();
                public IReadOnlyList<Entry> {|CKPT804:Entries|} { get; } = new List<Entry>();
                public string Name { get; set; } = "";
            }
            public class Entry { public HashSet<int> {|CKPT804:Tags|} { get; } = new(); }
            """));
    }

    [Fact]
    public async Task Quiet_when_the_collection_is_set_populated_or_not_stored_by_System_Text_Json()
    {
        await Verify.AnalyzerAsync<CollectionNotPopulatedCheck>(Program("""
            public class History
            {
                public List<string> Recent { get; set; } = new();
                public List<string> Pinned { get; init; } = new();
                [JsonObjectCreationHandling(JsonObjectCreationHandling.Populate)] public List<string> Starred { get; } = new();
                public int[] Sizes { get; } = new int[3];                 // arrays cannot be populated: CKPT801's subject
                public IEnumerable<string> Names => Recent;               // computed
                [JsonIgnore] public List<string> Scratch { get; } = new();
            }
            [JsonObjectCreationHandling(JsonObjectCreationHandling.Populate)]
            public class Folder { public List<string> Files { get; } = new(); }
            public class Built
            {
                public Built(List<string> items) { Items = items; }
                public List<string> Items { get; }
            }
            public class Request { public List<string> Items { get; } = new(); }
            """, """
                void Save(string path, History history, Folder folder, Built built)
                {
                    File.WriteAllText(path, JsonSerializer.Serialize(history));
                    File.WriteAllText(path + ".f", JsonSerializer.Serialize(folder));
                    File.WriteAllText(path + ".b", JsonSerializer.Serialize(built));
                }

                Request? FromBody(string body) => JsonSerializer.Deserialize<Request>(body);
            """));
    }

    [Fact]
    public async Task Quiet_when_the_project_populates_everywhere_or_stores_with_Newtonsoft()
    {
        await Verify.AnalyzerAsync<CollectionNotPopulatedCheck>(Program("""
            public class History { public List<string> Recent { get; } = new(); }
            """, """
                static readonly JsonSerializerOptions Options = new() { PreferredObjectCreationHandling = JsonObjectCreationHandling.Populate };
                void Save(string path, History history) => File.WriteAllText(path, JsonSerializer.Serialize(history, Options));
            """));

        var newtonsoft = Verify.AnalyzerTest<CollectionNotPopulatedCheck>(Program("""
            public class History { public List<string> Recent { get; } = new(); }
            """, """
                void Save(string path, History history) => File.WriteAllText(path, Newtonsoft.Json.JsonConvert.SerializeObject(history));
            """));
        newtonsoft.TestState.AdditionalReferences.AddRange(TestReferences.Newtonsoft);
        await newtonsoft.RunAsync();
    }

    [Fact]
    public void Evidence_System_Text_Json_drops_the_items_of_a_get_only_collection_and_populates_it_after_the_fix()
    {
        Assert.Equal(["Counts", "Recent"], RoundTrip.LostMembers(LossyModel, "History", JsonLibrary.SystemTextJson));
        Assert.Empty(RoundTrip.LostMembers(LossyModel, "History", JsonLibrary.Newtonsoft)); // Newtonsoft adds to the existing collection

        var populated = LossyModel.Replace("public List<string> Recent", "[System.Text.Json.Serialization.JsonObjectCreationHandling(System.Text.Json.Serialization.JsonObjectCreationHandling.Populate)] public List<string> Recent")
            .Replace("public Dictionary<string, int> Counts", "[System.Text.Json.Serialization.JsonObjectCreationHandling(System.Text.Json.Serialization.JsonObjectCreationHandling.Populate)] public Dictionary<string, int> Counts");
        Assert.Empty(RoundTrip.LostMembers(populated, "History", JsonLibrary.SystemTextJson));
    }

    [Fact]
    public async Task Fix_populates_mutable_collections_and_gives_read_only_ones_init_one_at_a_time_and_with_fix_all()
    {
        var test = Verify.CodeFix<CollectionNotPopulatedCheck, PopulateOnLoadCodeFixProvider>(
            Program("""
                public class History
                {
                    public List<string> {|CKPT804:Recent|} { get; } = new();
                    // Per-name totals.
                    public Dictionary<string, int> {|CKPT804:Counts|} { get; } = new();
                    public IReadOnlyList<string> {|CKPT804:Names|} { get; } = new List<string>();
                }
                """),
            Program("""
                public class History
                {
                    [JsonObjectCreationHandling(JsonObjectCreationHandling.Populate)]
                    public List<string> Recent { get; } = new();
                    // Per-name totals.
                    [JsonObjectCreationHandling(JsonObjectCreationHandling.Populate)]
                    public Dictionary<string, int> Counts { get; } = new();
                    public IReadOnlyList<string> Names { get; init; } = new List<string>();
                }
                """),
            withHelper: false);
        test.CodeFixTestBehaviors |= CodeFixTestBehaviors.SkipLocalDiagnosticCheck;
        test.NumberOfIncrementalIterations = 3;
        test.NumberOfFixAllIterations = 1;
        await test.RunAsync();
    }

    [Fact]
    public async Task A_model_of_a_referenced_project_is_reported_at_the_serializer_call()
    {
        var test = Verify.AnalyzerTest<CollectionNotPopulatedCheck>(Program(string.Empty, """
                void Save(string path, Models.History history) => File.WriteAllText(path, {|#0:JsonSerializer.Serialize(history)|});
            """));
        Verify.WithModelsProject(test, """
            using System.Collections.Generic;

            namespace Models;

            public class History { public List<string> Recent { get; } = new(); }
            """);
        test.ExpectedDiagnostics.Add(new DiagnosticResult("CKPT804", Microsoft.CodeAnalysis.DiagnosticSeverity.Warning).WithLocation(0).WithArguments("History", "Recent"));
        await test.RunAsync();
    }
}
