using System.Collections.Immutable;
using System.Reflection;
using CheckpointAudit.Catalog;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Diagnostics;

namespace CheckpointAudit.Cli.Analysis;

/// <summary>Every CheckpointAudit analyzer and code fix, found once in the shipped assemblies.</summary>
internal static class AuditRules
{
    private static readonly Lazy<ImmutableArray<DiagnosticAnalyzer>> LazyAnalyzers = new(() =>
        typeof(RuleCatalog).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t) && t.GetCustomAttribute<DiagnosticAnalyzerAttribute>() is not null)
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)
            .ToImmutableArray());

    private static readonly Lazy<ILookup<string, CodeFixProvider>> LazyFixes = new(() =>
        typeof(CodeFixes.RuleCodeFixProvider).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(CodeFixProvider).IsAssignableFrom(t) && t.GetCustomAttribute<ExportCodeFixProviderAttribute>() is not null)
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .Select(t => (CodeFixProvider)Activator.CreateInstance(t)!)
            .SelectMany(p => p.FixableDiagnosticIds.Select(id => (id, p)))
            .ToLookup(x => x.id, x => x.p));

    public static ImmutableArray<DiagnosticAnalyzer> Analyzers => LazyAnalyzers.Value;

    /// <summary>The providers that fix a rule, in a stable order.</summary>
    public static IEnumerable<CodeFixProvider> FixesFor(string ruleId) => LazyFixes.Value[ruleId];

    /// <summary>The catalog row of a rule ID, or null for a diagnostic that is not ours.</summary>
    public static RuleDefinition? Rule(string id) => RuleCatalog.All.FirstOrDefault(r => r.Id == id);
}
