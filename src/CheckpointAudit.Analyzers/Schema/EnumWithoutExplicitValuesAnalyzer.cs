using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using CheckpointAudit.Catalog;
using CheckpointAudit.Knowledge;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace CheckpointAudit.Schema;

/// <summary>
/// CKPT105 (compilation end: whether an enum is persisted depends on every serializer call of the project):
/// an enum reachable through the serialized members of a model saved or loaded with System.Text.Json or
/// Newtonsoft.Json (which store enums as numbers by default), or of an opted-in model, has members
/// without explicit values. XmlSerializer and DataContractSerializer store names and are not judged, nor
/// are enums stored as strings: a string converter on the enum or on the member, or a non-generic
/// JsonStringEnumConverter / StringEnumConverter created anywhere in the project (taken as a global
/// setting). Reported on the enum's declaration.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class EnumWithoutExplicitValuesAnalyzer : SchemaRuleAnalyzer
{
    public EnumWithoutExplicitValuesAnalyzer()
        : base(RuleCatalog.EnumWithoutExplicitValues)
    {
    }

    private protected override void Register(CompilationStartAnalysisContext start, PersistedModels models, CheckpointAuditOptions options)
    {
        var roots = new ConcurrentBag<INamedTypeSymbol>();
        start.RegisterOperationAction(
            c =>
            {
                if (models.Match((IInvocationOperation)c.Operation) is { Serializer: SerializerKind.SystemTextJson or SerializerKind.Newtonsoft } evidence
                    && options.IsAnalyzed(c.Operation.Syntax.SyntaxTree))
                {
                    foreach (var model in evidence.Models)
                    {
                        roots.Add(model);
                    }
                }
            },
            OperationKind.Invocation);
        start.RegisterSymbolAction(
            c =>
            {
                if (OptedIn((INamedTypeSymbol)c.Symbol, options) is not null)
                {
                    roots.Add((INamedTypeSymbol)c.Symbol);
                }
            },
            SymbolKind.NamedType);
        start.RegisterCompilationEndAction(end =>
        {
            var candidates = new List<(INamedTypeSymbol Enum, SerializedMembers.Reach Reach, int Implicit)>();
            foreach (var pair in SerializedMembers.ReachableEnums(roots.Distinct(SymbolEqualityComparer.Default).Cast<INamedTypeSymbol>()))
            {
                var (enumType, reach) = (pair.Key, pair.Value);
                if (HasConverter(enumType) || HasConverter(reach.Member) || enumType.Locations.IsEmpty || !enumType.Locations[0].IsInSource)
                {
                    continue;
                }

                var implicitMembers = ImplicitMembers(enumType, end.CancellationToken);
                if (implicitMembers > 0 && enumType.GetMembers().OfType<IFieldSymbol>().Count() > 1)
                {
                    candidates.Add((enumType, reach, implicitMembers));
                }
            }

            if (candidates.Count == 0 || StringConverters(end.Compilation, end.CancellationToken) is not { } byName)
            {
                return;
            }

            foreach (var (enumType, reach, implicitMembers) in candidates)
            {
                if (!byName.Contains(enumType))
                {
                    end.ReportDiagnostic(Diagnostic.Create(Rule.Descriptor, enumType.Locations[0], enumType.Name, reach.ToString(), implicitMembers));
                }
            }
        });
    }

    /// <summary>
    /// The enums given a JsonStringEnumConverter&lt;TEnum&gt;; null when a non-generic JsonStringEnumConverter or
    /// StringEnumConverter is created anywhere (taken as a global setting: every enum is stored by name).
    /// </summary>
    private static HashSet<ITypeSymbol>? StringConverters(Compilation compilation, System.Threading.CancellationToken cancellationToken)
    {
        var byName = new HashSet<ITypeSymbol>(SymbolEqualityComparer.Default);
        foreach (var name in new[] { "JsonStringEnumConverter", "StringEnumConverter" })
        {
            foreach (var use in SourceSearch.Uses(name, compilation.SyntaxTrees, compilation, null, cancellationToken))
            {
                if (use is IObjectCreationOperation { Type: INamedTypeSymbol converter } && converter.Name == name)
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

    /// <summary>[JsonConverter(...)] on the enum or on the member that holds it: stored by the converter's rules, not as a number.</summary>
    private static bool HasConverter(ISymbol symbol)
        => symbol.GetAttributes().Any(a => a.AttributeClass?.Name == "JsonConverterAttribute");

    private static int ImplicitMembers(INamedTypeSymbol enumType, System.Threading.CancellationToken cancellationToken)
        => enumType.GetMembers().OfType<IFieldSymbol>()
            .Count(f => f.DeclaringSyntaxReferences.Length == 1
                && f.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken) is EnumMemberDeclarationSyntax { EqualsValue: null });
}
