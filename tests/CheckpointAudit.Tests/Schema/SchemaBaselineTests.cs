using CheckpointAudit.CodeFixes.Schema;
using CheckpointAudit.Schema;
using CheckpointAudit.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using Xunit;

namespace CheckpointAudit.Tests.Schema;

public class SchemaBaselineTests
{
    private const string Store = """
        class Store
        {
            void Save(string path, Settings settings) => System.IO.File.WriteAllText(path, System.Text.Json.JsonSerializer.Serialize(settings));
        }
        """;

    [Fact]
    public async Task Off_until_the_project_adds_a_baseline_file()
    {
        await Verify.AnalyzerAsync<SchemaBaselineCheck>("public class Settings { public int SchemaVersion { get; set; } public string Theme { get; set; } = \"\"; }\n" + Store);
    }

    [Fact]
    public async Task Shipped_members_renamed_retyped_or_removed_are_breaking_and_new_members_are_noted()
    {
        var test = Verify.AnalyzerTest<SchemaBaselineCheck>("""
            using System.Text.Json.Serialization;

            public class Settings
            {
                public int SchemaVersion { get; set; }
                [JsonPropertyName("theme_name")] public string {|#0:Theme|} { get; set; } = "";
                public long {|#1:Columns|} { get; set; }
                public Window Window { get; set; } = new();
                [JsonPropertyName("recent")] public string[] RecentFiles { get; set; } = [];
                public string {|#2:Added|} { get; set; } = "";
            }

            public class Window { public int Width { get; set; } }
            """ + "\n" + Store);
        test.TestState.AdditionalFiles.Add(("/0/CheckpointSchema.Shipped.txt", """
            # Persisted members of released builds.
            Settings.SchemaVersion : SchemaVersion : int
            Settings.Theme : theme : string
            Settings.Columns : Columns : int
            Settings.Window : Window : Window
            Window.Width : Width : int
            Settings.Recent : recent : string[]
            {|#3:Settings.Removed : Removed : string|}
            """));
        test.TestState.AdditionalFiles.Add(("/0/CheckpointSchema.Unshipped.txt", ""));
        var rule = CheckpointAudit.Catalog.RuleCatalog.SchemaBaselineChange.Descriptor;
        test.ExpectedDiagnostics.Add(new DiagnosticResult(rule).WithLocation(0)
            .WithArguments("'Settings.Theme' is stored as 'theme_name' but shipped as 'theme': data written by released builds loses this value on load; keep the shipped name or read both"));
        test.ExpectedDiagnostics.Add(new DiagnosticResult(rule).WithLocation(1)
            .WithArguments("'Settings.Columns' is now 'long' but shipped as 'int': data written by released builds may fail to load or load wrong; migrate it or keep the shipped type"));
        test.ExpectedDiagnostics.Add(new DiagnosticResult(rule).WithLocation(2).WithSeverity(DiagnosticSeverity.Info)
            .WithArguments("Persisted member 'Settings.Added' is not in the schema baseline: add it to CheckpointSchema.Unshipped.txt so that later changes to it are caught"));
        test.ExpectedDiagnostics.Add(new DiagnosticResult(rule).WithLocation(3)
            .WithArguments("Shipped persisted member 'Settings.Removed' (stored as 'Removed') no longer exists: its value in data written by released builds is dropped on load; keep a member with that serialized name or migrate it, then update the baseline"));
        await test.RunAsync();
    }

    [Fact]
    public async Task Fix_appends_missing_members_to_the_unshipped_file()
    {
        var source = """
            public class Settings
            {
                public int {|CKPT106:SchemaVersion|} { get; set; }
                public string {|CKPT106:Theme|} { get; set; } = "";
                public System.Collections.Generic.List<string> Recent { get; set; } = new();
            }
            """ + "\n" + Store;
        var test = Verify.CodeFix<SchemaBaselineCheck, AddToSchemaBaselineCodeFixProvider>(source, source.Replace("{|CKPT106:", "").Replace("|}", ""));
        test.TestState.AdditionalFiles.Add(("/0/CheckpointSchema.Shipped.txt", ""));
        test.TestState.AdditionalFiles.Add(("/0/CheckpointSchema.Unshipped.txt", "Settings.Recent : Recent : System.Collections.Generic.List<string>\n"));
        test.FixedState.AdditionalFiles.Add(("/0/CheckpointSchema.Shipped.txt", ""));
        test.FixedState.AdditionalFiles.Add(("/0/CheckpointSchema.Unshipped.txt", """
            Settings.Recent : Recent : System.Collections.Generic.List<string>
            Settings.SchemaVersion : SchemaVersion : int
            Settings.Theme : Theme : string

            """));
        test.CodeFixTestBehaviors |= CodeFixTestBehaviors.SkipLocalDiagnosticCheck;
        test.NumberOfIncrementalIterations = 2;
        test.NumberOfFixAllIterations = 1;
        await test.RunAsync();
    }
}
