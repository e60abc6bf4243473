using CheckpointAudit.CodeFixes.Models;
using CheckpointAudit.Models;
using CheckpointAudit.Tests.Infrastructure;
using Microsoft.CodeAnalysis.Testing;
using Xunit;

namespace CheckpointAudit.Tests.Models;

public class NeverRestoredTests
{
    private static string Program(string models, string body) => StoreProgram.Of(models, body, "System.Text.Json.Serialization");

    private const string SaveAndLoadSettings = """
            void Save(string path, Settings settings) => File.WriteAllText(path, JsonSerializer.Serialize(settings));
            Settings? Load(string path) => JsonSerializer.Deserialize<Settings>(File.ReadAllText(path));
        """;

    // The flagged model, as the evidence test runs it (no markup).
    private const string LossyModel = """
        public class Settings
        {
            public Settings() { }
            public Settings(string theme) { Theme = theme; }
            public string Theme { get; } = "light";
            public int Columns { get; private set; }
            public int Rows { get; protected set; }
            public Window Window { get; set; } = new();
        }
        public class Window { public int Width { get; internal set; } }
        """;

    [Fact]
    public async Task Flags_members_the_serializer_writes_but_cannot_set()
    {
        await Verify.AnalyzerAsync<NeverRestoredCheck>(Program("""
            public class Settings
            {
                public Settings() { }
                public Settings(string theme) { Theme = theme; }
                public string {|CKPT801:Theme|} { get; } = "light";
                public int {|CKPT801:Columns|} { get; private set; }
                public int {|CKPT801:Rows|} { get; protected set; }
                public Window Window { get; set; } = new();
            }
            public class Window { public int {|CKPT801:Width|} { get; internal set; } }
            """, SaveAndLoadSettings));
    }

    [Fact]
    public async Task The_message_names_the_serializer_and_the_reason()
    {
        var test = Verify.AnalyzerTest<NeverRestoredCheck>(Program("public class Settings { public int Columns { get; private set; } }", SaveAndLoadSettings));
        test.ExpectedDiagnostics.Add(new DiagnosticResult("CKPT801", Microsoft.CodeAnalysis.DiagnosticSeverity.Warning)
            .WithSpan(8, 36, 8, 43)
            .WithArguments("Settings", "Columns", "System.Text.Json", "its setter is private, and System.Text.Json sets only public setters unless the property has [JsonInclude]"));
        await test.RunAsync();
    }

    [Fact]
    public async Task Newtonsoft_models_are_judged_by_Newtonsoft()
    {
        var test = Verify.AnalyzerTest<NeverRestoredCheck>(StoreProgram.Of("""
            public class Settings
            {
                public int {|CKPT801:Columns|} { get; private set; }
                [JsonProperty] public int Rows { get; private set; }
                [System.Text.Json.Serialization.JsonInclude] public int {|CKPT801:Width|} { get; private set; }
                public List<string> Recent { get; } = new();
            }
            """, """
                void Save(string path, Settings settings) => File.WriteAllText(path, JsonConvert.SerializeObject(settings));
            """, "Newtonsoft.Json"));
        test.TestState.AdditionalReferences.AddRange(TestReferences.Newtonsoft);
        await test.RunAsync();
    }

    [Fact]
    public async Task Quiet_for_members_that_come_back_and_for_data_that_is_not_stored()
    {
        await Verify.AnalyzerAsync<NeverRestoredCheck>(Program("""
            public class Settings
            {
                public string Theme { get; set; } = "";
                public int Columns { get; init; }
                [JsonInclude] public int Rows { get; private set; }
                public int Total => Rows * Columns;                       // computed: derived data
                public string Label { get { return Theme + Columns; } }   // computed too
                public List<string> Recent { get; } = new();              // a get-only collection is CKPT804's
                [JsonIgnore] public int Cache { get; private set; }
                private int Hidden { get; set; }
            }
            public class Position
            {
                public Position(int x, int y) { X = x; Y = y; }
                public int X { get; }
                public int Y { get; }
            }
            public record Size(int Width, int Height);
            public class Marked
            {
                public Marked() { }
                [JsonConstructor] public Marked(int id) { Id = id; }
                public int Id { get; }
            }
            public class Request { public int Id { get; private set; } }
            """, """
                void Save(string path, Settings settings, Position position, Size size, Marked marked)
                {
                    File.WriteAllText(path, JsonSerializer.Serialize(settings));
                    File.WriteAllText(path + ".p", JsonSerializer.Serialize(position));
                    File.WriteAllText(path + ".s", JsonSerializer.Serialize(size));
                    File.WriteAllText(path + ".m", JsonSerializer.Serialize(marked));
                }

                Request? FromBody(string body) => JsonSerializer.Deserialize<Request>(body);
            """));
    }

    [Fact]
    public async Task Quiet_for_non_public_setters_when_the_project_customizes_the_contract()
    {
        // Projects that bring their own contract resolver usually do so to make private setters writable.
        var newtonsoft = Verify.AnalyzerTest<NeverRestoredCheck>(Program("""
            public class Settings { public int Columns { get; private set; } }
            sealed class PrivateSetters : Newtonsoft.Json.Serialization.DefaultContractResolver { }
            """, """
                void Save(string path, Settings settings) => File.WriteAllText(path, Newtonsoft.Json.JsonConvert.SerializeObject(settings));
            """));
        newtonsoft.TestState.AdditionalReferences.AddRange(TestReferences.Newtonsoft);
        await newtonsoft.RunAsync();

        await Verify.AnalyzerAsync<NeverRestoredCheck>(Program("""
            public class Settings { public int Columns { get; private set; } }
            """, """
                static readonly JsonSerializerOptions Options = new() { TypeInfoResolver = new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver { Modifiers = { _ => { } } } };
                void Save(string path, Settings settings) => File.WriteAllText(path, JsonSerializer.Serialize(settings, Options));
            """));
    }

    [Fact]
    public void Evidence_the_flagged_members_do_not_survive_a_round_trip_and_the_fixed_ones_do()
    {
        Assert.Equal(["Columns", "Rows", "Theme"], RoundTrip.LostMembers(LossyModel, "Settings", JsonLibrary.SystemTextJson));
        Assert.Equal(["Columns", "Rows", "Theme"], RoundTrip.LostMembers(LossyModel, "Settings", JsonLibrary.Newtonsoft));
        Assert.Equal(["Width"], RoundTrip.LostMembers(LossyModel, "Window", JsonLibrary.SystemTextJson));

        var fixedForSystemTextJson = LossyModel
            .Replace("public string Theme { get; } = \"light\";", "public string Theme { get; init; } = \"light\";")
            .Replace("public int Columns { get; private set; }", "[System.Text.Json.Serialization.JsonInclude] public int Columns { get; private set; }")
            .Replace("public int Rows { get; protected set; }", "[System.Text.Json.Serialization.JsonInclude] public int Rows { get; protected set; }");
        Assert.Empty(RoundTrip.LostMembers(fixedForSystemTextJson, "Settings", JsonLibrary.SystemTextJson));
        Assert.Equal(["Columns", "Rows"], RoundTrip.LostMembers(fixedForSystemTextJson, "Settings", JsonLibrary.Newtonsoft)); // the other library's attribute does nothing

        var fixedForNewtonsoft = fixedForSystemTextJson.Replace("System.Text.Json.Serialization.JsonInclude", "Newtonsoft.Json.JsonProperty");
        Assert.Empty(RoundTrip.LostMembers(fixedForNewtonsoft, "Settings", JsonLibrary.Newtonsoft));
    }

    [Fact]
    public async Task Fix_adds_init_or_the_persisting_serializers_attribute_one_at_a_time_and_with_fix_all()
    {
        var test = Verify.CodeFix<NeverRestoredCheck, MakeSettableOnLoadCodeFixProvider>(
            Program("""
                public class Settings
                {
                    public Settings() { }
                    public Settings(string theme) { Theme = theme; }
                    public string {|CKPT801:Theme|} { get; } = "light";
                    public int {|CKPT801:Columns|} { get; private set; }
                    // Set by Resize only.
                    public int {|CKPT801:Rows|} { get; protected set; }
                    [JsonPropertyName("w")] public int {|CKPT801:Width|} { get; internal set; }
                }
                """, SaveAndLoadSettings),
            Program("""
                public class Settings
                {
                    public Settings() { }
                    public Settings(string theme) { Theme = theme; }
                    public string Theme { get; init; } = "light";
                    [JsonInclude]
                    public int Columns { get; private set; }
                    // Set by Resize only.
                    [JsonInclude]
                    public int Rows { get; protected set; }
                    [JsonPropertyName("w")]
                    [JsonInclude]
                    public int Width { get; internal set; }
                }
                """, SaveAndLoadSettings),
            withHelper: false);
        test.CodeFixTestBehaviors |= CodeFixTestBehaviors.SkipLocalDiagnosticCheck;
        test.NumberOfIncrementalIterations = 4;
        test.NumberOfFixAllIterations = 1;
        await test.RunAsync();
    }

    [Fact]
    public async Task Fix_for_a_Newtonsoft_model_adds_JsonProperty_and_its_using()
    {
        var test = Verify.CodeFix<NeverRestoredCheck, MakeSettableOnLoadCodeFixProvider>(
            """
            using System.IO;

            public class Settings
            {
                public int {|CKPT801:Columns|} { get; private set; }
            }

            class Store
            {
                void Save(string path, Settings settings) => File.WriteAllText(path, Newtonsoft.Json.JsonConvert.SerializeObject(settings));
            }
            """,
            """
            using System.IO;
            using Newtonsoft.Json;

            public class Settings
            {
                [JsonProperty]
                public int Columns { get; private set; }
            }

            class Store
            {
                void Save(string path, Settings settings) => File.WriteAllText(path, Newtonsoft.Json.JsonConvert.SerializeObject(settings));
            }
            """,
            withHelper: false);
        test.TestState.AdditionalReferences.AddRange(TestReferences.Newtonsoft);
        test.CodeFixTestBehaviors |= CodeFixTestBehaviors.SkipLocalDiagnosticCheck;
        await test.RunAsync();
    }

    [Fact]
    public async Task A_model_of_a_referenced_project_is_reported_at_the_serializer_call()
    {
        // Its properties are declared in the referenced project's compilation: reported where this project stores the
        // model (a type it reaches too), naming the property, once per property.
        var test = Verify.AnalyzerTest<NeverRestoredCheck>(Program("public class Local { public Models.Window Window { get; set; } = new(); }", """
                void Save(string path, Models.Settings settings) => File.WriteAllText(path, {|#0:JsonSerializer.Serialize(settings)|});
                Models.Settings? Load(string path) => JsonSerializer.Deserialize<Models.Settings>(File.ReadAllText(path));
                void Save(string path, Local local) => File.WriteAllText(path, {|#1:JsonSerializer.Serialize(local)|});
            """));
        Verify.WithModelsProject(test, """
            namespace Models;

            public class Settings { public int Columns { get; private set; } }
            public class Window { public int Width { get; internal set; } }
            """);
        test.ExpectedDiagnostics.Add(new DiagnosticResult("CKPT801", Microsoft.CodeAnalysis.DiagnosticSeverity.Warning).WithLocation(0)
            .WithArguments("Settings", "Columns", "System.Text.Json", "its setter is private, and System.Text.Json sets only public setters unless the property has [JsonInclude]"));
        test.ExpectedDiagnostics.Add(new DiagnosticResult("CKPT801", Microsoft.CodeAnalysis.DiagnosticSeverity.Warning).WithLocation(1)
            .WithArguments("Window", "Width", "System.Text.Json", "its setter is internal, and System.Text.Json sets only public setters unless the property has [JsonInclude]"));
        await test.RunAsync();
    }

    [Fact]
    public async Task A_member_of_a_referenced_project_is_made_settable_where_it_is_declared()
    {
        // Reported at the call in this project, naming the member by documentation ID: the fix edits the referenced project.
        var source = Program(string.Empty, """
                void Save(string path, Models.Settings settings) => File.WriteAllText(path, {|CKPT801:JsonSerializer.Serialize(settings)|});
                Models.Settings? Load(string path) => JsonSerializer.Deserialize<Models.Settings>(File.ReadAllText(path));
            """);
        var test = Verify.CodeFix<NeverRestoredCheck, MakeSettableOnLoadCodeFixProvider>(source, source.Replace("{|CKPT801:", string.Empty).Replace("|}", string.Empty), withHelper: false);
        Verify.WithModelsProject(test, """
            namespace Models;

            public class Settings
            {
                public int Columns { get; private set; }
            }
            """);
        var models = test.FixedState.AdditionalProjects[Verify.ModelsProject];
        models.AdditionalReferences.AddRange(TestReferences.Net80);
        models.Sources.Add("""
            using System.Text.Json.Serialization;

            namespace Models;

            public class Settings
            {
                [JsonInclude]
                public int Columns { get; private set; }
            }
            """);
        test.FixedState.AdditionalProjectReferences.Add(Verify.ModelsProject);
        test.CodeFixTestBehaviors |= CodeFixTestBehaviors.SkipLocalDiagnosticCheck;
        // This project's files do not change: one Fix All pass edits the other project.
        test.NumberOfFixAllIterations = 1;
        await test.RunAsync();
    }

    [Fact]
    public async Task No_fix_for_a_member_of_a_referenced_project_that_cannot_name_the_attribute()
    {
        // The referenced project has no Newtonsoft.Json: [JsonProperty] could not be written there.
        var source = """
            using System.IO;

            class Store
            {
                void Save(string path, Models.Settings settings) => File.WriteAllText(path, {|CKPT801:Newtonsoft.Json.JsonConvert.SerializeObject(settings)|});
            }
            """;
        var test = Verify.CodeFix<NeverRestoredCheck, MakeSettableOnLoadCodeFixProvider>(source, source, withHelper: false);
        test.TestState.AdditionalReferences.AddRange(TestReferences.Newtonsoft);
        Verify.WithModelsProject(test, "namespace Models; public class Settings { public int Columns { get; private set; } }");
        test.CodeFixTestBehaviors |= CodeFixTestBehaviors.SkipLocalDiagnosticCheck;
        test.FixedState.MarkupHandling = MarkupMode.Allow;
        await test.RunAsync();
    }
}
