using System.Collections.Generic;
using System.Linq;
using CheckpointAudit.Catalog;
using CheckpointAudit.Checks;
using CheckpointAudit.Knowledge;
using Microsoft.CodeAnalysis;

namespace CheckpointAudit.Schema;

/// <summary>
/// CKPT104 (compilation end: which types are persisted depends on every serializer call of the project):
/// a member of a persisted model, or of a type reached through its serialized members, must be present in
/// the data for the load to succeed, as the serializer that persists it understands it: System.Text.Json
/// — the C# <c>required</c> modifier or [JsonRequired]; Newtonsoft.Json — [JsonProperty(Required = Always or
/// AllowNull)], [JsonRequired] or [JsonObject(ItemRequired = ...)]; DataContractSerializer —
/// [DataMember(IsRequired = true)]. Opted-in models are judged by every marker. Reported on the member; for a model
/// declared in a referenced project, at the first serializer call of this project that stores it.
/// </summary>
public sealed class RequiredOnLoadCheck : SchemaRuleCheck
{
    private const int NewtonsoftAllowNull = 1;
    private const int NewtonsoftAlways = 2;

    public RequiredOnLoadCheck()
        : base(RuleCatalog.RequiredOnLoad)
    {
    }

    private protected override void Register(CheckStart start, PersistedModels models, CheckpointAuditOptions options)
    {
        var roots = CollectRoots(start, models, options);
        start.RegisterCompilationEndAction(end =>
        {
            var reported = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
            foreach (var group in roots.GroupBy(r => r.Serializer))
            {
                foreach (var type in SerializedMembers.ReachableTypes(group.Select(r => r.Model).Distinct(SymbolEqualityComparer.Default).Cast<INamedTypeSymbol>()))
                {
                    var contract = KnownAttributes.Has(type, KnownAttributes.DataContract);
                    foreach (var member in type.GetMembers())
                    {
                        if (member.Locations.IsEmpty || !member.Locations[0].IsInSource || !SerializedMembers.IsSerialized(member, contract)
                            || Requirement(member, type, group.Key) is not { } requirement || roots.LocationFor(member, type, group.Key) is not { } location
                            || !reported.Add(member))
                        {
                            continue;
                        }

                        // A cache's model is output; a format the project only reads (a signed licence, a user-written file) requires what its writer decided.
                        end.ReportDiagnostic(roots.Held(type) is { } held
                            ? DataHeldDiagnostic.Create(Rule, location, held, type.Name, member.Name, requirement)
                            : Diagnostic.Create(Rule.Descriptor, location, type.Name, member.Name, requirement));
                    }
                }
            }
        });
    }

    /// <summary>What makes the member required for that serializer (every serializer when unknown), or null.</summary>
    private static string? Requirement(ISymbol member, INamedTypeSymbol type, SerializerKind? serializer)
    {
        var systemTextJson = serializer is null or SerializerKind.SystemTextJson;
        var newtonsoft = serializer is null or SerializerKind.Newtonsoft;
        var dataContract = serializer is null or SerializerKind.DataContract;
        if (systemTextJson && member is IPropertySymbol { IsRequired: true } or IFieldSymbol { IsRequired: true })
        {
            return "the 'required' modifier";
        }

        foreach (var attribute in member.GetAttributes())
        {
            if ((systemTextJson && KnownAttributes.Is(attribute, KnownAttributes.StjRequired)) || (newtonsoft && KnownAttributes.Is(attribute, KnownAttributes.NewtonsoftRequired)))
            {
                return "[JsonRequired]";
            }

            if (newtonsoft && KnownAttributes.Is(attribute, KnownAttributes.NewtonsoftProperty) && IsRequiredValue(attribute, "Required"))
            {
                return "[JsonProperty(Required = ...)]";
            }

            if (dataContract && KnownAttributes.Is(attribute, KnownAttributes.DataMember) && attribute.NamedArguments.Any(a => a.Key == "IsRequired" && a.Value.Value is true))
            {
                return "[DataMember(IsRequired = true)]";
            }
        }

        if (newtonsoft && KnownAttributes.Find(type, KnownAttributes.NewtonsoftObject) is { } jsonObject && IsRequiredValue(jsonObject, "ItemRequired"))
        {
            return "[JsonObject(ItemRequired = ...)] on '" + type.Name + "'";
        }

        return null;
    }

    private static bool IsRequiredValue(AttributeData attribute, string argument)
        => attribute.NamedArguments.Any(a => a.Key == argument && a.Value.Value is NewtonsoftAlways or NewtonsoftAllowNull);
}
