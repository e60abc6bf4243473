using System.Xml.Linq;
using Xunit;

namespace CheckpointAudit.Tests.Packaging;

/// <summary>What a package page shows beside the name: project URL, repository, release notes, readme and icon.</summary>
internal static class PackageMetadata
{
    public static void AssertComplete(string nuspec, IReadOnlyCollection<string> entries)
    {
        var metadata = XDocument.Parse(nuspec).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
        string? Value(string name) => metadata.Elements().SingleOrDefault(e => e.Name.LocalName == name)?.Value;

        Assert.Equal("https://github.com/CheckpointAudit/CheckpointAudit", Value("projectUrl"));
        Assert.Equal("https://github.com/CheckpointAudit/CheckpointAudit", metadata.Elements().Single(e => e.Name.LocalName == "repository").Attribute("url")?.Value);
        Assert.Contains("CHANGELOG.md", Value("releaseNotes"));
        Assert.Equal("MIT", Value("license"));
        var readme = Value("readme");
        Assert.NotNull(readme);
        Assert.Contains(readme, entries);
        Assert.Equal("icon.png", Value("icon"));
        Assert.Contains("icon.png", entries);
    }
}
