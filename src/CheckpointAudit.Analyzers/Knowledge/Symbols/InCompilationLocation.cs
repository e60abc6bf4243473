using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace CheckpointAudit.Knowledge;

/// <summary>
/// Where a finding about a symbol may be reported. A diagnostic must lie in the compilation being analysed: Roslyn
/// rejects any other source location with an exception (AD0001), and the action that reported it loses all its
/// findings. A symbol's declaration is not always there: in a solution and in the IDE a project reference brings the
/// referenced project's types with their source declarations, which belong to that project's compilation. Every
/// location a rule takes from a symbol (its declaration, a member's, an initializer's) goes through here; where the
/// declaration is elsewhere, the rule reports at the site in this compilation that made it judge the symbol (for a
/// persisted model, the serializer call: see <see cref="PersistedRoots.LocationFor(ISymbol, INamedTypeSymbol)"/>).
/// </summary>
internal static class InCompilationLocation
{
    /// <summary>Whether <paramref name="location"/> may be reported in the compilation: outside source, or in one of its files.</summary>
    public static bool IsIn(Location location, Compilation compilation)
        => !location.IsInSource || compilation.ContainsSyntaxTree(location.SourceTree!);

    /// <summary>The symbol's first declaration in the compilation's source; null when it is declared elsewhere (a referenced project or assembly).</summary>
    public static Location? Of(ISymbol symbol, Compilation compilation)
    {
        foreach (var location in symbol.Locations)
        {
            if (location.IsInSource && compilation.ContainsSyntaxTree(location.SourceTree!))
            {
                return location;
            }
        }

        return null;
    }

    /// <summary>The symbol's declaration when it is in the compilation, else <paramref name="fallback"/> when that is; null when neither is (not reported here).</summary>
    public static Location? Of(ISymbol symbol, Compilation compilation, Location? fallback)
        => Of(symbol, compilation) ?? (fallback is not null && fallback.IsInSource && compilation.ContainsSyntaxTree(fallback.SourceTree!) ? fallback : null);

    /// <summary>The node's location when its file is in the compilation; null otherwise.</summary>
    public static Location? Of(SyntaxNode node, Compilation compilation)
        => compilation.ContainsSyntaxTree(node.SyntaxTree) ? node.GetLocation() : null;

    /// <summary>The locations that may be reported in the compilation (for a diagnostic's additional locations).</summary>
    public static ImmutableArray<Location> Within(IEnumerable<Location> locations, Compilation compilation)
        => locations.Where(l => IsIn(l, compilation)).ToImmutableArray();
}

/// <summary>
/// The compilation that holds a syntax tree: the one analysed, or that of a referenced project (in a solution and in
/// the IDE a project reference is a compilation reference). For binding a declaration of another project, which the
/// analysed compilation cannot give a semantic model for.
/// </summary>
internal static class DeclaringCompilation
{
    /// <summary>The analysed compilation or a directly referenced one that contains <paramref name="tree"/>; null when none does.</summary>
    public static Compilation? Of(SyntaxTree tree, Compilation compilation)
    {
        if (compilation.ContainsSyntaxTree(tree))
        {
            return compilation;
        }

        foreach (var reference in compilation.References)
        {
            if (reference is CompilationReference { Compilation: { } referenced } && referenced.ContainsSyntaxTree(tree))
            {
                return referenced;
            }
        }

        return null;
    }
}
