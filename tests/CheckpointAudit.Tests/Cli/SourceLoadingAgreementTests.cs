using CheckpointAudit.RealCodeScan;
using CheckpointAudit.Tests.Infrastructure;
using Xunit;

namespace CheckpointAudit.Tests.Cli;

/// <summary>
/// checkpoint-audit and RealCodeScan read a folder through the same loader (CheckpointAudit.Loading): they must find
/// the same sites, rule, file and line, so that precision measured with the scan is the precision users get.
/// </summary>
public class SourceLoadingAgreementTests
{
    [Fact]
    public async Task The_audit_and_the_scan_find_the_same_sites_in_the_sample()
    {
        var folder = RepositoryFiles.PathOf("samples");
        var report = await CliRun.ReportAsync(folder, "--no-fix-preview");
        var audited = report.Findings.Concat(report.Suspicious)
            .SelectMany(f => f.Lines.Select(line => $"{f.RuleId} {f.File}:{line}"))
            .Order(StringComparer.Ordinal).ToList();

        var scanned = new List<string>();
        await foreach (var project in RealCodeScanner.ScanAsync(folder, includeTests: false))
        {
            scanned.AddRange(project.Findings.Select(f => $"{f.RuleId} {f.File.Replace('\\', '/')}:{f.Line}"));
        }

        Assert.NotEmpty(audited);
        Assert.Equal(audited, scanned.Distinct().Order(StringComparer.Ordinal));
    }
}
