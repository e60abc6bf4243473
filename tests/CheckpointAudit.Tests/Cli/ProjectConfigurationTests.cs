using Xunit;

namespace CheckpointAudit.Tests.Cli;

/// <summary>
/// A folder read as sources honours the project's own configuration as its build does: .editorconfig sections by path
/// (root = true stops the search), global configs, NoWarn, #pragma and [SuppressMessage]; what they turn off is listed
/// with what turned it off, and the checkpoint_audit.* options apply.
/// </summary>
public class ProjectConfigurationTests
{
    private static string Overwrite(string type, string file) => $$"""
        using System.IO;
        public class {{type}}
        {
            public void Save(string dataDirectory, string json) => File.WriteAllText(Path.Combine(dataDirectory, "{{file}}"), json);
        }
        """;

    [Fact]
    public async Task Rules_turned_off_by_the_projects_configuration_or_code_are_listed_apart_with_what_turned_them_off()
    {
        using var folder = new SourceFolder(
            ("App/App.csproj", SourceFolder.SdkProject),
            ("App/Store.cs", Overwrite("Store", "state.json")),
            ("App/Legacy/OldStore.cs", Overwrite("OldStore", "old.json")),
            ("App/Pragma.cs", """
                using System.IO;
                public class PragmaStore
                {
                    public void Save(string dataDirectory, string json)
                    {
                #pragma warning disable CKPT201 // the file is rewritten at every start
                        File.WriteAllText(Path.Combine(dataDirectory, "pragma.json"), json);
                #pragma warning restore CKPT201
                    }
                }
                """),
            ("App/Attributed.cs", """
                using System.Diagnostics.CodeAnalysis;
                using System.IO;
                public class AttributedStore
                {
                    [SuppressMessage("Reliability", "CKPT201", Justification = "a scratch file")]
                    public void Save(string dataDirectory, string json) => File.WriteAllText(Path.Combine(dataDirectory, "scratch.json"), json);
                }
                """),
            ("App/.editorconfig", """
                root = true
                [Legacy/**.cs]
                dotnet_diagnostic.CKPT201.severity = none
                """),
            // Above root = true: never read.
            (".editorconfig", """
                [*.cs]
                dotnet_diagnostic.CKPT201.severity = none
                """));

        var report = await CliRun.ReportAsync(folder.Root, "--no-fix-preview");

        var reported = Assert.Single(report.Findings, f => f.RuleId == "CKPT201");
        Assert.Equal("Store.Save", reported.Member);
        Assert.Equal(
            [
                "App/Attributed.cs:6 [SuppressMessage] on AttributedStore.Save",
                "App/Legacy/OldStore.cs:4 `App/.editorconfig`: dotnet_diagnostic.CKPT201.severity = none",
                "App/Pragma.cs:7 #pragma warning disable CKPT201",
            ],
            report.Suppressed.Where(s => s.RuleId == "CKPT201").Select(s => $"{s.File}:{s.Line} {s.SuppressedBy}"));

        var markdown = (await CliRun.RunAsync(folder.Root, "--no-fix-preview")).Stdout;
        Assert.Contains("3 sites suppressed by the project (listed at the end)", markdown);
        Assert.Contains("## Appendix: suppressed by the project", markdown);
        Assert.Contains("| CRITICAL | CKPT201 File overwritten in place | `App/Pragma.cs:7` | `PragmaStore.Save` | #pragma warning disable CKPT201 |", markdown);

        var sarif = System.Text.Json.Nodes.JsonNode.Parse((await CliRun.RunAsync(folder.Root, "--no-fix-preview", "--format", "sarif")).Stdout)!;
        var results = sarif["runs"]![0]!["results"]!.AsArray().Where(r => (string)r!["ruleId"]! == "CKPT201").ToList();
        Assert.Equal(4, results.Count);
        Assert.Equal(["external", "inSource", "inSource"], results.Where(r => r!["suppressions"] is not null).Select(r => (string)r!["suppressions"]![0]!["kind"]!).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task NoWarn_global_configs_and_bulk_severities_turn_rules_off_and_a_nearer_section_turns_one_back_on()
    {
        using var folder = new SourceFolder(
            ("Directory.Build.props", "<Project><PropertyGroup><NoWarn>$(NoWarn);CS1591</NoWarn><NoWarn Condition=\"'$(Configuration)' == 'Debug'\">$(NoWarn);CKPT301</NoWarn></PropertyGroup></Project>"),
            ("App/App.csproj", SourceFolder.SdkProject),
            ("App/Store.cs", Overwrite("Store", "state.json")),
            ("App/Kept/KeptStore.cs", Overwrite("KeptStore", "kept.json")),
            ("App/Reader.cs", """
                using System.IO;
                using System.Text.Json;
                public static class Reader
                {
                    public static Settings? Read(string path) => JsonSerializer.Deserialize<Settings>(File.ReadAllText(path));
                }
                public class Settings { public int SchemaVersion { get; set; } }
                """),
            ("App/ThumbnailCache.cs", """
                using System.IO;
                public class ThumbnailCache
                {
                    public void Put(string cacheDirectory, string key, byte[] png) => File.WriteAllBytes(Path.Combine(cacheDirectory, "thumbnails", key + ".png"), png);
                }
                """),
            (".globalconfig", """
                is_global = true
                dotnet_analyzer_diagnostic.category-CheckpointAudit.Atomicity.severity = none
                """),
            ("App/Kept/.editorconfig", """
                [*.cs]
                dotnet_diagnostic.CKPT201.severity = warning
                """));

        var report = await CliRun.ReportAsync(folder.Root, "--no-fix-preview");
        var reported = report.Findings.Concat(report.Suspicious).ToList();

        Assert.Equal("KeptStore.Save", Assert.Single(reported, f => f.RuleId == "CKPT201").Member);
        Assert.Equal(
            [
                "CKPT301 App/Reader.cs <NoWarn>CKPT301</NoWarn> in the project",
                "CKPT201 App/Store.cs `.globalconfig`: dotnet_analyzer_diagnostic.category-CheckpointAudit.Atomicity.severity = none",
            ],
            report.Suppressed.Select(s => $"{s.RuleId} {s.File} {s.SuppressedBy}"));
        // A bulk setting passes over rules that are off by default, as the compiler's does: the MONITOR site stays.
        Assert.Contains(reported, f => f.RuleId == "CKPT209");
    }

    [Fact]
    public async Task A_project_level_severity_wins_over_none_and_the_file_that_says_none_is_the_one_named()
    {
        using var folder = new SourceFolder(
            ("App/App.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup><TargetFramework>net10.0</TargetFramework><WarningsAsErrors>CKPT201</WarningsAsErrors></PropertyGroup></Project>"),
            ("App/Store.cs", Overwrite("Store", "state.json")),
            ("App/.editorconfig", "[*.cs]\ndotnet_diagnostic.CKPT201.severity = none\ndotnet_diagnostic.CKPT101.severity = none\n"),
            (".globalconfig", "is_global = true\ndotnet_diagnostic.CKPT101.severity = warning\n"),
            ("App/Model.cs", """
                using System.IO;
                using System.Text.Json;
                public class Job { public string Name { get; set; } = ""; }
                public static class Jobs
                {
                    public static Job? Load(string path) { try { return JsonSerializer.Deserialize<Job>(File.ReadAllText(path)); } catch (JsonException) { return null; } }
                }
                """));

        var report = await CliRun.ReportAsync(folder.Root, "--no-fix-preview");

        Assert.Contains(report.Findings, f => f.RuleId == "CKPT201");
        var off = Assert.Single(report.Suppressed, s => s.RuleId == "CKPT101");
        Assert.Equal("`App/.editorconfig`: dotnet_diagnostic.CKPT101.severity = none", off.SuppressedBy);
    }

    [Fact]
    public async Task The_checkpoint_audit_options_of_an_editorconfig_apply_to_a_folder_read_as_sources()
    {
        using var folder = new SourceFolder(
            ("App/App.csproj", SourceFolder.SdkProject),
            ("App/SafeFile.cs", """
                using System.IO;
                public static class SafeFile
                {
                    public static void Write(string path, string text) => File.WriteAllText(path, text);
                }
                public class Store
                {
                    public void Save(string dataDirectory, string json) => SafeFile.Write(Path.Combine(dataDirectory, "state.json"), json);
                }
                """));
        var before = await CliRun.ReportAsync(folder.Root, "--no-fix-preview");
        folder.Write("App/.editorconfig", "[*.cs]\ncheckpoint_audit.atomic_write_methods = SafeFile.Write\n");
        var after = await CliRun.ReportAsync(folder.Root, "--no-fix-preview");

        Assert.Contains(before.Findings.Concat(before.Suspicious), f => f.RuleId == "CKPT201");
        Assert.DoesNotContain(after.Findings.Concat(after.Suspicious), f => f.RuleId == "CKPT201");
        Assert.Empty(after.Suppressed);
    }

    [Fact]
    public async Task The_report_names_the_version_member_the_option_names_as_the_rule_accepts_it()
    {
        using var folder = new SourceFolder(
            ("App/App.csproj", SourceFolder.SdkProject),
            // The option covers the files that save the model, not the one that declares it: the call sites decide, as for CKPT101.
            ("App/.editorconfig", "[Storage/**.cs]\ncheckpoint_audit.schema_version_members = Revision\n"),
            ("App/Models/Settings.cs", "public class Settings { public int Revision { get; set; } public string Theme { get; set; } = \"\"; }"),
            ("App/Storage/Store.cs", """
                using System.IO;
                using System.Text.Json;
                public static class Store
                {
                    public static void Save(string dataDirectory, Settings settings)
                    {
                        var temp = Path.Combine(dataDirectory, $"settings.{System.Guid.NewGuid():N}.tmp");
                        File.WriteAllText(temp, JsonSerializer.Serialize(settings));
                        File.Move(temp, Path.Combine(dataDirectory, "settings.json"), true);
                    }
                }
                """));

        var report = await CliRun.ReportAsync(folder.Root, "--no-fix-preview");

        Assert.DoesNotContain(report.Findings.Concat(report.Suspicious), f => f.RuleId == "CKPT101");
        var versioning = Assert.Single(report.Environment, e => e.Topic == "Schema versioning strategy");
        Assert.Contains(versioning.Details, d => d.Contains("`Settings`", StringComparison.Ordinal) && d.Contains("versioned by `Revision`", StringComparison.Ordinal));
    }
}
