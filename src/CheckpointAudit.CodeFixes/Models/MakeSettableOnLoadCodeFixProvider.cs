using System.Composition;
using System.Linq;
using System.Threading;
using CheckpointAudit.Catalog;
using CheckpointAudit.Models;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CheckpointAudit.CodeFixes.Models;

/// <summary>
/// CKPT801 "Make it settable on load": a get-only auto-property gets an <c>init</c> accessor (both JSON
/// serializers set it, and code outside object initializers still cannot); a non-public setter keeps its
/// accessibility and gets [JsonInclude] (System.Text.Json) and/or [JsonProperty] (Newtonsoft.Json), whichever
/// serializer persists the model. The stored format does not change. Not offered for <c>init</c> where the
/// language version or the target framework lacks it.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MakeSettableOnLoadCodeFixProvider))]
[Shared]
public sealed class MakeSettableOnLoadCodeFixProvider : NodeReplacementCodeFixProvider
{
    public const string EquivalenceKey = "CKPT801.MakeSettableOnLoad";

    public MakeSettableOnLoadCodeFixProvider()
        : base(RuleCatalog.NeverRestored, EquivalenceKey)
    {
    }

    private protected override (SyntaxNode Old, SyntaxNode New)? Replacement(Diagnostic diagnostic, SyntaxNode root, SemanticModel model, CancellationToken cancellationToken)
    {
        if (root.FindToken(diagnostic.Location.SourceSpan.Start).Parent is not PropertyDeclarationSyntax { AccessorList: { } accessors } property
            || !diagnostic.Properties.TryGetValue(NeverRestoredAnalyzer.FixKey, out var fix) || fix is null)
        {
            return null;
        }

        if (fix == NeverRestoredAnalyzer.InitFix)
        {
            var canInit = ((CSharpParseOptions)property.SyntaxTree.Options).LanguageVersion >= LanguageVersion.CSharp9
                && model.Compilation.GetTypeByMetadataName("System.Runtime.CompilerServices.IsExternalInit") is not null;
            if (!canInit || accessors.Accessors.Count != 1 || accessors.Accessors[0] is not { Body: null, ExpressionBody: null } getter)
            {
                return null;
            }

            var init = SyntaxFactory.AccessorDeclaration(SyntaxKind.InitAccessorDeclaration)
                .WithSemicolonToken(SyntaxFactory.Token(SyntaxKind.SemicolonToken))
                .WithLeadingTrivia(SyntaxFactory.Space);
            return (property, property.WithAccessorList(accessors.WithAccessors(accessors.Accessors.Add(init.WithTrailingTrivia(getter.GetTrailingTrivia())))
                .ReplaceNode(getter, getter.WithoutTrailingTrivia())));
        }

        var attributes = fix.Split(',').Select(name => name switch
        {
            NeverRestoredAnalyzer.JsonIncludeFix => "global::System.Text.Json.Serialization.JsonInclude",
            NeverRestoredAnalyzer.JsonPropertyFix => "global::Newtonsoft.Json.JsonProperty",
            _ => null,
        }).Where(n => n is not null).Select(n => SyntaxFactory.Attribute(SyntaxFactory.ParseName(n!))).ToList();
        if (attributes.Count == 0)
        {
            return null;
        }

        var newline = root.DescendantTrivia().FirstOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia)) is { RawKind: not 0 } eol ? eol : SyntaxFactory.LineFeed;
        var list = SyntaxCleanup.MarkForImportAndSimplification(SyntaxFactory.AttributeList(SyntaxFactory.SeparatedList(attributes)));
        var indentation = property.GetLeadingTrivia().LastOrDefault(t => t.IsKind(SyntaxKind.WhitespaceTrivia));
        var updated = property.AttributeLists.Count == 0
            ? property.WithoutLeadingTrivia()
                .WithAttributeLists(SyntaxFactory.SingletonList(list.WithLeadingTrivia(property.GetLeadingTrivia()).WithTrailingTrivia(newline)))
                .WithModifiers(property.Modifiers.Count > 0 ? property.Modifiers.Replace(property.Modifiers[0], property.Modifiers[0].WithLeadingTrivia(indentation)) : property.Modifiers)
            : property.WithAttributeLists(property.AttributeLists.Add(list.WithLeadingTrivia(indentation).WithTrailingTrivia(newline)));
        return (property, updated);
    }
}
