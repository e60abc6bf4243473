using System.Diagnostics;
using System.IO.Compression;
using System.Text.Json;
using System.Text.RegularExpressions;
using CheckpointAudit.Tests.Infrastructure;
using Xunit;

namespace CheckpointAudit.Tests.Packaging;

/// <summary>The CLI packed once as a .NET tool into a folder feed, for the tests that install it.</summary>
public sealed class ToolPackage : IDisposable
{
    public ToolPackage()
    {
        Root = Directory.CreateTempSubdirectory("ckpt-tool-").FullName;
        Feed = Path.Combine(Root, "feed");
        Version = "0.1.0-e2e." + DateTime.UtcNow.ToString("yyyyMMddHHmmss");
        Pack = DotnetCli.Run(RepositoryFiles.Root, Packages, "pack", RepositoryFiles.PathOf("src", "CheckpointAudit.Cli", "CheckpointAudit.Cli.csproj"), "-c", "Release", "-o", Feed, "-p:Version=" + Version);
    }

    public string Root { get; }

    public string Feed { get; }

    public string Version { get; }

    public DotnetCli.Result Pack { get; }

    public string PackagePath => Path.Combine(Feed, $"CheckpointAudit.Cli.{Version}.nupkg");

    /// <summary>The machine's package cache: the tool's dependencies are already there from the test build's restore.</summary>
    public static string Packages => Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } cache
        ? cache
        : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    public void Dispose() => Directory.Delete(Root, recursive: true);
}

/// <summary>checkpoint-audit as a user gets it: packed as a .NET tool, installed with dotnet tool install, run by its command name.</summary>
[Collection(DotnetCliCollection.Name)]
public sealed partial class ToolPackageTests(ToolPackage tool) : IClassFixture<ToolPackage>
{
    [Fact]
    public void The_packed_tool_installs_and_audits_the_sample()
    {
        Assert.True(tool.Pack.ExitCode == 0 && File.Exists(tool.PackagePath), tool.Pack.ToString());
        var tools = Path.Combine(tool.Root, "tools");
        var install = DotnetCli.Run(tool.Root, ToolPackage.Packages, "tool", "install", "CheckpointAudit.Cli", "--tool-path", tools, "--add-source", tool.Feed, "--version", tool.Version);
        Assert.True(install.ExitCode == 0, install.ToString());

        var command = Path.Combine(tools, OperatingSystem.IsWindows() ? "checkpoint-audit.exe" : "checkpoint-audit");
        var audit = Run(command, RepositoryFiles.PathOf("samples"), "--format", "json");
        Assert.True(audit.ExitCode == 0, audit.Stderr);
        using var report = JsonDocument.Parse(audit.Stdout);
        Assert.Equal("checkpoint-audit", report.RootElement.GetProperty("tool").GetString());
        Assert.True(report.RootElement.GetProperty("findings").GetArrayLength() > 0);

        var bad = Run(command, Path.Combine(tool.Root, "missing"));
        Assert.Equal(2, bad.ExitCode);
        Assert.Equal($"checkpoint-audit: '{Path.Combine(tool.Root, "missing")}' does not exist.", bad.Stderr.Trim());
    }

    [Fact]
    public void The_package_page_has_the_project_url_release_notes_readme_and_icon()
    {
        Assert.True(tool.Pack.ExitCode == 0, tool.Pack.ToString());
        using var package = ZipFile.OpenRead(tool.PackagePath);
        var nuspec = new StreamReader(package.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open()).ReadToEnd();
        PackageMetadata.AssertComplete(nuspec, package.Entries.Select(e => e.FullName).ToList());
    }

    /// <summary>
    /// docs/ci.md's recipes on a copy of the sample, with the tool installed in a local manifest as the page says: the
    /// baseline step, then the shell script, which passes, and fails once a change adds a critical finding. The GitHub
    /// workflow runs the same commands as the script.
    /// </summary>
    [Fact]
    public void The_CI_recipes_pass_on_the_sample_and_fail_on_a_new_critical_finding()
    {
        Assert.True(tool.Pack.ExitCode == 0, tool.Pack.ToString());
        var recipes = CiRecipes();
        using var copy = new SampleCopy("ckpt-ci-");
        File.WriteAllText(Path.Combine(copy.Root, "MyApp.slnx"), "<Solution><Project Path=\"samples/DocumentPipeline/DocumentPipeline.csproj\" /></Solution>");
        File.WriteAllText(Path.Combine(copy.Root, "nuget.config"), $"<configuration><packageSources><add key=\"tool\" value=\"{tool.Feed}\" /></packageSources></configuration>");
        foreach (var step in new[] { new[] { "new", "tool-manifest" }, ["tool", "install", "--local", "CheckpointAudit.Cli", "--version", tool.Version] })
        {
            var setup = DotnetCli.Run(copy.Root, ToolPackage.Packages, step);
            Assert.True(setup.ExitCode == 0, setup.ToString());
        }

        var script = Path.Combine(copy.Root, "ci.sh");
        File.WriteAllText(script, recipes["shell"].Replace("MyApp.sln", "MyApp.slnx"));
        var baseline = DotnetCli.RunProgram("bash", copy.Root, ToolPackage.Packages, "-c", recipes["baseline"].Replace("MyApp.sln", "MyApp.slnx"));
        Assert.True(baseline.ExitCode == 0, baseline.ToString());

        var passed = DotnetCli.RunProgram("bash", copy.Root, ToolPackage.Packages, script);
        Assert.True(passed.ExitCode == 0, passed.ToString());
        Assert.Contains("warning CKPT", passed.Output);
        Assert.NotEmpty(JsonDocument.Parse(File.ReadAllText(Path.Combine(copy.Root, "checkpoint-audit.sarif"))).RootElement.GetProperty("runs")[0].GetProperty("results").EnumerateArray());
        Assert.Contains("**Only what is new since the baseline `checkpoint-audit.baseline.json`:** 0 new sites", File.ReadAllText(Path.Combine(copy.Root, "checkpoint-audit.md")));

        File.WriteAllText(Path.Combine(copy.Project, "Storage", "JobStore.cs"), """
            namespace DocumentPipeline.Storage;

            // A new store behind an interface, as a service registers it (a method nothing calls would be listed for review).
            public interface IJobStore { void Save(string json); }

            public sealed class JobStore(string dataDirectory) : IJobStore
            {
                public void Save(string json) => File.WriteAllText(Path.Combine(dataDirectory, "jobs.json"), json);
            }
            """);
        var failed = DotnetCli.RunProgram("bash", copy.Root, ToolPackage.Packages, script);
        Assert.True(failed.ExitCode == 1, failed.ToString());
        var report = File.ReadAllText(Path.Combine(copy.Root, "checkpoint-audit.md"));
        Assert.Contains("1 new site below", report);
        Assert.Contains("`JobStore.Save`", report);

        // The workflow's commands are the script's.
        var scriptLines = recipes["shell"].Split('\n').Select(l => l.Trim()).ToHashSet();
        var workflowCommands = RunStep().Matches(recipes["github"]).Select(m => m.Groups[1].Value.Trim()).ToList();
        Assert.Equal(4, workflowCommands.Count);
        Assert.All(workflowCommands, command => Assert.Contains(command, scriptLines));
    }

    /// <summary>docs/ci.md's code blocks marked <c>&lt;!-- ci-recipe: name --&gt;</c>, by name.</summary>
    private static Dictionary<string, string> CiRecipes()
        => Recipe().Matches(File.ReadAllText(RepositoryFiles.PathOf("docs", "ci.md"))).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);

    [GeneratedRegex(@"<!-- ci-recipe: (\w+) -->\n```\w+\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex Recipe();

    [GeneratedRegex(@"^\s*- run: (.+)$", RegexOptions.Multiline)]
    private static partial Regex RunStep();

    private static (int ExitCode, string Stdout, string Stderr) Run(string command, params string[] arguments)
    {
        var start = new ProcessStartInfo(command) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(3)), "checkpoint-audit did not finish in 3 minutes");
        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}
