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
            if (Read(props) is { } text)
            {
                texts.Add(text);
                if (!text.Contains("GetPathOfFileAbove", StringComparison.Ordinal))
                {
                    break;
                }
            }
        }

        return texts;
    }

    /// <summary>The file's text; null when it is absent or cannot be read (the build then fails on it, not the audit).</summary>
    private static string? Read(string path)
    {
        try
        {
            return File.Exists(path) ? File.ReadAllText(path) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
