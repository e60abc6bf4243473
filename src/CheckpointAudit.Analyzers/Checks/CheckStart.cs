using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace CheckpointAudit.Checks;

/// <summary>
/// What a check sees at the start of a compilation: the compilation, its options, and registration of the actions the
/// category analyzer will run for it. The actions are Roslyn's own delegates: the category analyzer hands them the
/// context of its single action per kind.
/// </summary>
public sealed class CheckStart
{
    private readonly Dictionary<Type, object> _shared;

    internal CheckStart(Compilation compilation, AnalyzerOptions options, Dictionary<Type, object> shared, CancellationToken cancellationToken)
    {
        Compilation = compilation;
        Options = options;
        CancellationToken = cancellationToken;
        _shared = shared;
    }

    public Compilation Compilation { get; }

    public AnalyzerOptions Options { get; }

    public CancellationToken CancellationToken { get; }

    internal List<(OperationKind Kind, Action<OperationAnalysisContext> Action)> OperationActions { get; } = [];

    internal List<(SymbolKind Kind, Action<SymbolAnalysisContext> Action)> SymbolActions { get; } = [];

    internal List<Action<CompilationAnalysisContext>> CompilationEndActions { get; } = [];

    public void RegisterOperationAction(Action<OperationAnalysisContext> action, params OperationKind[] kinds)
    {
        foreach (var kind in kinds)
        {
            OperationActions.Add((kind, action));
        }
    }

    public void RegisterOperationAction(Action<OperationAnalysisContext> action, ImmutableArray<OperationKind> kinds)
    {
        foreach (var kind in kinds)
        {
            OperationActions.Add((kind, action));
        }
    }

    public void RegisterSymbolAction(Action<SymbolAnalysisContext> action, params SymbolKind[] kinds)
    {
        foreach (var kind in kinds)
        {
            SymbolActions.Add((kind, action));
        }
    }

    public void RegisterCompilationEndAction(Action<CompilationAnalysisContext> action) => CompilationEndActions.Add(action);

    /// <summary>
    /// One instance per category analyzer and compilation, made by the first check that asks: state several checks of
    /// a category would otherwise each build and fill the same way (e.g. the persisted roots of the compilation).
    /// </summary>
    internal T Shared<T>(Func<T> create)
        where T : class
    {
        lock (_shared)
        {
            if (!_shared.TryGetValue(typeof(T), out var value))
            {
                value = create();
                _shared[typeof(T)] = value;
            }

            return (T)value;
        }
    }
}
