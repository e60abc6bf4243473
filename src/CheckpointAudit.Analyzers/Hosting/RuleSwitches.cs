using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using CheckpointAudit.Catalog;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace CheckpointAudit.Hosting;

/// <summary>
/// Which rules are off, per syntax tree, read as the compiler reads severities: the tree's .editorconfig sections, then
/// global analyzer config, then the compilation's options (/nowarn, rule sets, presets), then the category and bulk
/// <c>dotnet_analyzer_diagnostic</c> settings, then the rule's default. Roslyn skips an analyzer only when every rule it
/// reports is off; a category analyzer skips the checks of the rules that are, so turning a rule off saves its cost.
/// Only <c>none</c> counts as off: a silent or suggestion rule still feeds the editor.
/// </summary>
internal sealed class RuleSwitches
{
    private readonly Compilation _compilation;
    private readonly AnalyzerOptions _options;
    private readonly ImmutableArray<RuleDefinition> _rules;
    private readonly CancellationToken _cancellationToken;
    private readonly ConcurrentDictionary<SyntaxTree, bool[]> _byTree = new();
    private readonly Dictionary<string, string[]> _bulkKeys;

    public RuleSwitches(Compilation compilation, AnalyzerOptions options, ImmutableArray<RuleDefinition> rules, CancellationToken cancellationToken)
    {
        _compilation = compilation;
        _options = options;
        _rules = rules;
        _cancellationToken = cancellationToken;
        _bulkKeys = rules.Select(r => r.DiagnosticCategory).Distinct().ToDictionary(
            category => category,
            category => new[] { "dotnet_analyzer_diagnostic.category-" + category + ".severity", "dotnet_analyzer_diagnostic.severity" });
    }

    /// <summary>Whether each rule (in the order given) is on in <paramref name="tree"/>.</summary>
    public bool[] On(SyntaxTree tree) => _byTree.GetOrAdd(tree, Decide);

    /// <summary>Whether every one of <paramref name="rules"/> is on in every tree.</summary>
    public bool AllOnEverywhere(IEnumerable<int> rules)
    {
        foreach (var tree in _compilation.SyntaxTrees)
        {
            var on = On(tree);
            foreach (var rule in rules)
            {
                if (!on[rule])
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>Whether the rule is on in at least one tree of the compilation (or, without trees, in the compilation).</summary>
    public bool OnAnywhere(int rule)
    {
        foreach (var tree in _compilation.SyntaxTrees)
        {
            if (On(tree)[rule])
            {
                return true;
            }
        }

        return false;
    }

    private bool[] Decide(SyntaxTree tree)
    {
        var on = new bool[_rules.Length];
        for (var i = 0; i < _rules.Length; i++)
        {
            on[i] = Severity(tree, _rules[i]) != ReportDiagnostic.Suppress;
        }

        return on;
    }

    private ReportDiagnostic Severity(SyntaxTree tree, RuleDefinition rule)
    {
        var id = rule.Id;
        var provider = _compilation.Options.SyntaxTreeOptionsProvider;
        if (provider is not null
            && (provider.TryGetDiagnosticValue(tree, id, _cancellationToken, out var severity) || provider.TryGetGlobalDiagnosticValue(id, _cancellationToken, out severity)))
        {
            return severity;
        }

        if (_compilation.Options.SpecificDiagnosticOptions.TryGetValue(id, out severity))
        {
            return severity;
        }

        // Category and bulk settings; anything but "none" keeps the rule on (they can also turn on a rule that is off by default).
        var config = _options.AnalyzerConfigOptionsProvider;
        var treeOptions = config.GetOptions(tree);
        foreach (var key in _bulkKeys[rule.DiagnosticCategory])
        {
            if (treeOptions.TryGetValue(key, out var value) || config.GlobalOptions.TryGetValue(key, out value))
            {
                return value.Trim() == "none" ? ReportDiagnostic.Suppress : ReportDiagnostic.Default;
            }
        }

        return rule.IsEnabledByDefault ? ReportDiagnostic.Default : ReportDiagnostic.Suppress;
    }
}
