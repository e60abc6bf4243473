using CheckpointAudit.RealCodeScan;

// dotnet run -c Release --project tools/RealCodeScan -- <folder> [--include-tests]
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
