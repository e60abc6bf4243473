using CheckpointAudit.Tests.Infrastructure;

namespace CheckpointAudit.Tests.Packaging;

/// <summary>Builds samples/DocumentPipeline (once per test run) and knows where its output is.</summary>
internal static class SampleApp
{
    private static readonly Lazy<DotnetCli.Result> BuildOnce = new(() => DotnetCli.Run(
        RepositoryFiles.Root,
        PackagesDirectory,
        "build", ProjectPath, "-v", "minimal", "--no-incremental"));

    public static string ProjectPath => RepositoryFiles.PathOf("samples", "DocumentPipeline", "DocumentPipeline.csproj");

    public static string AssemblyPath => RepositoryFiles.PathOf("samples", "DocumentPipeline", "bin", "Debug", "net10.0", "DocumentPipeline.dll");

    public static string PackagesDirectory => Environment.GetEnvironmentVariable("NUGET_PACKAGES")
        ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    public static DotnetCli.Result Build() => BuildOnce.Value;
}
