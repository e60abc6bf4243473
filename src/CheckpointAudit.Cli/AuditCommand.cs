using System.Diagnostics;
using CheckpointAudit.Cli.Analysis;
using CheckpointAudit.Cli.Loading;
using CheckpointAudit.Loading;
using CheckpointAudit.Cli.Report;

namespace CheckpointAudit.Cli;

/// <summary>
/// checkpoint-audit's whole run: read the arguments, load and analyze the projects one at a time, write the
/// report. Exit codes: 0 done; 1 findings at or above --fail-on (with --baseline: new findings only); 2 bad input or nothing could be analyzed;
/// 3 an unexpected error. Every failure is one line on stderr.
/// </summary>
public static class AuditCommand
{
    public const int Success = 0;
    public const int FindingsAtFailLevel = 1;
    public const int BadInput = 2;
    public const int InternalError = 3;

    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
        => RunAsync(args, stdout, stderr, showProgress: !Console.IsErrorRedirected, CancellationToken.None);

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, bool showProgress, CancellationToken cancellationToken)
    {
        if (args is ["--help" or "-h" or "-?"] || args.Length == 0)
        {
            (args.Length == 0 ? stderr : stdout).WriteLine(AuditOptions.Usage);
            return args.Length == 0 ? BadInput : Success;
        }

        if (args is ["--version"])
        {
            stdout.WriteLine(typeof(AuditCommand).Assembly.GetName().Version?.ToString(3));
            return Success;
        }

        try
        {
            var options = AuditOptions.Parse(args);
            var input = AuditInput.Resolve(options.InputPath);
            var outputPath = WritablePath(options.OutputPath);
            var writeBaselinePath = WritablePath(options.WriteBaselinePath);
            // Read before the analysis: a wrong baseline fails at once, and may be the file --write-baseline replaces.
            var baseline = options.BaselinePath is null ? null : Baseline.Read(options.BaselinePath);

            var progress = (showProgress || options.Progress) && !options.Quiet ? stderr : TextWriter.Null;
            var audited = await AnalyzeAsync(input, options, progress, cancellationToken);
            var report = audited.Report(baseline);
            if (writeBaselinePath is not null)
            {
                WriteAtomically(writeBaselinePath, JsonReportWriter.Write(baseline is null ? report : audited.Report(null)));
            }

            var text = options.Format switch
            {
                ReportFormat.Sarif => SarifReportWriter.Write(report, input.Root),
                ReportFormat.Json => JsonReportWriter.Write(report),
                _ => MarkdownReportWriter.Write(report),
            };
            if (outputPath is null)
            {
                await stdout.WriteAsync(text);
            }
            else
            {
                WriteAtomically(outputPath, text);
            }

            return options.FailOn is { } level && report.Findings.Any(f => ReportBuilder.SeverityRank(f.Severity) <= (int)level)
                ? FindingsAtFailLevel
                : Success;
        }
        catch (UsageException e)
        {
            stderr.WriteLine($"checkpoint-audit: {e.Message}");
            return BadInput;
        }
        catch (OperationCanceledException)
        {
            stderr.WriteLine("checkpoint-audit: cancelled.");
            return InternalError;
        }
        catch (Exception e)
        {
            stderr.WriteLine($"checkpoint-audit: unexpected error ({e.GetType().Name}: {e.Message.ReplaceLineEndings(" ")}); please report it with the command line.");
            return InternalError;
        }
    }

    /// <summary>Every project analyzed, reported against the options' baseline if any.</summary>
    internal static async Task<AuditReport> AuditAsync(AuditInput input, AuditOptions options, TextWriter progress, CancellationToken cancellationToken)
    {
        var baseline = options.BaselinePath is null ? null : Baseline.Read(options.BaselinePath);
        return (await AnalyzeAsync(input, options, progress, cancellationToken)).Report(baseline);
    }

    /// <summary>What the analysis found, before it becomes a report (with or without a baseline).</summary>
    private sealed record Audited(string Name, IReadOnlyList<ProjectResult> Results, IReadOnlyList<ProjectProblem> Problems)
    {
        public AuditReport Report(Baseline? baseline) => ReportBuilder.Build(Name, Results, Problems, baseline);
    }

    private static async Task<Audited> AnalyzeAsync(AuditInput input, AuditOptions options, TextWriter progress, CancellationToken cancellationToken)
    {
        var loader = new ProjectLoader(input, options);
        var results = new List<ProjectResult>();
        var problems = new List<ProjectProblem>();
        var index = 0;
        var total = Stopwatch.StartNew();
        var calls = new ProgramCalls();
        await foreach (var loaded in loader.LoadAsync(cancellationToken))
        {
            using (loaded)
            {
                index++;
                var watch = Stopwatch.StartNew();
                progress.Write($"[{index}/{loader.PlannedCount}] {loaded.Name} ({(loaded.Mode == LoadMode.MSBuild ? "MSBuild" : "sources")})… ");
                try
                {
                    var result = await ProjectAnalyzer.AnalyzeAsync(loaded, input.Root, options, calls, cancellationToken);
                    results.Add(result);
                    progress.WriteLine($"{result.Files} files, {result.Findings.Count} findings, {watch.Elapsed.TotalSeconds:0.0} s");
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // One project failing does not lose the others: it is listed in the report.
                    problems.Add(new ProjectProblem(loaded.Name, loaded.ProjectFile is null ? "." : ProjectAnalyzer.Relative(input.Root, loaded.ProjectFile), $"analysis failed: {e.GetType().Name}: {e.Message.ReplaceLineEndings(" ")}"));
                    progress.WriteLine("failed");
                }
            }
        }

        problems.InsertRange(0, loader.Failures.Select(f => new ProjectProblem(f.Name, ProjectAnalyzer.Relative(input.Root, f.Path), f.Reason)));
        problems.AddRange(input.SkippedProjects.Select(p => new ProjectProblem(Path.GetFileNameWithoutExtension(p), ProjectAnalyzer.Relative(input.Root, p), "not a C# project")));
        if (results.Count == 0)
        {
            throw new UsageException(problems.Count > 0
                ? $"no project could be analyzed ({problems[0].Name}: {problems[0].Reason})."
                : loader.SkippedTestProjects.Count > 0 ? "only test projects found: add --include-tests to analyze them." : "nothing to analyze.");
        }

        // Every project's calls are known now: a finding in a method none of them calls is listed for review.
        UncalledCode.Mark(results, calls, input.Root, everyProjectAnalyzed: problems.Count == 0);
        CaughtByCallers.Mark(results, calls, everyProjectAnalyzed: problems.Count == 0);
        progress.WriteLine($"{results.Count} project{(results.Count == 1 ? "" : "s")} analyzed in {total.Elapsed.TotalSeconds:0.0} s" +
            (loader.SkippedTestProjects.Count > 0 ? $"; {loader.SkippedTestProjects.Count} test project(s) skipped (--include-tests to add them)" : string.Empty));
        var name = Path.GetFileName(input.Path.TrimEnd(Path.DirectorySeparatorChar));
        return new Audited(name, results, problems);
    }

    /// <summary>The full path of a file to write, or a one-line reason it cannot be written there.</summary>
    private static string? WritablePath(string? path)
    {
        var full = path is null ? null : Path.GetFullPath(path);
        return full is not null && !Directory.Exists(Path.GetDirectoryName(full))
            ? throw new UsageException($"cannot write '{path}': its folder does not exist.")
            : full;
    }

    /// <summary>The report replaces an older one in one step: a crash mid-write never leaves half a report.</summary>
    private static void WriteAtomically(string path, string text)
    {
        var temp = Path.Combine(Path.GetDirectoryName(path)!, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
            using (var writer = new StreamWriter(stream))
            {
                writer.Write(text);
                writer.Flush();
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            File.Delete(temp);
            throw new UsageException($"cannot write '{path}': {e.Message}");
        }
    }
}
