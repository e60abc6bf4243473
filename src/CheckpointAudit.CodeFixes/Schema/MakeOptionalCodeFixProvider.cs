using System.Composition;
using System.Linq;
using System.Threading;
using CheckpointAudit.Catalog;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CheckpointAudit.CodeFixes.Schema;

/// <summary>
/// CKPT104 "Make it optional with a default": the <c>required</c> modifier, [JsonRequired],
/// <c>Required = ...</c> in [JsonProperty] and <c>IsRequired = true</c> in [DataMember] are removed, so
/// data without the member loads with its default. A non-nullable reference member that loses
/// <c>required</c> gets a default value (<c>""</c>, <c>new()</c>, an empty array) so that no nullable warning
/// appears; when none can be written the fix is not offered. Not offered for [JsonObject(ItemRequired)].
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MakeOptionalCodeFixProvider))]
[Shared]
public sealed class MakeOptionalCodeFixProvider : NodeReplacementCodeFixProvider
{
    public static readonly string EquivalenceKey = RuleCatalog.RequiredOnLoad.Id + ".MakeOptional";

    public MakeOptionalCodeFixProvider()
        : base(RuleCatalog.RequiredOnLoad, EquivalenceKey)
    {
    }

    private protected override (SyntaxNode Old, SyntaxNode New)? Replacement(Diagnostic diagnostic, SyntaxNode root, SemanticModel model, CancellationToken cancellationToken)
    {
        var node = root.FindToken(diagnostic.Location.SourceSpan.Start).Parent;
        MemberDeclarationSyntax? member = node switch
        {
            PropertyDeclarationSyntax property => property,
            VariableDeclaratorSyntax { Parent.Parent: FieldDeclarationSyntax field } when field.Declaration.Variables.Count == 1 => field,
            _ => null,
        };
        if (member is null)
        {
            return null;
        }

        var updated = member.WithAttributeLists(SyntaxFactory.List(member.AttributeLists.Select(WithoutRequirement).Where(list => list.Attributes.Count > 0)));
        if (member.AttributeLists.Count > 0 && updated.AttributeLists.Count == 0)
        {
            // The member's leading trivia (comments, indentation) was on the first attribute list.
            updated = updated.WithLeadingTrivia(member.GetLeadingTrivia());
        }

        var required = member.Modifiers.FirstOrDefault(m => m.IsKind(SyntaxKind.RequiredKeyword));
        if (required.IsKind(SyntaxKind.RequiredKeyword))
        {
            var index = member.Modifiers.IndexOf(SyntaxKind.RequiredKeyword);
            var modifiers = updated.Modifiers.RemoveAt(index);
            updated = index == 0 && modifiers.Count > 0
                ? updated.WithModifiers(modifiers.Replace(modifiers[0], modifiers[0].WithLeadingTrivia(required.LeadingTrivia)))
                : updated.WithModifiers(modifiers);
            if (NeedsDefault(member, model, cancellationToken, out var type))
            {
                if (DefaultFor(type, member) is not { } value)
                {
                    return null;
                }

                updated = updated switch
                {
                    PropertyDeclarationSyntax property => property
                        .WithAccessorList(property.AccessorList!.WithTrailingTrivia(SyntaxFactory.Space))
                        .WithInitializer(SyntaxFactory.EqualsValueClause(value))
                        .WithSemicolonToken(SyntaxFactory.Token(SyntaxKind.SemicolonToken).WithTrailingTrivia(property.AccessorList!.GetTrailingTrivia())),
                    FieldDeclarationSyntax field => field.WithDeclaration(field.Declaration.WithVariables(SyntaxFactory.SingletonSeparatedList(
                        field.Declaration.Variables[0].WithInitializer(SyntaxFactory.EqualsValueClause(value))))),
                    _ => updated,
                };
            }
        }

        return updated.IsEquivalentTo(member) ? null : (member, updated);
    }

    /// <summary>[JsonRequired] dropped; Required = ... / IsRequired = true removed from [JsonProperty] / [DataMember].</summary>
    private static AttributeListSyntax WithoutRequirement(AttributeListSyntax list)
    {
        var attributes = list.Attributes.Where(a => !IsNamed(a, "JsonRequired")).Select(attribute =>
        {
            if (attribute.ArgumentList is null || !(IsNamed(attribute, "JsonProperty") || IsNamed(attribute, "DataMember")))
            {
                return attribute;
            }

            var kept = attribute.ArgumentList.Arguments.Where(a => a.NameEquals?.Name.Identifier.ValueText is not ("Required" or "IsRequired"));
            var arguments = SyntaxFactory.SeparatedList(kept);
            return arguments.Count == 0 ? attribute.WithArgumentList(null) : attribute.WithArgumentList(attribute.ArgumentList.WithArguments(arguments));
        });
        return list.WithAttributes(SyntaxFactory.SeparatedList(attributes));
    }

    private static bool IsNamed(AttributeSyntax attribute, string name)
    {
        var written = attribute.Name switch
        {
            QualifiedNameSyntax qualified => qualified.Right.Identifier.ValueText,
            AliasQualifiedNameSyntax alias => alias.Name.Identifier.ValueText,
            SimpleNameSyntax simple => simple.Identifier.ValueText,
            _ => string.Empty,
        };
        return written == name || written == name + "Attribute";
    }

    /// <summary>A non-nullable reference member without an initializer: without 'required' the compiler would warn (CS8618).</summary>
    private static bool NeedsDefault(MemberDeclarationSyntax member, SemanticModel model, CancellationToken cancellationToken, out ITypeSymbol type)
    {
        ISymbol? symbol = member switch
        {
            PropertyDeclarationSyntax property when property.Initializer is null => model.GetDeclaredSymbol(property, cancellationToken),
            FieldDeclarationSyntax field when field.Declaration.Variables[0].Initializer is null => model.GetDeclaredSymbol(field.Declaration.Variables[0], cancellationToken),
            _ => null,
        };
        type = symbol switch
        {
            IPropertySymbol property => property.Type,
            IFieldSymbol field => field.Type,
            _ => null!,
        };
        return type is { IsReferenceType: true, NullableAnnotation: NullableAnnotation.NotAnnotated };
    }

    private static ExpressionSyntax? DefaultFor(ITypeSymbol type, MemberDeclarationSyntax member)
    {
        if (type.SpecialType == SpecialType.System_String)
        {
            return SyntaxFactory.LiteralExpression(SyntaxKind.StringLiteralExpression, SyntaxFactory.Literal(string.Empty));
        }

        if (type is IArrayTypeSymbol array)
        {
            return SyntaxCleanup.MarkForImportAndSimplification(SyntaxFactory.ParseExpression($"global::System.Array.Empty<{array.ElementType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat)}>()"));
        }

        if (type is INamedTypeSymbol { IsAbstract: false, TypeKind: TypeKind.Class } named
            && named.InstanceConstructors.Any(c => c.Parameters.IsEmpty && c.DeclaredAccessibility == Accessibility.Public))
        {
            return member.SyntaxTree.Options is CSharpParseOptions { LanguageVersion: >= LanguageVersion.CSharp9 }
                ? SyntaxFactory.ParseExpression("new()")
                : SyntaxCleanup.MarkForImportAndSimplification(SyntaxFactory.ParseExpression($"new {named.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat)}()"));
        }

        return null;
    }
}
