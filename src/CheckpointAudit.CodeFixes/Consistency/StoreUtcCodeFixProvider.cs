using System.Composition;
using System.Threading;
using CheckpointAudit.Catalog;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CheckpointAudit.CodeFixes.Consistency;

/// <summary>
/// CKPT502 "Store UTC time": <c>DateTime.Now</c> becomes <c>DateTime.UtcNow</c> and <c>DateTime.Today</c>
/// becomes <c>DateTime.UtcNow.Date</c>, written with the same qualifier (DateTime, System.DateTime, an alias).
/// The title says that stored values change: they are UTC from then on.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(StoreUtcCodeFixProvider))]
[Shared]
public sealed class StoreUtcCodeFixProvider : NodeReplacementCodeFixProvider
{
    public static readonly string EquivalenceKey = RuleCatalog.LocalClockPersisted.Id + ".StoreUtc";

    public StoreUtcCodeFixProvider()
        : base(RuleCatalog.LocalClockPersisted, EquivalenceKey)
    {
    }

    private protected override (SyntaxNode Old, SyntaxNode New)? Replacement(Diagnostic diagnostic, SyntaxNode root, SemanticModel model, CancellationToken cancellationToken)
    {
        if (root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is not MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Now" or "Today" } access)
        {
            return null;
        }

        var utcNow = access.WithName(SyntaxFactory.IdentifierName("UtcNow").WithTriviaFrom(access.Name));
        if (access.Name.Identifier.ValueText == "Now")
        {
            return (access, utcNow);
        }

        var date = SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, utcNow.WithoutTrailingTrivia(), SyntaxFactory.IdentifierName("Date"))
            .WithTrailingTrivia(access.GetTrailingTrivia());
        return (access, date);
    }
}
