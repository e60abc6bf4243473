using System.Collections.Generic;
using CheckpointAudit.Catalog;
using CheckpointAudit.Checks;
using CheckpointAudit.Knowledge;
using Microsoft.CodeAnalysis;

namespace CheckpointAudit.Models;

/// <summary>
/// CKPT805 (MONITOR, compilation end): a serialized member of a persisted model typed <c>object</c> or
/// <c>dynamic</c> (or a collection of them). System.Text.Json gives it back as a JsonElement, Newtonsoft.Json as a
/// long, double, string, JObject or JArray — never as the type that was stored. A JsonElement or JsonNode member
/// on a model Newtonsoft.Json stores is reported too (Newtonsoft.Json writes its CLR properties, not the JSON). Reported on
/// the member; for a model declared in a referenced project, at the first serializer call of this project that stores it.
/// </summary>
public sealed class LooselyTypedMemberCheck : SchemaRuleCheck
{
    public LooselyTypedMemberCheck()
        : base(RuleCatalog.LooselyTypedMember)
    {
    }

    private protected override void Register(CheckStart start, PersistedModels models, CheckpointAuditOptions options)
    {
        var roots = CollectRoots(start, models, options);
        start.RegisterCompilationEndAction(end =>
        {
            var reported = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
            foreach (var (property, type, serializer) in PersistedProperties.Of(roots))
            {
                if (serializer is not (SerializerKind.SystemTextJson or SerializerKind.Newtonsoft or null)
                    || Loose(property.Type, serializer) is not { } comesBack || roots.LocationFor(property, type, serializer) is not { } location
                    || !reported.Add(property))
                {
                    continue;
                }

                end.ReportDiagnostic(Diagnostic.Create(Rule.Descriptor, location, type.Name, property.Name, SymbolNames.Display(property.Type), comesBack));
            }
        });
    }

    /// <summary>What a loosely typed value comes back as, or null for a concrete type.</summary>
    private static string? Loose(ITypeSymbol type, SerializerKind? serializer)
    {
        var element = type switch
        {
            IArrayTypeSymbol array => array.ElementType,
            INamedTypeSymbol { IsGenericType: true } generic when generic.TypeArguments.Length > 0 => generic.TypeArguments[generic.TypeArguments.Length - 1],
            _ => type,
        };
        if (element.SpecialType == SpecialType.System_Object || element.TypeKind == TypeKind.Dynamic)
        {
            return serializer switch
            {
                SerializerKind.SystemTextJson => "a JsonElement",
                SerializerKind.Newtonsoft => "a long, double, string, JObject or JArray",
                _ => "a JSON element (JsonElement, JObject, long, string...)",
            };
        }

        return serializer == SerializerKind.Newtonsoft
            && (SymbolNames.IsType(element, "System.Text.Json.JsonElement") || SymbolNames.IsType(element, "System.Text.Json.Nodes.JsonNode") || SymbolNames.IsType(element, "System.Text.Json.Nodes.JsonObject"))
            ? "an object Newtonsoft.Json builds from the element's CLR properties, not its JSON"
            : null;
    }
}
