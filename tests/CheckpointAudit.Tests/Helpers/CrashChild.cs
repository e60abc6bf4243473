using System.Diagnostics;
using System.Reflection;
using CheckpointAudit.Helpers;
using CheckpointAudit.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace CheckpointAudit.Tests.Helpers;

/// <summary>
/// A child program, compiled at test time from the generated helper's source, that writes one new
/// version of a file with CheckpointFile.WriteAllText, CheckpointFile.Save, a CheckpointFile.CreateText writer or File.WriteAllText.
/// It runs with a kill point (<see cref="CrashPoint"/>): SIGKILLed just before a chosen file operation
/// of that write, so every kill lands inside the write; the parent checks what is left on disk.
/// </summary>
internal sealed class CrashChild
{
    private const string ProgramSource = """
        using System;
        using System.IO;
        using System.Text;

        public static class Content
        {
            // "v=<version>;n=<length>\n" + <length> chars derived from the version + "\nend=<version>\n"
            public static string Build(long version, int length)
            {
                var text = new StringBuilder(length + 64);
                text.Append("v=").Append(version).Append(";n=").Append(length).Append('\n');
                for (int i = 0; i < length; i++)
                {
                    text.Append((char)('a' + (int)((version * 7 + i) % 26)));
                }

                text.Append("\nend=").Append(version).Append('\n');
                return text.ToString();
            }

            /// <summary>The version the text holds if it is one complete version, else -1.</summary>
            public static long CompleteVersion(string text)
            {
                if (!text.StartsWith("v=", StringComparison.Ordinal)) return -1;
                int semicolon = text.IndexOf(';');
                int newline = text.IndexOf('\n');
                if (semicolon < 0 || newline < semicolon) return -1;
                long version;
                int length;
                if (!long.TryParse(text.Substring(2, semicolon - 2), out version)) return -1;
                if (!int.TryParse(text.Substring(semicolon + 3, newline - semicolon - 3), out length)) return -1;
                return text == Build(version, length) ? version : -1;
            }
        }

        public static class Program
        {
            public static int Main(string[] args)
            {
                string mode = args[0];
                string path = args[1];
                int length = int.Parse(args[2]);
                long version = long.Parse(args[3]) + 1;
                string content = Content.Build(version, length);
                if (mode == "helper") CheckpointAudit.CheckpointFile.WriteAllText(path, content);
                else if (mode == "save") CheckpointAudit.CheckpointFile.Save(path, content, text => text);
                else if (mode == "stream")
                {
                    // Written piece by piece through a writer, as a serializer writes to a stream.
                    using (var writer = CheckpointAudit.CheckpointFile.CreateText(path))
                    {
                        for (int i = 0; i < content.Length; i += 8192) writer.Write(content.Substring(i, Math.Min(8192, content.Length - i)));
                        CheckpointAudit.CheckpointFile.Commit(writer);
                    }
                }
                else if (mode == "autocommit")
                {
                    // Handed to a writer that closes it: published when the writer closes it, with no Commit call.
                    using (var writer = new StreamWriter(CheckpointAudit.CheckpointFile.CreateAutoCommit(path)))
                    {
                        for (int i = 0; i < content.Length; i += 8192) writer.Write(content.Substring(i, Math.Min(8192, content.Length - i)));
                    }
                }
                else if (mode == "copy")
                {
                    // The next version copied over the target from a file outside the watched folder.
                    string source = Path.Combine(Path.GetTempPath(), "ckpt-copy-" + System.Diagnostics.Process.GetCurrentProcess().Id + ".src");
                    File.WriteAllText(source, content);
                    CheckpointAudit.CheckpointFile.Copy(source, path, true);
                    File.Delete(source);
                }
                else File.WriteAllText(path, content);
                return 0;
            }
        }
        """;

    private static readonly Lazy<CrashChild> Shared = new(() => new CrashChild());

    private readonly Func<string, long> _completeVersion;
    private readonly Func<long, int, string> _build;

    private CrashChild()
    {
        var directory = Directory.CreateTempSubdirectory("ckpt-crash-child-").FullName;
        AssemblyPath = Path.Combine(directory, "CrashChild.dll");
        var parseOptions = new CSharpParseOptions(LanguageVersion.Latest);
        var helper = CheckpointFileSource.Generate(new HelperFeatures(true, true, true, true));
        var compilation = CSharpCompilation.Create(
            "CrashChild",
            [CSharpSyntaxTree.ParseText(ProgramSource, parseOptions), CSharpSyntaxTree.ParseText(helper, parseOptions)],
            TestReferences.Net100,
            new CSharpCompilationOptions(OutputKind.ConsoleApplication, optimizationLevel: OptimizationLevel.Release));
        var result = compilation.Emit(AssemblyPath);
        if (!result.Success)
        {
            throw new InvalidOperationException("Crash child does not compile: " + string.Join("; ", result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        }

        File.WriteAllText(
            Path.Combine(directory, "CrashChild.runtimeconfig.json"),
            $$$"""{"runtimeOptions":{"tfm":"net10.0","framework":{"name":"Microsoft.NETCore.App","version":"{{{Environment.Version.Major}}}.0.0"},"rollForward":"LatestMinor"}}""");

        // The same Content class, loaded here, validates what the child left behind.
        var content = Assembly.LoadFrom(AssemblyPath).GetType("Content")!;
        _completeVersion = content.GetMethod("CompleteVersion")!.CreateDelegate<Func<string, long>>();
        _build = content.GetMethod("Build")!.CreateDelegate<Func<long, int, string>>();
    }

    public static CrashChild Instance => Shared.Value;

    public string AssemblyPath { get; }

    public string Build(long version, int length) => _build(version, length);

    /// <summary>The version the text holds when it is one complete version; -1 otherwise.</summary>
    public long VersionOf(string text) => _completeVersion(text);

    /// <summary>The version the file holds when it is one complete version; -1 when torn, empty or missing.</summary>
    public long CompleteVersion(string path) => File.Exists(path) ? _completeVersion(File.ReadAllText(path)) : -1;

    /// <summary>
    /// Runs the child to write version <paramref name="version"/> + 1 of <paramref name="path"/>, killed at
    /// <paramref name="point"/> among the file operations in the file's folder.
    /// </summary>
    public CrashPoint.Run Write(string mode, string path, int length, long version, CrashPoint.Point point)
    {
        var start = new ProcessStartInfo(DotnetCli.HostPath);
        foreach (var argument in new[] { AssemblyPath, mode, path, length.ToString(), version.ToString() })
        {
            start.ArgumentList.Add(argument);
        }

        var run = CrashPoint.Execute(start, [Path.GetDirectoryName(path)!], point);
        if (run.Killed == false && run.ExitCode != 0)
        {
            throw new InvalidOperationException($"Crash child failed (exit {run.ExitCode}): {run.Output}");
        }

        return run;
    }
}
