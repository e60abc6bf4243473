using System.Text.RegularExpressions;
using CheckpointAudit.Tests.Infrastructure;
using Xunit;

namespace CheckpointAudit.Tests.Packaging;

/// <summary>The README's first command: building the sample shows CheckpointAudit's findings.</summary>
[Collection(DotnetCliCollection.Name)]
public class SampleBuildTests
{
    [Fact]
    public void Building_the_sample_shows_CKPT201_for_each_in_place_write()
    {
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var build = DotnetCli.Run(RepositoryFiles.Root, packages, "build", RepositoryFiles.PathOf("samples", "DocumentPipeline", "DocumentPipeline.csproj"), "-v", "minimal");

        Assert.True(build.ExitCode == 0, build.ToString());
        var findings = build.Output.Split('\n')
            .Select(l => Regex.Match(l, @"(CheckpointStore\.cs\(\d+,\d+\)): warning CKPT201"))
            .Where(m => m.Success)
            .Select(m => m.Groups[1].Value)
            .Distinct()
            .ToList();
        // WriteAllText, WriteAllTextAsync, XDocument.Save, new StreamWriter, new FileStream(Create).
        Assert.True(findings.Count == 5, build.ToString());
    }
}
