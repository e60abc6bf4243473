using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace CheckpointAudit.Knowledge;

/// <summary>
/// What travels inside a persisted model: its serialized members and, through their types, the types
/// they reach — element types of arrays and collections, dictionary keys and values, Nullable&lt;T&gt;,
/// base types. A serialized member is a public instance property with a getter or a public field (or,
/// in a [DataContract] type, a [DataMember]), not ignored by [JsonIgnore], [XmlIgnore],
/// [IgnoreDataMember] or [NonSerialized]. Only types declared in source are walked into.
/// </summary>
internal static class SerializedMembers
{
    /// <summary>One member on a path from a persisted root: the member and the type that declares it.</summary>
    public readonly struct Reach(INamedTypeSymbol owner, ISymbol member)
    {
        public INamedTypeSymbol Owner { get; } = owner;

        public ISymbol Member { get; } = member;

        public override string ToString() => Owner.Name + "." + Member.Name;
    }

    /// <summary>Every enum reachable from <paramref name="roots"/>, with the first member found that holds it.</summary>
    public static Dictionary<INamedTypeSymbol, Reach> ReachableEnums(IEnumerable<INamedTypeSymbol> roots)
        => Walk(roots, new HashSet<INamedTypeSymbol>(SymbolEqualityComparer.Default));

    /// <summary>The source types (roots included, base types too) whose members travel inside <paramref name="roots"/>.</summary>
    public static HashSet<INamedTypeSymbol> ReachableTypes(IEnumerable<INamedTypeSymbol> roots)
    {
        var visited = new HashSet<INamedTypeSymbol>(SymbolEqualityComparer.Default);
        Walk(roots, visited);
        return visited;
    }

    /// <summary>What travels inside <paramref name="root"/>: the source types (itself and its base types included) and the enums it reaches.</summary>
    public static HashSet<INamedTypeSymbol> Carried(INamedTypeSymbol root)
    {
        var carried = new HashSet<INamedTypeSymbol>(SymbolEqualityComparer.Default);
        var enums = Walk(new[] { root }, carried);
        carried.UnionWith(enums.Keys.Select(e => e.OriginalDefinition));
        return carried;
    }

    private static Dictionary<INamedTypeSymbol, Reach> Walk(IEnumerable<INamedTypeSymbol> roots, HashSet<INamedTypeSymbol> visited)
    {
        var enums = new Dictionary<INamedTypeSymbol, Reach>(SymbolEqualityComparer.Default);
        var pending = new Queue<INamedTypeSymbol>(roots);
        while (pending.Count > 0)
        {
            var type = pending.Dequeue();
            if (!visited.Add(type.OriginalDefinition))
            {
                continue;
            }

            for (var current = type; current is not null && IsInSource(current); current = current.BaseType)
            {
                visited.Add(current.OriginalDefinition);
                var contract = KnownAttributes.Has(current, KnownAttributes.DataContract);
                foreach (var member in current.GetMembers())
                {
                    if (!IsSerialized(member, contract) || TypeOf(member) is not { } memberType)
                    {
                        continue;
                    }

                    foreach (var reached in Components(memberType))
                    {
                        if (reached.TypeKind == TypeKind.Enum)
                        {
                            if (!enums.ContainsKey(reached))
                            {
                                enums.Add(reached, new Reach(current, member));
                            }
                        }
                        else if (IsInSource(reached))
                        {
                            pending.Enqueue(reached);
                        }
                    }
                }
            }
        }

        return enums;
    }

    public static bool IsSerialized(ISymbol member, bool dataContract)
    {
        if (member.IsStatic || member.IsImplicitlyDeclared)
        {
            return false;
        }

        var attributes = member.GetAttributes();
        if (IsIgnored(member))
        {
            return false;
        }

        if (dataContract)
        {
            return attributes.Any(a => KnownAttributes.Is(a, KnownAttributes.DataMember));
        }

        var included = attributes.Any(a => KnownAttributes.IsAny(a, KnownAttributes.Include));
        return member switch
        {
            IPropertySymbol property => !property.IsIndexer && property.GetMethod is not null && (property.DeclaredAccessibility == Accessibility.Public || included),
            IFieldSymbol field => field.DeclaredAccessibility == Accessibility.Public || included,
            _ => false,
        };
    }

    /// <summary>[JsonIgnore], [XmlIgnore], [IgnoreDataMember], [NonSerialized]: the serializer skips the member.</summary>
    public static bool IsIgnored(ISymbol member)
        => KnownAttributes.HasAny(member, KnownAttributes.Ignore);

    /// <summary>The names set by [JsonPropertyName], [JsonProperty], [DataMember(Name)], [XmlElement] or [XmlAttribute], in attribute order.</summary>
    public static IEnumerable<string> ExplicitNames(ISymbol member)
    {
        foreach (var attribute in member.GetAttributes())
        {
            if (!KnownAttributes.IsAny(attribute, KnownAttributes.ExplicitName))
            {
                continue;
            }

            if (attribute.ConstructorArguments.FirstOrDefault().Value is string { Length: > 0 } positional)
            {
                yield return positional;
            }

            foreach (var named in attribute.NamedArguments)
            {
                if (named.Key is "Name" or "PropertyName" or "ElementName" or "AttributeName" && named.Value.Value is string { Length: > 0 } name)
                {
                    yield return name;
                }
            }
        }
    }

    /// <summary>The name the member is stored under: its first explicit name, else its own (naming policies are not modelled).</summary>
    public static string StoredName(ISymbol member) => ExplicitNames(member).FirstOrDefault() ?? member.Name;

    private static ITypeSymbol? TypeOf(ISymbol member) => member switch
    {
        IPropertySymbol property => property.Type,
        IFieldSymbol field => field.Type,
        _ => null,
    };

    /// <summary>The named types a member's type is made of: itself, array elements, type arguments (List&lt;T&gt;, Dictionary&lt;K, V&gt;, T?).</summary>
    private static IEnumerable<INamedTypeSymbol> Components(ITypeSymbol type)
    {
        switch (type)
        {
            case IArrayTypeSymbol array:
                foreach (var element in Components(array.ElementType))
                {
                    yield return element;
                }

                break;
            case INamedTypeSymbol named:
                if (named.IsGenericType)
                {
                    foreach (var argument in named.TypeArguments)
                    {
                        foreach (var component in Components(argument))
                        {
                            yield return component;
                        }
                    }
                }

                if (named.OriginalDefinition.SpecialType != SpecialType.System_Nullable_T)
                {
                    yield return named;
                }

                break;
        }
    }

    private static bool IsInSource(INamedTypeSymbol type) => !type.Locations.IsEmpty && type.Locations[0].IsInSource;
}
