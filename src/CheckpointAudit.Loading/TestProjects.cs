using System.Text.RegularExpressions;

namespace CheckpointAudit.Loading;

/// <summary>Whether a project is a test project, which the tools leave out unless asked to include tests.</summary>
public static partial class TestProjects
{
    /// <summary>
    /// A project that references a test framework, says it is one (&lt;IsTestProject&gt;), or is named or placed like
    /// one relative to <paramref name="root"/> (test projects often get their framework from a Directory.Build.props
    /// that is not read here).
    /// </summary>
    public static bool IsTestProject(string root, string projectFile, string projectText)
        => TestFrameworkReference().IsMatch(projectText)
            || IsTestProjectProperty().IsMatch(projectText)
            || TestProjectPath().IsMatch(Path.GetRelativePath(root, projectFile));

    [GeneratedRegex(@"Include=""(xunit|xunit\.core|xunit\.v3|NUnit|MSTest\.TestFramework|MSTest)""", RegexOptions.IgnoreCase)]
    private static partial Regex TestFrameworkReference();

    [GeneratedRegex(@"<IsTestProject>\s*true\s*</IsTestProject>", RegexOptions.IgnoreCase)]
    private static partial Regex IsTestProjectProperty();

    [GeneratedRegex(@"(^|[./\\])(tests?|[^/\\]*\.(tests?|functests?|integrationtests?|unittests?|test\.utility))([/\\]|$)", RegexOptions.IgnoreCase)]
    private static partial Regex TestProjectPath();
}
