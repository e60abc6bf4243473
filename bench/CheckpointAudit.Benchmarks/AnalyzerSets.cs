using System.Collections.Immutable;
using System.Reflection;
using System.Runtime.Loader;
using CheckpointAudit.Catalog;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace CheckpointAudit.Benchmarks;

/// <summary>A named set of analyzers, with the rule options that turn all of their rules on (or only the chosen ones).</summary>
internal sealed class AnalyzerSet(string name, ImmutableArray<DiagnosticAnalyzer> analyzers, IReadOnlySet<string>? only = null)
{
    public string Name { get; } = name;

    public ImmutableArray<DiagnosticAnalyzer> Analyzers { get; } = analyzers;

    /// <summary>
    /// Every rule these analyzers report, on as a warning (many peer rules are off by default); with a choice of rules,
    /// the others of the same analyzers off, as a user would turn them off (their checks then do not run).
    /// </summary>
    public IEnumerable<KeyValuePair<string, ReportDiagnostic>> RuleSeverities
        => Analyzers.SelectMany(a => a.SupportedDiagnostics).Select(d => d.Id).Distinct()
            .Select(id => KeyValuePair.Create(id, only is null || only.Contains(id) ? ReportDiagnostic.Warn : ReportDiagnostic.Suppress));

    /// <summary>Every CheckpointAudit category analyzer, or those reporting one of <paramref name="rules"/> with only those rules on.</summary>
    public static AnalyzerSet CheckpointAudit(IReadOnlySet<string>? rules = null)
    {
        var analyzers = typeof(RuleCatalog).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t))
            .OrderBy(t => t.Name, StringComparer.Ordinal)
            .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)
            .Where(a => rules is null || a.SupportedDiagnostics.Any(d => rules.Contains(d.Id)))
            .ToImmutableArray();
        return analyzers.IsEmpty
            ? throw new InputException("no CheckpointAudit analyzer reports " + string.Join(", ", rules!.Order(StringComparer.Ordinal)))
            : new AnalyzerSet("CheckpointAudit", analyzers, rules);
    }

    /// <summary>
    /// An analyzer that asks for every method body's operations and does nothing with them: what the driver costs by
    /// itself, binding included (an analyzer that registered nothing at all would let the driver skip the binding).
    /// Beside it, <see cref="InvocationFloor"/>: the execution time the driver charges an analyzer that is called on
    /// every invocation and returns at once, the least any rule that looks at calls can cost.
    /// </summary>
    public static AnalyzerSet Empty() => new("no-op analyzer", [new NoOpAnalyzer(), new InvocationFloorAnalyzer()]);

    /// <summary>The full name of the do-nothing invocation analyzer in <see cref="Empty"/>.</summary>
    public static string InvocationFloor => typeof(InvocationFloorAnalyzer).FullName!;

    /// <summary>Microsoft.CodeAnalysis.NetAnalyzers 11.0.100, the C# analyzers of the package.</summary>
    public static AnalyzerSet NetAnalyzers()
        => FromPackage("NetAnalyzers 11.0.100", "microsoft.codeanalysis.netanalyzers/11.0.100/analyzers/dotnet/cs");

    /// <summary>Meziantou.Analyzer 3.0.321, the build for Roslyn 4.14 (the host's).</summary>
    public static AnalyzerSet Meziantou()
        => FromPackage("Meziantou 3.0.321", "meziantou.analyzer/3.0.321/analyzers/dotnet/roslyn4.14/cs");

    private static AnalyzerSet FromPackage(string name, string relativeFolder)
    {
        var root = typeof(AnalyzerSet).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "NuGetPackageRoot").Value!;
        var folder = Path.Combine(root, relativeFolder);
        if (!Directory.Exists(folder))
        {
            throw new InputException($"peer package folder missing: {folder} (restore the benchmark project)");
        }

        var loader = new PackageLoader();
        var analyzers = Directory.GetFiles(folder, "*.dll")
            .Where(f => !f.Contains("CodeFix", StringComparison.OrdinalIgnoreCase))
            .SelectMany(f => new AnalyzerFileReference(f, loader).GetAnalyzers(LanguageNames.CSharp))
            .OrderBy(a => a.GetType().FullName, StringComparer.Ordinal)
            .ToImmutableArray();
        return new AnalyzerSet(name, analyzers);
    }

    private sealed class PackageLoader : IAnalyzerAssemblyLoader
    {
        public void AddDependencyLocation(string fullPath)
        {
        }

        public Assembly LoadFromPath(string fullPath) => AssemblyLoadContext.Default.LoadFromAssemblyPath(fullPath);
    }

#pragma warning disable RS1001, RS1025, RS1026, RS2008 // Deliberately does nothing and is never shipped: it measures the driver, not analysis.
    private sealed class NoOpAnalyzer : DiagnosticAnalyzer
    {
        private static readonly DiagnosticDescriptor Nothing = new("BENCH000", "Nothing", "Nothing", "Benchmark", DiagnosticSeverity.Warning, isEnabledByDefault: true);

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = [Nothing];

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.RegisterOperationBlockAction(_ => { });
        }
    }
    private sealed class InvocationFloorAnalyzer : DiagnosticAnalyzer
    {
        private static readonly DiagnosticDescriptor Nothing = new("BENCH001", "Nothing", "Nothing", "Benchmark", DiagnosticSeverity.Warning, isEnabledByDefault: true);

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = [Nothing];

        // Registered as CheckpointAudit's rules register: concurrent, generated code skipped, from compilation start.
        public override void Initialize(AnalysisContext context)
        {
            context.EnableConcurrentExecution();
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.RegisterCompilationStartAction(start => start.RegisterOperationAction(_ => { }, OperationKind.Invocation));
        }
    }
#pragma warning restore RS1001, RS1025, RS1026, RS2008
}
