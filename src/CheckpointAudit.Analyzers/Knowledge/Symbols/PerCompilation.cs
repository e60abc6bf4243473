using System;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;

namespace CheckpointAudit.Knowledge;

/// <summary>
/// Knowledge computed once per compilation and shared by every analyzer of it. Each of the ~35 analyzers starts
/// on the same compilation; without this, each resolved the same symbols again, and a type lookup that misses
/// (Newtonsoft.Json in a project without it) searches every referenced assembly each time.
/// </summary>
internal static class PerCompilation<T>
    where T : class
{
    private static readonly ConditionalWeakTable<Compilation, Holder> Table = new();

    /// <summary>The compilation's value, created by the first caller (null is kept too).</summary>
    public static T? Get(Compilation compilation, Func<Compilation, T?> create)
        => Table.GetValue(compilation, c => new Holder(create(c))).Value;

    private sealed class Holder(T? value)
    {
        public T? Value { get; } = value;
    }
}
