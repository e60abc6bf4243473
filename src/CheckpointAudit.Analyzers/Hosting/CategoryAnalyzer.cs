using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Linq;
using CheckpointAudit.Catalog;
using CheckpointAudit.Checks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace CheckpointAudit.Hosting;

/// <summary>
/// The analyzer of one audit category: it reports the rules of its checks and, per compilation, registers one Roslyn
/// action per operation kind (and per symbol kind) that its checks asked for, calling each check's action in turn.
/// A rule that is off for a tree costs nothing there; a rule off everywhere is not started. Roslyn's per-analyzer cost
/// (a callback per operation, per analyzer) is paid once per category instead of once per rule.
/// </summary>
public abstract class CategoryAnalyzer : DiagnosticAnalyzer
{
    private readonly ImmutableArray<RuleCheck> _checks;
    private readonly ImmutableArray<RuleDefinition> _rules;
    private readonly int[] _switchIndex;

    private protected CategoryAnalyzer(params RuleCheck[] checks)
    {
        _checks = ImmutableArray.Create(checks);
        _rules = _checks.Select(c => c.Rule).ToImmutableArray();
        _switchIndex = _rules.Select(RuleSwitches.Index).ToArray();
        SupportedDiagnostics = _rules.Select(r => r.Descriptor).ToImmutableArray();
    }

    /// <summary>The checks this analyzer runs, one per rule.</summary>
    public ImmutableArray<RuleCheck> Checks => _checks;

    public sealed override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; }

    public sealed override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();

        // Generated code is not analysed; findings are not filtered by Roslyn but by GeneratedCodeFilter, which is cheaper.
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.ReportDiagnostics);
        context.RegisterCompilationStartAction(OnCompilationStart);
    }

    private void OnCompilationStart(CompilationStartAnalysisContext context)
    {
        var switches = RuleSwitches.For(context.Compilation, context.Options, context.CancellationToken);
        var shared = new Dictionary<Type, object>();
        var operations = new Dictionary<OperationKind, List<CheckAction<OperationAnalysisContext>>>();
        var symbols = new Dictionary<SymbolKind, List<CheckAction<SymbolAnalysisContext>>>();
        var ends = new List<CheckAction<CompilationAnalysisContext>>();
        var started = new List<int>();
        for (var i = 0; i < _checks.Length; i++)
        {
            if (!switches.OnAnywhere(_switchIndex[i]))
            {
                continue;
            }

            started.Add(i);
            var start = new CheckStart(context.Compilation, context.Options, shared, context.CancellationToken);
            Timed(_rules[i].Id, () => _checks[i].Start(start));

            // A check that reports at compilation end gathers facts from every tree, including trees where its rule is
            // off: a finding in one file can rest on code in another.
            var everyTree = start.CompilationEndActions.Count > 0;
            var counter = CheckTimings.Enabled ? CheckTimings.CounterFor(_rules[i].Id) : null;
            foreach (var (kind, action) in start.OperationActions)
            {
                Add(operations, kind, new CheckAction<OperationAnalysisContext>(_switchIndex[i], _rules[i].Id, everyTree, action, counter));
            }

            foreach (var (kind, action) in start.SymbolActions)
            {
                Add(symbols, kind, new CheckAction<SymbolAnalysisContext>(_switchIndex[i], _rules[i].Id, everyTree, action, counter));
            }

            ends.AddRange(start.CompilationEndActions.Select(a => new CheckAction<CompilationAnalysisContext>(_switchIndex[i], _rules[i].Id, true, a, counter)));
        }

        // Usually every started rule is on in every file: then no file's switches are looked up per operation.
        var perTree = started.Any(i => !switches.OnEverywhere(_switchIndex[i]));
        foreach (var entry in operations)
        {
            var actions = entry.Value.ToArray();
            if (actions.Length == 1 && !perTree && actions[0].Counter is null)
            {
                // The common case for kinds one check asks for: no loop, no switches.
                var only = actions[0];
                context.RegisterOperationAction(c => RunOne(only, c), entry.Key);
                continue;
            }

            context.RegisterOperationAction(c => Run(actions, perTree ? switches.On(c.Operation.Syntax.SyntaxTree) : null, c), entry.Key);
        }

        // Symbol and compilation-end findings can point at any declaration, generated ones included.
        var generated = symbols.Count > 0 || ends.Count > 0 ? new GeneratedCodeFilter(context.Compilation, context.Options) : null;
        foreach (var entry in symbols)
        {
            var actions = entry.Value.ToArray();
            context.RegisterSymbolAction(generated!.Filtering(c => Run(actions, perTree ? SymbolSwitches(c.Symbol, switches) : null, c)), entry.Key);
        }

        if (ends.Count > 0)
        {
            var actions = ends.ToArray();
            context.RegisterCompilationEndAction(generated!.Filtering(c => Run(actions, null, c)));
        }
    }

    /// <summary>The rules on where the symbol is declared (a partial type: on in any of its files).</summary>
    private static bool[]? SymbolSwitches(ISymbol symbol, RuleSwitches switches)
    {
        bool[]? on = null;
        foreach (var location in symbol.Locations)
        {
            if (location.SourceTree is not { } tree)
            {
                continue;
            }

            var here = switches.On(tree);
            if (on is null)
            {
                on = here;
                continue;
            }

            on = on.Zip(here, (a, b) => a || b).ToArray();
        }

        return on;
    }

    private static void Add<TKind, TContext>(Dictionary<TKind, List<CheckAction<TContext>>> actions, TKind kind, CheckAction<TContext> action)
        where TKind : notnull
    {
        if (!actions.TryGetValue(kind, out var list))
        {
            list = [];
            actions[kind] = list;
        }

        list.Add(action);
    }

    /// <summary>Calls every check's action whose rule is on (<paramref name="on"/> null: on everywhere it was started).</summary>
    private void Run<TContext>(CheckAction<TContext>[] actions, bool[]? on, TContext context)
    {
        List<Exception>? failures = null;
        foreach (var action in actions)
        {
            if (on is not null && !action.EveryTree && !on[action.Check])
            {
                continue;
            }

            try
            {
                if (action.Counter is null)
                {
                    action.Action(context);
                }
                else
                {
                    var started = Stopwatch.GetTimestamp();
                    action.Action(context);
                    CheckTimings.Add(action.Counter, started);
                }
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // The other checks still run; the failure is reported by Roslyn (AD0001) with the rule it came from.
                (failures ??= []).Add(new CheckFailedException(action.RuleId, exception));
            }
        }

        if (failures is not null)
        {
            throw failures.Count == 1 ? failures[0] : new AggregateException(failures);
        }
    }

    private static void RunOne<TContext>(CheckAction<TContext> action, TContext context)
    {
        try
        {
            action.Action(context);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            throw new CheckFailedException(action.RuleId, exception);
        }
    }

    private static void Timed(string ruleId, Action start)
    {
        if (!CheckTimings.Enabled)
        {
            start();
            return;
        }

        var started = Stopwatch.GetTimestamp();
        start();
        CheckTimings.Add(CheckTimings.CounterFor(ruleId), started);
    }

    /// <summary>A check's action: <see cref="Check"/> is its rule's index in <see cref="RuleSwitches"/>.</summary>
    private sealed class CheckAction<TContext>(int check, string ruleId, bool everyTree, Action<TContext> action, long[]? counter)
    {
        public int Check { get; } = check;

        public string RuleId { get; } = ruleId;

        public bool EveryTree { get; } = everyTree;

        public Action<TContext> Action { get; } = action;

        public long[]? Counter { get; } = counter;
    }
}

/// <summary>A check failed; the message names its rule, so the failure can be traced to one check of the category.</summary>
public sealed class CheckFailedException(string ruleId, Exception inner)
    : Exception(ruleId + " check failed: " + inner.GetType().Name + ": " + inner.Message, inner)
{
    public string RuleId { get; } = ruleId;
}
