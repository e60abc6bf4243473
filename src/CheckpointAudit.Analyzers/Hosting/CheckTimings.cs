using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;

namespace CheckpointAudit.Hosting;

/// <summary>
/// Time spent in each rule's check inside its category analyzer, for the benchmark: Roslyn's telemetry times the
/// category analyzer as a whole. Off unless <see cref="Enabled"/> is set; when off, a check costs one field read more.
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
                result[entry.Key] = TimeSpan.FromSeconds((double)Interlocked.Read(ref entry.Value[0]) / Stopwatch.Frequency);
            }
        }

        return result;
    }

    /// <summary>The counter of one rule, made once per category analyzer and compilation.</summary>
    internal static long[] CounterFor(string ruleId)
    {
        lock (Ticks)
        {
            if (!Ticks.TryGetValue(ruleId, out var counter))
            {
                counter = new long[1];
                Ticks[ruleId] = counter;
            }

            return counter;
        }
    }
}
