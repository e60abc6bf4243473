using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;

namespace CheckpointAudit.Knowledge;

/// <summary>
/// The methods declared in a compilation's source with a given name, as <c>GetSymbolsWithName(name, SymbolFilter.Member)</c>
/// finds them and in its order (the summaries that combine several implementations take the first one's serializer,
/// parse or stored source). The overrides and implementations of every virtual or interface method a rule follows
/// are looked up by name, hundreds of names per compilation; the compiler's search by name walks every type
/// declaration each time, so every member is listed in one walk instead (the same walk, in the same order: a name's
/// methods come out as the search by that name gives them) and grouped by name.
/// </summary>
internal sealed class SourceMethodsByName
{
    private readonly Compilation _compilation;
    private Dictionary<string, ImmutableArray<IMethodSymbol>>? _byName;

    private SourceMethodsByName(Compilation compilation) => _compilation = compilation;

    public static SourceMethodsByName Of(Compilation compilation)
        => PerCompilation<SourceMethodsByName>.Get(compilation, c => new SourceMethodsByName(c))!;

    /// <summary>The source methods of the compilation named <paramref name="name"/>.</summary>
    public ImmutableArray<IMethodSymbol> Named(string name, CancellationToken cancellationToken)
        => Index(cancellationToken).TryGetValue(name, out var methods) ? methods : ImmutableArray<IMethodSymbol>.Empty;

    private Dictionary<string, ImmutableArray<IMethodSymbol>> Index(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _byName) is { } known)
        {
            return known;
        }

        // Built by whichever caller comes first; a cancelled build leaves nothing behind, and two concurrent builds
        // give equal indexes.
        var index = _compilation.GetSymbolsWithName(static _ => true, SymbolFilter.Member, cancellationToken)
            .OfType<IMethodSymbol>()
            // Named "IStore<T>.Save", or made by the compiler (a record's ToString): no search by name finds them.
            .Where(m => m.MethodKind != MethodKind.ExplicitInterfaceImplementation && !m.IsImplicitlyDeclared)
            .GroupBy(m => m.Name, System.StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToImmutableArray(), System.StringComparer.Ordinal);
        return Interlocked.CompareExchange(ref _byName, index, null) ?? index;
    }
}
