using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace CheckpointAudit.Knowledge;

/// <summary>
/// The methods declared in a compilation's source, by name: what <c>GetSymbolsWithName(name, SymbolFilter.Member)</c>
/// answers for methods, found in one walk of the compilation's types instead of one walk of its declarations per name
/// (the overrides and implementations of every virtual or interface method a rule follows are looked up this way).
/// </summary>
internal sealed class SourceMethodsByName
{
    private readonly Dictionary<string, List<IMethodSymbol>> _byName = new(System.StringComparer.Ordinal);

    private SourceMethodsByName(Compilation compilation)
    {
        var types = new Stack<INamespaceOrTypeSymbol>();
        types.Push(compilation.Assembly.GlobalNamespace);
        while (types.Count > 0)
        {
            foreach (var member in types.Pop().GetMembers())
            {
                switch (member)
                {
                    case INamespaceOrTypeSymbol container:
                        types.Push(container);
                        break;
                    case IMethodSymbol { IsImplicitlyDeclared: false } method when !method.DeclaringSyntaxReferences.IsEmpty:
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
}
