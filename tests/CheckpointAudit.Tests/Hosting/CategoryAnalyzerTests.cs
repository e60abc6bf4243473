using System.Collections.Immutable;
using CheckpointAudit.Catalog;
using CheckpointAudit.Checks;
using CheckpointAudit.Hosting;
using CheckpointAudit.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;

namespace CheckpointAudit.Tests.Hosting;

public class CategoryAnalyzerTests
{
    private static readonly ImmutableArray<CategoryAnalyzer> Shipped = typeof(RuleCatalog).Assembly.GetTypes()
        .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t))
        .Select(t => (CategoryAnalyzer)Activator.CreateInstance(t)!)
        .ToImmutableArray();

    // A compilation with every library a check looks for, so that every check registers its actions.
    private static CSharpCompilation Compilation(string source, CSharpCompilationOptions? options = null) => CSharpCompilation.Create(
        "Probe",
        [CSharpSyntaxTree.ParseText(source, path: "/src/Store.cs")],
        [.. TestReferences.Net80, .. TestReferences.Newtonsoft, .. TestReferences.Sqlite, .. TestReferences.AspNetCore],
        options ?? new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));

    [Fact]
    public void There_is_one_analyzer_per_audit_category_with_a_rule_and_every_rule_has_one_check()
    {
        var categories = RuleCatalog.All.Select(r => r.Category).Distinct().Order().ToList();
        Assert.Equal(categories, Shipped.Select(a => Assert.Single(a.Checks.Select(c => c.Rule.Category).Distinct())).Order().ToList());
        Assert.Equal(
            RuleCatalog.All.Select(r => r.Id).Order(StringComparer.Ordinal),
            Shipped.SelectMany(a => a.Checks).Select(c => c.Rule.Id).Order(StringComparer.Ordinal));
        Assert.All(Shipped, a => Assert.Equal(a.Checks.Select(c => c.Rule.Descriptor), a.SupportedDiagnostics));
        Assert.All(Shipped, a => Assert.Equal(a.Checks[0].Rule.Category + "Analyzer", a.GetType().Name));
    }

    [Fact]
    public void A_check_reports_at_compilation_end_exactly_when_its_catalog_row_says_so()
    {
        var compilation = Compilation("class Store { }");
        var options = new AnalyzerOptions([]);
        var idle = new List<string>();
        foreach (var check in Shipped.SelectMany(a => a.Checks))
        {
            var start = new CheckStart(compilation, options, new Dictionary<Type, object>(), CancellationToken.None);
            check.Start(start);
            if (start.OperationActions.Count + start.SymbolActions.Count + start.CompilationEndActions.Count == 0)
            {
                idle.Add(check.Rule.Id);
                continue;
            }

            Assert.True(check.Rule.IsCompilationEnd == start.CompilationEndActions.Count > 0, check.Rule.Id + ": IsCompilationEnd disagrees with the check's registrations");
        }

        // Only the schema baseline rule needs more than libraries (a baseline file); its page says it reports at the end.
        Assert.Equal([RuleCatalog.SchemaBaselineChange.Id], idle);
        Assert.True(RuleCatalog.SchemaBaselineChange.IsCompilationEnd);
    }

    private const string Overwrite = """
        using System.IO;
        class Store
        {
            void Save(string path, string text) => File.WriteAllText(path, text);
        }
        """;

    [Fact]
    public async Task A_rule_turned_off_is_not_started_and_the_others_still_report()
    {
        var on = new Recording();
        Assert.Contains(await Diagnostics(Compilation(Overwrite), new WithRecording(on)), d => d.Id == RuleCatalog.NonAtomicOverwrite.Id);
        Assert.True(on.Started);

        // Turned off by the compilation's options: the check is not started, so its cost is saved, not only its output.
        // (Observed on the check itself, not through the process-wide timing hook other tests may be using.)
        var off = new Recording();
        var suppressed = Compilation(Overwrite, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary)
            .WithSpecificDiagnosticOptions([KeyValuePair.Create(RuleCatalog.UnsafeReplacement.Id, ReportDiagnostic.Suppress)]));
        Assert.Contains(await Diagnostics(suppressed, new WithRecording(off)), d => d.Id == RuleCatalog.NonAtomicOverwrite.Id);
        Assert.False(off.Started);
    }

    [Fact]
    public void A_rule_turned_off_in_editorconfig_for_one_folder_stays_on_in_the_others()
    {
        var compilation = CSharpCompilation.Create(
            "Probe",
            [CSharpSyntaxTree.ParseText(Overwrite, path: "/src/generated/Store.cs"), CSharpSyntaxTree.ParseText(Overwrite.Replace("Store", "Other"), path: "/src/Other.cs")],
            TestReferences.Net80,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        var provider = new TestAnalyzerConfigOptionsProvider(ImmutableDictionary<string, string>.Empty);
        var treeOptions = new TreeOptions(compilation.SyntaxTrees[0], RuleCatalog.NonAtomicOverwrite.Id);
        var configured = compilation.WithOptions(compilation.Options.WithSyntaxTreeOptionsProvider(treeOptions));
        var switches = RuleSwitches.For(configured, new AnalyzerOptions([], provider), CancellationToken.None);
        var overwrite = RuleSwitches.Index(RuleCatalog.NonAtomicOverwrite);
        var replacement = RuleSwitches.Index(RuleCatalog.UnsafeReplacement);

        Assert.False(switches.On(configured.SyntaxTrees[0])[overwrite]);
        Assert.True(switches.On(configured.SyntaxTrees[0])[replacement]);
        Assert.True(switches.On(configured.SyntaxTrees[1])[overwrite]);
        Assert.True(switches.OnAnywhere(overwrite));
        Assert.False(switches.OnEverywhere(overwrite));
        Assert.True(switches.OnEverywhere(replacement));

        // A rule off by default (MONITOR) is off everywhere unless something turns it on.
        var monitor = RuleCatalog.All.First(r => !r.IsEnabledByDefault);
        Assert.False(switches.OnAnywhere(RuleSwitches.Index(monitor)));
        var bulk = new TestAnalyzerConfigOptionsProvider(ImmutableDictionary<string, string>.Empty.Add("dotnet_analyzer_diagnostic.category-" + monitor.DiagnosticCategory + ".severity", "warning"));
        Assert.True(RuleSwitches.For(compilation, new AnalyzerOptions([], bulk), CancellationToken.None).OnEverywhere(RuleSwitches.Index(monitor)));
    }

    [Fact]
    public async Task A_failing_check_is_named_and_the_other_checks_still_run()
    {
        var diagnostics = new List<Diagnostic>();
        var failures = new List<Exception>();
        var compilation = Compilation(Overwrite);
        var options = new CompilationWithAnalyzersOptions(new AnalyzerOptions([]), (e, _, _) => failures.Add(e), concurrentAnalysis: false, logAnalyzerExecutionTime: false);
        diagnostics.AddRange(await compilation.WithAnalyzers([new Failing()], options).GetAnalyzerDiagnosticsAsync());

        Assert.Contains(diagnostics, d => d.Id == RuleCatalog.NonAtomicOverwrite.Id);
        var failure = Assert.IsType<CheckFailedException>(Assert.Single(failures));
        Assert.Equal(RuleCatalog.UnsafeReplacement.Id, failure.RuleId);
        Assert.StartsWith(RuleCatalog.UnsafeReplacement.Id + " check failed: InvalidOperationException", failure.Message);
    }

    private static async Task<ImmutableArray<Diagnostic>> Diagnostics(Compilation compilation, DiagnosticAnalyzer analyzer)
        => await compilation.WithAnalyzers([analyzer]).GetAnalyzerDiagnosticsAsync();

#pragma warning disable RS1001 // Constructed by the test only.
    private sealed class Failing : CategoryAnalyzer
    {
        public Failing()
            : base(new Throwing(), new CheckpointAudit.Atomicity.NonAtomicOverwriteCheck())
        {
        }
    }

    private sealed class WithRecording : CategoryAnalyzer
    {
        public WithRecording(Recording recording)
            : base(recording, new CheckpointAudit.Atomicity.NonAtomicOverwriteCheck())
        {
        }
    }
#pragma warning restore RS1001

    /// <summary>A check of CKPT204 that only notes whether it was started.</summary>
    private sealed class Recording : RuleCheck
    {
        public Recording()
            : base(RuleCatalog.UnsafeReplacement)
        {
        }

        public bool Started { get; private set; }

        private protected override void OnCompilationStart(CheckStart start)
        {
            Started = true;
            start.RegisterOperationAction(_ => { }, OperationKind.Invocation);
        }
    }

    private sealed class Throwing : RuleCheck
    {
        public Throwing()
            : base(RuleCatalog.UnsafeReplacement)
        {
        }

        private protected override void OnCompilationStart(CheckStart start)
            => start.RegisterOperationAction(_ => throw new InvalidOperationException("boom"), OperationKind.Invocation);
    }

    /// <summary>.editorconfig as the compiler hands it over: one tree with one rule set to none.</summary>
    private sealed class TreeOptions(SyntaxTree tree, string ruleOff) : SyntaxTreeOptionsProvider
    {
        public override GeneratedKind IsGenerated(SyntaxTree syntaxTree, CancellationToken cancellationToken) => GeneratedKind.NotGenerated;

        public override bool TryGetDiagnosticValue(SyntaxTree syntaxTree, string diagnosticId, CancellationToken cancellationToken, out ReportDiagnostic severity)
        {
            severity = ReportDiagnostic.Suppress;
            return syntaxTree == tree && diagnosticId == ruleOff;
        }

        public override bool TryGetGlobalDiagnosticValue(string diagnosticId, CancellationToken cancellationToken, out ReportDiagnostic severity)
        {
            severity = default;
            return false;
        }
    }
}
