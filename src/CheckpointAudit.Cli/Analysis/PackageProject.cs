using System.Text.RegularExpressions;

namespace CheckpointAudit.Cli.Analysis;

/// <summary>Whether a project file describes a NuGet package: a library published for other programs to call.</summary>
internal static partial class PackageProject
{
    public static bool Describes(string projectFile)
    {
        try
        {
            return PackageProperty().IsMatch(File.ReadAllText(projectFile));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    // Package metadata (PackageId, PackageTags, PackageLicenseExpression, PackageProjectUrl…), or packing switched on.
    [GeneratedRegex(@"<Package(Id|Tags|License\w*|ProjectUrl|ReadmeFile|Description|Icon)\b|<GeneratePackageOnBuild>\s*true|<IsPackable>\s*true", RegexOptions.IgnoreCase)]
    private static partial Regex PackageProperty();
}
