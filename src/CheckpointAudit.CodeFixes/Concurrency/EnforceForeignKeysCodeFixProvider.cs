using System.Composition;
using System.Threading;
using CheckpointAudit.Catalog;
using CheckpointAudit.Concurrency;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CheckpointAudit.CodeFixes.Concurrency;

/// <summary>
/// CKPT611 "Enforce foreign keys": in the connection string literal, <c>Foreign Keys=False</c> becomes
/// <c>Foreign Keys=True</c>, or (System.Data.SQLite, off by default) <c>Foreign Keys=True</c> is appended. Its title says
/// that writes violating a foreign key then fail: that is the point, and a behaviour change the user chooses. Plain
/// and interpolated regular literals only; verbatim, raw and computed strings are changed by hand.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(EnforceForeignKeysCodeFixProvider))]
[Shared]
public sealed class EnforceForeignKeysCodeFixProvider : NodeReplacementCodeFixProvider
{
    public static readonly string EquivalenceKey = RuleCatalog.ForeignKeysNotEnforced.Id + ".Enforce";


    public EnforceForeignKeysCodeFixProvider()
        : base(RuleCatalog.ForeignKeysNotEnforced, EquivalenceKey)
    {
    }

    private protected override (SyntaxNode Old, SyntaxNode New)? Replacement(Diagnostic diagnostic, SyntaxNode root, SemanticModel model, CancellationToken cancellationToken)
    {
        if (!diagnostic.Properties.TryGetValue(ForeignKeysNotEnforcedCheck.RepairProperty, out var repair) || repair is not ("add" or "switch"))
        {
            return null;
        }

        switch (root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true))
        {
            case LiteralExpressionSyntax literal when SyntaxCleanup.IsRegularStringLiteral(literal):
                var text = repair == "switch" ? ForeignKeysNotEnforcedCheck.KeysOff.Replace(literal.Token.ValueText, "Foreign Keys=True") : Appended(literal.Token.ValueText);
                return (literal, SyntaxFactory.LiteralExpression(SyntaxKind.StringLiteralExpression, SyntaxFactory.Literal(text)).WithTriviaFrom(literal));
            case InterpolatedStringExpressionSyntax interpolated when interpolated.StringStartToken.IsKind(SyntaxKind.InterpolatedStringStartToken) && repair == "add":
                // Appended to the last text part (as the parser would read it), or as a new one after a hole.
                if (interpolated.Contents.LastOrDefault() is InterpolatedStringTextSyntax last)
                {
                    // The token's text as written (escapes kept) and its value, each with the suffix.
                    var token = SyntaxFactory.Token(
                        last.TextToken.LeadingTrivia, SyntaxKind.InterpolatedStringTextToken, Appended(last.TextToken.Text), Appended(last.TextToken.ValueText), last.TextToken.TrailingTrivia);
                    return (interpolated, interpolated.ReplaceNode(last, last.WithTextToken(token)));
                }

                var suffix = ";Foreign Keys=True";
                var added = SyntaxFactory.InterpolatedStringText(SyntaxFactory.Token(default, SyntaxKind.InterpolatedStringTextToken, suffix, suffix, default));
                return (interpolated, interpolated.AddContents(added));
            default:
                return null;
        }
    }

    private static string Appended(string connectionString)
        => connectionString.TrimEnd().EndsWith(";", System.StringComparison.Ordinal) ? connectionString + "Foreign Keys=True" : connectionString + ";Foreign Keys=True";
}
