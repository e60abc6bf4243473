using System.Text.RegularExpressions;

namespace CheckpointAudit.Cli.Analysis;

/// <summary>Whether a project file describes a NuGet package: a library published for other programs to call.</summary>
internal static partial class PackageProject
{
    /// <summary>The project file, or a Directory.Build.props above it (up to the audit root), sets package metadata.</summary>
    public static bool Describes(string projectFile, string root)
    {
        if (Sets(projectFile))
        {
            return true;
        }

        var stop = Path.GetFullPath(root);
        for (var folder = Path.GetDirectoryName(Path.GetFullPath(projectFile)); folder is not null && folder.StartsWith(stop, StringComparison.Ordinal); folder = Path.GetDirectoryName(folder))
        {
            if (Sets(Path.Combine(folder, "Directory.Build.props")))
            {
                return true;
            }
        }

        return false;
    }

    private static bool Sets(string file)
    {
        try
        {
            return File.Exists(file) && PackageProperty().IsMatch(File.ReadAllText(file));
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
