using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using CheckpointAudit.Catalog;
using CheckpointAudit.Checks;
using CheckpointAudit.Knowledge;
using Microsoft.CodeAnalysis;

namespace CheckpointAudit.Models;

/// <summary>
/// CKPT801 (compilation end: which types are persisted, and with which serializer, depends on every serializer
/// call of the project): a property of a persisted model, or of a type reached through its serialized members,
/// that the serializer writes but cannot set when it reads, so the stored value never comes back:
/// <list type="bullet">
/// <item>an auto-property with only a getter, when the constructor the serializer uses has no parameter of that name;</item>
/// <item>a private, protected or internal setter, without [JsonInclude] (System.Text.Json) or [JsonProperty] (Newtonsoft.Json).</item>
/// </list>
/// Judged per serializer (System.Text.Json and Newtonsoft.Json), the way each chooses its constructor; a model
/// opted in without a serializer call is reported only when neither could set the member. Computed properties
/// (a getter with a body) are derived data and stay quiet; get-only collections are CKPT804's. Reported on the
/// property, with the fix's plan in the diagnostic's properties; for a model declared in a referenced project, at the
/// first serializer call of this project that stores it.
/// </summary>
public sealed class NeverRestoredCheck : SchemaRuleCheck
{
    /// <summary>Diagnostic property: how to make the member settable ("init", or attribute names joined by ',').</summary>
    public const string FixKey = "fix";

    /// <summary>
    /// Diagnostic property: the member's documentation ID, when it is declared in a referenced project (its declaration
    /// cannot be a location of this compilation's diagnostic): the fix edits it there.
    /// </summary>
    public const string DeclaredElsewhereKey = "elsewhere";

    public const string InitFix = "init";
    public const string JsonIncludeFix = "JsonInclude";
    public const string JsonPropertyFix = "JsonProperty";

    public NeverRestoredCheck()
        : base(RuleCatalog.NeverRestored)
    {
    }

    private protected override void Register(CheckStart start, PersistedModels models, CheckpointAuditOptions options)
    {
        var roots = CollectRoots(start, models, options);
        var enumerable = start.Compilation.GetSpecialType(SpecialType.System_Collections_IEnumerable);
        var settings = ProjectSerializerSettings.For(start.Compilation);
        start.RegisterCompilationEndAction(end =>
        {
            // Member -> the serializers that cannot set it (a member reached from two kinds of roots is judged by both).
            var losses = new Dictionary<IPropertySymbol, List<(Serializer Serializer, string Reason, SerializerKind? Kind, INamedTypeSymbol Type)>>(SymbolEqualityComparer.Default);
            foreach (var (property, type, kind) in PersistedProperties.Of(roots))
            {
                var serializers = kind switch
                {
                    SerializerKind.SystemTextJson => new[] { Serializer.SystemTextJson },
                    SerializerKind.Newtonsoft => new[] { Serializer.Newtonsoft },
                    null => new[] { Serializer.Unknown },
                    _ => Array.Empty<Serializer>(), // XmlSerializer and DataContractSerializer have their own rules
                };
                if (!IsStoredState(property, enumerable))
                {
                    continue;
                }

                foreach (var serializer in serializers)
                {
                    if (Loss(property, type, serializer, settings, end.CancellationToken) is { } reason)
                    {
                        if (!losses.TryGetValue(property, out var list))
                        {
                            losses.Add(property, list = new List<(Serializer, string, SerializerKind?, INamedTypeSymbol)>());
                        }

                        list.Add((serializer, reason, kind, type));
                    }
                }
            }

            foreach (var pair in losses.OrderBy(p => p.Key.Locations[0].SourceSpan.Start))
            {
                var property = pair.Key;
                if (roots.LocationFor(property, pair.Value[0].Type, pair.Value[0].Kind) is not { } location)
                {
                    continue;
                }

                var serializers = pair.Value.Select(l => l.Serializer).Distinct().ToList();
                var names = string.Join(" and ", serializers.Select(Display).Distinct());
                var fix = property.SetMethod is null
                    ? InitFix
                    : string.Join(",", serializers.SelectMany(s => s == Serializer.Unknown ? new[] { JsonIncludeFix, JsonPropertyFix } : new[] { s == Serializer.SystemTextJson ? JsonIncludeFix : JsonPropertyFix }).Distinct());
                var properties = ImmutableDictionary<string, string?>.Empty.Add(FixKey, fix);
                if (InCompilationLocation.Of(property, end.Compilation) is null && property.OriginalDefinition.GetDocumentationCommentId() is { } id)
                {
                    properties = properties.Add(DeclaredElsewhereKey, id);
                }

                end.ReportDiagnostic(Diagnostic.Create(
                    Rule.Descriptor,
                    location,
                    properties,
                    property.ContainingType.Name,
                    property.Name,
                    names,
                    pair.Value[0].Reason));
            }
        });
    }

    private enum Serializer
    {
        SystemTextJson,
        Newtonsoft,

        /// <summary>An opted-in model: reported only when neither JSON serializer could set the member.</summary>
        Unknown,
    }

    private static string Display(Serializer serializer) => serializer switch
    {
        Serializer.SystemTextJson => "System.Text.Json",
        Serializer.Newtonsoft => "Newtonsoft.Json",
        _ => "the serializer",
    };

    /// <summary>
    /// Whether the property holds state of its own: an auto-property (or one with a setter), not a getter that
    /// computes its value from other members, and not a get-only collection (CKPT804).
    /// </summary>
    private static bool IsStoredState(IPropertySymbol property, INamedTypeSymbol enumerable)
    {
        if (property.IsIndexer || property.IsStatic || property.GetMethod is null)
        {
            return false;
        }

        if (property.SetMethod is not null)
        {
            return true;
        }

        if (property.Type.SpecialType != SpecialType.System_String && property.Type.AllInterfaces.Contains(enumerable, SymbolEqualityComparer.Default))
        {
            return false;
        }

        return PersistedProperties.IsGetOnlyAutoProperty(property);
    }

    /// <summary>Why <paramref name="serializer"/> cannot set the property on load, or null when it can.</summary>
    private static string? Loss(IPropertySymbol property, INamedTypeSymbol type, Serializer serializer, ProjectSerializerSettings settings, System.Threading.CancellationToken cancellationToken)
    {
        if (serializer == Serializer.Unknown)
        {
            var stj = Loss(property, type, Serializer.SystemTextJson, settings, cancellationToken);
            return stj is not null && Loss(property, type, Serializer.Newtonsoft, settings, cancellationToken) is not null ? stj : null;
        }

        // A member the serializer does not even write (a non-public getter without its include attribute) loses
        // nothing on load; an attribute of the other library on it is CKPT803's subject.
        if (property.GetMethod?.DeclaredAccessibility != Accessibility.Public
            && !KnownAttributes.Has(property, serializer == Serializer.SystemTextJson ? KnownAttributes.StjInclude : KnownAttributes.NewtonsoftProperty))
        {
            return null;
        }

        var setter = property.SetMethod;
        if (setter is null)
        {
            return ConstructorFor(type, serializer) is { } constructor && !constructor.Parameters.Any(p => string.Equals(p.Name, property.Name, StringComparison.OrdinalIgnoreCase))
                ? constructor.Parameters.Length == 0
                    ? "it has no setter, and the serializer creates it with the parameterless constructor"
                    : "it has no setter, and no parameter of the constructor the serializer uses has its name"
                : null;
        }

        // A project that customizes the contract (a contract resolver of its own, JSON type-info modifiers) often
        // does so to make non-public setters writable: what the serializer can set is then not decided here.
        if (setter.DeclaredAccessibility == Accessibility.Public
            || (serializer == Serializer.SystemTextJson ? settings.CustomSystemTextJsonContract(cancellationToken) : settings.CustomNewtonsoftContract(cancellationToken)))
        {
            return null;
        }

        var accessibility = setter.DeclaredAccessibility switch
        {
            Accessibility.Private => "private",
            Accessibility.Protected => "protected",
            Accessibility.Internal => "internal",
            _ => "non-public",
        };
        return serializer == Serializer.SystemTextJson
            ? KnownAttributes.Has(property, KnownAttributes.StjInclude)
                ? null
                : $"its setter is {accessibility}, and System.Text.Json sets only public setters unless the property has [JsonInclude]"
            : KnownAttributes.Has(property, KnownAttributes.NewtonsoftProperty)
                ? null
                : $"its setter is {accessibility}, and Newtonsoft.Json sets only public setters unless the property has [JsonProperty]";
    }

    /// <summary>
    /// The constructor the serializer calls: the one marked [JsonConstructor] (its own library's attribute),
    /// else the public parameterless one, else the only public one; null when it cannot tell (then it is not reported).
    /// </summary>
    private static IMethodSymbol? ConstructorFor(INamedTypeSymbol type, Serializer serializer)
    {
        var constructors = type.InstanceConstructors.Where(c => !c.IsStatic).ToList();
        var marked = constructors.FirstOrDefault(c => KnownAttributes.Has(c, serializer == Serializer.SystemTextJson ? KnownAttributes.StjConstructor : KnownAttributes.NewtonsoftConstructor));
        if (marked is not null)
        {
            return marked;
        }

        var publicOnes = constructors.Where(c => c.DeclaredAccessibility == Accessibility.Public).ToList();
        return publicOnes.FirstOrDefault(c => c.Parameters.Length == 0) ?? (publicOnes.Count == 1 ? publicOnes[0] : null);
    }
}
