using System.Text.RegularExpressions;

namespace CheckpointAudit.Loading;

/// <summary>
/// Whether a project is a build, release or maintenance tool rather than part of the product: what such a tool writes
/// (packages, generated sources, rewritten license headers, installed program files) is produced again by running it
/// again, so the audit treats its findings as one-shot writes (at most MEDIUM). Decided by where the project lives
/// and how it is named, as for test projects: a folder named tools, tool, buildtools, build, eng or scripts on the way
/// from the audit root, or a project named …Builder, …Tool(s), …Setup, …Installer or …Updater.
/// </summary>
public static partial class ToolProjects
{
    public static bool IsToolProject(string root, string projectFile)
        => ToolProjectPath().IsMatch(Path.GetRelativePath(root, projectFile).Replace('\\', '/'));

    [GeneratedRegex(@"(^|/)(tools?|buildtools|build|eng|scripts)/|(builder|tools?|setup|installer|updater)\.csproj$", RegexOptions.IgnoreCase)]
    private static partial Regex ToolProjectPath();
}
