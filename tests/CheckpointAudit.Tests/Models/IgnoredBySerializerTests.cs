using CheckpointAudit.CodeFixes.Models;
using CheckpointAudit.Models;
using CheckpointAudit.Tests.Infrastructure;
using Microsoft.CodeAnalysis.Testing;
using Xunit;

namespace CheckpointAudit.Tests.Models;

public class IgnoredBySerializerTests
{
    private static string Program(string models, string body) => StoreProgram.Of(models, body, "System.Text.Json.Serialization");

    private const string SaveWithSystemTextJson = """
            void Save(string path, Settings settings) => File.WriteAllText(path, JsonSerializer.Serialize(settings));
        """;

    private const string SaveWithNewtonsoft = """
            void Save(string path, Settings settings) => File.WriteAllText(path, Newtonsoft.Json.JsonConvert.SerializeObject(settings));
        """;

    private static async Task VerifyAsync(string source)
    {
        var test = Verify.AnalyzerTest<IgnoredBySerializerCheck>(source);
        test.TestState.AdditionalReferences.AddRange(TestReferences.Newtonsoft);
        await test.RunAsync();
    }

    [Fact]
    public async Task Flags_fields_and_the_other_librarys_attributes_on_System_Text_Json_models()
    {
        await VerifyAsync(Program("""
            public class Settings
            {
                public int {|CKPT803:Columns|};
                [Newtonsoft.Json.JsonProperty("theme_name")] public string {|CKPT803:Theme|} { get; set; } = "";
                [Newtonsoft.Json.JsonIgnore] public string {|CKPT803:Password|} { get; set; } = "";
                [Newtonsoft.Json.JsonProperty] private int {|CKPT803:revision|};
                public Window Window { get; set; } = new();
            }
            public class Window { public int {|CKPT803:Width|}; }
            """, SaveWithSystemTextJson));
    }

    [Fact]
    public async Task Flags_System_Text_Json_attributes_on_Newtonsoft_models()
    {
        await VerifyAsync(Program("""
            public class Settings
            {
                [JsonPropertyName("theme_name")] public string {|CKPT803:Theme|} { get; set; } = "";
                [JsonIgnore] public string {|CKPT803:Password|} { get; set; } = "";
                [JsonInclude] private int {|CKPT803:Revision|} { get; set; }
                public int Columns;                                   // Newtonsoft.Json writes public fields
            }
            """, SaveWithNewtonsoft));
    }

    [Fact]
    public async Task Quiet_when_each_library_gets_its_own_attribute_or_the_data_is_not_stored()
    {
        await VerifyAsync(Program("""
            public class Settings
            {
                [JsonInclude] public int Columns;
                [Newtonsoft.Json.JsonProperty("theme"), JsonPropertyName("theme")] public string Theme { get; set; } = "";
                [Newtonsoft.Json.JsonIgnore, JsonIgnore] public string Password { get; set; } = "";
                [Newtonsoft.Json.JsonProperty("Name")] public string Name { get; set; } = "";   // the same name either way
                public const int Version = 1;
                public static int Instances;
                public readonly int Seed = 3;
            }
            public class Request { public int Id; }
            """, """
                void Save(string path, Settings settings) => File.WriteAllText(path, JsonSerializer.Serialize(settings));
                Request? FromBody(string body) => JsonSerializer.Deserialize<Request>(body);
            """));

        await VerifyAsync(Program("""
            public class Settings { public int Columns; }
            """, """
                static readonly JsonSerializerOptions Options = new() { IncludeFields = true };
                void Save(string path, Settings settings) => File.WriteAllText(path, JsonSerializer.Serialize(settings, Options));
            """));
    }

    [Fact]
    public void Evidence_each_library_ignores_the_others_attributes_and_System_Text_Json_ignores_fields()
    {
        const string Model = """
            public class Settings
            {
                public int Columns;
                [Newtonsoft.Json.JsonIgnore] public string Password { get; set; } = "";
                public string Theme { get; set; } = "";
            }
            """;
        var systemTextJson = RoundTrip.Json(Model, "Settings", JsonLibrary.SystemTextJson);
        Assert.DoesNotContain("Columns", systemTextJson);   // the field is never written
        Assert.Contains("Password", systemTextJson);        // the other library's [JsonIgnore] does nothing

        var fixedModel = Model.Replace("public int Columns;", "[System.Text.Json.Serialization.JsonInclude] public int Columns;")
            .Replace("[Newtonsoft.Json.JsonIgnore] public", "[Newtonsoft.Json.JsonIgnore][System.Text.Json.Serialization.JsonIgnore] public");
        var afterFix = RoundTrip.Json(fixedModel, "Settings", JsonLibrary.SystemTextJson);
        Assert.Contains("Columns", afterFix);
        Assert.DoesNotContain("Password", afterFix);
        var newtonsoft = RoundTrip.Json(Model, "Settings", JsonLibrary.Newtonsoft);
        Assert.Contains("Columns", newtonsoft);             // Newtonsoft.Json writes public fields
        Assert.DoesNotContain("Password", newtonsoft);      // and honours its own [JsonIgnore]
    }

    [Fact]
    public async Task Fix_adds_the_attribute_the_serializer_reads_one_at_a_time_and_with_fix_all()
    {
        var test = Verify.CodeFix<IgnoredBySerializerCheck, UseSerializersAttributeCodeFixProvider>(
            Program("""
                public class Settings
                {
                    public int {|CKPT803:Columns|};
                    [Newtonsoft.Json.JsonIgnore] public string {|CKPT803:Password|} { get; set; } = "";
                    [Newtonsoft.Json.JsonProperty("theme_name")] public string {|CKPT803:Theme|} { get; set; } = "";
                }
                """, SaveWithSystemTextJson),
            Program("""
                public class Settings
                {
                    [JsonInclude]
                    public int Columns;
                    [Newtonsoft.Json.JsonIgnore]
                    [JsonIgnore]
                    public string Password { get; set; } = "";
                    [Newtonsoft.Json.JsonProperty("theme_name")] public string {|CKPT803:Theme|} { get; set; } = "";
                }
                """, SaveWithSystemTextJson),
            withHelper: false);
        test.TestState.AdditionalReferences.AddRange(TestReferences.Newtonsoft);
        test.FixedState.MarkupHandling = MarkupMode.Allow; // the renamed member has no automatic fix and stays reported
        test.CodeFixTestBehaviors |= CodeFixTestBehaviors.SkipLocalDiagnosticCheck;
        test.NumberOfIncrementalIterations = 2;
        test.NumberOfFixAllIterations = 1;
        await test.RunAsync();
    }
}
