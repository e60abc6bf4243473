using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using CheckpointAudit.Catalog;
using CheckpointAudit.Checks;
using CheckpointAudit.Knowledge;
using Microsoft.CodeAnalysis;

namespace CheckpointAudit.Models;

/// <summary>
/// CKPT803 (compilation end): on a model persisted with System.Text.Json or Newtonsoft.Json (or a type it reaches),
/// a member that library does not treat as the code says:
/// <list type="bullet">
/// <item>System.Text.Json: a public field without [JsonInclude] (and no IncludeFields = true in the project) is
/// neither written nor read;</item>
/// <item>an attribute of the other library is ignored: [JsonProperty("name")] or [JsonPropertyName("name")] (the
/// member is stored under its C# name), [JsonIgnore] (the member is written after all), [JsonProperty] or
/// [JsonInclude] on a non-public member (it is not stored).</item>
/// </list>
/// The diagnostic carries the attribute that makes the serializer in use do what was meant, when adding it keeps
/// every existing file readable; a name mismatch has no automatic fix (which name the stored files use depends
/// on their history). Reported on the member; for a model declared in a referenced project, at the first serializer call
/// of this project that stores it.
/// </summary>
public sealed class IgnoredBySerializerCheck : SchemaRuleCheck
{
    /// <summary>Diagnostic property: the attribute to add, global::-qualified; absent when there is no automatic fix.</summary>
    public const string AttributeKey = "attribute";

    private const string Stj = "System.Text.Json.Serialization";
    private const string Newtonsoft = "Newtonsoft.Json";

    public IgnoredBySerializerCheck()
        : base(RuleCatalog.IgnoredBySerializer)
    {
    }

    private protected override void Register(CheckStart start, PersistedModels models, CheckpointAuditOptions options)
    {
        var roots = CollectRoots(start, models, options);
        var settings = ProjectSerializerSettings.For(start.Compilation);
        start.RegisterCompilationEndAction(end =>
        {
            var reported = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
            foreach (var group in roots.GroupBy(r => r.Serializer).Where(g => g.Key is SerializerKind.SystemTextJson or SerializerKind.Newtonsoft))
            {
                var stj = group.Key == SerializerKind.SystemTextJson;
                foreach (var type in SerializedMembers.ReachableTypes(group.Select(r => r.Model).Distinct(SymbolEqualityComparer.Default).Cast<INamedTypeSymbol>()))
                {
                    if (type.TypeKind is not (TypeKind.Class or TypeKind.Struct) || KnownAttributes.Has(type, KnownAttributes.DataContract))
                    {
                        continue;
                    }

                    foreach (var member in type.GetMembers())
                    {
                        if (member.IsStatic || member.IsImplicitlyDeclared || member.Locations.IsEmpty || !member.Locations[0].IsInSource
                            || member is not (IFieldSymbol { IsConst: false } or IPropertySymbol { IsIndexer: false }))
                        {
                            continue;
                        }

                        var problem = stj ? ForSystemTextJson(member, () => settings.IncludeFields(end.CancellationToken)) : ForNewtonsoft(member);
                        if (problem is { } found && roots.LocationFor(member, type, group.Key) is { } location && reported.Add(member))
                        {
                            var properties = found.Attribute is null ? ImmutableDictionary<string, string?>.Empty : ImmutableDictionary<string, string?>.Empty.Add(AttributeKey, found.Attribute);
                            end.ReportDiagnostic(Diagnostic.Create(Rule.Descriptor, location, properties, type.Name, member.Name, found.What));
                        }
                    }
                }
            }
        });
    }

    private static (string What, string? Attribute)? ForSystemTextJson(ISymbol member, System.Func<bool> includeFields)
    {
        var stjIgnored = KnownAttributes.Has(member, KnownAttributes.StjIgnore);
        if (KnownAttributes.Has(member, KnownAttributes.NewtonsoftIgnore) && !stjIgnored)
        {
            return ("has Newtonsoft.Json's [JsonIgnore], which System.Text.Json does not read: the model is stored with System.Text.Json, so the member is written to every file after all", "global::System.Text.Json.Serialization.JsonIgnore");
        }

        if (stjIgnored)
        {
            return null;
        }

        var included = KnownAttributes.Has(member, KnownAttributes.StjInclude);
        if (Named(member, Newtonsoft) is { } name && !KnownAttributes.Has(member, KnownAttributes.StjPropertyName) && name != member.Name)
        {
            return ($"has Newtonsoft.Json's [JsonProperty(\"{name}\")], which System.Text.Json does not read: the model is stored with System.Text.Json, so the member is written and read as \"{member.Name}\", and data stored as \"{name}\" is not found", null);
        }

        if (member.DeclaredAccessibility != Accessibility.Public && KnownAttributes.Has(member, KnownAttributes.NewtonsoftProperty) && !included)
        {
            return ($"is not public and has Newtonsoft.Json's [JsonProperty], which System.Text.Json does not read: the model is stored with System.Text.Json, so the member is neither written nor read", "global::System.Text.Json.Serialization.JsonInclude");
        }

        if (member is IFieldSymbol { DeclaredAccessibility: Accessibility.Public, IsReadOnly: false } && !included && !includeFields())
        {
            return ("is a public field: System.Text.Json neither writes nor reads fields without [JsonInclude] or JsonSerializerOptions.IncludeFields, so its value is never stored", "global::System.Text.Json.Serialization.JsonInclude");
        }

        return null;
    }

    private static (string What, string? Attribute)? ForNewtonsoft(ISymbol member)
    {
        var newtonsoftIgnored = KnownAttributes.Has(member, KnownAttributes.NewtonsoftIgnore);
        if (KnownAttributes.Has(member, KnownAttributes.StjIgnore) && !newtonsoftIgnored)
        {
            return ("has System.Text.Json's [JsonIgnore], which Newtonsoft.Json does not read: the model is stored with Newtonsoft.Json, so the member is written to every file after all", "global::Newtonsoft.Json.JsonIgnore");
        }

        if (newtonsoftIgnored)
        {
            return null;
        }

        if (Named(member, Stj) is { } name && Named(member, Newtonsoft) is null && name != member.Name)
        {
            return ($"has System.Text.Json's [JsonPropertyName(\"{name}\")], which Newtonsoft.Json does not read: the model is stored with Newtonsoft.Json, so the member is written and read as \"{member.Name}\", and data stored as \"{name}\" is not found", null);
        }

        if (member.DeclaredAccessibility != Accessibility.Public && KnownAttributes.Has(member, KnownAttributes.StjInclude) && !KnownAttributes.Has(member, KnownAttributes.NewtonsoftProperty))
        {
            return ("is not public and has System.Text.Json's [JsonInclude], which Newtonsoft.Json does not read: the model is stored with Newtonsoft.Json, so the member is neither written nor read", "global::Newtonsoft.Json.JsonProperty");
        }

        return null;
    }

    /// <summary>The name [JsonProperty("n")]/[JsonProperty(PropertyName = "n")] (Newtonsoft) or [JsonPropertyName("n")] (System.Text.Json) gives.</summary>
    private static string? Named(ISymbol member, string ns)
    {
        foreach (var attribute in member.GetAttributes())
        {
            if (attribute.AttributeClass is not { } attributeClass || !SymbolNames.IsNamespace(attributeClass.ContainingNamespace, ns)
                || attributeClass.Name is not ("JsonPropertyAttribute" or "JsonPropertyNameAttribute"))
            {
                continue;
            }

            if (attribute.ConstructorArguments.FirstOrDefault().Value is string { Length: > 0 } positional)
            {
                return positional;
            }

            if (attribute.NamedArguments.FirstOrDefault(a => a.Key == "PropertyName").Value.Value is string { Length: > 0 } named)
            {
                return named;
            }
        }

        return null;
    }
}
