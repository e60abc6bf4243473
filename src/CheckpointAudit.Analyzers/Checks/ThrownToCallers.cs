using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace CheckpointAudit.Checks;

/// <summary>
/// For a finding about an exception nothing in its own project catches: the public methods it leaves the project
/// through, and the catch types that would handle it. An audit of the whole program can then look at the callers in
/// other projects (an application that catches what its library's loader throws, and tells the user).
/// </summary>
internal static class ThrownToCallers
{
    /// <summary>Documentation IDs of the methods the exception leaves the project through, separated by ';'.</summary>
    public const string ExitsProperty = "CheckpointAudit.ThrowsTo";

    /// <summary>Documentation IDs of the types a catch must name to handle it (the thrown types, their bases, and object for a bare catch).</summary>
    public const string CaughtByProperty = "CheckpointAudit.CaughtBy";

    public static ImmutableDictionary<string, string?> Properties(IReadOnlyList<IMethodSymbol>? exits, ImmutableArray<INamedTypeSymbol> thrown)
    {
        var ids = exits?.Select(e => e.GetDocumentationCommentId()).ToList();
        if (ids is null || ids.Count == 0 || ids.Any(id => id is null))
        {
            return ImmutableDictionary<string, string?>.Empty;
        }

        // A catch must take every thrown type (JsonReaderException alone lets JsonSerializationException through): the
        // types all of them derive from.
        SortedSet<string>? common = null;
        foreach (var type in thrown)
        {
            var chain = new SortedSet<string>(System.StringComparer.Ordinal);
            for (INamedTypeSymbol? current = type; current is not null && current.SpecialType != SpecialType.System_Object; current = current.BaseType)
            {
                if (current.GetDocumentationCommentId() is { } id)
                {
                    chain.Add(id);
                }
            }

            if (common is null)
            {
                common = chain;
            }
            else
            {
                common.IntersectWith(chain);
            }
        }

        var catches = common ?? new SortedSet<string>(System.StringComparer.Ordinal);
        catches.Add("T:System.Object");

        return ImmutableDictionary<string, string?>.Empty
            .Add(ExitsProperty, string.Join(";", ids))
            .Add(CaughtByProperty, string.Join(";", catches));
    }

    /// <summary>What a diagnostic carries; empty arrays when it carries nothing.</summary>
    public static (string[] Exits, string[] CaughtBy) Read(Diagnostic diagnostic)
        => diagnostic.Properties.TryGetValue(ExitsProperty, out var exits) && exits is { Length: > 0 }
            && diagnostic.Properties.TryGetValue(CaughtByProperty, out var caught) && caught is { Length: > 0 }
            ? (exits.Split(';'), caught.Split(';'))
            : (System.Array.Empty<string>(), System.Array.Empty<string>());
}
