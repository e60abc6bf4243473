using System.Text;
using CheckpointAudit.Cli;
using Xunit;

namespace CheckpointAudit.Tests.Cli;

/// <summary>
/// Inputs a real checkout can hold that must neither crash the audit nor lose the rest of it: a folder
/// linked back up the tree, a source file that cannot be read, a file that is not UTF-8, a very large
/// generated file. (Missing paths, empty folders, files of another kind and solutions naming missing
/// projects are in <see cref="CommandLineTests"/>.)
/// </summary>
public class HostileInputTests
{
    private const string Project = SourceFolder.SdkProject;

    private const string OverwritingCode = """
        using System.IO;
        public class Store
        {
            public void Save(string dataDirectory, string json) => File.WriteAllText(Path.Combine(dataDirectory, "state.json"), json);
        }
        """;

    [Fact]
    public async Task A_folder_linked_back_up_the_tree_is_not_followed()
    {
        using var folder = new SourceFolder(("App/App.csproj", Project), ("App/Store.cs", OverwritingCode));
        Directory.CreateSymbolicLink(folder.PathOf("App/loop"), folder.Root);
        Directory.CreateSymbolicLink(folder.PathOf("App/self"), folder.PathOf("App"));

        var report = await CliRun.ReportAsync(folder.Root);

        Assert.Single(report.Projects);
        Assert.Equal(1, report.Projects[0].Files);
        Assert.Single(report.Findings, f => f.RuleId == "CKPT201");
    }

    [Fact]
    public async Task A_source_file_that_cannot_be_read_is_named_and_the_rest_is_reported()
    {
        using var folder = new SourceFolder(("App/App.csproj", Project), ("App/Store.cs", OverwritingCode));
        // Unreadable for any user, root included: a link to a file that is gone.
        File.CreateSymbolicLink(folder.PathOf("App/Gone.cs"), folder.PathOf("App/missing/Gone.cs"));

        var result = await CliRun.RunAsync(folder.Root);

        Assert.Equal(AuditCommand.Success, result.ExitCode);
        Assert.Contains("1 source file(s) could not be read and were left out: Gone.cs", result.Stdout);
        Assert.Contains("CKPT201 File overwritten in place — 1 site", result.Stdout);
        Assert.Contains("| `Store.Save` |", result.Stdout);
        Assert.Empty(result.Stderr);
    }

    [Fact]
    public async Task A_file_that_is_not_UTF8_is_read_as_Latin1_and_analyzed()
    {
        using var folder = new SourceFolder(("App/App.csproj", Project));
        var latin1 = "// Sauvegarde de l'état (écrit en ISO-8859-1)\n" + OverwritingCode;
        File.WriteAllBytes(folder.PathOf("App/Store.cs"), Encoding.Latin1.GetBytes(latin1));

        var report = await CliRun.ReportAsync(folder.Root);

        Assert.Single(report.Findings, f => f.RuleId == "CKPT201");
        Assert.Equal(0, report.Projects[0].CompileErrors);
    }

    [Fact]
    public async Task A_5_MB_generated_source_file_is_analyzed_with_the_rest()
    {
        var generated = new StringBuilder("namespace Generated;\n");
        for (var i = 0; generated.Length < 5 * 1024 * 1024; i++)
        {
            generated.Append("public static class Table").Append(i).Append(" { public static readonly int[] Values = { ")
                .Append(string.Join(", ", Enumerable.Range(i, 40))).Append(" }; public static int Sum() => Values.Length; }\n");
        }

        using var folder = new SourceFolder(("App/App.csproj", Project), ("App/Store.cs", OverwritingCode), ("App/Tables.cs", generated.ToString()));

        var report = await CliRun.ReportAsync(folder.Root);

        Assert.Equal(2, report.Projects[0].Files);
        Assert.Equal(0, report.Projects[0].CompileErrors);
        Assert.Single(report.Findings, f => f.RuleId == "CKPT201");
    }

    [Fact]
    public async Task Analyzer_failures_come_first_in_the_report()
    {
        using var folder = new SourceFolder(("App/App.csproj", Project), ("App/Store.cs", OverwritingCode));
        var report = await CliRun.ReportAsync(folder.Root);
        var failed = report with { Projects = [report.Projects[0] with { AnalyzerFailures = ["CKPT105 (SchemaAnalyzer): ArgumentException: bad"] }] };

        var markdown = CheckpointAudit.Cli.Report.MarkdownReportWriter.Write(failed);

        var warning = markdown.IndexOf("**Analyzer failures — findings may be missing:** App: CKPT105 (SchemaAnalyzer): ArgumentException: bad.", StringComparison.Ordinal);
        Assert.True(warning > 0 && warning < markdown.IndexOf("## 1. Environment", StringComparison.Ordinal), markdown[..Math.Min(markdown.Length, 1500)]);
    }
}
