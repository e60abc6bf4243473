using System.Linq;
using Microsoft.CodeAnalysis;

namespace CheckpointAudit.Knowledge;

/// <summary>Subtype tests against symbols resolved once per compilation.</summary>
internal static class TypeRelations
{
    /// <summary>The type is <paramref name="expected"/> or derives from it (generic definitions compared).</summary>
    public static bool InheritsFrom(ITypeSymbol? type, INamedTypeSymbol? expected)
    {
        if (expected is null)
        {
            return false;
        }

        for (var current = type; current is not null; current = current.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(current.OriginalDefinition, expected))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The type is the interface <paramref name="expected"/> or implements it.</summary>
    public static bool Implements(ITypeSymbol? type, INamedTypeSymbol? expected)
    {
        if (type is null || expected is null)
        {
            return false;
        }

        if (SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, expected))
        {
            return true;
        }

        foreach (var implemented in type.AllInterfaces)
        {
            if (SymbolEqualityComparer.Default.Equals(implemented.OriginalDefinition, expected))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The type a property or field holds, unwrapped from <c>Nullable&lt;T&gt;</c>; null for other members.</summary>
    /// <summary>Whether the method implements a member of an interface of its type (called through the interface, not by its own name).</summary>
    public static bool ImplementsInterfaceMember(IMethodSymbol method)
        => method.ContainingType.AllInterfaces.Any(i => i.GetMembers(method.Name).Any(m => SymbolEqualityComparer.Default.Equals(method.ContainingType.FindImplementationForInterfaceMember(m), method)));

    public static ITypeSymbol? StoredType(ISymbol member)
    {
        var type = member switch
        {
            IPropertySymbol property => property.Type,
            IFieldSymbol field => field.Type,
            _ => null,
        };
        return type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable ? nullable.TypeArguments[0] : type;
    }
}
