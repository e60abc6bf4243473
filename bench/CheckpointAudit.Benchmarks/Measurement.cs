using System.Collections.Immutable;
using System.Diagnostics;
using CheckpointAudit.Hosting;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace CheckpointAudit.Benchmarks;

/// <summary>One analyzer run on a fresh compilation: wall time, allocations, and each analyzer's own execution time.</summary>
/// <remarks><see cref="PerCheck"/>: the time each rule's check took inside its category analyzer (CheckpointAudit's set only).</remarks>
internal sealed record AnalyzerRun(TimeSpan Wall, long AllocatedBytes, IReadOnlyDictionary<string, TimeSpan> PerAnalyzer, IReadOnlyDictionary<string, TimeSpan> PerCheck, int Diagnostics, int AnalyzerExceptions, Collections Collections)
{
    public TimeSpan Sum => PerAnalyzer.Values.Aggregate(TimeSpan.Zero, (a, b) => a + b);
}

/// <summary>
/// Runs the compiler alone and each analyzer set on fresh compilations of the same trees, one after the other in
/// every sample (so slow phases of the machine spread over all of them), analysis not concurrent so that each
/// analyzer's execution time is its own.
/// </summary>
internal static class Measurement
{
    /// <summary>
    /// Whether the measured runs keep the collector out (the default). The compiler allocates gigabytes per run and keeps
    /// much of it alive, so each collection stops every thread for 100–200 ms, and Roslyn's clock charges the pause to
    /// whichever analyzer callback is running: a handful of such pauses per run, landing by chance, was most of the
    /// spread between samples. Without them an analyzer's execution time is its own work.
    /// </summary>
    public static bool WithoutCollections { get; set; } = true;

    /// <summary>
    /// Whether every member body is bound before each analyzer run, through the semantic models the driver itself uses.
    /// The driver binds each body once for all analyzers that look at operations, and an analyzer that follows a call
    /// into a body not yet visited is charged for binding it; with this, each analyzer's time is its own work.
    /// </summary>
    public static bool BodiesBound { get; set; }

    /// <summary>The compiler's own GetDiagnostics on a fresh compilation.</summary>
    public static TimeSpan Compile(SourceCompilation source)
    {
        var compilation = source.Create();
        Collect();
        using var region = CollectionFreeRegion.Enter(WithoutCollections);
        var watch = Stopwatch.StartNew();
        _ = compilation.GetDiagnostics();
        return watch.Elapsed;
    }

    /// <summary>
    /// Compiler and analyzer diagnostics with <paramref name="set"/>, every rule of it on; with <paramref name="timeChecks"/>,
    /// each check timed inside its category analyzer (a separate run: the clock reads would inflate the analyzers' totals).
    /// </summary>
    public static async Task<AnalyzerRun> Analyze(SourceCompilation source, AnalyzerSet set, bool timeChecks = false)
    {
        var compilation = source.Create(set.RuleSeverities);
        var exceptions = 0;
        var options = new CompilationWithAnalyzersOptions(
            new AnalyzerOptions([]),
            (_, _, _) => Interlocked.Increment(ref exceptions),
            concurrentAnalysis: false,
            logAnalyzerExecutionTime: true,
            reportSuppressedDiagnostics: false);
        var withAnalyzers = compilation.WithAnalyzers(set.Analyzers, options);

        // The compiler's own set-up of a fresh compilation (resolving references, merging declarations) happens on its
        // first symbol lookup. In a build the compiler has done it before analyzers start; left here, it would be
        // charged to whichever analyzer asks for a type first. It is part of T_compile, and done before every set's run.
        _ = compilation.GetTypeByMetadataName("System.Object");
        if (BodiesBound)
        {
            BindBodies(withAnalyzers.Compilation);
        }

        CheckTimings.Enabled = timeChecks;
        CheckTimings.Reset();
        Collect();
        using var region = CollectionFreeRegion.Enter(WithoutCollections);
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var watch = Stopwatch.StartNew();
        var diagnostics = await withAnalyzers.GetAnalyzerDiagnosticsAsync();
        var wall = watch.Elapsed;
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        var collections = region.Exit();
        var perCheck = timeChecks ? CheckTimings.Snapshot() : new Dictionary<string, TimeSpan>();
        CheckTimings.Enabled = false;

        var perAnalyzer = new Dictionary<string, TimeSpan>(StringComparer.Ordinal);
        foreach (var analyzer in set.Analyzers)
        {
            var telemetry = await withAnalyzers.GetAnalyzerTelemetryInfoAsync(analyzer, CancellationToken.None);
            var name = analyzer.GetType().FullName ?? analyzer.GetType().Name;
            perAnalyzer[name] = perAnalyzer.GetValueOrDefault(name) + telemetry.ExecutionTime;
        }

        var reported = diagnostics.Count(d => d.Severity != DiagnosticSeverity.Hidden && !d.Id.StartsWith("CS", StringComparison.Ordinal));
        return new AnalyzerRun(wall, allocated, perAnalyzer, perCheck, reported, exceptions, collections);
    }

    /// <summary>Every method, accessor and initializer body's operations, from the models the analyzer driver shares.</summary>
    private static void BindBodies(Compilation compilation)
    {
        foreach (var tree in compilation.SyntaxTrees)
        {
            var model = compilation.GetSemanticModel(tree);
            foreach (var node in tree.GetRoot().DescendantNodes())
            {
                if (node is Microsoft.CodeAnalysis.CSharp.Syntax.BaseMethodDeclarationSyntax or Microsoft.CodeAnalysis.CSharp.Syntax.AccessorDeclarationSyntax
                    or Microsoft.CodeAnalysis.CSharp.Syntax.EqualsValueClauseSyntax or Microsoft.CodeAnalysis.CSharp.Syntax.ArrowExpressionClauseSyntax { Parent: Microsoft.CodeAnalysis.CSharp.Syntax.PropertyDeclarationSyntax })
                {
                    _ = model.GetOperation(node);
                }
            }
        }
    }

    /// <summary>Garbage from the previous run is not charged to the next.</summary>
    private static void Collect()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }
}

/// <summary>The collections during a measured run and their pauses (none while a no-GC region holds).</summary>
internal readonly record struct Collections(int Count, TimeSpan Pauses);

/// <summary>
/// A stretch of the process with the collector kept out (<see cref="GC.TryStartNoGCRegion(long)"/>), where the machine has
/// the memory for it; <see cref="Exit"/> says how many collections happened all the same (a run that allocated more
/// than the region) and how long they paused the process.
/// </summary>
internal sealed class CollectionFreeRegion : IDisposable
{
    // Enough for a run over the largest inputs measured (about 4 GB allocated), where the machine has three times that.
    private const long Size = 6L << 30;

    private readonly int _collectionsBefore = GC.CollectionCount(0);
    private readonly TimeSpan _pausedBefore = GC.GetTotalPauseDuration();
    private bool _exited;

    private CollectionFreeRegion(bool entered) => Entered = entered;

    public bool Entered { get; }

    public static CollectionFreeRegion Enter(bool wanted)
    {
        var entered = wanted
            && GC.GetGCMemoryInfo().TotalAvailableMemoryBytes >= 3 * Size
            && GC.TryStartNoGCRegion(Size);
        return new CollectionFreeRegion(entered);
    }

    public Collections Exit()
    {
        var collections = new Collections(GC.CollectionCount(0) - _collectionsBefore, GC.GetTotalPauseDuration() - _pausedBefore);
        Dispose();
        return collections;
    }

    public void Dispose()
    {
        if (_exited)
        {
            return;
        }

        _exited = true;
        if (Entered && System.Runtime.GCSettings.LatencyMode == System.Runtime.GCLatencyMode.NoGCRegion)
        {
            GC.EndNoGCRegion();
        }
    }
}

/// <summary>Median and spread of a set of samples.</summary>
internal readonly record struct Stat(double Median, double Min, double Max)
{
    public static Stat Of(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0)
        {
            return new Stat(0, 0, 0);
        }

        var middle = sorted.Length / 2;
        var median = sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
        return new Stat(median, sorted[0], sorted[^1]);
    }

    /// <summary>"12.3 ms (11.9–13.0)".</summary>
    public string Milliseconds => $"{Median:F1} ms ({Min:F1}–{Max:F1})";
}
