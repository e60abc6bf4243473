using System.Text.RegularExpressions;

namespace CheckpointAudit.Loading;

/// <summary>
/// Whether a project is a build, release or maintenance tool rather than part of the product: what such a tool writes
/// (packages, generated sources, rewritten license headers, installed program files) is produced again by running it
/// again, so the audit treats its findings as one-shot writes (at most MEDIUM). Decided by where the project lives
/// and how it is named, as for test projects: a folder named tools, tool, buildtools, build, eng or scripts on the way
/// from the audit root, or a project named …Builder, …Tool(s), …Setup, …Installer or …Updater. A program whose own
/// project file says it is never published (<c>OutputType</c> Exe with <c>IsPublishable</c> false) is one too: it
/// runs from the build, for the people who build the product, and nobody installs it.
/// </summary>
public static partial class ToolProjects
{
    public static bool IsToolProject(string root, string projectFile)
        => ToolProjectPath().IsMatch(Path.GetRelativePath(root, projectFile).Replace('\\', '/')) || IsUnpublishedProgram(projectFile);

    private static bool IsUnpublishedProgram(string projectFile)
    {
        try
        {
            if (!File.Exists(projectFile))
            {
                return false;
            }

            // Only the project's own file: a repository-wide IsPublishable in Directory.Build.props says how the
            // product ships (from the build output), not that a project is a tool.
            var text = File.ReadAllText(projectFile);
            return NotPublishable().IsMatch(text) && Executable().IsMatch(text);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    [GeneratedRegex(@"(^|/)(tools?|buildtools|build|eng|scripts)/|(builder|tools?|setup|installer|updater)\.csproj$", RegexOptions.IgnoreCase)]
    private static partial Regex ToolProjectPath();

    [GeneratedRegex(@"<IsPublishable>\s*false\s*</IsPublishable>", RegexOptions.IgnoreCase)]
    private static partial Regex NotPublishable();

    [GeneratedRegex(@"<OutputType>\s*(Win)?Exe\s*</OutputType>", RegexOptions.IgnoreCase)]
    private static partial Regex Executable();
}
