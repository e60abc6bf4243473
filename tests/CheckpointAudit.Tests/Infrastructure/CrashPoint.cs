using System.Diagnostics;
using System.Globalization;

namespace CheckpointAudit.Tests.Infrastructure;

/// <summary>
/// Runs a process with crash_point.so preloaded: it SIGKILLs itself just before the chosen file
/// operation in the watched folders, so a crash test's kill lands inside a write by construction
/// whatever the machine's load. The library is compiled once per test run with the system C compiler.
/// </summary>
internal static class CrashPoint
{
    private static readonly Lazy<string> Library = new(Compile);

    /// <summary>One file operation the process made (or was killed just before).</summary>
    public sealed record Operation(long Index, string Kind, string Path, string? Target, long Bytes, bool Killed)
    {
        public override string ToString() => Target is null ? $"{Kind} {Path}" : $"{Kind} {Path} -> {Target}";
    }

    /// <summary>What one run did: its exit code, whether the kill point was reached, the operations in order.</summary>
    public sealed record Run(int ExitCode, IReadOnlyList<Operation> Operations, string Output)
    {
        public Operation? KilledAt => Operations.FirstOrDefault(o => o.Killed);

        public bool Killed => KilledAt is not null;
    }

    /// <summary>
    /// Where a run is killed: before operation <paramref name="At"/> (1-based; 0 = never), optionally with half of a
    /// write done; with <paramref name="Then"/>, that many operations further on the same thread.
    /// </summary>
    public sealed record Point(long At, bool Tear, long Then = 0)
    {
        public static readonly Point Never = new(0, false);

        public override string ToString() => At == 0 ? "no kill" : $"op {At}{(Then > 0 ? $"+{Then}" : string.Empty)}{(Tear ? " (torn write)" : string.Empty)}";
    }

    /// <summary>
    /// Starts <paramref name="start"/> with the kill point set, waits for it to end (it never has to be
    /// killed from outside: the kill comes from inside), and returns what it did to the watched folders.
    /// </summary>
    /// <param name="match">Only paths containing it count.</param>
    /// <param name="numberOpensOnly">Only opens that create or truncate are numbered for <see cref="Point.At"/> (one per save).</param>
    public static Run Execute(ProcessStartInfo start, IReadOnlyList<string> watchedDirectories, Point point, string? match = null, bool numberOpensOnly = false, TimeSpan? timeout = null)
    {
        var log = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"crash-point-{Guid.NewGuid():N}.log");
        start.Environment["LD_PRELOAD"] = Library.Value;
        start.Environment["CRASH_POINT_DIR"] = string.Join(':', watchedDirectories.Select(d => System.IO.Path.GetFullPath(d).TrimEnd('/')));
        start.Environment["CRASH_POINT_LOG"] = log;
        start.Environment["CRASH_POINT_AT"] = point.At.ToString(CultureInfo.InvariantCulture);
        start.Environment["CRASH_POINT_TEAR"] = point.Tear ? "1" : "0";
        start.Environment["CRASH_POINT_MATCH"] = match ?? string.Empty;
        start.Environment["CRASH_POINT_COUNT"] = numberOpensOnly ? "open" : "all";
        start.Environment["CRASH_POINT_THEN"] = point.Then.ToString(CultureInfo.InvariantCulture);
        start.UseShellExecute = false;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        try
        {
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(timeout ?? TimeSpan.FromMinutes(3)))
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit();
                throw new TimeoutException($"'{start.FileName} {string.Join(' ', start.ArgumentList)}' did not end within its time limit (kill point {point}).");
            }

            process.WaitForExit();
            return new Run(process.ExitCode, ReadLog(log), output.Result + error.Result);
        }
        finally
        {
            File.Delete(log);
        }
    }

    private static List<Operation> ReadLog(string log)
    {
        if (!File.Exists(log))
        {
            return [];
        }

        // "<n> [kill ]<op> <path> [<target> ]<bytes>": paths here never contain spaces (the tests choose them).
        var operations = new List<Operation>();
        foreach (var line in File.ReadAllLines(log))
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var killed = parts.Length > 1 && parts[1] == "kill";
            var rest = parts.Skip(killed ? 2 : 1).ToArray();
            if (rest.Length < 3)
            {
                continue;
            }

            operations.Add(new Operation(
                long.Parse(parts[0], CultureInfo.InvariantCulture),
                rest[0],
                rest[1],
                rest.Length > 3 ? rest[2] : null,
                long.Parse(rest[^1], CultureInfo.InvariantCulture),
                killed));
        }

        return operations.OrderBy(o => o.Index).ToList();
    }

    private static string Compile()
    {
        var source = RepositoryFiles.PathOf("tests", "CheckpointAudit.Tests", "Infrastructure", "crash_point.c");
        var output = System.IO.Path.Combine(Directory.CreateTempSubdirectory("ckpt-crash-point-").FullName, "crash_point.so");
        var compiler = new ProcessStartInfo("cc") { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in new[] { "-shared", "-fPIC", "-O2", "-Wall", "-o", output, source, "-ldl" })
        {
            compiler.ArgumentList.Add(argument);
        }

        try
        {
            using var process = Process.Start(compiler)!;
            var error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0 || !File.Exists(output))
            {
                throw new InvalidOperationException("crash_point.c does not compile: " + error);
            }
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("The crash tests need a C compiler ('cc') to build their kill-point library: " + e.Message, e);
        }

        return output;
    }
}
