using System.Collections.Immutable;
using System.Text.RegularExpressions;
using CheckpointAudit.Catalog;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

// dotnet run --project tools/RealCodeScan -- <folder> [--include-tests]
if (args.Length == 0 || !Directory.Exists(args[0]))
{
    Console.Error.WriteLine("usage: RealCodeScan <folder> [--include-tests]");
    return 2;
}

var root = Path.GetFullPath(args[0]);
var includeTests = args.Contains("--include-tests");
var analyzers = typeof(RuleCatalog).Assembly.GetTypes()
    .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t))
    .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)
    .ToImmutableArray();

static bool Excluded(string path) => path.Split(Path.DirectorySeparatorChar).Any(p => p is "bin" or "obj" or ".git" or "node_modules");

var projects = Directory.GetFiles(root, "*.csproj", SearchOption.AllDirectories).Where(p => !Excluded(p)).ToList();
var projectDirectories = projects.Select(p => Path.GetDirectoryName(p)!).ToHashSet();
var testFramework = new Regex(@"Include=""(xunit|xunit\.core|xunit\.v3|NUnit|MSTest\.TestFramework|MSTest)""", RegexOptions.IgnoreCase);
// A folder-level scan does not evaluate MSBuild imports, so test projects that get their test
// framework from Directory.Build.props are recognised by name and folder instead.
var testProjectName = new Regex(@"(^|[./\\])(tests?|[^/\\]*\.(tests?|functests?|integrationtests?|test\.utility))([/\\]|$)", RegexOptions.IgnoreCase);
var parseOptions = new CSharpParseOptions(LanguageVersion.Latest);
var total = 0;
var skipped = 0;
var compileTime = TimeSpan.Zero;
var analyzerTime = TimeSpan.Zero;
var perAnalyzer = new Dictionary<string, TimeSpan>();

foreach (var project in projects.Order())
{
    var directory = Path.GetDirectoryName(project)!;
    if (!includeTests && (testFramework.IsMatch(File.ReadAllText(project)) || testProjectName.IsMatch(Path.GetRelativePath(root, project))))
    {
        skipped++;
        continue;
    }

    // The project's own files: under its folder, not under a nested project's folder.
    var files = Directory.GetFiles(directory, "*.cs", SearchOption.AllDirectories)
        .Where(f => !Excluded(Path.GetRelativePath(root, f)))
        .Where(f => OwningProject(f) == directory)
        .ToList();
    if (files.Count == 0)
    {
        continue;
    }

    var trees = files.Select(f => CSharpSyntaxTree.ParseText(File.ReadAllText(f), parseOptions, f)).ToList();
    // The SDK's implicit global usings, for projects that turn them on.
    if (Regex.IsMatch(File.ReadAllText(project), @"<ImplicitUsings>\s*(enable|true)\s*</ImplicitUsings>", RegexOptions.IgnoreCase))
    {
        trees.Add(CSharpSyntaxTree.ParseText(
            "global using System; global using System.Collections.Generic; global using System.IO; global using System.Linq; global using System.Net.Http; global using System.Threading; global using System.Threading.Tasks;",
            parseOptions,
            "ImplicitUsings.g.cs"));
    }

    // The SDK marks assemblies of -windows target frameworks as Windows-only; so does the scan.
    if (Regex.IsMatch(File.ReadAllText(project), @"<TargetFrameworks?>[^<]*-windows", RegexOptions.IgnoreCase))
    {
        trees.Add(CSharpSyntaxTree.ParseText("[assembly: System.Runtime.Versioning.SupportedOSPlatform(\"windows7.0\")]", parseOptions, "WindowsOnly.g.cs"));
    }

    var compilation = CSharpCompilation.Create(
        Path.GetFileNameWithoutExtension(project),
        trees,
        [.. Basic.Reference.Assemblies.Net100.References.All, MetadataReference.CreateFromFile(typeof(Newtonsoft.Json.JsonConvert).Assembly.Location),
            MetadataReference.CreateFromFile(typeof(Microsoft.Data.Sqlite.SqliteConnection).Assembly.Location),
            MetadataReference.CreateFromFile(typeof(System.Data.SQLite.SQLiteConnection).Assembly.Location),
            MetadataReference.CreateFromFile(typeof(Dapper.SqlMapper).Assembly.Location)],
        new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: true, nullableContextOptions: NullableFor(project))
            // MONITOR rules are off by default; the scan reports every rule.
            .WithSpecificDiagnosticOptions(RuleCatalog.All.Select(r => KeyValuePair.Create(r.Id, ReportDiagnostic.Warn))));
    var compileWatch = System.Diagnostics.Stopwatch.StartNew();
    var errors = compilation.GetDiagnostics().Count(d => d.Severity == DiagnosticSeverity.Error);
    compileTime += compileWatch.Elapsed;
    var withAnalyzers = compilation.WithAnalyzers(analyzers, new CompilationWithAnalyzersOptions(new AnalyzerOptions([]), (exception, analyzer, _) => Console.WriteLine($"AD0001 {analyzer.GetType().Name}: {exception.GetType().Name}: {exception.Message} {exception.StackTrace?.Split('\n').FirstOrDefault()?.Trim()}"), concurrentAnalysis: false, logAnalyzerExecutionTime: true));
    var diagnostics = await withAnalyzers.GetAnalyzerDiagnosticsAsync();
    foreach (var analyzer in analyzers)
    {
        var time = (await withAnalyzers.GetAnalyzerTelemetryInfoAsync(analyzer, CancellationToken.None)).ExecutionTime;
        analyzerTime += time;
        perAnalyzer[analyzer.GetType().Name] = perAnalyzer.GetValueOrDefault(analyzer.GetType().Name) + time;
    }
    Console.WriteLine($"## {Path.GetRelativePath(root, project)}: {files.Count} files, {errors} compile errors, {diagnostics.Length} findings");
    foreach (var diagnostic in diagnostics.OrderBy(d => d.Location.SourceTree?.FilePath).ThenBy(d => d.Location.SourceSpan.Start))
    {
        var span = diagnostic.Location.GetLineSpan();
        var line = diagnostic.Location.SourceTree!.GetText().Lines[span.StartLinePosition.Line].ToString().Trim();
        Console.WriteLine($"{diagnostic.Id} {Path.GetRelativePath(root, span.Path)}:{span.StartLinePosition.Line + 1}  {line}");
        total++;
    }
}

Console.WriteLine($"# {total} findings in {projects.Count - skipped} projects ({skipped} test projects skipped)");
// A rough single-run figure; bench/ holds the measured numbers.
Console.WriteLine($"# compiler diagnostics {compileTime.TotalMilliseconds:F0} ms, CheckpointAudit analyzers {analyzerTime.TotalMilliseconds:F0} ms ({100 * analyzerTime.TotalMilliseconds / Math.Max(1, compileTime.TotalMilliseconds):F2} %)");
Console.WriteLine("# per analyzer: " + string.Join(", ", perAnalyzer.OrderByDescending(p => p.Value).Select(p => $"{p.Key} {p.Value.TotalMilliseconds:F0} ms")));
return 0;

// <Nullable> from the project file or the nearest Directory.Build.props above it; off when absent, as in real builds.
NullableContextOptions NullableFor(string projectFile)
{
    var candidates = new List<string> { projectFile };
    for (var d = Path.GetDirectoryName(projectFile); d is not null; d = Path.GetDirectoryName(d))
    {
        candidates.Add(Path.Combine(d, "Directory.Build.props"));
    }

    foreach (var candidate in candidates.Where(File.Exists))
    {
        var match = Regex.Match(File.ReadAllText(candidate), @"<Nullable>\s*(\w+)\s*</Nullable>", RegexOptions.IgnoreCase);
        if (match.Success)
        {
            return match.Groups[1].Value.ToLowerInvariant() switch
            {
                "enable" => NullableContextOptions.Enable,
                "warnings" => NullableContextOptions.Warnings,
                "annotations" => NullableContextOptions.Annotations,
                _ => NullableContextOptions.Disable,
            };
        }
    }

    return NullableContextOptions.Disable;
}

string OwningProject(string file)
{
    for (var d = Path.GetDirectoryName(file); d is not null && d.Length >= root.Length; d = Path.GetDirectoryName(d))
    {
        if (projectDirectories.Contains(d))
        {
            return d;
        }
    }

    return root;
}
