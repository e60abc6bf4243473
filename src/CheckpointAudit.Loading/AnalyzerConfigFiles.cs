using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace CheckpointAudit.Loading;

/// <summary>
/// The analyzer configuration a build would give a project read as sources, found as the SDK finds it: every
/// <c>.editorconfig</c> and <c>.globalconfig</c> in the folders above each source file (the compiler then applies
/// <c>root = true</c> and section matching), and the rule severities its <c>&lt;NoWarn&gt;</c> and <c>&lt;WarningsAsErrors&gt;</c> set.
/// </summary>
public static partial class AnalyzerConfigFiles
{
    /// <summary>The configuration files above the sources, nearest folders last (the order does not change their meaning).</summary>
    public static IReadOnlyList<string> Above(IEnumerable<string> sourceFiles)
    {
        var folders = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in sourceFiles)
        {
            // A folder seen before had its ancestors added with it.
            var folder = Path.GetDirectoryName(Path.GetFullPath(file));
            while (folder is not null && folders.Add(folder))
            {
                folder = Path.GetDirectoryName(folder);
            }
        }

        return [.. folders
            .OrderBy(f => f.Length).ThenBy(f => f, StringComparer.Ordinal)
            .SelectMany(f => new[] { Path.Combine(f, ".globalconfig"), Path.Combine(f, ".editorconfig") })
            .Where(File.Exists)];
    }

    /// <summary>The files as documents of a project, each read now; an unreadable one is left out (the build would fail on it).</summary>
    public static IReadOnlyList<DocumentInfo> Documents(ProjectId project, IEnumerable<string> sourceFiles)
    {
        var documents = new List<DocumentInfo>();
        foreach (var path in Above(sourceFiles))
        {
            try
            {
                var text = SourceText.From(File.ReadAllText(path));
                documents.Add(DocumentInfo.Create(DocumentId.CreateNewId(project, path), Path.GetFileName(path), loader: TextLoader.From(TextAndVersion.Create(text, VersionStamp.Default, path)), filePath: path));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
            }
        }

        return documents;
    }

    /// <summary>
    /// The project-level severities of CheckpointAudit rules, as the compiler gets them from MSBuild: a rule in
    /// <c>&lt;NoWarn&gt;</c> is suppressed, one in <c>&lt;WarningsAsErrors&gt;</c> an error (NoWarn wins). Read from the
    /// project file and the Directory.Build.props MSBuild imports (the nearest above it, and the ones above that it
    /// imports with GetPathOfFileAbove). Conditions are not evaluated: a property under a condition counts.
    /// </summary>
    public static IReadOnlyDictionary<string, ReportDiagnostic> ProjectSeverities(string? projectFile, string projectText)
    {
        var texts = DirectoryBuildProps.WithProject(projectFile, projectText);

        IEnumerable<string> Rules(string property)
            => texts.SelectMany(t => Regex.Matches(t, $@"<{property}(?:\s[^>]*)?>([^<]*)</{property}>", RegexOptions.IgnoreCase))
                .SelectMany(m => RuleId().Matches(m.Groups[1].Value)).Select(m => m.Value.ToUpperInvariant());

        var severities = new Dictionary<string, ReportDiagnostic>(StringComparer.Ordinal);
        foreach (var id in Rules("WarningsAsErrors"))
        {
            severities[id] = ReportDiagnostic.Error;
        }

        foreach (var id in Rules("NoWarn"))
        {
            severities[id] = ReportDiagnostic.Suppress;
        }

        return severities;
    }

    [GeneratedRegex(@"\bCKPT\d{3}\b", RegexOptions.IgnoreCase)]
    private static partial Regex RuleId();
}
