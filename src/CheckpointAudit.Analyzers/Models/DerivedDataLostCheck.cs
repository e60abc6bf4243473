using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using CheckpointAudit.Catalog;
using CheckpointAudit.Checks;
using CheckpointAudit.Knowledge;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace CheckpointAudit.Models;

/// <summary>
/// CKPT802 (compilation end): a serialized member of a model System.Text.Json stores — or the element of a
/// collection member — is typed as a class or interface that other types of the compilation derive from, and the
/// base type registers none of them ([JsonDerivedType]/[JsonPolymorphic]) and has no [JsonConverter]. System.Text.Json
/// writes the declared type's members only, so a derived object's own data is dropped and it loads as the base
/// type. Reported once on the base type's declaration (the fix edits it), naming the member that stores it; for a base type
/// declared in a referenced project, at the first serializer call of this project that stores the member.
/// Also reported on a save call that writes an object as its base type: <c>JsonSerializer.Serialize(this)</c> in a
/// class others derive from (wherever the text goes), <c>Serialize&lt;TBase&gt;(derived)</c> (an implicit conversion of the
/// value), and a stored value typed as an interface or base class that others implement or derive from.
/// Models Newtonsoft.Json stores are judged too: it writes the runtime type's members but, without TypeNameHandling
/// (on the member, the base type or anywhere in the project's settings), loads the declared type; no automatic fix
/// is offered for them (TypeNameHandling needs a restricting binder, chosen by hand).
/// </summary>
public sealed class DerivedDataLostCheck : SchemaRuleCheck
{
    /// <summary>Diagnostic property: the derived types to register, fully qualified, joined by ';'.</summary>
    public const string DerivedTypesKey = "derived";

    public DerivedDataLostCheck()
        : base(RuleCatalog.DerivedDataLost)
    {
    }

    private protected override void Register(CheckStart start, PersistedModels models, CheckpointAuditOptions options)
    {
        var roots = CollectRoots(start, models, options);
        var classes = new ConcurrentBag<INamedTypeSymbol>();
        var serializer = KnownTypes.Get(start.Compilation, "System.Text.Json.JsonSerializer");
        // Serialize(value) calls whose value is written as a base type: Serialize(this) in a class others derive
        // from, or Serialize<TBase>(derived) / Serialize((TBase)derived). Judged at the end, with every derived type known.
        var baseTypedCalls = new ConcurrentBag<(IInvocationOperation Call, INamedTypeSymbol Written)>();
        var settings = ProjectSerializerSettings.For(start.Compilation);
        start.RegisterOperationAction(
            c =>
            {
                var call = (IInvocationOperation)c.Operation;
                if (call.TargetMethod.Name is not ("Serialize" or "SerializeAsync" or "SerializeToUtf8Bytes") || !options.IsAnalyzed(call.Syntax.SyntaxTree)
                    || !SymbolEqualityComparer.Default.Equals(call.TargetMethod.ContainingType, serializer))
                {
                    return;
                }

                var value = call.Arguments.FirstOrDefault(a => a.Parameter?.Name == "value")?.Value;
                switch (value)
                {
                    // Serialize(this) in a class others derive from: a derived object's data is lost wherever the text goes.
                    case IInstanceReferenceOperation { Type: INamedTypeSymbol self } when !self.IsSealed:
                        baseTypedCalls.Add((call, self));
                        break;
                    case IConversionOperation { IsImplicit: true, Operand.Type: INamedTypeSymbol actual, Type: INamedTypeSymbol written }
                        when !SymbolEqualityComparer.Default.Equals(actual, written) && written.SpecialType == SpecialType.None && IsInSource(written)
                            && models.Match(call) is { IsSave: true }:
                        baseTypedCalls.Add((call, written));
                        break;

                    // A value typed as an interface or a base class (a parameter, local or member, not a new object): the
                    // declared type is what System.Text.Json writes, whatever the object is.
                    case { Type: INamedTypeSymbol declared } and not (IObjectCreationOperation or IConversionOperation)
                        when declared.TypeKind is TypeKind.Interface || declared is { TypeKind: TypeKind.Class, IsSealed: false }
                            && declared.SpecialType == SpecialType.None && IsInSource(declared) && models.Match(call) is { IsSave: true }:
                        baseTypedCalls.Add((call, declared));
                        break;
                }
            },
            OperationKind.Invocation);
        start.RegisterSymbolAction(
            c =>
            {
                if (c.Symbol is INamedTypeSymbol { TypeKind: TypeKind.Class, IsAbstract: false, IsStatic: false } type && !type.IsGenericType)
                {
                    classes.Add(type);
                }
            },
            SymbolKind.NamedType);
        start.RegisterCompilationEndAction(end =>
        {
            // The base types a finding could be about; the project's classes are walked only when there are some, and
            // only for those (most projects have no persisted member of a source class or interface type).
            var stored = PersistedProperties.Of(roots)
                .Where(p => p.Serializer is SerializerKind.SystemTextJson or SerializerKind.Newtonsoft && Stored(p.Property.Type) is INamedTypeSymbol declared && IsInSource(declared))
                .ToList();
            var needed = new HashSet<INamedTypeSymbol>(
                baseTypedCalls.Select(c => c.Written.OriginalDefinition).Concat(stored.Select(p => ((INamedTypeSymbol)Stored(p.Property.Type)).OriginalDefinition)),
                SymbolEqualityComparer.Default);
            if (needed.Count == 0)
            {
                return;
            }

            var derived = new Dictionary<INamedTypeSymbol, List<INamedTypeSymbol>>(SymbolEqualityComparer.Default);
            var interfacesNeeded = needed.Any(t => t.TypeKind == TypeKind.Interface);
            foreach (var type in classes)
            {
                foreach (var ancestor in Ancestors(type, interfacesNeeded))
                {
                    if (!needed.Contains(ancestor))
                    {
                        continue;
                    }

                    if (!derived.TryGetValue(ancestor, out var list))
                    {
                        derived.Add(ancestor, list = new List<INamedTypeSymbol>());
                    }

                    list.Add(type);
                }
            }

            var reported = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
            foreach (var (call, written) in baseTypedCalls)
            {
                if (!derived.TryGetValue(written.OriginalDefinition, out var all) || all.Where(d => AddsData(d, written)).ToList() is not { Count: > 0 } below
                    || HandlesPolymorphism(written)
                    || call.SemanticModel?.GetEnclosingSymbol(call.Syntax.SpanStart) is not { } method)
                {
                    continue;
                }

                end.ReportDiagnostic(Diagnostic.Create(
                    Rule.Descriptor,
                    call.Syntax.GetLocation(),
                    method.ContainingType?.Name ?? written.Name,
                    method.Name,
                    written.Name,
                    Names(below),
                    SystemTextJsonLoss(written)));
            }

            foreach (var (property, type, serializer) in stored)
            {
                var newtonsoft = serializer == SerializerKind.Newtonsoft;
                if (serializer is not (SerializerKind.SystemTextJson or SerializerKind.Newtonsoft) || Stored(property.Type) is not INamedTypeSymbol declared
                    || !derived.TryGetValue(declared.OriginalDefinition, out var allSubtypes) || allSubtypes.Where(d => AddsData(d, declared)).ToList() is not { Count: > 0 } subtypes
                    || declared.Locations.IsEmpty || !declared.Locations[0].IsInSource
                    || (newtonsoft ? settings.NewtonsoftTypeNames(end.CancellationToken) || HandlesTypeNames(property, declared) : HandlesPolymorphism(declared))
                    || KnownAttributes.HasAny(property, KnownAttributes.Converter)
                    || roots.LocationFor(declared, type, serializer) is not { } location || !reported.Add(declared.OriginalDefinition))
                {
                    continue;
                }

                // [JsonDerivedType] is System.Text.Json's; for Newtonsoft.Json the remedy (TypeNameHandling with a binder) is by hand.
                var fix = string.Join(";", subtypes.Select(t => SymbolNames.Display(t, SymbolDisplayFormat.FullyQualifiedFormat)).Distinct().OrderBy(n => n, System.StringComparer.Ordinal));
                end.ReportDiagnostic(Diagnostic.Create(
                    Rule.Descriptor,
                    location,
                    newtonsoft ? ImmutableDictionary<string, string?>.Empty : ImmutableDictionary<string, string?>.Empty.Add(DerivedTypesKey, fix),
                    type.Name,
                    property.Name,
                    declared.Name,
                    Names(subtypes),
                    newtonsoft
                        ? $"Newtonsoft.Json writes each object's own members but, without TypeNameHandling, loads every object as '{declared.Name}' (or fails for an abstract type), so the derived types' data is dropped on load"
                        : SystemTextJsonLoss(declared)));
            }
        });
    }

    private static string SystemTextJsonLoss(INamedTypeSymbol written)
        => $"System.Text.Json writes only the members of '{written.Name}', so the derived types' data is dropped on save and every object loads as '{written.Name}' (or fails to load for an abstract type)";

    /// <summary>Newtonsoft.Json type names asked for on the member ([JsonProperty(TypeNameHandling = ...)], ItemTypeNameHandling) or on the base type ([JsonObject(ItemTypeNameHandling = ...)]).</summary>
    private static bool HandlesTypeNames(IPropertySymbol property, INamedTypeSymbol declared)
        => property.GetAttributes().Concat(declared.GetAttributes()).Any(a => SymbolNames.IsNamespace(a.AttributeClass?.ContainingNamespace, "Newtonsoft.Json")
            && a.NamedArguments.Any(n => n.Key is "TypeNameHandling" or "ItemTypeNameHandling" && n.Value.Value is int handling && handling != 0));

    /// <summary>The derived types with the verb that agrees with them: "'Circle' derives", "'Circle' and 'Square' derive".</summary>
    /// <summary>
    /// Whether the derived type has data the base type does not: a public instance property (its own or inherited below
    /// the base) whose name the base type, or for an interface the interface and the interfaces it extends, does not
    /// declare. A wrapper that only implements the interface's members loses nothing when written as the interface.
    /// </summary>
    private static bool AddsData(INamedTypeSymbol derived, INamedTypeSymbol baseType)
    {
        var known = new HashSet<string>(System.StringComparer.Ordinal);
        if (baseType.TypeKind == TypeKind.Interface)
        {
            foreach (var type in baseType.AllInterfaces.Add(baseType))
            {
                known.UnionWith(type.GetMembers().OfType<IPropertySymbol>().Select(p => p.Name));
            }
        }
        else
        {
            for (var type = baseType; type is not null; type = type.BaseType)
            {
                known.UnionWith(type.GetMembers().OfType<IPropertySymbol>().Select(p => p.Name));
            }
        }

        for (var type = derived; type is not null && !SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, baseType.OriginalDefinition); type = type.BaseType)
        {
            if (type.GetMembers().OfType<IPropertySymbol>().Any(p => !p.IsStatic && p.DeclaredAccessibility == Accessibility.Public && !p.IsIndexer
                && p.GetMethod is not null && !known.Contains(p.Name)))
            {
                return true;
            }
        }

        return false;
    }

    private static string Names(IEnumerable<INamedTypeSymbol> types)
    {
        var names = types.Select(t => t.Name).Distinct().OrderBy(n => n, System.StringComparer.Ordinal).ToList();
        return names.Count == 1
            ? $"'{names[0]}' derives"
            : string.Join(", ", names.Take(names.Count - 1).Select(n => $"'{n}'")) + $" and '{names[names.Count - 1]}' derive";
    }

    /// <summary>The source classes (and, when asked, interfaces) a class derives from or implements (not object).</summary>
    private static IEnumerable<INamedTypeSymbol> Ancestors(INamedTypeSymbol type, bool interfaces)
    {
        for (var current = type.BaseType; current is not null && current.SpecialType != SpecialType.System_Object; current = current.BaseType)
        {
            if (IsInSource(current))
            {
                yield return current.OriginalDefinition;
            }
        }

        if (!interfaces)
        {
            yield break;
        }

        foreach (var contract in type.AllInterfaces)
        {
            if (IsInSource(contract))
            {
                yield return contract.OriginalDefinition;
            }
        }
    }

    /// <summary>The type whose members are written for the member: itself, or its collection's element type.</summary>
    private static ITypeSymbol Stored(ITypeSymbol type) => type switch
    {
        IArrayTypeSymbol array => array.ElementType,
        INamedTypeSymbol { IsGenericType: true } generic when generic.TypeArguments.Length > 0 && type.SpecialType == SpecialType.None
            && generic.AllInterfaces.Any(i => i.SpecialType == SpecialType.System_Collections_IEnumerable) => generic.TypeArguments[generic.TypeArguments.Length - 1],
        _ => type,
    };

    private static readonly string[] PolymorphismAttributes = [KnownAttributes.StjDerivedType, KnownAttributes.StjPolymorphic, KnownAttributes.StjConverter, KnownAttributes.NewtonsoftConverter];

    private static bool HandlesPolymorphism(INamedTypeSymbol type)
        => KnownAttributes.HasAny(type, PolymorphismAttributes);

    private static bool IsInSource(INamedTypeSymbol type) => !type.Locations.IsEmpty && type.Locations[0].IsInSource;
}
