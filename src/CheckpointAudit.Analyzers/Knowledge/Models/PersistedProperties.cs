using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CheckpointAudit.Knowledge;

/// <summary>
/// The properties the Models rules judge: serialized, declared in source, on classes that persisted roots reach
/// through their serialized members, each with the serializer kind of the roots that reach it (null for roots
/// opted in without a serializer call). [DataContract] types are left to their own serializer's rules.
/// </summary>
internal static class PersistedProperties
{
    public static IEnumerable<(IPropertySymbol Property, INamedTypeSymbol Type, SerializerKind? Serializer)> Of(
        IEnumerable<(INamedTypeSymbol Model, SerializerKind? Serializer)> roots)
    {
        foreach (var group in roots.GroupBy(r => r.Serializer))
        {
            foreach (var type in SerializedMembers.ReachableTypes(group.Select(r => r.Model).Distinct(SymbolEqualityComparer.Default).Cast<INamedTypeSymbol>()))
            {
                if (type.TypeKind != TypeKind.Class || KnownAttributes.Has(type, KnownAttributes.DataContract))
                {
                    continue;
                }

                foreach (var property in type.GetMembers().OfType<IPropertySymbol>())
                {
                    if (!property.Locations.IsEmpty && property.Locations[0].IsInSource && !property.IsIndexer && !property.IsStatic
                        && SerializedMembers.IsSerialized(property, dataContract: false))
                    {
                        yield return (property, type, group.Key);
                    }
                }
            }
        }
    }

    /// <summary>'T X { get; }' (with or without an initializer): a get-only auto-property, not '=> ...' or 'get { ... }'.</summary>
    public static bool IsGetOnlyAutoProperty(IPropertySymbol property)
        => property.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax() is PropertyDeclarationSyntax { ExpressionBody: null, AccessorList.Accessors: { Count: 1 } accessors }
            && accessors[0] is { Body: null, ExpressionBody: null };
}
