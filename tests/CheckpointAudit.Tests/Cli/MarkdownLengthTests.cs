using System.Text;
using Xunit;

namespace CheckpointAudit.Tests.Cli;

/// <summary>
/// A long report is not read: a rule's table shows its most severe sites and says how many more the JSON holds, a
/// reason shared by every site of a rule is said once, and projects with nothing to report share one appendix row.
/// </summary>
public class MarkdownLengthTests
{
    private const string Project = SourceFolder.SdkProject;

    private static string ManyStores(int count)
    {
        var code = new StringBuilder("using System.IO;\n");
        for (var i = 0; i < count; i++)
        {
            code.Append($"public class Store{i} {{ public void Save(string text) => File.WriteAllText(\"state{i}.json\", text); }}\n");
        }

        // Two general-purpose helpers: listed for review, for the same reason.
        code.Append("public static class Files\n{\n");
        code.Append("    public static void WriteText(string path, string text) => File.WriteAllText(path, text);\n");
        code.Append("    public static void WriteBytes(string path, byte[] bytes) => File.WriteAllBytes(path, bytes);\n");
        code.Append("}\n");
        return code.ToString();
    }

    [Fact]
    public async Task Long_tables_shared_reasons_and_quiet_projects_are_shortened()
    {
        using var folder = new SourceFolder(
            ("App/App.csproj", Project), ("App/Stores.cs", ManyStores(26)),
            ("A/A.csproj", Project), ("A/A.cs", "public class A { }"),
            ("B/B.csproj", Project), ("B/B.cs", "public class B { }"),
            ("C/C.csproj", Project), ("C/C.cs", "public class C { }"));

        var markdown = (await CliRun.RunAsync(folder.Root, "--format", "markdown")).Stdout;
        var json = await CliRun.ReportAsync(folder.Root);

        // 26 critical sites of CKPT201: 20 rows, then the count of the rest; the JSON keeps all of them.
        Assert.Equal(26, json.Findings.Count(f => f.RuleId == "CKPT201"));
        Assert.Contains("… and 6 more (6 CRITICAL), listed in the JSON report (`--format json`).", markdown, StringComparison.Ordinal);
        Assert.Equal(20, markdown.Split('\n').Count(l => l.StartsWith("| CRITICAL | `App/Stores.cs:", StringComparison.Ordinal) && l.Contains("*Write atomically*", StringComparison.Ordinal)));

        // The two helpers are listed for one reason, said once above their table, not in a column.
        Assert.Contains("every site is listed because the path is handed in ('path'): the callers decide what the file holds.", markdown, StringComparison.Ordinal);
        Assert.Equal(2, markdown.Split('\n').Count(l => l.StartsWith("| CRITICAL | `App/Stores.cs:", StringComparison.Ordinal) && l.EndsWith("| not known here |", StringComparison.Ordinal)));

        Assert.Contains("| 3 projects with no findings | ", markdown, StringComparison.Ordinal);
        Assert.Contains("| A, B, C |", markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("\n| A | ", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_fix_that_wraps_a_long_block_is_previewed_in_part()
    {
        var steps = string.Concat(Enumerable.Range(1, 16).Select(i => $"        Console.WriteLine(\"step {i}\");\n"));
        using var folder = new SourceFolder(("App/App.csproj", Project), ("App/Saver.cs", $$"""
            using System;
            using System.IO;
            public class Saver
            {
                public void Save(string target, string text)
                {
                    var temp = target + "." + Guid.NewGuid().ToString("N") + ".tmp";
                    File.WriteAllText(temp, text);
            {{steps}}
                    File.Move(temp, target, true);
                }
            }
            """));

        var markdown = (await CliRun.RunAsync(folder.Root, "--format", "markdown")).Stdout;
        var json = await CliRun.ReportAsync(folder.Root);

        Assert.Contains("more lines (the JSON report has the whole change)", markdown, StringComparison.Ordinal);
        Assert.Contains(json.Findings.Concat(json.Suspicious), f => f.Fix.After is { } after && after.Contains("step 16", StringComparison.Ordinal));
    }
}
