using CheckpointAudit.RealCodeScan;

// dotnet run -c Release --project tools/RealCodeScan -- <folder> [--include-tests]
// dotnet run -c Release --project tools/RealCodeScan -- --corpus docs/calibration/real-defects.tsv <checkouts> [--id TEXT] [--rule CKPTnnn]
if (args.Length >= 3 && args[0] == "--corpus")
{
    if (!File.Exists(args[1]) || !Directory.Exists(args[2]))
    {
        Console.Error.WriteLine("usage: RealCodeScan --corpus <corpus.tsv> <folder of checkouts named owner+name@commit12> [--id TEXT] [--rule CKPTnnn]");
        return 2;
    }

    string? Option(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    var sites = DefectCorpus.Read(args[1])
        .Where(s => Option("--id") is not { } id || s.Id.Contains(id, StringComparison.Ordinal) || s.Pair.Contains(id, StringComparison.Ordinal))
        .Where(s => Option("--rule") is not { } rule || s.Rule == rule)
        .ToList();
    var failures = 0;
    var results = await DefectCorpus.ScoreAsync(args[2], sites, failure =>
    {
        failures++;
        Console.WriteLine(failure);
    });
    DefectCorpus.Print(results, Console.WriteLine);
    Console.WriteLine($"# {failures} analyzer exceptions");
    return 0;
}

if (args.Length == 0 || !Directory.Exists(args[0]))
{
    Console.Error.WriteLine("usage: RealCodeScan <folder> [--include-tests]");
    return 2;
}

var root = Path.GetFullPath(args[0]);
var total = 0;
var projects = 0;
var skipped = 0;
var compileTime = TimeSpan.Zero;
var perAnalyzer = new Dictionary<string, TimeSpan>();

await foreach (var project in RealCodeScanner.ScanAsync(root, args.Contains("--include-tests"), _ => skipped++, Console.WriteLine))
{
    projects++;
    compileTime += project.CompileTime;
    foreach (var (analyzer, time) in project.AnalyzerTimes)
    {
        perAnalyzer[analyzer] = perAnalyzer.GetValueOrDefault(analyzer) + time;
    }

    var name = project.ProjectFile is null ? project.Name + " (files outside any project)" : Path.GetRelativePath(root, project.ProjectFile);
    var role = project.ProjectFile is not null && CheckpointAudit.Loading.ToolProjects.IsToolProject(root, project.ProjectFile) ? " (tool project: findings are one-shot)" : string.Empty;
    Console.WriteLine($"## {name}{role}: {project.Files} files, {project.CompileErrors} compile errors, {project.Findings.Count} findings");
    foreach (var finding in project.Findings)
    {
        Console.WriteLine($"{finding.RuleId} {finding.File}:{finding.Line}  {finding.Text}" + (finding.Holds is null ? string.Empty : $"  [{finding.Holds}]"));
        total++;
    }
}

var analyzerTime = perAnalyzer.Values.Aggregate(TimeSpan.Zero, (a, b) => a + b);
Console.WriteLine($"# {total} findings in {projects} projects ({skipped} test projects skipped)");
// A rough single-run figure; bench/ holds the measured numbers.
Console.WriteLine($"# compiler diagnostics {compileTime.TotalMilliseconds:F0} ms, CheckpointAudit analyzers {analyzerTime.TotalMilliseconds:F0} ms ({100 * analyzerTime.TotalMilliseconds / Math.Max(1, compileTime.TotalMilliseconds):F2} %)");
Console.WriteLine("# per analyzer: " + string.Join(", ", perAnalyzer.OrderByDescending(p => p.Value).Select(p => $"{p.Key} {p.Value.TotalMilliseconds:F0} ms")));
return 0;
