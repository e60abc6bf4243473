namespace CheckpointAudit.Loading;

/// <summary>Which *.cs files belong to a folder or project when it is read as plain sources.</summary>
public static class SourceFiles
{
    private static readonly HashSet<string> ExcludedFolders = new(StringComparer.OrdinalIgnoreCase) { "bin", "obj", ".git", "node_modules", ".vs" };

    /// <summary>True for paths inside build output, version control or package folders.</summary>
    public static bool IsExcluded(string relativePath)
        => relativePath.Split(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar).SkipLast(1).Any(ExcludedFolders.Contains);

    public static IEnumerable<string> Under(string folder) => Find(folder, "*.cs");

    /// <summary>
    /// The files matching <paramref name="pattern"/> below <paramref name="folder"/>, outside excluded folders.
    /// Linked folders are not entered (a link back up the tree would repeat it without end), and a folder
    /// that cannot be listed is passed over.
    /// </summary>
    public static IEnumerable<string> Find(string folder, string pattern)
    {
        var pending = new Stack<string>();
        pending.Push(folder);
        var options = new EnumerationOptions { IgnoreInaccessible = true, RecurseSubdirectories = false, AttributesToSkip = 0 };
        while (pending.Count > 0)
        {
            var current = pending.Pop();
            List<string> files, folders;
            try
            {
                files = Directory.EnumerateFiles(current, pattern, options).Order(StringComparer.Ordinal).ToList();
                folders = new DirectoryInfo(current).EnumerateDirectories("*", options)
                    .Where(d => d.LinkTarget is null && !ExcludedFolders.Contains(d.Name))
                    .Select(d => d.FullName)
                    .OrderDescending(StringComparer.Ordinal)
                    .ToList();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue;
            }

            foreach (var file in files)
            {
                yield return file;
            }

            foreach (var child in folders)
            {
                pending.Push(child);
            }
        }
    }

    /// <summary>
    /// Each file's owning project folder: the nearest folder above it that holds one of
    /// <paramref name="projectFiles"/>, or null when none does.
    /// </summary>
    public static ILookup<string?, string> ByOwningProject(string root, IEnumerable<string> files, IReadOnlyList<string> projectFiles)
    {
        var projectDirectories = projectFiles.Select(p => Path.GetDirectoryName(p)!).ToHashSet(StringComparer.Ordinal);
        string? Owner(string file)
        {
            for (var d = Path.GetDirectoryName(file); d is not null && d.Length >= root.Length; d = Path.GetDirectoryName(d))
            {
                if (projectDirectories.Contains(d))
                {
                    return d;
                }
            }

            return null;
        }

        return files.Order(StringComparer.Ordinal).ToLookup(Owner);
    }

    /// <summary>A project's own sources: under its folder and not under a nested project's folder.</summary>
    public static List<string> OfProject(string projectFile)
    {
        var directory = Path.GetDirectoryName(projectFile)!;
        var projects = Find(directory, "*.csproj").ToList();
        return ByOwningProject(directory, Under(directory), projects)[directory].ToList();
    }
}
