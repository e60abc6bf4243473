using CheckpointAudit.Cli;
using CheckpointAudit.Cli.Loading;
using CheckpointAudit.Cli.Report;

namespace CheckpointAudit.Tests.Cli;

/// <summary>checkpoint-audit run in-process, as the command line would run it.</summary>
internal static class CliRun
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public override string ToString() => $"exit {ExitCode}\nstderr: {Stderr}\nstdout: {(Stdout.Length > 2000 ? Stdout[..2000] + "…" : Stdout)}";
    }

    public static async Task<Result> RunAsync(params string[] args)
    {
        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new StringWriter { NewLine = "\n" };
        var exit = await AuditCommand.RunAsync(args, stdout, stderr, showProgress: false, CancellationToken.None);
        return new Result(exit, stdout.ToString(), stderr.ToString());
    }

    /// <summary>The report model for an input, without a writer in between.</summary>
    public static Task<AuditReport> ReportAsync(string path, params string[] options)
        => AuditCommand.AuditAsync(AuditInput.Resolve(path), AuditOptions.Parse([path, .. options]), TextWriter.Null, CancellationToken.None);
}

/// <summary>A folder of generated sources for one test, deleted afterwards.</summary>
internal sealed class SourceFolder : IDisposable
{
    /// <summary>The smallest SDK-style project file, for folders of several projects.</summary>
    public const string SdkProject = "<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup></Project>";

    public SourceFolder(params (string Path, string Text)[] files)
    {
        Root = Path.Combine(Path.GetTempPath(), "ckpt-cli-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
        foreach (var (path, text) in files)
        {
            Write(path, text);
        }
    }

    public string Root { get; }

    public string PathOf(string relative) => Path.Combine(Root, relative);

    public void Write(string relative, string text)
    {
        var full = PathOf(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, text);
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
