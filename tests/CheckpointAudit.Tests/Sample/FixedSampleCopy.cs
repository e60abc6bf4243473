using CheckpointAudit.Tests.Infrastructure;
using CheckpointAudit.Tests.Packaging;

namespace CheckpointAudit.Tests.Sample;

/// <summary>
/// A copy of the sample with every available CheckpointAudit code fix applied by
/// `dotnet format analyzers`, built beside the original.
/// </summary>
internal static class FixedSampleCopy
{
    public static string Build(string root)
    {
        foreach (var file in new[] { "Directory.Build.props", "Directory.Packages.props", ".editorconfig" })
        {
            File.Copy(RepositoryFiles.PathOf(file), Path.Combine(root, file));
        }

        CopyTree(RepositoryFiles.PathOf("src"), Path.Combine(root, "src"));
        CopyTree(RepositoryFiles.PathOf("samples"), Path.Combine(root, "samples"));
        var project = Path.Combine(root, "samples", "DocumentPipeline", "DocumentPipeline.csproj");

        Run(root, "build", project, "-v", "quiet");
        Run(root, ["format", "analyzers", project, "--diagnostics", .. FixableRules(), "--severity", "warn", "--no-restore"]);
        Run(root, "build", project, "-v", "quiet", "--no-restore");
        return Path.Combine(root, "samples", "DocumentPipeline", "bin", "Debug", "net10.0", "DocumentPipeline.dll");
    }

    private static string[] FixableRules() => CheckpointAudit.Catalog.RuleCatalog.All.Where(r => r.HasFix).Select(r => r.Id).ToArray();

    private static void Run(string root, params string[] arguments)
    {
        var result = DotnetCli.Run(root, SampleApp.PackagesDirectory, arguments);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet {string.Join(' ', arguments)} failed:\n{result}");
        }
    }

    private static void CopyTree(string source, string target)
    {
        foreach (var directory in Directory.GetDirectories(source, "*", SearchOption.AllDirectories))
        {
            if (!IsBuildOutput(directory))
            {
                Directory.CreateDirectory(Path.Combine(target, Path.GetRelativePath(source, directory)));
            }
        }

        Directory.CreateDirectory(target);
        foreach (var file in Directory.GetFiles(source, "*", SearchOption.AllDirectories))
        {
            if (!IsBuildOutput(file))
            {
                File.Copy(file, Path.Combine(target, Path.GetRelativePath(source, file)));
            }
        }
    }

    private static bool IsBuildOutput(string path)
        => path.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj" or "data");
}
