using System.Globalization;
using System.Text;
using System.Text.Json;
using CheckpointAudit.Hosting;

namespace CheckpointAudit.Benchmarks;

/// <summary>The numbers of one benchmark run and the ratios against the design's targets, as Markdown or JSON.</summary>
internal sealed class BenchmarkReport
{
    // The design's targets: Σours ≤ 2 % of the compiler, each rule ≤ the median NetAnalyzers rule, Σours ≤ ΣMeziantou.
    private const double CompileShareTarget = 0.02;

    public required string[] Input { get; init; }

    public required int Samples { get; init; }

    public required int Warmup { get; init; }

    public required BindingQuality Binding { get; init; }

    public required Stat CompileMs { get; init; }

    public required Stat OursSumMs { get; init; }

    public required Stat OursWallOverEmptyMs { get; init; }

    public required Stat OursAllocatedOverEmptyMB { get; init; }

    /// <summary>Collections during CheckpointAudit's runs and their pauses (charged to whichever callback was running).</summary>
    public required Stat OursCollections { get; init; }

    public required Stat OursCollectionPausesMs { get; init; }

    /// <summary>Whether the runs kept the collector out (<see cref="Measurement.WithoutCollections"/>).</summary>
    public required bool WithoutCollections { get; init; }

    /// <summary>Whether every body was bound before each analyzer run (<see cref="Measurement.BodiesBound"/>).</summary>
    public required bool BodiesBound { get; init; }

    /// <summary>What the driver charges an analyzer that does nothing on every invocation.</summary>
    public required Stat InvocationFloorMs { get; init; }

    /// <summary>Roslyn's execution time of each category analyzer.</summary>
    public required IReadOnlyList<RuleCost> Analyzers { get; init; }

    /// <summary>The time each rule's check took inside its category analyzer (the timing hook's own cost included).</summary>
    public required IReadOnlyList<RuleCost> Rules { get; init; }

    public required IReadOnlyList<PeerCost> Peers { get; init; }

    public required int AnalyzerExceptions { get; init; }

    public double OursShareOfCompile => CompileMs.Median == 0 ? 0 : OursSumMs.Median / CompileMs.Median;

    /// <summary>The best sample of ours over the best compile: on a noisy machine, the pair least disturbed by others.</summary>
    public double OursBestShareOfCompile => CompileMs.Min == 0 ? 0 : OursSumMs.Min / CompileMs.Min;

    /// <summary>
    /// The sum of each analyzer's own median. A collection pause lands in whichever callback is running, so one
    /// sample's sum can carry a pause that no rule caused; the per-analyzer medians leave such outliers out.
    /// </summary>
    public double OursSumOfMediansMs => Analyzers.Sum(r => r.Ms.Median);

    public double OursSumOfMediansShareOfCompile => CompileMs.Median == 0 ? 0 : OursSumOfMediansMs / CompileMs.Median;

    public double? MedianNetAnalyzersRuleMs => Peers.FirstOrDefault(p => p.Name.StartsWith("NetAnalyzers", StringComparison.Ordinal))?.MedianRuleMs;

    public double? OursOverMeziantou => Peers.FirstOrDefault(p => p.Name.StartsWith("Meziantou", StringComparison.Ordinal)) is { SumMs.Median: > 0 } meziantou
        ? OursSumMs.Median / meziantou.SumMs.Median
        : null;

    public static BenchmarkReport Create(
        BenchmarkArguments arguments,
        BindingQuality binding,
        IReadOnlyList<TimeSpan> compileTimes,
        AnalyzerSet ours,
        AnalyzerSet empty,
        IReadOnlyList<AnalyzerSet> peers,
        IReadOnlyDictionary<string, List<AnalyzerRun>> runs)
    {
        var ourRuns = runs[ours.Name];
        var emptyRuns = runs[empty.Name];
        return new BenchmarkReport
        {
            // Folders under the working directory as relative paths, so that a table reads the same on every machine.
            Input = arguments.Folders.Select(f => Path.GetRelativePath(Directory.GetCurrentDirectory(), f) is var relative && !relative.StartsWith("..", StringComparison.Ordinal) && !Path.IsPathRooted(relative) ? relative : f).ToArray(),
            Samples = arguments.Samples,
            Warmup = arguments.Warmup,
            Binding = binding,
            CompileMs = Stat.Of(compileTimes.Select(t => t.TotalMilliseconds)),
            OursSumMs = Stat.Of(ourRuns.Select(r => r.Sum.TotalMilliseconds)),
            OursWallOverEmptyMs = Stat.Of(ourRuns.Zip(emptyRuns, (o, e) => (o.Wall - e.Wall).TotalMilliseconds)),
            OursAllocatedOverEmptyMB = Stat.Of(ourRuns.Zip(emptyRuns, (o, e) => (o.AllocatedBytes - e.AllocatedBytes) / 1048576.0)),
            OursCollections = Stat.Of(ourRuns.Select(r => (double)r.Collections.Count)),
            OursCollectionPausesMs = Stat.Of(ourRuns.Select(r => r.Collections.Pauses.TotalMilliseconds)),
            WithoutCollections = Measurement.WithoutCollections,
            BodiesBound = Measurement.BodiesBound,
            InvocationFloorMs = Stat.Of(emptyRuns.Select(r => r.PerAnalyzer[AnalyzerSet.InvocationFloor].TotalMilliseconds)),
            Analyzers = ours.Analyzers
                .Select(a => new RuleCost(
                    string.Join(", ", a.SupportedDiagnostics.Select(d => d.Id).Distinct()),
                    a.GetType().Name,
                    Stat.Of(ourRuns.Select(r => r.PerAnalyzer[a.GetType().FullName!].TotalMilliseconds))))
                .OrderByDescending(r => r.Ms.Median)
                .ToList(),
            Rules = ours.Analyzers
                .OfType<CategoryAnalyzer>()
                .SelectMany(a => a.Checks.Where(c => ourRuns.Any(r => r.PerCheck.ContainsKey(c.Rule.Id))).Select(c => new RuleCost(
                    c.Rule.Id,
                    c.GetType().Name,
                    Stat.Of(ourRuns.Select(r => r.PerCheck.GetValueOrDefault(c.Rule.Id).TotalMilliseconds)))))
                .OrderByDescending(r => r.Ms.Median)
                .ToList(),
            Peers = peers.Select(p => PeerCost.Of(p, runs[p.Name])).ToList(),
            AnalyzerExceptions = runs.Values.SelectMany(r => r).Sum(r => r.AnalyzerExceptions),
        };
    }

    public string ToMarkdown()
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Input: {string.Join(", ", Input)} — {Binding.Files} files, {Binding.CompileErrors} compile errors, {Binding.UnresolvedShare:P1} of {Binding.Invocations} invocations unresolved.");
        text.AppendLine(CultureInfo.InvariantCulture, $"{Samples} samples after {Warmup} warm-up; {Environment.ProcessorCount} cores; analysis not concurrent; {(WithoutCollections ? "collector kept out of the measured runs (see the collections row)" : "collector running")}{(BodiesBound ? "; every body bound before each run" : string.Empty)}; median (min–max).");
        text.AppendLine();
        text.AppendLine("| measure | value |");
        text.AppendLine("|---|---:|");
        text.AppendLine(CultureInfo.InvariantCulture, $"| T_compile (compiler's GetDiagnostics) | {CompileMs.Milliseconds} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| Σ CheckpointAudit analyzers (execution time, summed per sample) | {OursSumMs.Milliseconds} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| Σ of each CheckpointAudit analyzer's median | {OursSumOfMediansMs:F1} ms |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| floor: an analyzer called on every invocation that returns at once | {InvocationFloorMs.Milliseconds} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| wall with CheckpointAudit − wall with the no-op analyzers | {OursWallOverEmptyMs.Milliseconds} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| allocations with CheckpointAudit − with the no-op analyzers | {OursAllocatedOverEmptyMB.Median:F1} MB ({OursAllocatedOverEmptyMB.Min:F1}–{OursAllocatedOverEmptyMB.Max:F1}) |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| collections during CheckpointAudit's run, and their pauses | {OursCollections.Median:F0} ({OursCollections.Min:F0}–{OursCollections.Max:F0}), {OursCollectionPausesMs.Milliseconds} |");
        foreach (var peer in Peers)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| Σ {peer.Name} ({peer.AnalyzerCount} analyzers, all rules on) | {peer.SumMs.Milliseconds} |");
            text.AppendLine(CultureInfo.InvariantCulture, $"| median {peer.Name} analyzer | {peer.MedianRuleMs:F2} ms |");
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"| **Σours / T_compile** (target ≤ {CompileShareTarget:P0}) | **{OursShareOfCompile:P2}** {Verdict(OursShareOfCompile <= CompileShareTarget)} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| **Σ of medians / T_compile** (target ≤ {CompileShareTarget:P0}) | **{OursSumOfMediansShareOfCompile:P2}** {Verdict(OursSumOfMediansShareOfCompile <= CompileShareTarget)} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| **best Σ / best T_compile** (target ≤ {CompileShareTarget:P0}) | **{OursBestShareOfCompile:P2}** {Verdict(OursBestShareOfCompile <= CompileShareTarget)} |");
        if (OursOverMeziantou is { } overMeziantou)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| **Σours / ΣMeziantou** (target ≤ 1) | **{overMeziantou:F2}** {Verdict(overMeziantou <= 1)} |");
        }

        if (AnalyzerExceptions > 0)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| analyzer exceptions (any set) | {AnalyzerExceptions} |");
        }

        text.AppendLine();
        var median = MedianNetAnalyzersRuleMs;
        text.AppendLine(median is null ? "| category analyzer | rules | execution time |" : $"| category analyzer | rules | execution time | vs median NetAnalyzers analyzer ({median:F2} ms) |");
        text.AppendLine(median is null ? "|---|---|---:|" : "|---|---|---:|---:|");
        foreach (var analyzer in Analyzers)
        {
            var versus = median is { } m ? $" | {(m == 0 ? 0 : analyzer.Ms.Median / m):F1}×" : string.Empty;
            text.AppendLine(CultureInfo.InvariantCulture, $"| {analyzer.Analyzer} | {analyzer.Id} | {analyzer.Ms.Milliseconds}{versus} |");
        }

        text.AppendLine();
        text.AppendLine("| rule | check | time inside its category analyzer |");
        text.AppendLine("|---|---|---:|");
        foreach (var rule in Rules)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {rule.Id} | {rule.Analyzer} | {rule.Ms.Milliseconds} |");
        }

        return text.ToString();
    }

    public string ToJson() => JsonSerializer.Serialize(
        new
        {
            Input,
            Samples,
            Warmup,
            Binding,
            CompileMs,
            OursSumMs,
            OursWallOverEmptyMs,
            OursAllocatedOverEmptyMB,
            WithoutCollections,
            BodiesBound,
            OursCollections,
            OursCollectionPausesMs,
            InvocationFloorMs,
            OursShareOfCompile,
            OursBestShareOfCompile,
            OursSumOfMediansMs,
            OursSumOfMediansShareOfCompile,
            OursOverMeziantou,
            MedianNetAnalyzersRuleMs,
            Peers,
            Analyzers,
            Rules,
            AnalyzerExceptions,
        },
        new JsonSerializerOptions { WriteIndented = true });

    private static string Verdict(bool met) => met ? "(met)" : "(missed)";
}

internal sealed record RuleCost(string Id, string Analyzer, Stat Ms);

internal sealed record PeerCost(string Name, int AnalyzerCount, Stat SumMs, double MedianRuleMs)
{
    public static PeerCost Of(AnalyzerSet set, IReadOnlyList<AnalyzerRun> runs)
    {
        // Each analyzer's median over the samples, then the median over the package's analyzers.
        var perAnalyzer = runs.SelectMany(r => r.PerAnalyzer).GroupBy(p => p.Key).Select(g => Stat.Of(g.Select(p => p.Value.TotalMilliseconds)).Median);
        return new PeerCost(set.Name, set.Analyzers.Length, Stat.Of(runs.Select(r => r.Sum.TotalMilliseconds)), Stat.Of(perAnalyzer).Median);
    }
}
