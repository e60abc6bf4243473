using Xunit;

namespace CheckpointAudit.Tests.Infrastructure;

/// <summary>
/// A copy of samples/ in a temporary folder that builds against the analyzers as built for these tests and the
/// package's build files from the repository (nothing under src/ is rebuilt); deleted when disposed.
/// </summary>
internal sealed class SampleCopy : IDisposable
{
    public SampleCopy(string prefix)
    {
        Root = Path.Combine(Path.GetTempPath(), prefix + Guid.NewGuid().ToString("N"));
        foreach (var file in new[] { "Directory.Packages.props", ".editorconfig" })
        {
            Copy(RepositoryFiles.PathOf(file), Path.Combine(Root, file));
        }

        var samples = RepositoryFiles.PathOf("samples");
        foreach (var file in Directory.GetFiles(samples, "*", SearchOption.AllDirectories).Where(f => !Path.GetRelativePath(samples, f).Split(Path.DirectorySeparatorChar).Any(p => p is "bin" or "obj" or "data")))
        {
            Copy(file, Path.Combine(Root, "samples", Path.GetRelativePath(samples, file)));
        }

        var repositorySrc = RepositoryFiles.PathOf("src") + Path.DirectorySeparatorChar;
        var analyzers = Path.Combine(AppContext.BaseDirectory, "CheckpointAudit.Analyzers.dll");
        Edit("samples/Directory.Build.props", text => System.Text.RegularExpressions.Regex.Replace(
            text.Replace("$(MSBuildThisFileDirectory)..\\src\\", repositorySrc),
            @"<ItemGroup>\s*<ProjectReference[\s\S]*?</ItemGroup>",
            $"<ItemGroup><Analyzer Include=\"{analyzers}\" /></ItemGroup>"));
        Edit("samples/Directory.Build.targets", text => text.Replace("$(MSBuildThisFileDirectory)..\\src\\", repositorySrc));
    }

    public string Root { get; }

    /// <summary>The sample project's folder in the copy.</summary>
    public string Project => Path.Combine(Root, "samples", "DocumentPipeline");

    public string ProjectFile => Path.Combine(Project, "DocumentPipeline.csproj");

    /// <summary>Changes a file of the copy (path relative to its root); the change must change something.</summary>
    public void Edit(string relative, Func<string, string> change)
    {
        var path = Path.Combine(Root, relative);
        var text = File.ReadAllText(path);
        var changed = change(text);
        Assert.NotEqual(text, changed);
        File.WriteAllText(path, changed);
    }

    private static void Copy(string source, string target)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.Copy(source, target);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }
}
