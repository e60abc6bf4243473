using CheckpointAudit.Checks;
using CheckpointAudit.CodeFixes.Schema;
using CheckpointAudit.Knowledge;
using CheckpointAudit.Schema;
using CheckpointAudit.Tests.Infrastructure;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;
using Xunit;

namespace CheckpointAudit.Tests.Schema;

public class RequiredOnLoadTests
{
    private static string Program(string models, string body) => $$"""
        #nullable enable
        using System;
        using System.Collections.Generic;
        using System.IO;
        using System.Runtime.Serialization;
        using System.Text.Json;
        using System.Text.Json.Serialization;

        {{models}}

        class Store
        {
        {{body}}
        }
        """;

    [Fact]
    public async Task Flags_members_the_persisting_serializer_requires()
    {
        await Verify.AnalyzerAsync<RequiredOnLoadCheck>(Program("""
            public class Settings
            {
                public required string {|CKPT104:Theme|} { get; set; }
                [JsonRequired] public int {|CKPT104:Columns|} { get; set; }
                public Window Window { get; set; } = new() { Width = 1 };
                public string Optional { get; set; } = "";
            }
            public class Window { public required int {|CKPT104:Width|} { get; init; } }
            [DataContract] public class Job { [DataMember(IsRequired = true)] public string {|CKPT104:Id|} { get; set; } = ""; [DataMember] public int Step { get; set; } }
            """, """
                Settings? Load(string path) => JsonSerializer.Deserialize<Settings>(File.ReadAllText(path));

                void Save(string path, Job job)
                {
                    using var stream = File.Create(path);
                    new DataContractSerializer(typeof(Job)).WriteObject(stream, job);
                }
            """));
    }

    [Fact]
    public async Task A_model_the_project_only_loads_is_for_review()
    {
        // A signed licence the program reads and never writes: its required members are its issuer's format.
        var source = Program("""
            public class LicenseData { public required string LicenseId { get; set; } }
            public class Settings { public required string Theme { get; set; } }
            """, """
                LicenseData? License(string path) => JsonSerializer.Deserialize<LicenseData>(File.ReadAllText(path));
                Settings? Load(string path) => JsonSerializer.Deserialize<Settings>(File.ReadAllText(path));
                void Save(string path, Settings settings) => File.WriteAllText(path, JsonSerializer.Serialize(settings));
            """);
        var diagnostics = await ProbeCompilation.Of(source).WithAnalyzers([new SchemaAnalyzer()]).GetAnalyzerDiagnosticsAsync();
        var license = Assert.Single(diagnostics, d => d.Id == "CKPT104" && d.GetMessage().Contains("LicenseId"));
        Assert.Equal((DataHeld.Unclassified, "'LicenseData' is only loaded in this project, never saved: it may be another program's or a person's format rather than this program's state"), DataHeldDiagnostic.Read(license));
        var settings = Assert.Single(diagnostics, d => d.Id == "CKPT104" && d.GetMessage().Contains("Theme"));
        Assert.Equal((DataHeld.Unclassified, string.Empty), DataHeldDiagnostic.Read(settings));
    }

    [Fact]
    public async Task A_model_stored_only_in_a_cache_is_output()
    {
        // Similar-items entries cached per item and recomputed when a file does not load; the settings, also written to a
        // cache-named folder once, are read from the program's own path too, so they keep the rule's severity.
        var source = Program("""
            public class SimilarItems { public required string ProviderName { get; set; } }
            public class Settings { public required string Theme { get; set; } }
            """, """
                private readonly string _cacheFolder = "cache";

                string ItemPath(Guid id) => Path.Combine(_cacheFolder, id.ToString("N") + ".json");

                SimilarItems? Read(Guid id, bool fresh)
                {
                    string path;
                    if (fresh) { path = ItemPath(id); } else { path = Path.Combine(_cacheFolder, "last.json"); }
                    return JsonSerializer.Deserialize<SimilarItems>(File.ReadAllText(path));
                }

                void Write(Guid id, SimilarItems items)
                {
                    using var stream = File.Create(ItemPath(id));
                    JsonSerializer.Serialize(stream, items);
                }

                void Keep(Settings settings)
                {
                    using var stream = File.Create(Path.Combine(_cacheFolder, "settings.json"));
                    JsonSerializer.Serialize(stream, settings);
                }

                Settings? Load(string path) => JsonSerializer.Deserialize<Settings>(File.ReadAllText(path));
            """);
        var diagnostics = await ProbeCompilation.Of(source).WithAnalyzers([new SchemaAnalyzer()]).GetAnalyzerDiagnosticsAsync();
        var cached = Assert.Single(diagnostics, d => d.Id == "CKPT104" && d.GetMessage().Contains("ProviderName"));
        Assert.Equal((DataHeld.Output, "the path names a cache ('_cacheFolder')"), DataHeldDiagnostic.Read(cached));
        Assert.Equal(Microsoft.CodeAnalysis.DiagnosticSeverity.Hidden, cached.Severity);
        var settings = Assert.Single(diagnostics, d => d.Id == "CKPT104" && d.GetMessage().Contains("Theme"));
        Assert.Equal((DataHeld.Unclassified, string.Empty), DataHeldDiagnostic.Read(settings));
        Assert.Equal(Microsoft.CodeAnalysis.DiagnosticSeverity.Warning, settings.Severity);
    }

    [Fact]
    public async Task Quiet_for_markers_another_serializer_ignores_and_for_data_that_is_not_stored()
    {
        await Verify.AnalyzerAsync<RequiredOnLoadCheck>(Program("""
            // DataContractSerializer ignores the C# 'required' modifier and [JsonRequired].
            [DataContract] public class Job { [DataMember] public required string Id { get; set; } }
            public class Request { public required string Name { get; set; } }
            public class Settings { [JsonIgnore] public required string Runtime { get; set; } }
            """, """
                void Save(string path, Job job, Settings settings)
                {
                    using var stream = File.Create(path);
                    new DataContractSerializer(typeof(Job)).WriteObject(stream, job);
                    File.WriteAllText(path + ".json", JsonSerializer.Serialize(settings));
                }

                Request? FromBody(string body) => JsonSerializer.Deserialize<Request>(body);
            """));
    }

    [Fact]
    public async Task Newtonsoft_requirements_are_judged_for_Newtonsoft_models()
    {
        var test = Verify.AnalyzerTest<RequiredOnLoadCheck>(Program("""
            public class Settings
            {
                [Newtonsoft.Json.JsonProperty(Required = Newtonsoft.Json.Required.Always)] public string {|CKPT104:Theme|} { get; set; } = "";
                [Newtonsoft.Json.JsonProperty(Required = Newtonsoft.Json.Required.Default)] public string Other { get; set; } = "";
                public required string StjOnly { get; set; }
            }
            """, """
                Settings? Load(string path) => Newtonsoft.Json.JsonConvert.DeserializeObject<Settings>(File.ReadAllText(path));
            """));
        test.TestState.AdditionalReferences.AddRange(TestReferences.Newtonsoft);
        await test.RunAsync();
    }

    [Fact]
    public async Task Fix_removes_the_requirement_and_gives_a_default()
    {
        var test = Verify.CodeFix<RequiredOnLoadCheck, MakeOptionalCodeFixProvider>(
            Program("""
                public class Settings
                {
                    public required string {|CKPT104:Theme|} { get; set; }
                    public required List<string> {|CKPT104:Recent|} { get; set; }
                    public required int[] {|CKPT104:Sizes|} { get; set; }
                    [JsonRequired] public int {|CKPT104:Columns|} { get; set; }
                    [JsonRequired, JsonPropertyName("v")] public int {|CKPT104:Version|} { get; set; }
                }
                [DataContract] public class Job { [DataMember(IsRequired = true, Order = 1)] public string {|CKPT104:Id|} { get; set; } = ""; }
                """, """
                    Settings? Load(string path) => JsonSerializer.Deserialize<Settings>(File.ReadAllText(path));

                    void Save(string path, Job job)
                    {
                        using var stream = File.Create(path);
                        new DataContractSerializer(typeof(Job)).WriteObject(stream, job);
                    }
                """),
            Program("""
                public class Settings
                {
                    public string Theme { get; set; } = "";
                    public List<string> Recent { get; set; } = new();
                    public int[] Sizes { get; set; } = Array.Empty<int>();
                    public int Columns { get; set; }
                    [JsonPropertyName("v")] public int Version { get; set; }
                }
                [DataContract] public class Job { [DataMember(Order = 1)] public string Id { get; set; } = ""; }
                """, """
                    Settings? Load(string path) => JsonSerializer.Deserialize<Settings>(File.ReadAllText(path));

                    void Save(string path, Job job)
                    {
                        using var stream = File.Create(path);
                        new DataContractSerializer(typeof(Job)).WriteObject(stream, job);
                    }
                """));
        test.CodeFixTestBehaviors |= CodeFixTestBehaviors.SkipLocalDiagnosticCheck;
        test.NumberOfIncrementalIterations = 6;
        test.NumberOfFixAllIterations = 1;
        await test.RunAsync();
    }

    [Fact]
    public async Task A_model_of_a_referenced_project_is_reported_at_the_serializer_call()
    {
        var test = Verify.AnalyzerTest<RequiredOnLoadCheck>(Program(string.Empty, """
                Models.Job? Load(string path) => {|#0:JsonSerializer.Deserialize<Models.Job>(File.ReadAllText(path))|};
            """));
        Verify.WithModelsProject(test, """
            namespace Models;

            public class Job { public required string Id { get; set; } }
            """);
        test.ExpectedDiagnostics.Add(new DiagnosticResult("CKPT104", Microsoft.CodeAnalysis.DiagnosticSeverity.Warning).WithLocation(0).WithArguments("Job", "Id", "the 'required' modifier"));
        await test.RunAsync();
    }
}
