using System.Composition;
using System.Threading;
using CheckpointAudit.Catalog;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CheckpointAudit.CodeFixes.Corruption;

/// <summary>
/// CKPT302 "Throw when the stored value is null": the parse result becomes
/// <c>result ?? throw new InvalidDataException("The stored Settings is null.")</c>, so that an empty
/// state fails at the load with a clear message instead of as a NullReferenceException later.
/// Second option "Use the existing fallback": <c>result ?? new Settings()</c> where the same function
/// already falls back to that value (see <see cref="ExistingFallback"/>), so an empty file is treated as
/// a missing one.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ThrowOnNullResultCodeFixProvider))]
[Shared]
public sealed class ThrowOnNullResultCodeFixProvider : NodeReplacementCodeFixProvider
{
    public static readonly string EquivalenceKey = RuleCatalog.NullDeserializationResult.Id + ".ThrowOnNull";

    public ThrowOnNullResultCodeFixProvider()
        : base(RuleCatalog.NullDeserializationResult, EquivalenceKey)
    {
    }

    public static readonly string UseFallbackEquivalenceKey = RuleCatalog.NullDeserializationResult.Id + ".UseFallback";

    private protected override string SecondEquivalenceKey => UseFallbackEquivalenceKey;

    private protected override (SyntaxNode Old, SyntaxNode New)? Replacement(Diagnostic diagnostic, SyntaxNode root, SemanticModel model, CancellationToken cancellationToken)
    {
        if (CheckedValue(diagnostic, root) is not { } value)
        {
            return null;
        }

        var type = model.GetTypeInfo(value, cancellationToken).Type;
        var name = type is null or IErrorTypeSymbol ? "value" : type.WithNullableAnnotation(NullableAnnotation.NotAnnotated).ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat);
        var message = SyntaxFactory.Literal("The stored " + name + " is null.").Text;
        return Coalesce(value, SyntaxFactory.ParseExpression($"throw new global::System.IO.InvalidDataException({message})"));
    }

    /// <summary>"Use the existing fallback": result ?? the default the same function already uses when there is nothing to load.</summary>
    private protected override (SyntaxNode Old, SyntaxNode New)? SecondReplacement(Diagnostic diagnostic, SyntaxNode root, SemanticModel model, CancellationToken cancellationToken)
        => CheckedValue(diagnostic, root) is { } value && ExistingFallback.Find(value, model, cancellationToken) is { } fallback
            ? Coalesce(value, fallback)
            : null;

    /// <summary>The parse result the diagnostic points at (C# 7 or later: "?? throw" needs it).</summary>
    private static ExpressionSyntax? CheckedValue(Diagnostic diagnostic, SyntaxNode root)
    {
        if (root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is not ExpressionSyntax value
            || root.SyntaxTree.Options is CSharpParseOptions { LanguageVersion: < LanguageVersion.CSharp7 })
        {
            return null;
        }

        // A node that spans the value exactly can be an argument or a parenthesized wrapper: take the value itself.
        while (value is ParenthesizedExpressionSyntax parenthesized)
        {
            value = parenthesized.Expression;
        }

        return value;
    }

    private static (SyntaxNode Old, SyntaxNode New) Coalesce(ExpressionSyntax value, ExpressionSyntax whenNull)
    {
        ExpressionSyntax checkedValue = SyntaxFactory.BinaryExpression(SyntaxKind.CoalesceExpression, value.WithoutTrivia(), whenNull.WithoutTrivia());
        var needsParentheses = value.Parent is MemberAccessExpressionSyntax or ElementAccessExpressionSyntax or ConditionalAccessExpressionSyntax
            or CastExpressionSyntax or PrefixUnaryExpressionSyntax or BinaryExpressionSyntax;
        if (needsParentheses)
        {
            checkedValue = SyntaxFactory.ParenthesizedExpression(checkedValue);
        }

        return (value, SyntaxCleanup.MarkQualifiedNamesForSimplification(checkedValue.WithTriviaFrom(value)));
    }
}
