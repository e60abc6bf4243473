using CheckpointAudit.Benchmarks;

// dotnet run -c Release --project bench/CheckpointAudit.Benchmarks -- [folder...] [--samples N] [--warmup N] [--json FILE] [--no-peers] [--rules IDS]
try
{
    var arguments = BenchmarkArguments.Parse(args);
    var ours = AnalyzerSet.CheckpointAudit(arguments.Rules);
    Measurement.WithoutCollections = !arguments.Collections;
    Measurement.BodiesBound = arguments.BodiesBound;
    var source = SourceCompilation.Load(arguments.Folders);
    var binding = source.MeasureBinding();
    Console.Error.WriteLine($"{binding.Files} files, {binding.CompileErrors} compile errors, {binding.UnresolvedShare:P1} of {binding.Invocations} invocations unresolved");

    var empty = AnalyzerSet.Empty();
    var peers = arguments.Peers ? new[] { AnalyzerSet.NetAnalyzers(), AnalyzerSet.Meziantou() } : [];
    var sets = new[] { empty, ours }.Concat(peers).ToArray();

    var compileTimes = new List<TimeSpan>();
    var runs = sets.ToDictionary(s => s.Name, _ => new List<AnalyzerRun>());
    for (var sample = -arguments.Warmup; sample < arguments.Samples; sample++)
    {
        Console.Error.WriteLine(sample < 0 ? $"warm-up {sample + arguments.Warmup + 1}/{arguments.Warmup}" : $"sample {sample + 1}/{arguments.Samples}");
        var compile = Measurement.Compile(source);
        var results = new List<(AnalyzerSet Set, AnalyzerRun Run)>();
        foreach (var set in sets)
        {
            results.Add((set, await Measurement.Analyze(source, set)));
        }

        // Each rule's check time, from one more run of CheckpointAudit's analyzers with the checks timed.
        var timed = await Measurement.Analyze(source, ours, timeChecks: true);
        results = results.Select(r => r.Set == ours ? (r.Set, r.Run with { PerCheck = timed.PerCheck }) : r).ToList();

        if (sample >= 0)
        {
            compileTimes.Add(compile);
            foreach (var (set, run) in results)
            {
                runs[set.Name].Add(run);
            }
        }
    }

    var report = BenchmarkReport.Create(arguments, binding, compileTimes, ours, empty, peers, runs);
    Console.WriteLine(report.ToMarkdown());
    if (arguments.JsonPath is { } jsonPath)
    {
        File.WriteAllText(jsonPath, report.ToJson());
    }

    return 0;
}
catch (InputException error)
{
    Console.Error.WriteLine("checkpoint-audit benchmark: " + error.Message);
    return 2;
}
