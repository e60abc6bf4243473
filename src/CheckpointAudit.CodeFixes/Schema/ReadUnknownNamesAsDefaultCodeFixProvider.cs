using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using CheckpointAudit.Catalog;
using CheckpointAudit.Helpers;
using CheckpointAudit.Knowledge;
using CheckpointAudit.Schema;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Simplification;

namespace CheckpointAudit.CodeFixes.Schema;

/// <summary>
/// CKPT105's second fix, "Read unknown names as the default value": where an enum is stored by name with System.Text.Json's
/// non-generic JsonStringEnumConverter named in [JsonConverter] on the member that holds it, the attribute names the
/// generated TolerantStringEnumConverter instead (not on the enum: there it would also convert dictionary keys, which
/// the tolerant converter does not do). It writes and reads the same names (through
/// JsonStringEnumConverter), but a name this build does not know reads as the enum's default value instead of failing
/// the whole load. The other members of the same type that store the enum with the same attribute change with it. The
/// declaration may be in another document or a referenced project of the solution (named by documentation ID); not
/// offered where that project has no generated helper.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ReadUnknownNamesAsDefaultCodeFixProvider))]
[Shared]
public sealed class ReadUnknownNamesAsDefaultCodeFixProvider : ModelDeclarationCodeFixProvider
{
    public static readonly string EquivalenceKey = RuleCatalog.EnumWithoutExplicitValues.Id + ".ReadUnknownNamesAsDefault";

    public ReadUnknownNamesAsDefaultCodeFixProvider()
        : base(RuleCatalog.EnumWithoutExplicitValues, EquivalenceKey, secondFix: true)
    {
    }

    private protected override async Task<ImmutableArray<ModelEdit>> EditsAsync(Solution solution, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        if ((await SolutionDeclarations.NamedAsync(solution, diagnostic, EnumWithoutExplicitValuesCheck.ConverterOnProperty, cancellationToken).ConfigureAwait(false))
                .FirstOrDefault() is not { } carrier
            || SolutionDeclarations.InSolution(carrier, solution) is not { } location
            || solution.GetDocument(location.SourceTree) is not { } document
            || await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false) is not { } root
            || await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false) is not { } model
            || Atomicity.CheckpointFileCalls.VisibleHelper(model.Compilation, HelperFeatures.TolerantEnumConverterName) is null)
        {
            return ImmutableArray<ModelEdit>.Empty;
        }

        // Not on the enum itself: a converter named there also reads and writes the enum as a dictionary key, which this
        // one does not do.
        var declared = root.FindToken(location.SourceSpan.Start).Parent;
        // The member named, and its siblings in the same declaration that store the same enum with the same attribute.
        if (declared?.FirstAncestorOrSelf<MemberDeclarationSyntax>() is not { } member || member is not (PropertyDeclarationSyntax or FieldDeclarationSyntax)
            || member.Parent is not TypeDeclarationSyntax owner
            || StoredEnum(carrier) is not { } enumType)
        {
            return ImmutableArray<ModelEdit>.Empty;
        }

        var edits = ImmutableArray.CreateBuilder<ModelEdit>();
        foreach (var sibling in owner.Members.Where(m => m == member || m is PropertyDeclarationSyntax or FieldDeclarationSyntax))
        {
            var symbol = sibling is FieldDeclarationSyntax field
                ? model.GetDeclaredSymbol(field.Declaration.Variables[0], cancellationToken)
                : model.GetDeclaredSymbol(sibling, cancellationToken);
            if ((sibling == member || SymbolEqualityComparer.Default.Equals(StoredEnum(symbol), enumType))
                && Edit(document, sibling, model, cancellationToken) is { } edit)
            {
                edits.Add(edit);
            }
        }

        return edits.ToImmutable();
    }

    /// <summary>The enum a property or field holds, directly or as a Nullable.</summary>
    private static ITypeSymbol? StoredEnum(ISymbol? symbol)
        => symbol is not null && TypeRelations.StoredType(symbol) is { TypeKind: TypeKind.Enum } type ? type : null;

    /// <summary>The declaration with every typeof(JsonStringEnumConverter) of its [JsonConverter] attributes replaced; null when it has none.</summary>
    private static ModelEdit? Edit(Document document, MemberDeclarationSyntax declaration, SemanticModel model, CancellationToken cancellationToken)
    {
        var converters = new List<TypeSyntax>();
        foreach (var attribute in declaration.AttributeLists.SelectMany(l => l.Attributes))
        {
            if (attribute.ArgumentList?.Arguments.FirstOrDefault()?.Expression is TypeOfExpressionSyntax { Type: { } named }
                && model.GetSymbolInfo(attribute, cancellationToken).Symbol?.ContainingType is { Name: "JsonConverterAttribute" } attributeType
                && SymbolNames.IsNamespace(attributeType.ContainingNamespace, "System.Text.Json.Serialization")
                && model.GetSymbolInfo(named, cancellationToken).Symbol is INamedTypeSymbol { IsGenericType: false, Name: "JsonStringEnumConverter" } converter
                && SymbolNames.IsNamespace(converter.ContainingNamespace, "System.Text.Json.Serialization"))
            {
                converters.Add(named);
            }
        }

        if (converters.Count == 0)
        {
            return null;
        }

        return new ModelEdit(document, declaration, () => declaration.ReplaceNodes(converters, (original, _) =>
            SyntaxFactory.ParseTypeName("global::" + HelperFeatures.HelperNamespace + "." + HelperFeatures.TolerantEnumConverterName)
                .WithTriviaFrom(original)
                .WithAdditionalAnnotations(Simplifier.Annotation, Simplifier.AddImportsAnnotation)));
    }
}
