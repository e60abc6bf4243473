using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;

namespace CheckpointAudit.Hosting;

/// <summary>
/// Time spent in each rule's check inside its category analyzer, for the benchmark: Roslyn's telemetry times the
/// category analyzer as a whole. Off unless <see cref="Enabled"/> is set; when off, a check costs one field read more.
/// When on, reading the clock around every call costs far more than most calls (on a VM, a clock read can take a
/// microsecond): the snapshot subtracts that cost, measured on the spot, per call; measure the analyzers' own total
/// in a run with timing off.
/// </summary>
public static class CheckTimings
{
    private static readonly Dictionary<string, long[]> Ticks = new(StringComparer.Ordinal);

    /// <summary>Whether checks are timed. Set it before the analyzers run.</summary>
    public static bool Enabled { get; set; }

    /// <summary>Forgets what was measured.</summary>
    public static void Reset()
    {
        lock (Ticks)
        {
            Ticks.Clear();
        }
    }

    /// <summary>Time spent in each rule's check since the last <see cref="Reset"/>, by rule ID.</summary>
    public static IReadOnlyDictionary<string, TimeSpan> Snapshot()
    {
        var result = new Dictionary<string, TimeSpan>(StringComparer.Ordinal);
        lock (Ticks)
        {
            foreach (var entry in Ticks)
            {
                var ticks = Interlocked.Read(ref entry.Value[0]) - (Interlocked.Read(ref entry.Value[1]) * ClockPairTicks.Value);
                result[entry.Key] = TimeSpan.FromSeconds((double)System.Math.Max(0, ticks) / Stopwatch.Frequency);
            }
        }

        return result;
    }

    /// <summary>What one timed call costs with nothing inside: two clock reads and the additions.</summary>
    private static readonly System.Lazy<long> ClockPairTicks = new(() =>
    {
        var counter = new long[2];
        const int calls = 20000;
        var started = Stopwatch.GetTimestamp();
        for (var i = 0; i < calls; i++)
        {
            Add(counter, Stopwatch.GetTimestamp());
        }

        return (Stopwatch.GetTimestamp() - started) / calls;
    });

    /// <summary>Adds one call that began at <paramref name="started"/> to a counter of <see cref="CounterFor"/>.</summary>
    internal static void Add(long[] counter, long started)
    {
        Interlocked.Add(ref counter[0], Stopwatch.GetTimestamp() - started);
        Interlocked.Increment(ref counter[1]);
    }

    /// <summary>The counter of one rule (elapsed ticks, calls), made once per category analyzer and compilation.</summary>
    internal static long[] CounterFor(string ruleId)
    {
        lock (Ticks)
        {
            if (!Ticks.TryGetValue(ruleId, out var counter))
            {
                counter = new long[2];
                Ticks[ruleId] = counter;
            }

            return counter;
        }
    }
}
