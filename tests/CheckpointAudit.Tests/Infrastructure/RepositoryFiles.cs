namespace CheckpointAudit.Tests.Infrastructure;

/// <summary>Paths inside the repository the tests run from.</summary>
internal static class RepositoryFiles
{
    public static string Root { get; } = FindRoot();

    public static string PathOf(params string[] parts) => Path.Combine(new[] { Root }.Concat(parts).ToArray());

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "CheckpointAudit.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("CheckpointAudit.sln not found above " + AppContext.BaseDirectory);
    }
}
