using CheckpointAudit.Cli;
using CheckpointAudit.Tests.Infrastructure;
using Xunit;

namespace CheckpointAudit.Tests.Cli;

/// <summary>
/// docs/sample-report.md is exactly what the README's main-job command prints for samples/; it is
/// regenerated with CHECKPOINTAUDIT_UPDATE=1 and this test fails when it drifts.
/// </summary>
public class SampleReportTests
{
    [Fact]
    public async Task Sample_report_matches_the_tools_output_for_samples()
    {
        var result = await CliRun.RunAsync(RepositoryFiles.PathOf("samples"));

        Assert.Equal(AuditCommand.Success, result.ExitCode);
        GeneratedFile.AssertWhole(RepositoryFiles.PathOf("docs", "sample-report.md"), result.Stdout);
    }

    [Fact]
    public async Task Sample_report_names_the_samples_known_risks()
    {
        var report = await CliRun.ReportAsync(RepositoryFiles.PathOf("samples"));

        // Every finding the sample is written to show (samples/DocumentPipeline/expected-findings.txt) is in the report.
        var expected = File.ReadAllLines(RepositoryFiles.PathOf("samples", "DocumentPipeline", "expected-findings.txt"))
            .Where(l => l.StartsWith("CKPT", StringComparison.Ordinal))
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(p => (Rule: p[0], Site: p[1]))
            .ToList();
        Assert.NotEmpty(expected);
        var reported = report.Findings.Concat(report.Suspicious)
            .SelectMany(f => f.Lines.Select(l => (Rule: f.RuleId, Site: $"{f.File.Replace("DocumentPipeline/", string.Empty)}:{l}")))
            .ToHashSet();
        Assert.All(expected, e => Assert.Contains(e, reported));
        Assert.InRange(report.Score.Value, 1, 3); // written the risky way on purpose
    }
}
