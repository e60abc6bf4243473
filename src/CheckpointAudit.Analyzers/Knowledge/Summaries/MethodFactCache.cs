using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace CheckpointAudit.Knowledge;

/// <summary>
/// One fact about project methods, computed the first time it is asked and kept for the compilation. Computing a
/// fact may ask it of the methods the body calls: a recursive call, or a chain past <see cref="MethodSummaries.MaxDepth"/>,
/// gets <c>unknown</c> (and is not kept, so a shallower caller can still compute it). Facts computed under a caller's
/// budget are kept at every depth: that is as far as the budget looks anyway.
/// </summary>
internal sealed class MethodFactCache<T>(T unknown)
{
    [ThreadStatic]
    private static Stack<IMethodSymbol>? s_computing;

    private readonly ConcurrentDictionary<IMethodSymbol, T> _facts = new(SymbolEqualityComparer.Default);

    public T Get(IMethodSymbol method, Func<IMethodSymbol, T> compute)
    {
        if (_facts.TryGetValue(method, out var known))
        {
            return known;
        }

        var computing = s_computing ??= new Stack<IMethodSymbol>();
        if (computing.Count >= MethodSummaries.MaxDepth || computing.Contains(method, SymbolEqualityComparer.Default))
        {
            return unknown;
        }

        computing.Push(method);
        try
        {
            return _facts.GetOrAdd(method, compute(method));
        }
        finally
        {
            computing.Pop();
        }
    }
}
