using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace CheckpointAudit.Knowledge;

/// <summary>
/// Facts about project methods, each computed once and kept, following calls as deep as they go (up to
/// <see cref="MaxDepth"/>, a guard for the stack). Unlike <see cref="MethodFactCache{T}"/>, whose three-call budget
/// makes a kept answer depend on which rule asked first, an answer here is the same from every caller; only a recursive
/// call (which gets <c>unknown</c> at the back edge) can make it depend on where the cycle was entered. Each method is
/// computed once, so the cost stays linear in the methods asked about.
/// </summary>
internal sealed class CompleteFacts<T>(T unknown)
{
    public const int MaxDepth = 32;

    [ThreadStatic]
    private static List<IMethodSymbol>? s_computing;

    private readonly ConcurrentDictionary<IMethodSymbol, T> _facts = new(SymbolEqualityComparer.Default);

    public T Get(IMethodSymbol method, Func<IMethodSymbol, T> compute)
    {
        if (_facts.TryGetValue(method, out var known))
        {
            return known;
        }

        var computing = s_computing ??= [];
        if (computing.Count >= MaxDepth || computing.Contains(method, SymbolEqualityComparer.Default))
        {
            return unknown;
        }

        computing.Add(method);
        try
        {
            return _facts.GetOrAdd(method, compute(method));
        }
        finally
        {
            computing.RemoveAt(computing.Count - 1);
        }
    }
}
