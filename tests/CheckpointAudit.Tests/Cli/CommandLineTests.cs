using CheckpointAudit.Cli;
using Xunit;

namespace CheckpointAudit.Tests.Cli;

/// <summary>Exit codes and bad input: one readable line on stderr, exit code 2, nothing lost.</summary>
public class CommandLineTests
{
    private const string OverwritingCode = """
        using System.IO;
        public class Store
        {
            public void Save(string dataDirectory, string json) => File.WriteAllText(Path.Combine(dataDirectory, "state.json"), json);
        }
        """;

    private const string MediumOnlyCode = """
        using System.IO;
        using System.Text.Json;
        public class Reader
        {
            public static State? Read(string path)
            {
                if (!File.Exists(path)) return null;
                try { return JsonSerializer.Deserialize<State>(File.ReadAllText(path)); }
                catch (JsonException) { return null; }
            }
        }
        public class State { public int SchemaVersion { get; set; } }
        """;

    public static TheoryData<string[], string> BadArguments => new()
    {
        { [], "usage: checkpoint-audit" },
        { ["--format", "xml", "."], "unknown format 'xml'" },
        { ["--fail-on", "low", "."], "unknown --fail-on level 'low'" },
        { ["--frobnicate", "."], "unknown option '--frobnicate'" },
        { [".", "other"], "one input only" },
        { ["--output"], "--output needs a value" },
        { ["--no-build"], "no input" },
    };

    [Theory]
    [MemberData(nameof(BadArguments))]
    public async Task Bad_arguments_give_one_line_and_exit_code_2(string[] args, string expected)
    {
        var result = await CliRun.RunAsync(args);

        Assert.Equal(AuditCommand.BadInput, result.ExitCode);
        Assert.Contains(expected, result.Stderr);
        Assert.Single(result.Stderr.TrimEnd('\n').Split('\n'));
        Assert.Empty(result.Stdout);
    }

    [Fact]
    public async Task Bad_inputs_are_named_in_one_line()
    {
        using var folder = new SourceFolder(("notes.txt", "hello"), ("One.cs", "class One {}"), ("broken.sln", "not a solution"), ("empty.slnx", "<Solution><Project"));
        Directory.CreateDirectory(folder.PathOf("nothing"));
        File.WriteAllText(folder.PathOf("nothing/readme.md"), "# no code");

        var cases = new (string Input, string Expected)[]
        {
            (folder.PathOf("missing"), "does not exist"),
            (folder.PathOf("notes.txt"), "is not a solution (.sln, .slnx), a C# project (.csproj) or a folder"),
            (folder.PathOf("One.cs"), "is a single C# file"),
            (folder.PathOf("nothing"), "no C# files under"),
            (folder.PathOf("broken.sln"), "is not a Visual Studio solution file"),
            (folder.PathOf("empty.slnx"), "is not a valid .slnx file"),
        };
        foreach (var (input, expected) in cases)
        {
            var result = await CliRun.RunAsync(input);
            Assert.True(result.ExitCode == AuditCommand.BadInput, $"{input}: {result}");
            Assert.Contains(expected, result.Stderr);
            Assert.StartsWith("checkpoint-audit: ", result.Stderr);
            Assert.DoesNotContain("   at ", result.Stderr); // never a stack trace
        }
    }

    [Fact]
    public async Task An_output_folder_that_does_not_exist_is_bad_input_and_nothing_is_written()
    {
        using var folder = new SourceFolder(("Store.cs", OverwritingCode));

        var result = await CliRun.RunAsync(folder.Root, "--output", folder.PathOf("no/such/folder/report.md"));

        Assert.Equal(AuditCommand.BadInput, result.ExitCode);
        Assert.Contains("its folder does not exist", result.Stderr);
        Assert.False(Directory.Exists(folder.PathOf("no")));
    }

    [Fact]
    public async Task Fail_on_sets_exit_code_1_only_for_findings_at_or_above_the_level()
    {
        using var critical = new SourceFolder(("Store.cs", OverwritingCode));
        using var medium = new SourceFolder(("Reader.cs", MediumOnlyCode));

        Assert.Equal(AuditCommand.FindingsAtFailLevel, (await CliRun.RunAsync(critical.Root, "--fail-on", "critical")).ExitCode);
        Assert.Equal(AuditCommand.FindingsAtFailLevel, (await CliRun.RunAsync(critical.Root, "--fail-on", "high")).ExitCode);
        Assert.Equal(AuditCommand.Success, (await CliRun.RunAsync(critical.Root)).ExitCode);

        var mediumReport = await CliRun.ReportAsync(medium.Root);
        Assert.Contains(mediumReport.Findings, f => f.Severity == "MEDIUM");
        Assert.DoesNotContain(mediumReport.Findings, f => f.Severity is "CRITICAL" or "HIGH");
        Assert.Equal(AuditCommand.Success, (await CliRun.RunAsync(medium.Root, "--fail-on", "high")).ExitCode);
        Assert.Equal(AuditCommand.FindingsAtFailLevel, (await CliRun.RunAsync(medium.Root, "--fail-on", "medium")).ExitCode);
    }

    [Fact]
    public async Task Output_file_holds_what_stdout_would_and_replaces_an_older_report()
    {
        using var folder = new SourceFolder(("Store.cs", OverwritingCode));
        var target = folder.PathOf("report.json");
        File.WriteAllText(target, "an older report");

        var toFile = await CliRun.RunAsync(folder.Root, "--format", "json", "--output", target);
        var toStdout = await CliRun.RunAsync(folder.Root, "--format", "json");

        Assert.Equal(AuditCommand.Success, toFile.ExitCode);
        Assert.Empty(toFile.Stdout);
        Assert.Equal(toStdout.Stdout, File.ReadAllText(target));
        Assert.Empty(Directory.GetFiles(folder.Root, "*.tmp"));
    }

    [Fact]
    public async Task A_solution_with_a_missing_project_reports_it_and_analyzes_the_rest()
    {
        using var folder = new SourceFolder(
            ("Good/Good.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup></Project>"),
            ("Good/Store.cs", OverwritingCode),
            ("App.slnx", "<Solution><Project Path=\"Good/Good.csproj\" /><Project Path=\"Gone/Gone.csproj\" /><Project Path=\"Legacy/Legacy.vbproj\" /></Solution>"));

        var result = await CliRun.RunAsync(folder.PathOf("App.slnx"), "--no-build");

        Assert.Equal(AuditCommand.Success, result.ExitCode);
        Assert.Contains("**Not analyzed:** Gone (`Gone/Gone.csproj`): the project file does not exist", result.Stdout);
        Assert.Contains("CKPT201 File overwritten in place — 1 site", result.Stdout);
        Assert.Contains("| `Store.Save` |", result.Stdout);
        Assert.Contains("| Gone | not analyzed |", result.Stdout);
        Assert.Contains("| Legacy | not analyzed | | | | not a C# project |", result.Stdout);
    }

    [Fact]
    public async Task Help_and_version_exit_0()
    {
        Assert.Equal(AuditCommand.Success, (await CliRun.RunAsync("--help")).ExitCode);
        var version = await CliRun.RunAsync("--version");
        Assert.Equal(AuditCommand.Success, version.ExitCode);
        Assert.Matches(@"^\d+\.\d+\.\d+\n$", version.Stdout);
    }
}
