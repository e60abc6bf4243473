using System;
using System.Collections.Immutable;
using System.Linq;
using CheckpointAudit.Catalog;
using CheckpointAudit.Checks;
using CheckpointAudit.Knowledge;
using Microsoft.CodeAnalysis;

namespace CheckpointAudit.Models;

/// <summary>
/// CKPT804 (compilation end): a get-only auto-property of a collection type on a model that System.Text.Json
/// persists. The serializer writes the items, but on load it neither replaces the collection (no setter) nor
/// adds to it (it populates only with JsonObjectCreationHandling.Populate), so the items are dropped. Quiet when
/// Populate is set on the property, on its type or on any JsonSerializerOptions of the project
/// (PreferredObjectCreationHandling), or when a constructor parameter of the same name takes the collection.
/// Newtonsoft.Json adds to existing collections and is not reported; arrays cannot be populated and are left
/// to CKPT801's reasoning about setters. Reported on the property; for a model declared in a referenced project, at
/// the first serializer call of this project that stores it.
/// </summary>
public sealed class CollectionNotPopulatedCheck : SchemaRuleCheck
{
    /// <summary>Diagnostic property: "populate" (add the attribute) or "init" (a collection that cannot be populated).</summary>
    public const string FixKey = "fix";

    public const string PopulateFix = "populate";
    public const string InitFix = "init";

    public CollectionNotPopulatedCheck()
        : base(RuleCatalog.CollectionNotPopulated)
    {
    }

    private protected override void Register(CheckStart start, PersistedModels models, CheckpointAuditOptions options)
    {
        var compilation = start.Compilation;
        var enumerable = compilation.GetSpecialType(SpecialType.System_Collections_IEnumerable);
        var collectionOfT = compilation.GetSpecialType(SpecialType.System_Collections_Generic_ICollection_T);
        var dictionary = KnownTypes.Get(compilation, "System.Collections.IDictionary");
        if (KnownTypes.Get(compilation, "System.Text.Json.JsonSerializerOptions") is null)
        {
            return;
        }

        var roots = CollectRoots(start, models, options);
        var settings = ProjectSerializerSettings.For(compilation);
        start.RegisterCompilationEndAction(end =>
        {
            var reported = new System.Collections.Generic.HashSet<ISymbol>(SymbolEqualityComparer.Default);
            foreach (var (property, type, serializer) in PersistedProperties.Of(roots))
            {
                if (serializer != SerializerKind.SystemTextJson || property.SetMethod is not null || property.Type is IArrayTypeSymbol
                    || property.Type.SpecialType == SpecialType.System_String || !property.Type.AllInterfaces.Contains(enumerable, SymbolEqualityComparer.Default)
                    || !PersistedProperties.IsGetOnlyAutoProperty(property) || Populated(property) || Populated(type) || ConstructorTakes(type, property) || settings.PopulateCollections(end.CancellationToken)
                    || roots.LocationFor(property, type, serializer) is not { } location || !reported.Add(property))
                {
                    continue;
                }

                // Populate needs a collection it can add to; an IReadOnlyList or IEnumerable property needs a setter instead.
                var mutable = property.Type.AllInterfaces.Any(i => SymbolEqualityComparer.Default.Equals(i.OriginalDefinition, collectionOfT))
                    || (dictionary is not null && property.Type.AllInterfaces.Contains(dictionary, SymbolEqualityComparer.Default))
                    || SymbolEqualityComparer.Default.Equals(property.Type.OriginalDefinition, collectionOfT);
                end.ReportDiagnostic(Diagnostic.Create(
                    Rule.Descriptor,
                    location,
                    ImmutableDictionary<string, string?>.Empty.Add(FixKey, mutable ? PopulateFix : InitFix),
                    type.Name,
                    property.Name));
            }
        });
    }

    /// <summary>[JsonObjectCreationHandling(JsonObjectCreationHandling.Populate)] on the symbol.</summary>
    private static bool Populated(ISymbol symbol)
        => KnownAttributes.Find(symbol, KnownAttributes.StjObjectCreationHandling)?.ConstructorArguments.FirstOrDefault().Value is KnownAttributes.PopulateCreationHandling;

    private static bool ConstructorTakes(INamedTypeSymbol type, IPropertySymbol property)
        => type.InstanceConstructors.Any(c => c.DeclaredAccessibility == Accessibility.Public && c.Parameters.Length > 0
            && c.Parameters.Any(p => string.Equals(p.Name, property.Name, StringComparison.OrdinalIgnoreCase))
            && (KnownAttributes.HasAny(c, KnownAttributes.Constructor)
                || !type.InstanceConstructors.Any(other => other.DeclaredAccessibility == Accessibility.Public && other.Parameters.Length == 0)));
}
