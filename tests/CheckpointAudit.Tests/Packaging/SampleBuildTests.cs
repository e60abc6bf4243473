using System.Text.RegularExpressions;
using CheckpointAudit.Tests.Infrastructure;
using Xunit;

namespace CheckpointAudit.Tests.Packaging;

/// <summary>
/// The README's first command: building the sample shows CheckpointAudit's findings, exactly the
/// ones listed in samples/DocumentPipeline/expected-findings.txt.
/// </summary>
[Collection(DotnetCliCollection.Name)]
public class SampleBuildTests
{
    private static readonly string SampleDirectory = RepositoryFiles.PathOf("samples", "DocumentPipeline");

    [Fact]
    public void Building_the_sample_produces_exactly_the_expected_findings()
    {
        var build = SampleApp.Build();
        Assert.True(build.ExitCode == 0, build.ToString());

        var pattern = new Regex(@"^(?<path>/[^(]+)\((?<line>\d+),\d+\): warning (?<id>CKPT\d{3}):", RegexOptions.Multiline);
        var actual = pattern.Matches(build.Output)
            .Select(m => $"{m.Groups["id"].Value} {Path.GetRelativePath(SampleDirectory, m.Groups["path"].Value.Trim()).Replace('\\', '/')}:{m.Groups["line"].Value}")
            .ToHashSet();
        var expected = File.ReadAllLines(Path.Combine(SampleDirectory, "expected-findings.txt"))
            .Select(l => l.Trim())
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .ToHashSet();

        var unexpected = actual.Except(expected).Order().ToList();
        var missing = expected.Except(actual).Order().ToList();
        Assert.True(unexpected.Count == 0 && missing.Count == 0,
            $"unexpected findings:\n  {string.Join("\n  ", unexpected)}\nmissing findings:\n  {string.Join("\n  ", missing)}");
        Assert.NotEmpty(actual);
    }
}
