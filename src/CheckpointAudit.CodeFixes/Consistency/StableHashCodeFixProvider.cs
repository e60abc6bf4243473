using System.Composition;
using System.Threading;
using CheckpointAudit.Catalog;
using CheckpointAudit.CodeFixes.Atomicity;
using CheckpointAudit.Helpers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CheckpointAudit.CodeFixes.Consistency;

/// <summary>
/// CKPT501 "Use a stable hash": <c>text.GetHashCode()</c> becomes <c>CheckpointFile.StableHash(text)</c> (32-bit
/// FNV-1a over UTF-8, the same in every process). Offered for string.GetHashCode() only, and only where the
/// generated helper is present; other randomised hashes (HashCode.Combine, Type or object hashes) need a key
/// chosen by hand. The title says that stored names and IDs change: they are computed differently from then on.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(StableHashCodeFixProvider))]
[Shared]
public sealed class StableHashCodeFixProvider : NodeReplacementCodeFixProvider
{
    public static readonly string EquivalenceKey = RuleCatalog.UnstableHashPersisted.Id + ".StableHash";

    public StableHashCodeFixProvider()
        : base(RuleCatalog.UnstableHashPersisted, EquivalenceKey)
    {
    }

    private protected override (SyntaxNode Old, SyntaxNode New)? Replacement(Diagnostic diagnostic, SyntaxNode root, SemanticModel model, CancellationToken cancellationToken)
    {
        if (root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is not InvocationExpressionSyntax
            {
                Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "GetHashCode" } access,
                ArgumentList.Arguments.Count: 0,
            } call
            || model.GetSymbolInfo(call, cancellationToken).Symbol is not IMethodSymbol { ContainingType.SpecialType: SpecialType.System_String }
            || !CheckpointFileCalls.HelperHas(model.Compilation, "StableHash"))
        {
            return null;
        }

        var text = access.Expression is ParenthesizedExpressionSyntax parenthesized ? parenthesized.Expression : access.Expression;
        var replacement = SyntaxFactory.InvocationExpression(
            SyntaxFactory.ParseExpression("global::" + HelperFeatures.HelperMetadataName + ".StableHash"),
            SyntaxFactory.ArgumentList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.Argument(text.WithoutTrivia()))));
        return (call, SyntaxCleanup.MarkForImportAndSimplification(replacement).WithTriviaFrom(call));
    }
}
