namespace CheckpointAudit.Loading;

/// <summary>
/// The texts MSBuild reads for a project before its own targets: the project file, the nearest Directory.Build.props
/// above it, and the ones above that it imports with GetPathOfFileAbove. Conditions are not evaluated.
/// </summary>
internal static class DirectoryBuildProps
{
    public static List<string> WithProject(string? projectFile, string projectText)
    {
        var texts = new List<string> { projectText };
        for (var folder = Path.GetDirectoryName(projectFile); folder is not null; folder = Path.GetDirectoryName(folder))
        {
            var props = Path.Combine(folder, "Directory.Build.props");
            if (File.Exists(props))
            {
                var text = File.ReadAllText(props);
                texts.Add(text);
                if (!text.Contains("GetPathOfFileAbove", StringComparison.Ordinal))
                {
                    break;
                }
            }
        }

        return texts;
    }
}
