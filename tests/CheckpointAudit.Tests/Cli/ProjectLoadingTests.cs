using CheckpointAudit.Cli.Analysis;
using CheckpointAudit.Tests.Infrastructure;
using Xunit;

namespace CheckpointAudit.Tests.Cli;

/// <summary>How inputs become compilations: folders as sources (project references followed), projects through MSBuild when restored.</summary>
public class ProjectLoadingTests
{
    private const string LibraryProject = "<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup><TargetFramework>net10.0</TargetFramework><ImplicitUsings>enable</ImplicitUsings></PropertyGroup></Project>";

    private const string AppProject = """
        <Project Sdk="Microsoft.NET.Sdk">
          <PropertyGroup><OutputType>Exe</OutputType><TargetFramework>net10.0</TargetFramework><ImplicitUsings>enable</ImplicitUsings></PropertyGroup>
          <ItemGroup><ProjectReference Include="..\Lib\Lib.csproj" /></ItemGroup>
        </Project>
        """;

    private const string LibraryCode = """
        namespace Lib;
        public static class Paths
        {
            public static string StateFile(string root) => Path.Combine(root, "state.json");
        }
        """;

    private const string AppCode = """
        using Lib;
        File.WriteAllText(Paths.StateFile(args[0]), "{}");
        """;

    [Fact]
    public async Task A_folder_is_read_as_one_compilation_per_project_with_project_references_followed()
    {
        using var folder = new SourceFolder(("Lib/Lib.csproj", LibraryProject), ("Lib/Paths.cs", LibraryCode), ("App/App.csproj", AppProject), ("App/Program.cs", AppCode), ("tests/Lib.Tests/Lib.Tests.csproj", LibraryProject), ("tests/Lib.Tests/PathsTests.cs", "public class PathsTests { }"));

        var report = await CliRun.ReportAsync(folder.Root);

        Assert.Equal(["App", "Lib"], report.Projects.Select(p => p.Name).Order());
        Assert.All(report.Projects, p => Assert.Equal("sources", p.Mode));
        Assert.All(report.Projects, p => Assert.Equal(0, p.CompileErrors)); // App binds Lib's Paths through the reference
        var write = Assert.Single(report.Findings, f => f.RuleId == "CKPT201");
        Assert.Equal("App/Program.cs", write.File);
        Assert.Equal("High", write.Confidence);
        var layout = Assert.Single(report.Environment, e => e.Topic == "Checkpoint file layout");
        Assert.Contains(layout.Details, d => d.StartsWith("`{Paths.StateFile(args[0])}` (data) — rewritten in place", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_project_that_is_not_restored_is_read_as_sources_and_the_report_says_why()
    {
        using var folder = new SourceFolder(("Lib/Lib.csproj", LibraryProject), ("Lib/Paths.cs", LibraryCode), ("App/App.csproj", AppProject), ("App/Program.cs", AppCode));

        var report = await CliRun.ReportAsync(folder.PathOf("App/App.csproj"));

        var app = Assert.Single(report.Projects);
        Assert.Equal("sources", app.Mode);
        Assert.Contains("not restored", app.Note);
        Assert.Equal(0, app.CompileErrors);
        Assert.Contains(report.Findings, f => f.RuleId == "CKPT201");
    }

    [Fact]
    public async Task Using_items_and_implicit_usings_from_an_imported_package_are_seen_when_read_as_sources()
    {
        // Tray: no ImplicitUsings setting (a defaults package sets it), no file says using System;, and <Using> items in
        // Directory.Build.props. Json: the same, importing only System.Text.Json. Plain: its code says using System; itself,
        // so nothing is assumed.
        const string Untold = "<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup></Project>";
        using var folder = new SourceFolder(
            ("Directory.Build.props", "<Project><ItemGroup><Using Include=\"System.Text.Json\" /><Using Include=\"System.Text.Json.JsonSerializer\" Static=\"true\" /><Using Alias=\"Codec\" Include=\"System.Text.Encoding\" /></ItemGroup></Project>"),
            ("Tray/Tray.csproj", Untold),
            ("Tray/Settings.cs", """
                public static class SettingsStore
                {
                    public static async Task Write(string path, Dictionary<string, int> settings)
                    {
                        await using var stream = File.OpenWrite(path);
                        await JsonSerializer.SerializeAsync(stream, settings);
                        File.WriteAllText(path + ".txt", Serialize(settings), Codec.UTF8);
                    }
                }
                """),
            ("Json/Json.csproj", Untold),
            ("Json/Store.cs", """
                using System.Text.Json;
                public static class JsonStore
                {
                    public static void Save(string path, int[] values) => File.WriteAllText(path, JsonSerializer.Serialize(values));
                }
                """),
            ("Plain/Plain.csproj", Untold),
            ("Plain/Store.cs", """
                using System;
                public static class Store
                {
                    public static void Save(string path) => File.WriteAllText(path, DateTime.UtcNow.ToString());
                }
                """));

        var report = await CliRun.ReportAsync(folder.Root);

        Assert.Equal(0, Assert.Single(report.Projects, p => p.Name == "Tray").CompileErrors);
        Assert.Contains(report.Findings, f => f.RuleId == "CKPT201" && f.File == "Tray/Settings.cs");
        Assert.Equal(0, Assert.Single(report.Projects, p => p.Name == "Json").CompileErrors); // imports a System namespace, not System itself
        var plain = Assert.Single(report.Projects, p => p.Name == "Plain");
        Assert.True(plain.CompileErrors > 0, "Plain says using System; itself, so no implicit usings are assumed and File does not bind");
    }

    [Fact]
    public async Task A_restored_project_is_loaded_through_MSBuild()
    {
        using var folder = new SourceFolder(("Lib/Lib.csproj", LibraryProject), ("Lib/Paths.cs", LibraryCode), ("App/App.csproj", AppProject), ("App/Program.cs", AppCode));
        var restore = DotnetCli.Run(folder.Root, Path.Combine(folder.Root, ".packages"), "restore", folder.PathOf("App/App.csproj"));
        Assert.True(restore.ExitCode == 0, restore.ToString());

        var report = await CliRun.ReportAsync(folder.PathOf("App/App.csproj"));

        var app = Assert.Single(report.Projects);
        Assert.True(app.Mode == "msbuild", $"loaded as {app.Mode}: {app.Note}");
        Assert.Equal(0, app.CompileErrors);
        Assert.Equal("Program.cs", Assert.Single(report.Findings, f => f.RuleId == "CKPT201").File); // relative to the project's folder
    }

    [Fact]
    public void Line_diff_finds_each_changed_region_and_keeps_the_site_readable()
    {
        string[] before = ["using System.IO;", "", "class C", "{", "    void M()", "    {", "        File.WriteAllText(p, s);", "    }", "}"];
        string[] after = ["using System.IO;", "using CheckpointAudit;", "", "class C", "{", "    void M()", "    {", "        CheckpointFile.WriteAllText(p, s);", "    }", "}"];

        var hunks = LineDiff.Hunks(before, after);

        Assert.Equal(2, hunks.Count);
        Assert.Equal("adds `using CheckpointAudit;`", hunks[0].Summary);
        Assert.Equal("File.WriteAllText(p, s);", hunks[1].BeforeText);
        Assert.Equal("CheckpointFile.WriteAllText(p, s);", hunks[1].AfterText);
        Assert.Equal(0, hunks[1].DistanceTo(6));
        Assert.Empty(LineDiff.Hunks(before, before));
    }
}
