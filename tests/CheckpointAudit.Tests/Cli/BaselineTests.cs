using System.Text.Json.Nodes;
using CheckpointAudit.Cli;
using Xunit;

namespace CheckpointAudit.Tests.Cli;

/// <summary>
/// --write-baseline and --baseline: a team accepts what the code holds today, and CI then reports and fails on
/// what an edit adds, wherever the edit moves the code that was already there.
/// </summary>
public class BaselineTests
{
    private const string Before = """
        using System.IO;
        public class Store
        {
            public void Save(string dataDirectory, string json) => File.WriteAllText(Path.Combine(dataDirectory, "state.json"), json);

            public void SaveSettings(string dataDirectory, string json)
            {
                File.WriteAllText(Path.Combine(dataDirectory, "settings.json"), json);
            }
        }
        """;

    // Lines added above, the two members swapped and re-indented, and one new overwrite in a new member.
    private const string After = """
        // Saves the program's state beside its settings.
        using System;
        using System.IO;

        public class Store
        {
            public void SaveSettings(string dataDirectory, string json)
            {
                Console.WriteLine("saving settings");
                File.WriteAllText(Path.Combine(dataDirectory,   "settings.json"), json);
            }

            public void SaveJobs(string dataDirectory, string json)
            {
                File.WriteAllText(Path.Combine(dataDirectory, "jobs.json"), json);
            }

            public void Save(string dataDirectory, string json) => File.WriteAllText(Path.Combine(dataDirectory, "state.json"), json);
        }
        """;

    [Theory]
    [InlineData("json")]
    [InlineData("sarif")]
    public async Task A_baseline_written_before_an_edit_that_moves_code_reports_only_the_finding_the_edit_added(string format)
    {
        using var folder = new SourceFolder(("Store.cs", Before));
        var baseline = folder.PathOf("baseline." + format);
        if (format == "json")
        {
            Assert.Equal(AuditCommand.Success, (await CliRun.RunAsync(folder.Root, "--write-baseline", baseline, "--quiet")).ExitCode);
        }
        else
        {
            // Any earlier SARIF output serves as well.
            Assert.Equal(AuditCommand.Success, (await CliRun.RunAsync(folder.Root, "--format", "sarif", "--output", baseline)).ExitCode);
        }

        folder.Write("Store.cs", After);
        var everything = await CliRun.ReportAsync(folder.Root);
        var report = await CliRun.ReportAsync(folder.Root, "--baseline", baseline);

        Assert.Equal(3, everything.Findings.Sum(f => f.Fingerprints.Count));
        var added = Assert.Single(report.Findings);
        Assert.Equal("Store.SaveJobs", added.Member);
        Assert.Equal([15], added.Lines);
        Assert.Empty(report.Suspicious);
        Assert.Equal(new CheckpointAudit.Cli.Report.BaselineSummary(Path.GetFileName(baseline), NewSites: 1, KnownSites: 2, GoneSites: 0), report.Baseline);
        Assert.Equal(everything.Score.Value, report.Score.Value);
        Assert.Equal(everything.Score.Justification, report.Score.Justification);

        var failed = await CliRun.RunAsync(folder.Root, "--baseline", baseline, "--fail-on", "critical");
        Assert.Equal(AuditCommand.FindingsAtFailLevel, failed.ExitCode);
        Assert.Contains("**Only what is new since the baseline `baseline." + format + "`:** 1 new site below; 2 sites the baseline holds are not shown; 0 of its sites are no longer found", failed.Stdout);
    }

    [Fact]
    public async Task A_baseline_of_the_code_as_it_is_reports_nothing_and_passes_the_gate_and_sees_a_fixed_site_gone()
    {
        using var folder = new SourceFolder(("Store.cs", Before));
        var baseline = folder.PathOf("accepted.json");
        Assert.Equal(AuditCommand.FindingsAtFailLevel, (await CliRun.RunAsync(folder.Root, "--fail-on", "critical", "--write-baseline", baseline)).ExitCode);

        Assert.Equal(AuditCommand.Success, (await CliRun.RunAsync(folder.Root, "--fail-on", "critical", "--baseline", baseline)).ExitCode);

        // The settings write made atomic by hand: the baseline's site for it is gone, and nothing is new.
        folder.Write("Store.cs", Before.Replace("File.WriteAllText(Path.Combine(dataDirectory, \"settings.json\"), json);", "File.WriteAllText(Path.Combine(dataDirectory, \"settings.json.tmp\"), json);\n        File.Move(Path.Combine(dataDirectory, \"settings.json.tmp\"), Path.Combine(dataDirectory, \"settings.json\"), true);"));
        var report = await CliRun.ReportAsync(folder.Root, "--baseline", baseline);
        Assert.DoesNotContain(report.Findings, f => f.RuleId == "CKPT201");
        Assert.Equal(1, report.Baseline!.KnownSites);
        Assert.Equal(1, report.Baseline.GoneSites);
        Assert.Equal(report.Findings.Concat(report.Suspicious).Sum(f => f.Fingerprints.Count), report.Baseline.NewSites);
    }

    [Fact]
    public async Task Writing_a_baseline_with_a_baseline_records_every_site_and_leaves_the_report_unchanged()
    {
        using var folder = new SourceFolder(("Store.cs", Before));
        var baseline = folder.PathOf("baseline.json");
        await CliRun.RunAsync(folder.Root, "--write-baseline", baseline, "--quiet");
        folder.Write("Store.cs", After);

        var run = await CliRun.RunAsync(folder.Root, "--baseline", baseline, "--write-baseline", baseline, "--format", "json");

        Assert.Equal(AuditCommand.Success, run.ExitCode);
        Assert.Single(JsonNode.Parse(run.Stdout)!["findings"]!.AsArray());
        var written = JsonNode.Parse(File.ReadAllText(baseline))!;
        Assert.Null(written["baseline"]);
        Assert.Equal(3, written["findings"]!.AsArray().Sum(f => f!["fingerprints"]!.AsArray().Count));
        Assert.Empty((await CliRun.ReportAsync(folder.Root, "--baseline", baseline)).Findings);
    }

    [Fact]
    public async Task Suppressed_sites_are_not_in_a_baseline_and_a_report_of_new_findings_is_refused_as_one()
    {
        using var folder = new SourceFolder(("Store.cs", Before.Replace("    public void Save(", "    [System.Diagnostics.CodeAnalysis.SuppressMessage(\"Reliability\", \"CKPT201\")]\n    public void Save(")));
        var sarif = folder.PathOf("all.sarif");
        await CliRun.RunAsync(folder.Root, "--format", "sarif", "--output", sarif);
        Assert.Contains("\"suppressions\"", File.ReadAllText(sarif));

        // The suppression removed: the site is a finding again, and new to a baseline that never held it.
        folder.Write("Store.cs", Before);
        var report = await CliRun.ReportAsync(folder.Root, "--baseline", sarif);
        Assert.Equal("Store.Save", Assert.Single(report.Findings).Member);
        Assert.Equal(0, report.Baseline!.GoneSites);

        foreach (var format in new[] { "json", "sarif" })
        {
            var onlyNew = folder.PathOf("new." + format);
            await CliRun.RunAsync(folder.Root, "--baseline", sarif, "--format", format, "--output", onlyNew);
            var refused = await CliRun.RunAsync(folder.Root, "--baseline", onlyNew);
            Assert.Equal(AuditCommand.BadInput, refused.ExitCode);
            Assert.Contains("reports new findings only (it was written with --baseline)", refused.Stderr);
        }
    }

    [Fact]
    public async Task A_baseline_that_cannot_be_used_is_one_line_and_exit_code_2()
    {
        using var folder = new SourceFolder(("Store.cs", Before));
        folder.Write("notes.json", "not json at all");
        folder.Write("other.json", """{ "tool": "another-tool", "findings": [] }""");
        folder.Write("old.sarif", """{ "runs": [ { "tool": { "driver": { "name": "checkpoint-audit" } }, "results": [ { "ruleId": "CKPT201", "partialFingerprints": { "checkpointAudit/v1": "ab" } } ] } ] }""");

        foreach (var (file, expected) in new[]
        {
            ("missing.json", "cannot read the baseline"),
            ("notes.json", "is not a checkpoint-audit JSON or SARIF report (it is not JSON)"),
            ("other.json", "is not a checkpoint-audit JSON or SARIF report, or an older version wrote it"),
            ("old.sarif", "write it again with --write-baseline"),
        })
        {
            var result = await CliRun.RunAsync(folder.Root, "--baseline", folder.PathOf(file));
            Assert.Equal(AuditCommand.BadInput, result.ExitCode);
            Assert.Empty(result.Stdout);
            Assert.Contains(expected, result.Stderr);
            Assert.Single(result.Stderr.TrimEnd('\n').Split('\n'));
        }

        var noFolder = await CliRun.RunAsync(folder.Root, "--write-baseline", folder.PathOf("no/baseline.json"));
        Assert.Equal(AuditCommand.BadInput, noFolder.ExitCode);
        Assert.Contains("its folder does not exist", noFolder.Stderr);
    }
}
