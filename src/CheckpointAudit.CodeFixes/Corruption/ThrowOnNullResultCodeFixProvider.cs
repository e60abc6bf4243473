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
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ThrowOnNullResultCodeFixProvider))]
[Shared]
public sealed class ThrowOnNullResultCodeFixProvider : NodeReplacementCodeFixProvider
{
    public const string EquivalenceKey = "CKPT302.ThrowOnNull";

    public ThrowOnNullResultCodeFixProvider()
        : base(RuleCatalog.NullDeserializationResult, EquivalenceKey)
    {
    }

    private protected override (SyntaxNode Old, SyntaxNode New)? Replacement(Diagnostic diagnostic, SyntaxNode root, SemanticModel model, CancellationToken cancellationToken)
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

        var type = model.GetTypeInfo(value, cancellationToken).Type;
        var name = type is null or IErrorTypeSymbol ? "value" : type.WithNullableAnnotation(NullableAnnotation.NotAnnotated).ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat);
        var message = SyntaxFactory.Literal("The stored " + name + " is null.").Text;
        var checkedValue = SyntaxFactory.ParseExpression($"{value.WithoutTrivia()} ?? throw new global::System.IO.InvalidDataException({message})");
        var needsParentheses = value.Parent is MemberAccessExpressionSyntax or ElementAccessExpressionSyntax or ConditionalAccessExpressionSyntax
            or CastExpressionSyntax or PrefixUnaryExpressionSyntax or BinaryExpressionSyntax;
        if (needsParentheses)
        {
            checkedValue = SyntaxFactory.ParenthesizedExpression(checkedValue);
        }

        return (value, SyntaxCleanup.MarkQualifiedNamesForSimplification(checkedValue.WithTriviaFrom(value)));
    }
}
