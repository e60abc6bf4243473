using CheckpointAudit.Tests.Infrastructure;
using CheckpointAudit.Tests.Packaging;

namespace CheckpointAudit.Tests.Sample;

/// <summary>
/// A copy of the sample with every available CheckpointAudit code fix applied by
/// `dotnet format analyzers`, built beside the original.
/// </summary>
internal static class FixedSampleCopy
{
    /// <summary>The built copy's assembly, and the CheckpointAudit findings its build still reports ("CKPT201 Storage/X.cs:12").</summary>
    public sealed record Result(string AssemblyPath, IReadOnlyList<string> RemainingFindings);

    public static Result Build(string root)
    {
        foreach (var file in new[] { "Directory.Build.props", "Directory.Packages.props", ".editorconfig" })
        {
            File.Copy(RepositoryFiles.PathOf(file), Path.Combine(root, file));
        }

        CopyTree(RepositoryFiles.PathOf("src"), Path.Combine(root, "src"));
        CopyTree(RepositoryFiles.PathOf("samples"), Path.Combine(root, "samples"));
        var project = Path.Combine(root, "samples", "DocumentPipeline", "DocumentPipeline.csproj");

        Run(root, "build", project, "-v", "quiet");
        // Twice: one fix can leave a finding of another rule that has a fix (CKPT205 makes the summary's open truncate,
        // which CKPT201 then reports and rewrites), as a user running format again would see.
        Run(root, ["format", "analyzers", project, "--diagnostics", .. FixableRules(), "--severity", "warn", "--no-restore"]);
        Run(root, ["format", "analyzers", project, "--diagnostics", .. FixableRules(), "--severity", "warn", "--no-restore"]);
        var build = Run(root, "build", project, "-v", "quiet", "--no-restore");
        var sample = Path.Combine(root, "samples", "DocumentPipeline") + Path.DirectorySeparatorChar;
        var remaining = System.Text.RegularExpressions.Regex.Matches(build.Output, @"(?<file>\S+\.cs)\((?<line>\d+),\d+\): warning (?<id>CKPT\d+)")
            .Select(m => $"{m.Groups["id"].Value} {m.Groups["file"].Value.Replace(sample, string.Empty).Replace('\\', '/')}:{m.Groups["line"].Value}")
            .Distinct()
            .Order()
            .ToList();
        return new Result(Path.Combine(root, "samples", "DocumentPipeline", "bin", "Debug", "net10.0", "DocumentPipeline.dll"), remaining);
    }

    private static string[] FixableRules() => CheckpointAudit.Catalog.RuleCatalog.All.Where(r => r.HasFix).Select(r => r.Id).ToArray();

    private static DotnetCli.Result Run(string root, params string[] arguments)
    {
        var result = DotnetCli.Run(root, SampleApp.PackagesDirectory, arguments);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet {string.Join(' ', arguments)} failed:\n{result}");
        }

        return result;
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
