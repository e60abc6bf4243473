using CheckpointAudit.CodeFixes.Schema;
using CheckpointAudit.Schema;
using CheckpointAudit.Tests.Infrastructure;
using Microsoft.CodeAnalysis.Testing;
using Xunit;

namespace CheckpointAudit.Tests.Schema;

public class VersionStartsAtCurrentTests
{
    private static string Program(string models, string body) => $$"""
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
    public async Task Flags_version_members_that_start_at_a_current_version()
    {
        await Verify.AnalyzerAsync<VersionStartsAtCurrentCheck>(Program("""
            public class Literal { public int SchemaVersion { get; set; } = 3; }
            public class Named { public const int Latest = 2; public int Version { get; set; } = Latest; }
            public class Text { [JsonPropertyName("schema_version")] public string V = "1.0"; }
            """, """
                void Save(string path, Literal a, Named b, Text c)
                {
                    File.WriteAllText(path, {|CKPT103:JsonSerializer.Serialize(a)|});
                    File.WriteAllText(path, {|CKPT103:JsonSerializer.Serialize(b)|});
                    File.WriteAllText(path, {|CKPT103:JsonSerializer.Serialize(c)|});
                }

                Literal? Load(string path) => {|CKPT103:JsonSerializer.Deserialize<Literal>(File.ReadAllText(path))|};
            """));
    }

    [Fact]
    public async Task Quiet_for_versions_that_start_at_zero_or_are_not_persisted()
    {
        await Verify.AnalyzerAsync<VersionStartsAtCurrentCheck>(Program("""
            public class Zero { public int SchemaVersion { get; set; } = 0; }
            public class Unset { public int SchemaVersion { get; set; } }
            public class Empty { public string Version { get; set; } = ""; }
            [DataContract] public class Contract { [DataMember] public int SchemaVersion { get; set; } = 3; }
            public class Sent { public int SchemaVersion { get; set; } = 3; }
            """, """
                void Save(string path, Zero a, Unset b, Empty c, Contract d)
                {
                    File.WriteAllText(path, JsonSerializer.Serialize(a));
                    File.WriteAllText(path, JsonSerializer.Serialize(b));
                    File.WriteAllText(path, JsonSerializer.Serialize(c));
                    using var stream = File.Create(path);
                    // DataContractSerializer does not run initializers: missing data stays 0.
                    new DataContractSerializer(typeof(Contract)).WriteObject(stream, d);
                }

                string Send(Sent sent) => JsonSerializer.Serialize(sent);
            """));
    }

    [Fact]
    public async Task Fix_starts_at_zero_and_sets_the_old_value_on_save()
    {
        var test = Verify.CodeFix<VersionStartsAtCurrentCheck, StartVersionAtZeroCodeFixProvider>(
            Program("""
                public class Literal
                {
                    public int SchemaVersion { get; set; } = 3;
                }

                public class Named
                {
                    public const int Latest = 2;

                    public int Version = Latest;
                }
                """, """
                    void Save(string path, Literal a, Named b)
                    {
                        File.WriteAllText(path, {|CKPT103:JsonSerializer.Serialize(a)|});
                        File.WriteAllText(path, {|CKPT103:JsonSerializer.Serialize(b)|});
                    }
                """),
            Program("""
                public class Literal : IJsonOnSerializing
                {
                    /// <summary>The schema version this build writes. Raise it when the shape changes, and migrate older data on load.</summary>
                    public const int CurrentSchemaVersion = 3;

                    void IJsonOnSerializing.OnSerializing() => SchemaVersion = CurrentSchemaVersion;

                    public int SchemaVersion { get; set; }
                }

                public class Named : IJsonOnSerializing
                {
                    void IJsonOnSerializing.OnSerializing() => Version = Latest;

                    public const int Latest = 2;

                    public int Version;
                }
                """, """
                    void Save(string path, Literal a, Named b)
                    {
                        File.WriteAllText(path, JsonSerializer.Serialize(a));
                        File.WriteAllText(path, JsonSerializer.Serialize(b));
                    }
                """));
        test.NumberOfIncrementalIterations = 2;
        test.NumberOfFixAllIterations = 1;
        await test.RunAsync();
    }

    [Fact]
    public async Task Not_offered_for_init_only_or_read_only_members()
    {
        var source = Program("""
            public class InitOnly { public int SchemaVersion { get; init; } = 3; }
            public class ReadOnly { public readonly int Version = 3; }
            """, """
                void Save(string path, InitOnly a, ReadOnly b)
                {
                    File.WriteAllText(path, {|CKPT103:JsonSerializer.Serialize(a)|});
                    File.WriteAllText(path, {|CKPT103:JsonSerializer.Serialize(b)|});
                }
            """);
        var test = Verify.CodeFix<VersionStartsAtCurrentCheck, StartVersionAtZeroCodeFixProvider>(source, source);
        test.FixedState.MarkupHandling = MarkupMode.Allow;
        await test.RunAsync();
    }

    [Fact]
    public async Task A_model_of_a_referenced_project_is_judged_without_its_initializer_as_a_location()
    {
        // The initializer is bound in the referenced project's compilation; it is not an additional location here.
        var test = Verify.AnalyzerTest<VersionStartsAtCurrentCheck>(Program(string.Empty, """
                void Save(string path, Models.Settings settings) => File.WriteAllText(path, {|#0:JsonSerializer.Serialize(settings)|});
            """));
        Verify.WithModelsProject(test, """
            namespace Models;

            public class Settings { public const int Latest = 2; public int SchemaVersion { get; set; } = Latest; }
            """);
        test.ExpectedDiagnostics.Add(new DiagnosticResult("CKPT103", Microsoft.CodeAnalysis.DiagnosticSeverity.Warning).WithLocation(0).WithArguments("Settings", "SchemaVersion", "2"));
        await test.RunAsync();
    }
}
