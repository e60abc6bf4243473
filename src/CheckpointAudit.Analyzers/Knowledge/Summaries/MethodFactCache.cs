using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;
using Microsoft.CodeAnalysis;

namespace CheckpointAudit.Knowledge;

/// <summary>
/// One fact about project methods, computed the first time it is asked and kept for the compilation. Computing a fact
/// may ask it, or another kind of fact, of the methods the body calls: each kind of fact may be nested at most
/// <see cref="MethodSummaries.MaxDepth"/> deep, and a call past that budget gets <c>unknown</c> (a recursive call
/// too, once its budget is spent).
/// </summary>
/// <remarks>
/// An answer must not depend on which rule, thread or file asked first. So an answer computed within the budget,
/// with no call cut off, is kept with the depth of each kind it needed and reused wherever that much budget is left;
/// an answer in which a call was cut off is kept only for the budgets it was computed under.
/// </remarks>
internal sealed class MethodFactCache<T>(T unknown)
{
    private static readonly int s_kind = MethodFactFrames.NewKind();

    private readonly ConcurrentDictionary<IMethodSymbol, (T Value, int[] Needs)> _complete = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<(IMethodSymbol Method, long Budgets), T> _cutOff = new(CutOffComparer.Instance);

    public T Get(IMethodSymbol method, Func<IMethodSymbol, T> compute)
    {
        var frames = MethodFactFrames.Current;
        var parent = frames.Count > 0 ? frames[frames.Count - 1] : null;
        var budgets = MethodFactFrames.Budgets(frames);
        if (_complete.TryGetValue(method, out var complete) && MethodFactFrames.Fits(complete.Needs, budgets))
        {
            parent?.Needed(complete.Needs);
            return complete.Value;
        }

        var key = (method, MethodFactFrames.Encode(budgets));
        if (budgets[s_kind] <= 0)
        {
            parent?.CutOff();
            return unknown;
        }

        if (_cutOff.TryGetValue(key, out var known))
        {
            parent?.CutOff();
            return known;
        }

        var frame = new MethodFactFrame(s_kind);
        frames.Add(frame);
        T value;
        try
        {
            value = compute(method);
        }
        finally
        {
            frames.RemoveAt(frames.Count - 1);
        }

        if (frame.WasCutOff)
        {
            parent?.CutOff();
            return _cutOff.GetOrAdd(key, value);
        }

        var kept = _complete.GetOrAdd(method, (value, frame.Needs));
        parent?.Needed(kept.Needs);
        return kept.Value;
    }

    private sealed class CutOffComparer : IEqualityComparer<(IMethodSymbol Method, long Budgets)>
    {
        public static readonly CutOffComparer Instance = new();

        public bool Equals((IMethodSymbol Method, long Budgets) x, (IMethodSymbol Method, long Budgets) y)
            => x.Budgets == y.Budgets && SymbolEqualityComparer.Default.Equals(x.Method, y.Method);

        public int GetHashCode((IMethodSymbol Method, long Budgets) key)
            => unchecked((SymbolEqualityComparer.Default.GetHashCode(key.Method) * 31) + key.Budgets.GetHashCode());
    }
}

/// <summary>One fact being computed: its kind, how deep each kind of fact it asked went, whether a call was cut off.</summary>
internal sealed class MethodFactFrame(int kind)
{
    public int Kind { get; } = kind;

    public int[] Needs { get; } = MethodFactFrames.OwnNeeds(kind);

    public bool WasCutOff { get; private set; }

    public void CutOff() => WasCutOff = true;

    /// <summary>A fact this one asked needed <paramref name="needs"/> (its own frame included).</summary>
    public void Needed(int[] needs)
    {
        for (var kind = 0; kind < needs.Length; kind++)
        {
            Needs[kind] = Math.Max(Needs[kind], needs[kind] + (kind == Kind ? 1 : 0));
        }
    }
}

/// <summary>The facts being computed on this thread, innermost last, and the budget each kind has left.</summary>
internal static class MethodFactFrames
{
    public const int MaxKinds = 8;

    private static int s_kinds = -1;

    [ThreadStatic]
    private static List<MethodFactFrame>? s_frames;

    public static List<MethodFactFrame> Current => s_frames ??= [];

    public static int NewKind()
    {
        // Four kinds exist; past MaxKinds two kinds would share a budget, which only makes answers shallower.
        return Interlocked.Increment(ref s_kinds) % MaxKinds;
    }

    public static int[] OwnNeeds(int kind)
    {
        var needs = new int[MaxKinds];
        needs[kind] = 1;
        return needs;
    }

    public static int[] Budgets(List<MethodFactFrame> frames)
    {
        var budgets = new int[MaxKinds];
        for (var kind = 0; kind < MaxKinds; kind++)
        {
            budgets[kind] = MethodSummaries.MaxDepth;
        }

        foreach (var frame in frames)
        {
            budgets[frame.Kind]--;
        }

        return budgets;
    }

    public static bool Fits(int[] needs, int[] budgets)
    {
        for (var kind = 0; kind < MaxKinds; kind++)
        {
            if (needs[kind] > budgets[kind])
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The budgets as one number (each fits in four bits: at most <see cref="MethodSummaries.MaxDepth"/>).</summary>
    public static long Encode(int[] budgets)
    {
        long code = 0;
        foreach (var budget in budgets)
        {
            code = (code << 4) | (long)Math.Max(0, budget);
        }

        return code;
    }
}
