using CheckpointAudit.Loading;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace CheckpointAudit.Cli.Loading;

/// <summary>
/// What the input path names and which project files it stands for. A solution or project file is
/// loaded through MSBuild; a folder is read as source files, one compilation per project found in it.
/// </summary>
internal sealed partial class AuditInput
{
    private AuditInput(string path, string root, IReadOnlyList<string> projectFiles, bool isFolder)
    {
        Path = path;
        Root = root;
        ProjectFiles = projectFiles;
        IsFolder = isFolder;
    }

    /// <summary>The full path given.</summary>
    public string Path { get; }

    /// <summary>The folder every reported path is relative to.</summary>
    public string Root { get; }

    /// <summary>The C# projects to analyze, in a stable order (empty for a folder of loose files).</summary>
    public IReadOnlyList<string> ProjectFiles { get; }

    public bool IsFolder { get; }

    /// <summary>Projects the solution lists that are not C# (reported, not analyzed).</summary>
    public IReadOnlyList<string> SkippedProjects { get; private init; } = [];

    public static AuditInput Resolve(string given)
    {
        var path = System.IO.Path.GetFullPath(given);
        if (Directory.Exists(path))
        {
            if (!SourceFiles.Under(path).Any())
            {
                throw new UsageException($"no C# files under '{given}'.");
            }

            var projects = SourceFiles.Find(path, "*.csproj").Order(StringComparer.Ordinal).ToList();
            return new AuditInput(path, path, projects, isFolder: true);
        }

        if (!File.Exists(path))
        {
            throw new UsageException($"'{given}' does not exist.");
        }

        var root = System.IO.Path.GetDirectoryName(path)!;
        switch (System.IO.Path.GetExtension(path).ToLowerInvariant())
        {
            case ".csproj":
                return new AuditInput(path, root, [path], isFolder: false);
            case ".sln":
            case ".slnx":
                var listed = ReadSolution(path, given);
                var csharp = listed.Where(p => p.EndsWith(".csproj", StringComparison.OrdinalIgnoreCase)).ToList();
                if (csharp.Count == 0)
                {
                    throw new UsageException($"'{given}' lists no C# projects.");
                }

                return new AuditInput(path, root, csharp, isFolder: false)
                {
                    SkippedProjects = listed.Where(p => !p.EndsWith(".csproj", StringComparison.OrdinalIgnoreCase)).ToList(),
                };
            case ".cs":
                throw new UsageException($"'{given}' is a single C# file: give its folder, project or solution.");
            default:
                throw new UsageException($"'{given}' is not a solution (.sln, .slnx), a C# project (.csproj) or a folder.");
        }
    }

    /// <summary>The project paths a .sln or .slnx lists, made absolute (solution folders left out).</summary>
    private static List<string> ReadSolution(string solution, string given)
    {
        var directory = System.IO.Path.GetDirectoryName(solution)!;
        string text;
        try
        {
            text = File.ReadAllText(solution);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"cannot read '{given}': {e.Message}");
        }

        IEnumerable<string> relative;
        if (solution.EndsWith(".slnx", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                relative = XDocument.Parse(text).Descendants("Project").Select(p => (string?)p.Attribute("Path")).OfType<string>();
            }
            catch (System.Xml.XmlException e)
            {
                throw new UsageException($"'{given}' is not a valid .slnx file: {e.Message}");
            }
        }
        else
        {
            if (!text.Contains("Microsoft Visual Studio Solution File", StringComparison.Ordinal))
            {
                throw new UsageException($"'{given}' is not a Visual Studio solution file.");
            }

            relative = SolutionProjectLine().Matches(text).Select(m => m.Groups["path"].Value)
                .Where(p => System.IO.Path.HasExtension(p));
        }

        return relative
            .Select(p => System.IO.Path.GetFullPath(System.IO.Path.Combine(directory, p.Replace('\\', System.IO.Path.DirectorySeparatorChar))))
            .Distinct(StringComparer.Ordinal)
            .ToList();
    }

    [GeneratedRegex(@"^Project\(""\{[^}]+\}""\)\s*=\s*""[^""]*""\s*,\s*""(?<path>[^""]+)""", RegexOptions.Multiline)]
    private static partial Regex SolutionProjectLine();
}
