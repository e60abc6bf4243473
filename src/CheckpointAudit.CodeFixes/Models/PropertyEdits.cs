using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CheckpointAudit.CodeFixes.Models;

/// <summary>The two edits the Models fixes make to a member: an init accessor, or an attribute on a line of its own.</summary>
internal static class PropertyEdits
{
    /// <summary>'{ get; }' becomes '{ get; init; }'; null when init is not available (before C# 9, or no IsExternalInit) or the getter has a body.</summary>
    public static PropertyDeclarationSyntax? WithInit(PropertyDeclarationSyntax property, Compilation compilation)
    {
        var canInit = ((CSharpParseOptions)property.SyntaxTree.Options).LanguageVersion >= LanguageVersion.CSharp9
            && compilation.GetTypeByMetadataName("System.Runtime.CompilerServices.IsExternalInit") is not null;
        if (!canInit || property.AccessorList is not { Accessors.Count: 1 } accessors || accessors.Accessors[0] is not { Body: null, ExpressionBody: null } getter)
        {
            return null;
        }

        var init = SyntaxFactory.AccessorDeclaration(SyntaxKind.InitAccessorDeclaration)
            .WithSemicolonToken(SyntaxFactory.Token(SyntaxKind.SemicolonToken))
            .WithLeadingTrivia(SyntaxFactory.Space)
            .WithTrailingTrivia(getter.GetTrailingTrivia());
        return property.WithAccessorList(accessors.WithAccessors(accessors.Accessors.Replace(getter, getter.WithoutTrailingTrivia()).Add(init)));
    }

    /// <summary>
    /// The property with one more attribute list, on its own line above the declaration, written with
    /// global::-qualified names that the fix's cleanup shortens (adding the using).
    /// </summary>
    public static MemberDeclarationSyntax WithAttributes(MemberDeclarationSyntax property, SyntaxNode root, IEnumerable<string> attributes)
    {
        var newline = root.DescendantTrivia().FirstOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia)) is { RawKind: not 0 } eol ? eol : SyntaxFactory.LineFeed;
        var list = SyntaxCleanup.MarkForImportAndSimplification(SyntaxFactory.AttributeList(SyntaxFactory.SeparatedList(attributes.Select(ParseAttribute))));
        var indentation = property.GetLeadingTrivia().LastOrDefault(t => t.IsKind(SyntaxKind.WhitespaceTrivia));
        if (property.AttributeLists.Count > 0)
        {
            return property.WithAttributeLists(property.AttributeLists.Add(list.WithLeadingTrivia(indentation).WithTrailingTrivia(newline)));
        }

        return property.WithoutLeadingTrivia()
            .WithAttributeLists(SyntaxFactory.SingletonList(list.WithLeadingTrivia(property.GetLeadingTrivia()).WithTrailingTrivia(newline)))
            .WithModifiers(property.Modifiers.Count > 0 ? property.Modifiers.Replace(property.Modifiers[0], property.Modifiers[0].WithLeadingTrivia(indentation)) : property.Modifiers);
    }

    private static AttributeSyntax ParseAttribute(string text)
        => SyntaxFactory.ParseCompilationUnit("[" + text + "] class C { }").Members[0].AttributeLists[0].Attributes[0];
}
