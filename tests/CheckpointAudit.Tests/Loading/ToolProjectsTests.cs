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

    // What the project file says: an executable nobody publishes runs from the build (a localizer the build calls).
    [Theory]
    [InlineData("<OutputType>Exe</OutputType><IsPublishable>false</IsPublishable>", true)]
    [InlineData("<OutputType>\n    WinExe\n  </OutputType>\n  <IsPublishable> False </IsPublishable>", true)]
    [InlineData("<OutputType>Exe</OutputType>", false)]                                  // a published program
    [InlineData("<OutputType>Exe</OutputType><IsPublishable>true</IsPublishable>", false)]
    [InlineData("<IsPublishable>false</IsPublishable>", false)]                           // a library ships inside the program that references it
    [InlineData("<OutputType>Exe</OutputType><!-- <IsPublishable>false</IsPublishable> -->", false)]
    [InlineData("<OutputType>Exe</OutputType><IsPublishable Condition=\"'$(Configuration)' == 'Debug'\">false</IsPublishable>", false)]
    public void ProjectFile(string properties, bool tool)
    {
        var folder = Directory.CreateTempSubdirectory("tool-projects-");
        try
        {
            var project = Path.Combine(folder.FullName, "installer", "addins", "App.AddinUtils.csproj");
            Directory.CreateDirectory(Path.GetDirectoryName(project)!);
            File.WriteAllText(project, $"<Project Sdk=\"Microsoft.NET.Sdk\">\n  <PropertyGroup>\n    {properties}\n  </PropertyGroup>\n</Project>\n");
            Assert.Equal(tool, ToolProjects.IsToolProject(folder.FullName, project));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
