using System.Composition;
using System.Text.RegularExpressions;
using System.Threading;
using CheckpointAudit.Catalog;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CheckpointAudit.CodeFixes.Concurrency;

/// <summary>
/// CKPT603 "Use a private cache": <c>Cache=Shared</c> in the connection string becomes <c>Cache=Private</c>,
/// and <c>SqliteCacheMode.Shared</c> becomes <c>SqliteCacheMode.Private</c>. Verbatim and raw literals are
/// left alone (their text would need its own escaping rules).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(PrivateCacheCodeFixProvider))]
[Shared]
public sealed class PrivateCacheCodeFixProvider : NodeReplacementCodeFixProvider
{
    public static readonly string EquivalenceKey = RuleCatalog.SqliteSharedCache.Id + ".PrivateCache";

    private static readonly Regex SharedCache = new(@"cache\s*=\s*shared", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    public PrivateCacheCodeFixProvider()
        : base(RuleCatalog.SqliteSharedCache, EquivalenceKey)
    {
    }

    private protected override (SyntaxNode Old, SyntaxNode New)? Replacement(Diagnostic diagnostic, SyntaxNode root, SemanticModel model, CancellationToken cancellationToken)
    {
        switch (root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true))
        {
            case LiteralExpressionSyntax literal when SyntaxCleanup.IsRegularStringLiteral(literal):
                var text = SharedCache.Replace(literal.Token.ValueText, "Cache=Private");
                return (literal, SyntaxFactory.LiteralExpression(SyntaxKind.StringLiteralExpression, SyntaxFactory.Literal(text)).WithTriviaFrom(literal));
            case MemberAccessExpressionSyntax access when access.Name.Identifier.ValueText == "Shared":
                return (access, access.WithName(SyntaxFactory.IdentifierName("Private").WithTriviaFrom(access.Name)));
            case IdentifierNameSyntax { Parent: MemberAccessExpressionSyntax access } name when access.Name == name && name.Identifier.ValueText == "Shared":
                return (access, access.WithName(SyntaxFactory.IdentifierName("Private").WithTriviaFrom(name)));
            default:
                return null;
        }
    }
}
