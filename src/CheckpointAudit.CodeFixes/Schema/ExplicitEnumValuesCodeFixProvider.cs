using System.Composition;
using System.Globalization;
using System.Linq;
using System.Threading;
using CheckpointAudit.Catalog;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CheckpointAudit.CodeFixes.Schema;

/// <summary>
/// CKPT105 "Give the members explicit values": every member without an initializer gets the value it has
/// today (<c>Heading = 0, Paragraph = 1, ...</c>), so stored numbers keep their meaning and nothing changes
/// at run time; from then on a new member must be given a new number explicitly.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ExplicitEnumValuesCodeFixProvider))]
[Shared]
public sealed class ExplicitEnumValuesCodeFixProvider : NodeReplacementCodeFixProvider
{
    public static readonly string EquivalenceKey = RuleCatalog.EnumWithoutExplicitValues.Id + ".ExplicitValues";

    public ExplicitEnumValuesCodeFixProvider()
        : base(RuleCatalog.EnumWithoutExplicitValues, EquivalenceKey)
    {
    }

    private protected override (SyntaxNode Old, SyntaxNode New)? Replacement(Diagnostic diagnostic, SyntaxNode root, SemanticModel model, CancellationToken cancellationToken)
    {
        if (!diagnostic.Properties.ContainsKey(CheckpointAudit.Schema.EnumWithoutExplicitValuesCheck.NumberedProperty)
            || root.FindToken(diagnostic.Location.SourceSpan.Start).Parent is not EnumDeclarationSyntax declaration)
        {
            return null;
        }

        var members = declaration.Members;
        foreach (var member in declaration.Members.Where(m => m.EqualsValue is null))
        {
            if (model.GetDeclaredSymbol(member, cancellationToken) is not { HasConstantValue: true, ConstantValue: { } value })
            {
                return null;
            }

            var literal = SyntaxFactory.ParseExpression(System.Convert.ToString(value, CultureInfo.InvariantCulture));
            var index = members.IndexOf(m => m.Identifier.ValueText == member.Identifier.ValueText);
            var identifier = member.Identifier;
            members = members.Replace(members[index], members[index]
                .WithIdentifier(identifier.WithTrailingTrivia(SyntaxFactory.Space))
                .WithEqualsValue(SyntaxFactory.EqualsValueClause(
                    SyntaxFactory.Token(SyntaxKind.EqualsToken).WithTrailingTrivia(SyntaxFactory.Space),
                    literal.WithTrailingTrivia(identifier.TrailingTrivia))));
        }

        return (declaration, declaration.WithMembers(members));
    }
}
