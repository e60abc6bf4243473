using System.Composition;
using System.Text.RegularExpressions;
using System.Threading;
using CheckpointAudit.Catalog;
using CheckpointAudit.Concurrency;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;

namespace CheckpointAudit.CodeFixes.Concurrency;

/// <summary>
/// CKPT602 "Wait up to 30 seconds for locks": a short literal timeout (<c>CommandTimeout = 1</c>,
/// <c>commandTimeout: 1</c>, <c>Default Timeout=1</c> in a regular string literal) becomes 30 seconds,
/// Microsoft.Data.Sqlite's default; a System.Data.SQLite connection without a busy timeout gets
/// <c>BusyTimeout = 30000</c> (milliseconds) in its initializer, which it applies when it opens.
/// Timeouts held in named constants are not offered: the constant may serve other code.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(WaitForLocksCodeFixProvider))]
[Shared]
public sealed class WaitForLocksCodeFixProvider : NodeReplacementCodeFixProvider
{
    public static readonly string EquivalenceKey = RuleCatalog.SqliteBusyHandling.Id + ".WaitForLocks";

    private static readonly Regex DefaultTimeout = new(@"(default\s*timeout\s*=\s*)\d+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    public WaitForLocksCodeFixProvider()
        : base(RuleCatalog.SqliteBusyHandling, EquivalenceKey)
    {
    }

    private protected override (SyntaxNode Old, SyntaxNode New)? Replacement(Diagnostic diagnostic, SyntaxNode root, SemanticModel model, CancellationToken cancellationToken)
    {
        var node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
        if (diagnostic.Properties.ContainsKey(SqliteBusyHandlingCheck.MissingBusyTimeoutKey))
        {
            return node is BaseObjectCreationExpressionSyntax creation ? (creation, WithBusyTimeout(creation)) : null;
        }

        switch (node)
        {
            case LiteralExpressionSyntax number when number.IsKind(SyntaxKind.NumericLiteralExpression):
                return (number, SyntaxFactory.LiteralExpression(SyntaxKind.NumericLiteralExpression, SyntaxFactory.Literal(30)).WithTriviaFrom(number));
            case LiteralExpressionSyntax text when text.IsKind(SyntaxKind.StringLiteralExpression) && text.Token.Text.StartsWith("\"", System.StringComparison.Ordinal)
                && !text.Token.Text.StartsWith("\"\"\"", System.StringComparison.Ordinal) && DefaultTimeout.IsMatch(text.Token.ValueText):
                var fixedText = DefaultTimeout.Replace(text.Token.ValueText, "${1}30");
                return (text, SyntaxFactory.LiteralExpression(SyntaxKind.StringLiteralExpression, SyntaxFactory.Literal(fixedText)).WithTriviaFrom(text));
            default:
                return null;
        }
    }

    private static SyntaxNode WithBusyTimeout(BaseObjectCreationExpressionSyntax creation)
    {
        var busyTimeout = SyntaxFactory.AssignmentExpression(
            SyntaxKind.SimpleAssignmentExpression,
            SyntaxFactory.IdentifierName("BusyTimeout"),
            SyntaxFactory.LiteralExpression(SyntaxKind.NumericLiteralExpression, SyntaxFactory.Literal(30000)));
        if (creation.Initializer is { } existing && existing.IsKind(SyntaxKind.ObjectInitializerExpression))
        {
            return creation.WithInitializer(existing.AddExpressions(busyTimeout).WithAdditionalAnnotations(Formatter.Annotation));
        }

        // new SQLiteConnection(cs) { BusyTimeout = 30000 } on one line; an argument list is needed before an initializer.
        var trailing = creation.GetTrailingTrivia();
        var bareCreation = creation.WithoutTrailingTrivia();
        if (bareCreation is ObjectCreationExpressionSyntax { ArgumentList: null } noArguments)
        {
            bareCreation = noArguments.WithArgumentList(SyntaxFactory.ArgumentList());
        }

        var initializer = SyntaxFactory.InitializerExpression(SyntaxKind.ObjectInitializerExpression, SyntaxFactory.SingletonSeparatedList<ExpressionSyntax>(busyTimeout))
            .NormalizeWhitespace(indentation: string.Empty, eol: " ")
            .WithLeadingTrivia(SyntaxFactory.Space);
        return bareCreation.WithInitializer(initializer).WithTrailingTrivia(trailing);
    }
}
