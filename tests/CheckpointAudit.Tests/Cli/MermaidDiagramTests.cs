using System.Text.RegularExpressions;
using CheckpointAudit.Cli.Analysis;
using CheckpointAudit.Cli.Report;
using CheckpointAudit.Tests.Infrastructure;
using Xunit;

namespace CheckpointAudit.Tests.Cli;

/// <summary>
/// The report's pictures: findings by category and severity, the checkpoint layout, a pipeline's stages. Each is
/// parsed by Mermaid itself, and says what the report's text says.
/// </summary>
public partial class MermaidDiagramTests
{
    [Fact]
    public async Task The_sample_report_shows_the_three_diagrams_and_Mermaid_parses_each()
    {
        var markdown = (await CliRun.RunAsync(RepositoryFiles.PathOf("samples"), "--no-fix-preview", "--quiet")).Stdout;
        var diagrams = Blocks(markdown);

        Assert.Equal(3, diagrams.Count);
        var layout = Assert.Single(diagrams, d => d.Contains("{dataDirectory}", StringComparison.Ordinal));
        Assert.Contains("stage-{stage}-{StageNames.Of(stage)}.json<br/><i>in place, atomic</i>", layout);
        Assert.Contains("export.md<br/><i>atomic</i>", layout);
        var stages = Assert.Single(diagrams, d => d.Contains("PipelineStages.Ocr", StringComparison.Ordinal));
        Assert.Matches(@"m\d+\(\[""PreprocessingCheckpoint""\]\)", stages);
        // A method that loads stored models and returns the persisted one its caller saves is a stage too.
        Assert.Matches(@"(s\d+)\[""PipelineStages.Export""\][\s\S]*\1 --> (m\d+)[\s\S]*", stages);
        Assert.Contains("[\"PipelineRunner.Summarize\"]", stages);
        var byCategory = Assert.Single(diagrams, d => d.StartsWith("pie", StringComparison.Ordinal));
        Assert.Contains("\"Schema — 3 critical, 1 high\" : 4", byCategory);
        Assert.All(MermaidParser.Parse(diagrams), result => Assert.Equal("ok", result));

        // The diagrams sit with what they picture: the layout and stages in section 1, the categories atop section 2.
        var findings = markdown.IndexOf("## 2. Findings", StringComparison.Ordinal);
        Assert.InRange(markdown.IndexOf(layout, StringComparison.Ordinal), 0, findings);
        Assert.InRange(markdown.IndexOf(stages, StringComparison.Ordinal), 0, findings);
        Assert.True(markdown.IndexOf(byCategory, StringComparison.Ordinal) > findings);
    }

    [Fact]
    public void Names_with_quotes_brackets_and_markup_stay_inside_their_labels()
    {
        var spot = new Spot("A.cs", 1);
        var layout = MermaidDiagrams.Layout(
        [
            new WriteSite("{dir}/\"quoted\" [x] <b>#1<b>; a|b (state).json", WriteStyle.InPlace, "File.WriteAllText", spot),
            new WriteSite("{dir}/logs/{date:yyyy-MM-dd}.log", WriteStyle.Other, "File.AppendAllText", spot),
            new WriteSite("C:\\data\\end.json", WriteStyle.Atomic, "File.Move", spot),
        ])!;
        var stages = MermaidDiagrams.Stages(
        [
            new StageFlow("Stages.Run<T>", spot, ["Input\"A\""], ["Out[1]"]),
            new StageFlow("Stages.Next", spot, ["Out[1]"], ["Final (done)"]),
        ])!;

        Assert.Matches(@"(n\d+)\[""#quot;quoted#quot; \[x\] #lt;b#gt;#35;1#lt;b#gt;; a\|b \(state\)\.json<br/><i>in place</i>""\][\s\S]*class \1 inPlace", layout);
        Assert.Equal(["ok", "ok"], MermaidParser.Parse([layout, stages]));
    }

    [Fact]
    public void Nothing_to_draw_is_no_diagram()
    {
        Assert.Null(MermaidDiagrams.Layout([]));
        Assert.Null(MermaidDiagrams.Stages([new StageFlow("Only.One", new Spot("A.cs", 1), ["A"], ["B"])]));
        Assert.Null(MermaidDiagrams.FindingsByCategory([]));
    }

    private static List<string> Blocks(string markdown) => [.. MermaidBlock().Matches(markdown).Select(m => m.Groups[1].Value)];

    [GeneratedRegex("```mermaid\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex MermaidBlock();
}
