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

            // Only the project's own file, and only unconditional properties: a repository-wide IsPublishable in
            // Directory.Build.props, or one set for a configuration, says how a build ships, not that a project is a tool.
            var properties = System.Xml.Linq.XDocument.Load(projectFile).Root?.Elements()
                .Where(e => e.Name.LocalName == "PropertyGroup" && e.Attribute("Condition") is null)
                .SelectMany(g => g.Elements().Where(p => p.Attribute("Condition") is null))
                .ToList() ?? [];
            string? Last(string name) => properties.LastOrDefault(p => p.Name.LocalName == name)?.Value.Trim();
            return string.Equals(Last("IsPublishable"), "false", StringComparison.OrdinalIgnoreCase)
                && Last("OutputType") is { } output && (output.Equals("Exe", StringComparison.OrdinalIgnoreCase) || output.Equals("WinExe", StringComparison.OrdinalIgnoreCase));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Xml.XmlException)
        {
            return false;
        }
    }

    [GeneratedRegex(@"(^|/)(tools?|buildtools|build|eng|scripts)/|(builder|tools?|setup|installer|updater)\.csproj$", RegexOptions.IgnoreCase)]
    private static partial Regex ToolProjectPath();
}
