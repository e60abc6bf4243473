using System.Composition;
using System.Linq;
using System.Threading;
using CheckpointAudit.Catalog;
using CheckpointAudit.Knowledge;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;

namespace CheckpointAudit.CodeFixes.Corruption;

/// <summary>
/// CKPT305 "Keep the previous version as .bak": <c>File.Replace(temp, target, null)</c> names <c>target + ".bak"</c> as
/// its backup; <c>File.Move(temp, target, true)</c> becomes that replacement when the target exists, and a plain move
/// when it does not (File.Replace needs a target). The new content is the same; the previous one stays beside it.
/// Offered for a statement whose temp and target are names or members, which the rewrite writes again.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(KeepPreviousVersionCodeFixProvider))]
[Shared]
public sealed class KeepPreviousVersionCodeFixProvider : NodeReplacementCodeFixProvider
{
    public static readonly string EquivalenceKey = RuleCatalog.NoPreviousVersion.Id + ".KeepPreviousVersion";

    public KeepPreviousVersionCodeFixProvider()
        : base(RuleCatalog.NoPreviousVersion, EquivalenceKey)
    {
    }

    private protected override (SyntaxNode Old, SyntaxNode New)? Replacement(Diagnostic diagnostic, SyntaxNode root, SemanticModel model, CancellationToken cancellationToken)
    {
        if (root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true).FirstAncestorOrSelf<InvocationExpressionSyntax>() is not { Parent: ExpressionStatementSyntax statement } call
            || call.ArgumentList.Arguments is not { Count: 3 or 4 } arguments
            || arguments.Any(a => a.NameColon is not null)
            || model.GetSymbolInfo(call, cancellationToken).Symbol is not IMethodSymbol { ContainingType: { } type } method
            || !SymbolNames.IsType(type, "System.IO.File")
            || !RepeatableExpression.Is(arguments[0].Expression) || !RepeatableExpression.Is(arguments[1].Expression))
        {
            return null;
        }

        var temp = arguments[0].Expression.WithoutTrivia();
        var target = arguments[1].Expression.WithoutTrivia();
        var backup = SyntaxFactory.BinaryExpression(SyntaxKind.AddExpression, target, SyntaxFactory.LiteralExpression(SyntaxKind.StringLiteralExpression, SyntaxFactory.Literal(".bak")));
        if (method.Name == "Replace" && model.GetConstantValue(arguments[2].Expression, cancellationToken) is { HasValue: true, Value: null })
        {
            // File.Replace(temp, target, null[, ignoreMetadataErrors]): the same call, with a backup.
            return (arguments[2].Expression, backup.WithTriviaFrom(arguments[2].Expression));
        }

        if (method.Name != "Move" || arguments.Count != 3
            || model.GetConstantValue(arguments[2].Expression, cancellationToken) is not { HasValue: true, Value: true })
        {
            return null;
        }

        var file = SyntaxFactory.ParseExpression("global::System.IO.File").WithAdditionalAnnotations(Simplifier.Annotation);
        ExpressionSyntax Call(string name, params ExpressionSyntax[] values)
            => SyntaxFactory.InvocationExpression(
                SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, file, SyntaxFactory.IdentifierName(name)),
                SyntaxFactory.ArgumentList(SyntaxFactory.SeparatedList(values.Select(SyntaxFactory.Argument))));
        var replaced = SyntaxFactory.IfStatement(
                Call("Exists", target),
                SyntaxFactory.Block(SyntaxFactory.ExpressionStatement(Call("Replace", temp, target, backup))),
                SyntaxFactory.ElseClause(SyntaxFactory.Block(SyntaxFactory.ExpressionStatement(Call("Move", temp, target)))))
            .WithTriviaFrom(statement)
            .WithAdditionalAnnotations(Formatter.Annotation);
        return (statement, replaced);
    }
}
