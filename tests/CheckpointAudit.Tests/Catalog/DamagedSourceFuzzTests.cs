using CheckpointAudit.Cli.Analysis;
using CheckpointAudit.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using Xunit;
using Xunit.Abstractions;

namespace CheckpointAudit.Tests.Catalog;

/// <summary>
/// Half-typed code never makes an analyzer or a fix throw. Real sources (the sample's and the ValidCode
/// corpus) are cut at random points and lose random tokens; every analyzer runs over each result and
/// every fix offered for a finding is computed and applied. Seeded: a failure names the seed and the
/// variant, which reproduce it. CHECKPOINTAUDIT_FUZZ_VARIANTS raises the number of variants.
/// </summary>
public sealed class DamagedSourceFuzzTests(ITestOutputHelper output)
{
    private const int Seed = 20261202;

    private static int Variants => int.TryParse(Environment.GetEnvironmentVariable("CHECKPOINTAUDIT_FUZZ_VARIANTS"), out var n) && n > 0 ? n : 40;

    [Fact]
    public async Task Analyzers_and_fixes_never_throw_on_damaged_sources()
    {
        var sources = Directory.GetFiles(RepositoryFiles.PathOf("samples", "DocumentPipeline"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Concat(Directory.GetFiles(RepositoryFiles.PathOf("tests", "CheckpointAudit.Tests", "ValidCode"), "*.cs"))
            .Order(StringComparer.Ordinal)
            .Select(f => (Name: Path.GetRelativePath(RepositoryFiles.Root, f), Text: File.ReadAllText(f)))
            .ToList();
        var random = new Random(Seed);
        var failures = new List<string>();
        int diagnostics = 0, actions = 0;
        for (var variant = 0; variant < Variants; variant++)
        {
            // One file damaged among the others of its set (the whole sample, or one ValidCode file), so that
            // the rest still binds and the rules have real findings to make.
            var index = random.Next(sources.Count);
            var (name, text) = sources[index];
            var (damaged, how) = Damage(text, random);
            var label = $"seed {Seed}, variant {variant}: {name} {how}";
            var companions = name.StartsWith("samples", StringComparison.Ordinal)
                ? sources.Where((s, i) => i != index && s.Name.StartsWith("samples", StringComparison.Ordinal)).Select(s => s.Text).ToList()
                : [];
            var (found, applied, errors) = await RunEverythingAsync(damaged, companions);
            diagnostics += found;
            actions += applied;
            failures.AddRange(errors.Select(e => label + ": " + e));
        }

        output.WriteLine($"{Variants} damaged sources: {diagnostics} findings, {actions} code actions applied, {failures.Count} failures");
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(20)));
    }

    /// <summary>Cuts the text at a random point, or deletes 1-5 random tokens, or both.</summary>
    private static (string Text, string How) Damage(string text, Random random)
    {
        var how = new List<string>();
        var kind = random.Next(3);
        if (kind != 1)
        {
            var tokens = CSharpSyntaxTree.ParseText(text).GetRoot().DescendantTokens().Where(t => t.Span.Length > 0).ToList();
            var removed = Enumerable.Range(0, random.Next(1, 6)).Select(_ => tokens[random.Next(tokens.Count)].Span).Distinct().OrderByDescending(s => s.Start).ToList();
            foreach (var span in removed)
            {
                text = text.Remove(span.Start, span.Length);
            }

            how.Add("tokens removed at " + string.Join(",", removed.Select(s => s.Start)));
        }

        if (kind != 0)
        {
            var cut = random.Next(text.Length);
            text = text[..cut];
            how.Add("cut at " + cut);
        }

        return (text, string.Join(" and ", how));
    }

    private static async Task<(int Diagnostics, int Actions, List<string> Errors)> RunEverythingAsync(string source, IReadOnlyList<string> companions)
    {
        var errors = new List<string>();
        using var workspace = new AdhocWorkspace();
        var projectId = ProjectId.CreateNewId();
        var solution = workspace.CurrentSolution
            .AddProject(ProjectInfo.Create(projectId, VersionStamp.Default, "Fuzzed", "Fuzzed", LanguageNames.CSharp,
                compilationOptions: new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable),
                parseOptions: new CSharpParseOptions(LanguageVersion.Latest),
                metadataReferences: TestReferences.Net100.Cast<MetadataReference>().Concat(TestReferences.Sqlite).Concat(TestReferences.Newtonsoft)))
            .AddDocument(DocumentId.CreateNewId(projectId), "Fuzzed.cs", SourceText.From(source), filePath: "/fuzz/Fuzzed.cs")
            .AddDocument(DocumentId.CreateNewId(projectId), "CheckpointFile.g.cs", SourceText.From(Verify.HelperSourceNet80));
        // The sample builds with implicit usings.
        solution = solution.AddDocument(DocumentId.CreateNewId(projectId), "GlobalUsings.cs", SourceText.From(ImplicitUsings), filePath: "/fuzz/GlobalUsings.cs");
        for (var i = 0; i < companions.Count; i++)
        {
            solution = solution.AddDocument(DocumentId.CreateNewId(projectId), $"Companion{i}.cs", SourceText.From(companions[i]), filePath: $"/fuzz/Companion{i}.cs");
        }

        var project = solution.GetProject(projectId)!;
        var compilation = (await project.GetCompilationAsync())!;
        var options = new CompilationWithAnalyzersOptions(
            new AnalyzerOptions([]),
            onAnalyzerException: (exception, analyzer, _) => { lock (errors) { errors.Add($"{analyzer.GetType().Name} threw {exception.GetType().Name}: {exception.Message}"); } },
            concurrentAnalysis: false,
            logAnalyzerExecutionTime: false);
        var found = await compilation.WithAnalyzers(AuditRules.Analyzers, options).GetAnalyzerDiagnosticsAsync();
        errors.AddRange(found.Where(d => d.Id == "AD0001").Select(d => d.GetMessage()));

        var applied = 0;
        // Fixes are computed for the findings in the damaged file; the others are exercised by the rules' own tests.
        foreach (var diagnostic in found.Where(d => d.Id.StartsWith("CKPT", StringComparison.Ordinal) && d.Location.IsInSource && d.Location.SourceTree!.FilePath == "/fuzz/Fuzzed.cs"))
        {
            var document = project.GetDocument(diagnostic.Location.SourceTree);
            if (document is null)
            {
                continue;
            }

            foreach (var provider in AuditRules.FixesFor(diagnostic.Id))
            {
                var offered = new List<CodeAction>();
                try
                {
                    await provider.RegisterCodeFixesAsync(new CodeFixContext(document, diagnostic, (action, _) => offered.Add(action), CancellationToken.None));
                    foreach (var action in offered.SelectMany(Flatten))
                    {
                        foreach (var operation in await action.GetOperationsAsync(CancellationToken.None))
                        {
                            if (operation is ApplyChangesOperation change)
                            {
                                _ = await change.ChangedSolution.GetProject(projectId)!.GetCompilationAsync();
                                applied++;
                            }
                        }
                    }
                }
                catch (Exception exception)
                {
                    errors.Add($"{provider.GetType().Name} on {diagnostic.Id} threw {exception.GetType().Name}: {exception.Message}");
                }
            }
        }

        return (found.Length, applied, errors);
    }

    private const string ImplicitUsings = """
        global using System;
        global using System.Collections.Generic;
        global using System.IO;
        global using System.Linq;
        global using System.Net.Http;
        global using System.Threading;
        global using System.Threading.Tasks;
        """;

    private static IEnumerable<CodeAction> Flatten(CodeAction action)
        => action.NestedActions.IsDefaultOrEmpty ? [action] : action.NestedActions.SelectMany(Flatten);
}
