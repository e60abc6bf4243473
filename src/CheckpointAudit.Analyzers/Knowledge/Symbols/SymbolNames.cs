using Microsoft.CodeAnalysis;

namespace CheckpointAudit.Knowledge;

/// <summary>
/// Names of namespaces and types compared part by part: for the library types the rules recognise by name without
/// resolving them (a serializer's attribute namespace, a BCL type), where a display string would be built and
/// formatted on every call. A type in this compilation or a referenced one is better compared with
/// <see cref="KnownTypes"/>.
/// </summary>
internal static class SymbolNames
{
    /// <summary>
    /// The symbol as text, for a message, a fix's argument or a user's name pattern: the one sanctioned display-string
    /// call (BannedSymbols.txt bans the others, so names are never compared through display text).
    /// </summary>
    public static string Display(ISymbol symbol, SymbolDisplayFormat? format = null)
    {
#pragma warning disable RS0030 // The single place display text is built; see BannedSymbols.txt.
        return symbol.ToDisplayString(format);
#pragma warning restore RS0030
    }

    /// <summary>The namespace is exactly <paramref name="dotted"/> ("System.Text.Json"), no more and no less.</summary>
    public static bool IsNamespace(INamespaceSymbol? ns, string dotted) => IsNamespace(ns, dotted, dotted.Length);

    // The namespace is exactly dotted[..end].
    private static bool IsNamespace(INamespaceSymbol? ns, string dotted, int end)
    {
        for (var current = ns; current is not null && !current.IsGlobalNamespace; current = current.ContainingNamespace)
        {
            if (end < 0 || !EndsWithPart(dotted, end, current.Name, out var start))
            {
                return false;
            }

            end = start - 1; // before the dot
        }

        return end == -1 && ns is not null;
    }

    /// <summary>The type, with its containing types and namespace, is exactly <paramref name="fullName"/> ("System.IO.File", "Outer.Inner").</summary>
    public static bool IsType(ITypeSymbol? type, string fullName)
    {
        var end = fullName.Length;
        ISymbol? current = type;
        for (; current is ITypeSymbol named; current = current.ContainingSymbol)
        {
            if (end < 0 || !EndsWithPart(fullName, end, named.Name, out var start))
            {
                return false;
            }

            end = start - 1;
        }

        if (current is INamespaceSymbol { IsGlobalNamespace: true })
        {
            return end == -1;
        }

        return end > 0 && IsNamespace(current as INamespaceSymbol, fullName, end);
    }

    // Whether dotted[..end] ends with part, preceded by the start of the text or a dot.
    private static bool EndsWithPart(string dotted, int end, string part, out int start)
    {
        start = end - part.Length;
        return start >= 0
            && string.CompareOrdinal(dotted, start, part, 0, part.Length) == 0
            && (start == 0 || dotted[start - 1] == '.');
    }
}
