using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace CheckpointAudit.Knowledge;

/// <summary>
/// Facts about project methods that are kept only when complete: a fact computed while a method it depends on was cut
/// off (a recursive call, a chain deeper than <see cref="MaxDepth"/>) is returned but not kept, so a later question asked
/// from a shallower place gets the whole answer. Unlike <see cref="MethodFactCache{T}"/>, an answer never depends on
/// which rule asked first.
/// </summary>
internal sealed class CompleteFacts<T>(T unknown)
{
    public const int MaxDepth = 6;

    [ThreadStatic]
    private static List<IMethodSymbol>? s_computing;

    [ThreadStatic]
    private static bool s_cutOff;

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
            s_cutOff = true;
            return unknown;
        }

        var outerCutOff = s_cutOff;
        s_cutOff = false;
        computing.Add(method);
        try
        {
            var fact = compute(method);
            if (!s_cutOff)
            {
                _facts.TryAdd(method, fact);
            }

            return fact;
        }
        finally
        {
            computing.RemoveAt(computing.Count - 1);

            // A caller of a cut-off method is cut off too.
            s_cutOff |= outerCutOff;
        }
    }
}
