using CheckpointAudit.Loading;
using Xunit;

namespace CheckpointAudit.Tests.Loading;

/// <summary>Build, release and maintenance tools are told from the product by where they live and how they are named.</summary>
public class ToolProjectsTests
{
    private static readonly string Root = Path.Combine(Path.GetTempPath(), "repo");

    [Theory]
    [InlineData("BuildTools/LicenseUpdater/LicenseUpdater.csproj")]
    [InlineData("Tools/TestDataGenerator/TestDataGenerator.csproj")]
    [InlineData("src/tools/Gen/Gen.csproj")]
    [InlineData("ReleaseBuilder/ReleaseBuilder.csproj")]
    [InlineData("Duplicati/CommandLine/RecoveryTool/Duplicati.CommandLine.RecoveryTool.csproj")]
    [InlineData("ShareX.Setup/ShareX.Setup.csproj")]
    [InlineData("src/Jackett.Updater/Jackett.Updater.csproj")]
    [InlineData("eng/Versioning/Versioning.csproj")]
    public void Tools(string path) => Assert.True(ToolProjects.IsToolProject(Root, Path.Combine(Root, path)));

    [Theory]
    [InlineData("src/Jackett.Common/Jackett.Common.csproj")]
    [InlineData("Duplicati/Server/Duplicati.Server.csproj")]
    [InlineData("src/Toolbox/Toolbox.csproj")]            // a word that starts like "tool" is not the word
    [InlineData("src/BuildingBlocks/BuildingBlocks.csproj")]
    [InlineData("src/App.Settings/App.Settings.csproj")]
    public void Product(string path) => Assert.False(ToolProjects.IsToolProject(Root, Path.Combine(Root, path)));
}
