using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using CheckpointAudit.Catalog;
using CheckpointAudit.Checks;
using CheckpointAudit.Helpers;
using CheckpointAudit.Knowledge;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace CheckpointAudit.Schema;

/// <summary>
/// CKPT105 (compilation end: whether an enum is persisted depends on every serializer call of the project):
/// an enum reachable through the serialized members of a model saved or loaded with System.Text.Json or
/// Newtonsoft.Json, or of an opted-in model, that cannot change safely. Stored as a number (the default):
/// members without explicit values, which reordering renumbers — quiet when a string-enum converter is
/// created anywhere in code for it or for all enums (options). Stored by name with the built-in
/// JsonStringEnumConverter / StringEnumConverter named on the enum or its member: the converter throws on
/// names it does not know. A custom converter is taken to handle both. XmlSerializer and
/// DataContractSerializer (which store names and are not judged) and single-member enums are left out.
/// Reported on the enum's declaration; for an enum declared in a referenced project, at the first serializer call of
/// this project that stores it (see <see cref="PersistedRoots.LocationFor(ISymbol, INamedTypeSymbol)"/>).
/// </summary>
public sealed class EnumWithoutExplicitValuesCheck : SchemaRuleCheck
{
    public EnumWithoutExplicitValuesCheck()
        : base(RuleCatalog.EnumWithoutExplicitValues)
    {
    }

    private protected override void Register(CheckStart start, PersistedModels models, CheckpointAuditOptions options)
    {
        var roots = CollectRoots(start, models, options);
        start.RegisterCompilationEndAction(end =>
        {
            var numbered = new List<(INamedTypeSymbol Enum, SerializedMembers.Reach Reach, int Implicit, Location Location)>();
            var throwingConverters = new List<(INamedTypeSymbol Converter, IInvocationOperation Parse, INamedTypeSymbol Enum, SerializedMembers.Reach Reach, Location Location)>();
            // JSON serializers store enums as numbers; XmlSerializer and DataContractSerializer store names.
            static bool Json(SerializerKind? serializer) => serializer is null or SerializerKind.SystemTextJson or SerializerKind.Newtonsoft;
            var jsonRoots = roots.Where(r => Json(r.Serializer)).Select(r => r.Model);
            foreach (var pair in SerializedMembers.ReachableEnums(jsonRoots.Distinct(SymbolEqualityComparer.Default).Cast<INamedTypeSymbol>()))
            {
                var (enumType, reach) = (pair.Key, pair.Value);
                if (enumType.Locations.IsEmpty || !enumType.Locations[0].IsInSource || enumType.GetMembers().OfType<IFieldSymbol>().Count() < 2
                    || roots.LocationFor(enumType, enumType, Json) is not { } location)
                {
                    continue;
                }

                var onEnum = ConverterOf(enumType);
                var converter = onEnum ?? ConverterOf(reach.Member);
                if (converter is null)
                {
                    var implicitMembers = ImplicitMembers(enumType, end.CancellationToken);
                    if (implicitMembers > 0)
                    {
                        numbered.Add((enumType, reach, implicitMembers, location));
                    }
                }
                else if (EnumNameConverter.UncaughtParse(converter, end.Compilation, end.CancellationToken) is { } parse)
                {
                    throwingConverters.Add((converter.OriginalDefinition, parse, enumType, reach, location));
                }
                else if (converter.Name is "JsonStringEnumConverter" or "StringEnumConverter")
                {
                    // Stored by name with a built-in converter, which throws on a name it does not know. Where it is
                    // System.Text.Json's non-generic one, the fix can swap it on the symbol that names it.
                    var carrier = onEnum is not null ? (ISymbol)enumType : reach.Member;
                    var properties = converter is { IsGenericType: false, Name: "JsonStringEnumConverter" }
                        && SymbolNames.IsNamespace(converter.ContainingNamespace, "System.Text.Json.Serialization")
                        && carrier.OriginalDefinition.GetDocumentationCommentId() is { } carrierId
                            ? ImmutableDictionary<string, string?>.Empty.Add(ConverterOnProperty, carrierId)
                            : ImmutableDictionary<string, string?>.Empty;
                    Report(end.ReportDiagnostic, roots, enumType, location, properties,
                        $"'{enumType.Name}' is stored by name in persisted '{reach}' with {converter.Name}, which fails the whole load on a name it does not know: data written by a build that added or renamed a member cannot be read");
                }
            }

            // A converter of the project that reads names with Enum.Parse: once per converter, at the parse when it is in this
            // project, else where this project stores the enum; the enum named is the first by name, so the message is stable.
            foreach (var group in throwingConverters.GroupBy(t => t.Converter, SymbolEqualityComparer.Default))
            {
                var (converter, parse, enumType, reach, location) = group.OrderBy(t => t.Enum.Name, System.StringComparer.Ordinal).First();
                var at = end.Compilation.ContainsSyntaxTree(parse.Syntax.SyntaxTree) ? parse.Syntax.GetLocation() : location;
                if (at.SourceTree is { } tree && options.IsAnalyzed(tree))
                {
                    Report(end.ReportDiagnostic, roots, enumType, at, ImmutableDictionary<string, string?>.Empty,
                        $"'{enumType.Name}' is stored by name in persisted '{reach}' with {converter.Name}, whose Read parses the name with Enum.Parse: a name it does not know fails the whole load (and the ArgumentException escapes a catch of JsonException), so data written by a build that added or renamed a member cannot be read");
                }
            }

            // A string-enum converter created in code (in serializer options) is looked for only when a numbered enum would be reported.
            if (numbered.Count == 0 || StringConverters(end.Compilation, end.CancellationToken) is not { } byName)
            {
                return;
            }

            foreach (var (enumType, reach, implicitMembers, location) in numbered)
            {
                if (!byName.Contains(enumType))
                {
                    Report(end.ReportDiagnostic, roots, enumType, location, NumberedProperties,
                        $"'{enumType.Name}' is stored as a number in persisted '{reach}', and {implicitMembers} of its members have no explicit value: adding, removing or reordering a member silently changes the meaning of stored data");
                }
            }
        });
    }

    /// <summary>One finding; for an enum only a cache holds, as output; for one the project only loads (another program's format), for review.</summary>
    private void Report(System.Action<Diagnostic> report, PersistedRoots roots, INamedTypeSymbol enumType, Location location, ImmutableDictionary<string, string?> properties, string message)
        => report(roots.Held(enumType) is { } held
            ? DataHeldDiagnostic.Create(Rule, location, ImmutableArray<Location>.Empty, properties, held, message)
            : Diagnostic.Create(Rule.Descriptor, location, null, properties, message));

    /// <summary>
    /// On findings about names stored with System.Text.Json's JsonStringEnumConverter: the documentation ID of the enum or
    /// member whose [JsonConverter] names it, which the second fix points at a converter that tolerates unknown names.
    /// </summary>
    public const string ConverterOnProperty = "converterOn";

    /// <summary>Marks the findings about numbers, which the fix can answer.</summary>
    public const string NumberedProperty = "numbered";

    private static readonly ImmutableDictionary<string, string?> NumberedProperties = ImmutableDictionary<string, string?>.Empty.Add(NumberedProperty, "true");

    /// <summary>The generated TolerantStringEnumConverter creates the built-in one it writes with: not a setting of the project.</summary>
    private static bool InGeneratedConverter(IOperation use)
        => HelperFeatures.IsGeneratedType(use.SemanticModel?.GetEnclosingSymbol(use.Syntax.SpanStart)?.ContainingType, HelperFeatures.TolerantEnumConverterName);

    /// <summary>
    /// The enums given a JsonStringEnumConverter&lt;TEnum&gt;; null when a non-generic JsonStringEnumConverter or
    /// StringEnumConverter is created anywhere in this project or a project it references (taken as a global setting:
    /// every enum is stored by name).
    /// </summary>
    private static HashSet<ITypeSymbol>? StringConverters(Compilation compilation, System.Threading.CancellationToken cancellationToken)
    {
        var byName = new HashSet<ITypeSymbol>(SymbolEqualityComparer.Default);

        // The project's own code and the projects it references as source: the serializer options of a shared library
        // (a settings base class, a JsonDefaults) are where converters are usually registered.
        var searched = new[] { compilation }.Concat(compilation.References.OfType<CompilationReference>().Select(r => r.Compilation));
        foreach (var (name, source) in new[] { "JsonStringEnumConverter", "StringEnumConverter" }.SelectMany(n => searched.Select(c => (n, c))))
        {
            foreach (var use in SourceSearch.Uses(name, source.SyntaxTrees, source, null, cancellationToken))
            {
                if (use is IObjectCreationOperation { Type: INamedTypeSymbol converter } && converter.Name == name && !InGeneratedConverter(use))
                {
                    if (!converter.IsGenericType)
                    {
                        return null;
                    }

                    byName.Add(converter.TypeArguments[0]);
                }
            }
        }

        return byName;
    }

    /// <summary>The converter named by [JsonConverter(typeof(...))] on the enum or on the member that holds it, if any.</summary>
    private static INamedTypeSymbol? ConverterOf(ISymbol symbol)
    {
        foreach (var attribute in symbol.GetAttributes())
        {
            if (KnownAttributes.IsAny(attribute, KnownAttributes.Converter))
            {
                // A converter of unknown type still decides how the value is stored: not a number.
                return attribute.ConstructorArguments.FirstOrDefault().Value as INamedTypeSymbol ?? attribute.AttributeClass;
            }
        }

        return null;
    }

    private static int ImplicitMembers(INamedTypeSymbol enumType, System.Threading.CancellationToken cancellationToken)
        => enumType.GetMembers().OfType<IFieldSymbol>()
            .Count(f => f.DeclaringSyntaxReferences.Length == 1
                && f.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken) is EnumMemberDeclarationSyntax { EqualsValue: null });
}
