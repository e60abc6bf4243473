using System;
using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;

namespace CheckpointAudit.Knowledge;

/// <summary>Type lookups by metadata name, answered once per compilation.</summary>
internal static class KnownTypes
{
    private static readonly ConditionalWeakTable<Compilation, ConcurrentDictionary<string, INamedTypeSymbol?>> Table = new();

    /// <summary>Compilation.GetTypeByMetadataName, cached for the compilation (misses included).</summary>
    public static INamedTypeSymbol? Get(Compilation compilation, string metadataName)
    {
        var known = Table.GetValue(compilation, _ => new ConcurrentDictionary<string, INamedTypeSymbol?>(StringComparer.Ordinal));
        if (!known.TryGetValue(metadataName, out var type))
        {
            type = known.GetOrAdd(metadataName, compilation.GetTypeByMetadataName(metadataName));
        }

        return type;
    }
}
