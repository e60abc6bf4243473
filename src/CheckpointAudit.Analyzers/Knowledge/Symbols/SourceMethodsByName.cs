using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;

namespace CheckpointAudit.Knowledge;

/// <summary>
/// The methods declared in a compilation's source with a given name, as <c>GetSymbolsWithName(name, SymbolFilter.Member)</c>
/// finds them and in its order (the summaries that combine several implementations take the first one's serializer,
/// parse or stored source), searched once per compilation and name: the overrides and implementations of every virtual
/// or interface method a rule follows are looked up by name, and many share one (Save, Load, Execute).
/// </summary>
internal sealed class SourceMethodsByName
{
    private readonly Compilation _compilation;
    private readonly ConcurrentDictionary<string, ImmutableArray<IMethodSymbol>> _byName = new(System.StringComparer.Ordinal);

    private SourceMethodsByName(Compilation compilation) => _compilation = compilation;

    public static SourceMethodsByName Of(Compilation compilation)
        => PerCompilation<SourceMethodsByName>.Get(compilation, c => new SourceMethodsByName(c))!;

    /// <summary>The source methods of the compilation named <paramref name="name"/>.</summary>
    public ImmutableArray<IMethodSymbol> Named(string name, CancellationToken cancellationToken)
        => _byName.GetOrAdd(name, n => [.. _compilation.GetSymbolsWithName(n, SymbolFilter.Member, cancellationToken).OfType<IMethodSymbol>()]);
}
