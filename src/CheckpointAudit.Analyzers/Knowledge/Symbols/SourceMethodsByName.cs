using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;

namespace CheckpointAudit.Knowledge;

/// <summary>
/// The methods declared in a compilation's source that can be called by name, grouped by name: the set
/// <c>GetSymbolsWithName(name, SymbolFilter.Member)</c> gives for methods with a body, found in one walk of the
/// compilation's types instead of one walk of its declarations per name (the overrides and implementations of every
/// virtual or interface method a rule follows are looked up by name). Not in the compiler's order: a caller that
/// needs it asks <see cref="InCompilerOrder"/> where the order matters.
/// </summary>
internal sealed class SourceMethodsByName
{
    private readonly Compilation _compilation;
    private readonly Dictionary<string, List<IMethodSymbol>> _byName = new(System.StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ImmutableArray<IMethodSymbol>> _inCompilerOrder = new(System.StringComparer.Ordinal);

    private SourceMethodsByName(Compilation compilation)
    {
        _compilation = compilation;
        var containers = new Stack<INamespaceOrTypeSymbol>();
        containers.Push(compilation.Assembly.GlobalNamespace);
        while (containers.Count > 0)
        {
            foreach (var member in containers.Pop().GetMembers())
            {
                switch (member)
                {
                    case INamespaceOrTypeSymbol container:
                        containers.Push(container);
                        break;
                    case IMethodSymbol { IsImplicitlyDeclared: false, CanBeReferencedByName: true } method when !method.DeclaringSyntaxReferences.IsEmpty:
                        if (!_byName.TryGetValue(method.Name, out var named))
                        {
                            _byName[method.Name] = named = [];
                        }

                        named.Add(method);
                        break;
                }
            }
        }
    }

    public static SourceMethodsByName Of(Compilation compilation)
        => PerCompilation<SourceMethodsByName>.Get(compilation, c => new SourceMethodsByName(c))!;

    /// <summary>The source methods of the compilation named <paramref name="name"/>.</summary>
    public IReadOnlyList<IMethodSymbol> Named(string name)
        => _byName.TryGetValue(name, out var named) ? named : ImmutableArray<IMethodSymbol>.Empty;

    /// <summary>The members named <paramref name="name"/> that are methods, in the order of the compiler's search by name.</summary>
    public ImmutableArray<IMethodSymbol> InCompilerOrder(string name, CancellationToken cancellationToken)
        => _inCompilerOrder.GetOrAdd(name, n => [.. _compilation.GetSymbolsWithName(n, SymbolFilter.Member, cancellationToken).OfType<IMethodSymbol>()]);
}
