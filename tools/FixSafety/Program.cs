using System.Globalization;
using System.Text;
using CheckpointAudit.Catalog;
using CheckpointAudit.Cli;
using CheckpointAudit.Cli.Analysis;
using CheckpointAudit.Cli.Loading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

// dotnet run -c Release --project tools/FixSafety -- <folder> [--sites N] [--include-tests] [--list-unfixed] [--show-changes]
// For each rule, the first N findings per project (default 5): every code action offered there is applied in
// memory and the project recompiled; an error the compiler did not report before counts against the action.
// --list-unfixed also lists the tried findings no action was offered for; --show-changes prints what each applied
// action changed, line by line, to read the fixes on real code.
if (args.Length == 0 || !Directory.Exists(args[0]))
{
    Console.Error.WriteLine("usage: FixSafety <folder> [--sites N] [--include-tests] [--list-unfixed] [--show-changes]");
    return 2;
}

var folder = Path.GetFullPath(args[0]);
var sitesPerRule = args.SkipWhile(a => a != "--sites").Skip(1).Select(int.Parse).FirstOrDefault(5);
var includeTests = args.Contains("--include-tests");
var listUnfixed = args.Contains("--list-unfixed");
var showChanges = args.Contains("--show-changes");
var changes = new List<string>();
var input = AuditInput.Resolve(folder);
var loader = new ProjectLoader(input, AuditOptions.Parse(includeTests ? [folder, "--no-build", "--include-tests"] : [folder, "--no-build"]));
var rules = new SortedDictionary<string, RuleTally>(StringComparer.Ordinal);
var analyzerFailures = new List<string>();
var newErrorExamples = new List<string>();
var fixerFailures = new List<string>();
var unfixed = new List<string>();
var projects = 0;

await foreach (var loaded in loader.LoadAsync())
{
    using (loaded)
    {
        projects++;
        var project = await WithHelperEverywhereAsync(loaded.Project);
        var compilation = (await project.GetCompilationAsync())!;
        compilation = compilation.WithOptions(compilation.Options.WithSpecificDiagnosticOptions(
            RuleCatalog.All.Select(r => KeyValuePair.Create(r.Id, ReportDiagnostic.Warn))));
        var found = await compilation.WithAnalyzers(AuditRules.Analyzers, new CompilationWithAnalyzersOptions(
                project.AnalyzerOptions,
                (exception, analyzer, _) => { lock (analyzerFailures) { analyzerFailures.Add($"{loaded.Name}: {analyzer.GetType().Name}: {exception.GetType().Name}: {exception.Message}"); } },
                concurrentAnalysis: false,
                logAnalyzerExecutionTime: false))
            .GetAnalyzerDiagnosticsAsync();
        var before = new Dictionary<DocumentId, Dictionary<string, int>>();
        foreach (var byRule in found.Where(d => d.Location.IsInSource && d.Id.StartsWith("CKPT", StringComparison.Ordinal)).GroupBy(d => d.Id))
        {
            var tally = rules.TryGetValue(byRule.Key, out var t) ? t : rules[byRule.Key] = new RuleTally();
            tally.Sites += byRule.Count();
            foreach (var diagnostic in byRule.OrderBy(d => d.Location.SourceTree!.FilePath, StringComparer.Ordinal).ThenBy(d => d.Location.SourceSpan.Start).Take(sitesPerRule))
            {
                tally.Tried++;
                var document = project.GetDocument(diagnostic.Location.SourceTree);
                if (document is null)
                {
                    continue;
                }

                var site = $"{loaded.Name}/{Path.GetFileName(document.FilePath)}:{diagnostic.Location.GetLineSpan().StartLinePosition.Line + 1}";
                var offeredHere = 0;
                foreach (var provider in AuditRules.FixesFor(byRule.Key))
                {
                    try
                    {
                        var actions = new List<CodeAction>();
                        await provider.RegisterCodeFixesAsync(new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), CancellationToken.None));
                        foreach (var action in actions.SelectMany(Flatten))
                        {
                            offeredHere++;
                            tally.Offered++;
                            var changed = (await action.GetOperationsAsync(CancellationToken.None)).OfType<ApplyChangesOperation>().FirstOrDefault()?.ChangedSolution;
                            if (changed is null)
                            {
                                continue;
                            }

                            tally.Applied++;
                            if (showChanges)
                            {
                                changes.Add(await DescribeChangesAsync($"{byRule.Key} '{action.Title}' at {site}", project.Solution, changed));
                            }

                            var added = await NewErrorsAsync(project, changed, before);
                            if (added.Count > 0)
                            {
                                tally.WithNewErrors++;
                                tally.NewErrors += added.Count;
                                newErrorExamples.Add($"{byRule.Key} '{action.Title}' at {site}: {added[0]}{(added.Count > 1 ? $" (+{added.Count - 1} more)" : string.Empty)}");
                            }
                        }
                    }
                    catch (Exception exception)
                    {
                        tally.FixerExceptions++;
                        fixerFailures.Add($"{byRule.Key} {provider.GetType().Name} at {site}: {exception.GetType().Name}: {exception.Message}");
                    }
                }

                tally.WithFix += offeredHere > 0 ? 1 : 0;
                if (offeredHere == 0)
                {
                    var noFix = AuditRules.FixesFor(byRule.Key).Any() ? string.Empty : " (the rule has no fix)";
                    unfixed.Add($"{byRule.Key}{noFix} at {site}: {diagnostic.GetMessage(CultureInfo.InvariantCulture)}");
                }
            }
        }
    }
}

var totals = rules.Values.Aggregate(new RuleTally(), (a, b) => a.Add(b));
Console.WriteLine($"# {Path.GetFileName(folder)}: {projects} projects, {totals.Sites} findings, first {sitesPerRule} per rule and project tried");
Console.WriteLine();
Console.WriteLine("| rule | findings | tried | with a fix | actions offered | applied | with new errors | new errors | fixer exceptions |");
Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
foreach (var (id, tally) in rules.Append(KeyValuePair.Create("all", totals)))
{
    var share = tally.Tried == 0 ? "-" : (100.0 * tally.WithFix / tally.Tried).ToString("F0", CultureInfo.InvariantCulture) + " %";
    Console.WriteLine($"| {id} | {tally.Sites} | {tally.Tried} | {tally.WithFix} ({share}) | {tally.Offered} | {tally.Applied} | {tally.WithNewErrors} | {tally.NewErrors} | {tally.FixerExceptions} |");
}

Console.WriteLine();
Console.WriteLine($"analyzer exceptions: {analyzerFailures.Count}");
foreach (var line in analyzerFailures.Concat(fixerFailures).Concat(newErrorExamples))
{
    Console.WriteLine("- " + line);
}

if (listUnfixed)
{
    Console.WriteLine();
    Console.WriteLine($"tried findings that got no fix: {unfixed.Count}");
    foreach (var line in unfixed)
    {
        Console.WriteLine("- " + line);
    }
}

if (showChanges)
{
    Console.WriteLine();
    Console.WriteLine("## What the applied actions changed");
    foreach (var change in changes)
    {
        Console.WriteLine();
        Console.WriteLine(change);
    }
}

return 0;

// Each changed document's changed lines, before (-) and after (+), under the action that changed them.
static async Task<string> DescribeChangesAsync(string heading, Solution original, Solution changed)
{
    var text = new StringBuilder("### " + heading + "\n");
    foreach (var projectChanges in changed.GetChanges(original).GetProjectChanges())
    {
        foreach (var id in projectChanges.GetChangedDocuments(onlyGetDocumentsWithTextChanges: true))
        {
            var before = await original.GetDocument(id)!.GetTextAsync();
            text.Append("```diff\n--- ").Append(Path.GetFileName(original.GetDocument(id)!.FilePath)).Append('\n');
            foreach (var change in await changed.GetDocument(id)!.GetTextChangesAsync(original.GetDocument(id)!))
            {
                var lines = before.Lines.GetLinePositionSpan(change.Span);
                var oldLines = before.ToString(TextSpan.FromBounds(before.Lines[lines.Start.Line].Start, before.Lines[lines.End.Line].End));
                // A change may end in the line break: the rest of its last line is then empty.
                var lineEnd = before.Lines[lines.End.Line].End;
                var newText = oldLines.Substring(0, Math.Min(oldLines.Length, change.Span.Start - before.Lines[lines.Start.Line].Start)) + change.NewText
                    + (change.Span.End < lineEnd ? before.ToString(TextSpan.FromBounds(change.Span.End, lineEnd)) : string.Empty);
                text.Append("@@ line ").Append(lines.Start.Line + 1).Append('\n');
                foreach (var line in oldLines.Split('\n'))
                {
                    text.Append('-').Append(line.TrimEnd('\r')).Append('\n');
                }

                foreach (var line in newText.Split('\n'))
                {
                    text.Append('+').Append(line.TrimEnd('\r')).Append('\n');
                }
            }

            text.Append("```\n");
        }
    }

    return text.ToString();
}

// The helper in the analysed project and every project it depends on, as the package adds it when it is referenced
// from a shared build file: a fix that edits a referenced project (a model declared there) finds the helper there too.
// Dependencies first, as a build generates them: whether a project emits its own copy depends on what it references.
static async Task<Project> WithHelperEverywhereAsync(Project analysed)
{
    var solution = analysed.Solution;
    var graph = solution.GetProjectDependencyGraph();
    var needed = graph.GetProjectsThatThisProjectTransitivelyDependsOn(analysed.Id).Append(analysed.Id).ToHashSet();
    foreach (var id in graph.GetTopologicallySortedProjects().Where(needed.Contains))
    {
        var project = solution.GetProject(id)!;
        if (project.Language == LanguageNames.CSharp && project.Documents.All(d => d.Name != "CheckpointFile.g.cs"))
        {
            solution = ProjectAnalyzer.WithHelper(project, await project.GetCompilationAsync()).Solution;
        }
    }

    return solution.GetProject(analysed.Id)!;
}

static IEnumerable<CodeAction> Flatten(CodeAction action)
    => action.NestedActions.IsDefaultOrEmpty ? [action] : action.NestedActions.SelectMany(Flatten);

// Errors in the documents the action changed and in the compilations' declarations, compared as counts of
// "id message" with what the same documents had before: new ones are errors the action introduced. Every project the
// action changed is compared (a fix may edit a model declared in a referenced project).
static async Task<List<string>> NewErrorsAsync(Project project, Solution changed, Dictionary<DocumentId, Dictionary<string, int>> cache)
{
    var added = new List<string>();
    foreach (var projectChanges in changed.GetChanges(project.Solution).GetProjectChanges())
    {
        var oldProject = projectChanges.OldProject;
        var newProject = projectChanges.NewProject;
        var changedDocuments = projectChanges.GetChangedDocuments(onlyGetDocumentsWithTextChanges: true).Concat(projectChanges.GetAddedDocuments()).ToList();
        var oldErrors = Count((await oldProject.GetCompilationAsync())!.GetDeclarationDiagnostics());
        var newErrors = Count((await newProject.GetCompilationAsync())!.GetDeclarationDiagnostics());
        foreach (var id in changedDocuments)
        {
            if (oldProject.GetDocument(id) is { } oldDocument)
            {
                if (!cache.TryGetValue(id, out var known))
                {
                    known = cache[id] = Count((await oldDocument.GetSemanticModelAsync())!.GetDiagnostics());
                }

                Merge(oldErrors, known);
            }

            Merge(newErrors, Count((await newProject.GetDocument(id)!.GetSemanticModelAsync())!.GetDiagnostics()));
        }

        foreach (var (key, count) in newErrors)
        {
            for (var i = oldErrors.GetValueOrDefault(key); i < count; i++)
            {
                added.Add($"{key} (in {newProject.Name})");
            }
        }
    }

    return added;

    static Dictionary<string, int> Count(IEnumerable<Diagnostic> diagnostics)
        => diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)
            .GroupBy(d => $"{d.Id} {d.GetMessage(CultureInfo.InvariantCulture)}")
            .ToDictionary(g => g.Key, g => g.Count());

    static void Merge(Dictionary<string, int> into, Dictionary<string, int> more)
    {
        foreach (var (key, count) in more)
        {
            into[key] = into.GetValueOrDefault(key) + count;
        }
    }
}

internal sealed class RuleTally
{
    public int Sites, Tried, WithFix, Offered, Applied, WithNewErrors, NewErrors, FixerExceptions;

    public RuleTally Add(RuleTally other) => new()
    {
        Sites = Sites + other.Sites, Tried = Tried + other.Tried, WithFix = WithFix + other.WithFix, Offered = Offered + other.Offered,
        Applied = Applied + other.Applied, WithNewErrors = WithNewErrors + other.WithNewErrors, NewErrors = NewErrors + other.NewErrors,
        FixerExceptions = FixerExceptions + other.FixerExceptions,
    };
}
