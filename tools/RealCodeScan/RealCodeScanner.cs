using System.Collections.Immutable;
using System.Reflection;
using CheckpointAudit.Catalog;
using CheckpointAudit.Loading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace CheckpointAudit.RealCodeScan;

/// <summary>One finding: rule, file relative to the scanned folder, 1-based line, and that line's text.</summary>
/// <param name="Holds">What the written file holds and why ("Output: the path names a cache"), or null when the rule does not say.</param>
public sealed record ScanFinding(string RuleId, string File, int Line, string Text, string? Holds = null);

/// <summary>One project scanned: its findings, in file and position order.</summary>
public sealed record ScannedProject(string Name, string? ProjectFile, int Files, int CompileErrors, IReadOnlyList<ScanFinding> Findings, TimeSpan CompileTime, IReadOnlyDictionary<string, TimeSpan> AnalyzerTimes);

/// <summary>
/// Every CheckpointAudit rule (MONITOR rules included) over a folder, loaded as checkpoint-audit loads a folder
/// (<see cref="SourceFolder"/>, with the generated helper added as the package adds it), one project at a time.
/// </summary>
public static class RealCodeScanner
{
    private static readonly ImmutableArray<DiagnosticAnalyzer> Analyzers = [.. typeof(RuleCatalog).Assembly.GetTypes()
        .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t) && t.GetCustomAttribute<DiagnosticAnalyzerAttribute>() is not null)
        .OrderBy(t => t.FullName, StringComparer.Ordinal)
        .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)];

    public static IAsyncEnumerable<ScannedProject> ScanAsync(string folder, bool includeTests, Action<string>? skippedTest = null, Action<string>? analyzerFailure = null)
        => ScanAsync(SourceFolder.Read(folder), includeTests, skippedTest, analyzerFailure);

    /// <param name="onlyProjects">When given, only these projects of <paramref name="source"/> (null: its loose files).</param>
    public static async IAsyncEnumerable<ScannedProject> ScanAsync(SourceFolder source, bool includeTests, Action<string>? skippedTest = null, Action<string>? analyzerFailure = null, IReadOnlySet<string?>? onlyProjects = null)
    {
        foreach (var loaded in source.Load(includeTests, skippedTest, onlyProjects))
        {
            using (loaded)
            {
                var project = PackageHelper.AddTo(loaded.Project, await loaded.Project.GetCompilationAsync());
                var compilation = (await project.GetCompilationAsync())!;
                compilation = compilation.WithOptions(compilation.Options.WithSpecificDiagnosticOptions(
                    RuleCatalog.All.Select(r => KeyValuePair.Create(r.Id, ReportDiagnostic.Warn))));
                var compileWatch = System.Diagnostics.Stopwatch.StartNew();
                var errors = compilation.GetDiagnostics().Count(d => d.Severity == DiagnosticSeverity.Error);
                var compileTime = compileWatch.Elapsed;
                var withAnalyzers = compilation.WithAnalyzers(Analyzers, new CompilationWithAnalyzersOptions(
                    project.AnalyzerOptions,
                    (exception, analyzer, _) => analyzerFailure?.Invoke($"AD0001 {analyzer.GetType().Name}: {exception.GetType().Name}: {exception.Message} {exception.StackTrace?.Split('\n').FirstOrDefault()?.Trim()}"),
                    concurrentAnalysis: false,
                    logAnalyzerExecutionTime: true));
                var diagnostics = await withAnalyzers.GetAnalyzerDiagnosticsAsync();
                var times = new Dictionary<string, TimeSpan>(StringComparer.Ordinal);
                foreach (var analyzer in Analyzers)
                {
                    times[analyzer.GetType().Name] = (await withAnalyzers.GetAnalyzerTelemetryInfoAsync(analyzer, CancellationToken.None)).ExecutionTime;
                }

                var findings = diagnostics
                    .Where(d => d.Location.IsInSource)
                    .OrderBy(d => d.Location.SourceTree!.FilePath, StringComparer.Ordinal).ThenBy(d => d.Location.SourceSpan.Start)
                    .Select(d =>
                    {
                        var span = d.Location.GetLineSpan();
                        var text = d.Location.SourceTree!.GetText().Lines[span.StartLinePosition.Line].ToString().Trim();
                        var (held, evidence) = CheckpointAudit.Checks.DataHeldDiagnostic.Read(d);
                        var holds = held == CheckpointAudit.Knowledge.DataHeld.Unclassified ? null : evidence.Length == 0 ? held.ToString() : $"{held}: {evidence}";
                        return new ScanFinding(d.Id, Path.GetRelativePath(source.Root, span.Path), span.StartLinePosition.Line + 1, text, holds);
                    })
                    .ToList();
                var files = project.Documents.Count(d => d.FilePath is not null && !d.Name.EndsWith(".g.cs", StringComparison.Ordinal));
                yield return new ScannedProject(loaded.Name, loaded.ProjectFile, files, errors, findings, compileTime, times);
            }
        }
    }
}
