namespace CheckpointAudit.Loading;

/// <summary>
/// A folder read as sources: one project per *.csproj found in it (its own files: under its folder, not under a
/// nested project's), plus one for the loose files no project owns. Test projects are left out unless asked for.
/// </summary>
public sealed class SourceFolder
{
    private readonly ILookup<string?, string> _byProject;

    private SourceFolder(string root, IReadOnlyList<string> projectFiles, ILookup<string?, string> byProject)
    {
        Root = root;
        ProjectFiles = projectFiles;
        _byProject = byProject;
    }

    /// <summary>The folder, as a full path.</summary>
    public string Root { get; }

    /// <summary>The project files found, in ordinal order.</summary>
    public IReadOnlyList<string> ProjectFiles { get; }

    /// <summary>How many projects <see cref="Load"/> yields at most (loose files included).</summary>
    public int Count => _byProject.Count;

    /// <summary>The project that owns <paramref name="file"/> (a full path under <see cref="Root"/>), or null for a loose file.</summary>
    public string? OwnerOf(string file)
    {
        foreach (var group in _byProject)
        {
            if (group.Contains(file, StringComparer.Ordinal))
            {
                return group.Key is null ? null : ProjectFiles.First(p => string.Equals(Path.GetDirectoryName(p), group.Key, StringComparison.Ordinal));
            }
        }

        return null;
    }

    public static SourceFolder Read(string folder)
    {
        var root = Path.GetFullPath(folder);
        var projects = SourceFiles.Find(root, "*.csproj").Order(StringComparer.Ordinal).ToList();
        return new SourceFolder(root, projects, SourceFiles.ByOwningProject(root, SourceFiles.Under(root), projects));
    }

    /// <summary>
    /// Each project with files, built as <see cref="SourceProjectBuilder.Build"/> does, one at a time (dispose each
    /// before the next); a test project is passed to <paramref name="skippedTest"/> instead unless <paramref name="includeTests"/>.
    /// </summary>
    /// <param name="onlyProjects">When given, only these project files are loaded (the loose files too when it holds null).</param>
    public IEnumerable<LoadedProject> Load(bool includeTests, Action<string>? skippedTest = null, IReadOnlySet<string?>? onlyProjects = null)
    {
        foreach (var projectFile in ProjectFiles)
        {
            if (onlyProjects is not null && !onlyProjects.Contains(projectFile))
            {
                continue;
            }

            var files = _byProject[Path.GetDirectoryName(projectFile)].ToList();
            if (files.Count == 0)
            {
                continue;
            }

            if (!includeTests && TestProjects.IsTestProject(Root, projectFile, File.ReadAllText(projectFile)))
            {
                skippedTest?.Invoke(projectFile);
                continue;
            }

            yield return SourceProjectBuilder.Build(Path.GetFileNameWithoutExtension(projectFile), projectFile, files, note: null);
        }

        var loose = _byProject[null].ToList();
        if (loose.Count > 0 && (onlyProjects is null || onlyProjects.Contains(null)))
        {
            yield return SourceProjectBuilder.Build(Path.GetFileName(Root), projectFile: null, loose, note: null);
        }
    }
}
