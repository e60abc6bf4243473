using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using CheckpointAudit.Catalog;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace CheckpointAudit.Hosting;

/// <summary>
/// Which rules of the catalog are off, per syntax tree, read as the compiler reads severities: the tree's .editorconfig
/// sections, then global analyzer config, then the compilation's options (/nowarn, rule sets, presets), then the category
/// and bulk <c>dotnet_analyzer_diagnostic</c> settings, then the rule's default. Roslyn skips an analyzer only when every
/// rule it reports is off; a category analyzer skips the checks of the rules that are, so turning a rule off saves its
/// cost. Only <c>none</c> counts as off: a silent or suggestion rule still feeds the editor. Decided once per compilation
/// for every rule and file, and shared by the category analyzers.
/// </summary>
internal sealed class RuleSwitches
{
    private static readonly ConditionalWeakTable<Compilation, ConditionalWeakTable<AnalyzerConfigOptionsProvider, RuleSwitches>> Cache = new();

    private static readonly ImmutableArray<RuleDefinition> Rules = RuleCatalog.All.ToImmutableArray();

    private static readonly Dictionary<string, int> IndexOf = Rules.Select((rule, index) => (rule.Id, index)).ToDictionary(p => p.Id, p => p.index);

    private const string BulkKey = "dotnet_analyzer_diagnostic.severity";

    private readonly Dictionary<SyntaxTree, bool[]> _byTree = new();
    private readonly bool[] _onAnywhere = new bool[Rules.Length];
    private readonly bool[] _onEverywhere = Enumerable.Repeat(true, Rules.Length).ToArray();

    private RuleSwitches(Compilation compilation, AnalyzerOptions options, CancellationToken cancellationToken)
    {
        var provider = compilation.Options.SyntaxTreeOptionsProvider;
        var config = options.AnalyzerConfigOptionsProvider;

        // What does not depend on the file: global config, the compilation's options, global bulk settings, defaults.
        var compilationWide = new ReportDiagnostic?[Rules.Length];
        var categoryKeys = new string[Rules.Length];
        for (var i = 0; i < Rules.Length; i++)
        {
            var id = Rules[i].Id;
            categoryKeys[i] = "dotnet_analyzer_diagnostic.category-" + Rules[i].DiagnosticCategory + ".severity";
            if (provider is not null && provider.TryGetGlobalDiagnosticValue(id, cancellationToken, out var global))
            {
                compilationWide[i] = global;
            }
            else if (compilation.Options.SpecificDiagnosticOptions.TryGetValue(id, out var specific))
            {
                compilationWide[i] = specific;
            }
        }

        foreach (var tree in compilation.SyntaxTrees)
        {
            var treeOptions = config.GetOptions(tree);
            var on = new bool[Rules.Length];
            for (var i = 0; i < Rules.Length; i++)
            {
                ReportDiagnostic severity;
                if (provider is not null && provider.TryGetDiagnosticValue(tree, Rules[i].Id, cancellationToken, out var inTree))
                {
                    severity = inTree;
                }
                else if (compilationWide[i] is { } wide)
                {
                    severity = wide;
                }
                else if (Bulk(treeOptions, config.GlobalOptions, categoryKeys[i]) is { } bulk)
                {
                    severity = bulk;
                }
                else
                {
                    severity = Rules[i].IsEnabledByDefault ? ReportDiagnostic.Default : ReportDiagnostic.Suppress;
                }

                on[i] = severity != ReportDiagnostic.Suppress;
                _onAnywhere[i] |= on[i];
                _onEverywhere[i] &= on[i];
            }

            _byTree[tree] = on;
        }
    }

    /// <summary>The compilation's switches (one instance per compilation and configuration, shared by the category analyzers).</summary>
    public static RuleSwitches For(Compilation compilation, AnalyzerOptions options, CancellationToken cancellationToken)
        => Cache.GetValue(compilation, _ => new ConditionalWeakTable<AnalyzerConfigOptionsProvider, RuleSwitches>())
            .GetValue(options.AnalyzerConfigOptionsProvider, _ => new RuleSwitches(compilation, options, cancellationToken));

    /// <summary>The index of a rule in the arrays this class returns.</summary>
    public static int Index(RuleDefinition rule) => IndexOf[rule.Id];

    /// <summary>Whether each rule of the catalog (by <see cref="Index"/>) is on in <paramref name="tree"/>; every rule on for a tree the compilation does not hold.</summary>
    public bool[] On(SyntaxTree tree) => _byTree.TryGetValue(tree, out var on) ? on : _onAnywhere;

    /// <summary>Whether the rule is on in at least one file of the compilation.</summary>
    public bool OnAnywhere(int rule) => _onAnywhere[rule];

    /// <summary>Whether the rule is on in every file of the compilation.</summary>
    public bool OnEverywhere(int rule) => _onEverywhere[rule];

    // Category and bulk settings; anything but "none" keeps the rule on (they can also turn on a rule that is off by default).
    private static ReportDiagnostic? Bulk(AnalyzerConfigOptions tree, AnalyzerConfigOptions global, string categoryKey)
    {
        if (tree.TryGetValue(categoryKey, out var value) || global.TryGetValue(categoryKey, out value)
            || tree.TryGetValue(BulkKey, out value) || global.TryGetValue(BulkKey, out value))
        {
            return value.Trim() == "none" ? ReportDiagnostic.Suppress : ReportDiagnostic.Default;
        }

        return null;
    }
}
