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
/// Offered for a statement whose temp and target are names or members, which the rewrite writes again, and whose temp
/// is named after the target (so beside it: File.Replace cannot move a file from another volume).
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

    /// <summary>
    /// The temp's name is built from the target's (<c>path + ".tmp"</c>, <c>$"{path}.new"</c>), so it is beside it:
    /// File.Replace, unlike File.Move, cannot move a file from another volume (a temp from Path.GetTempFileName).
    /// </summary>
    private static bool NamedAfterTarget(ExpressionSyntax temp, ExpressionSyntax target, SemanticModel model, CancellationToken cancellationToken)
    {
        var value = temp;
        if (temp is IdentifierNameSyntax && model.GetSymbolInfo(temp, cancellationToken).Symbol is ILocalSymbol local
            && local.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(cancellationToken) is VariableDeclaratorSyntax { Initializer.Value: { } initializer })
        {
            value = initializer;
        }

        return value != temp && value.DescendantNodesAndSelf().OfType<ExpressionSyntax>().Any(e => e.IsEquivalentTo(target, topLevel: false))
            && value.DescendantNodesAndSelf().OfType<InvocationExpressionSyntax>().All(call => model.GetSymbolInfo(call, cancellationToken).Symbol is IMethodSymbol { ContainingType.SpecialType: SpecialType.System_String });
    }

    private protected override (SyntaxNode Old, SyntaxNode New)? Replacement(Diagnostic diagnostic, SyntaxNode root, SemanticModel model, CancellationToken cancellationToken)
    {
        if (root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true).FirstAncestorOrSelf<InvocationExpressionSyntax>() is not { Parent: ExpressionStatementSyntax statement } call
            || call.ArgumentList.Arguments is not { Count: 3 or 4 } arguments
            || model.GetSymbolInfo(call, cancellationToken).Symbol is not IMethodSymbol { ContainingType: { } type } method
            || !SymbolNames.IsType(type, "System.IO.File")
            || arguments.Select((a, i) => a.NameColon is null || a.NameColon.Name.Identifier.ValueText == method.Parameters[i].Name).Any(inPlace => !inPlace)
            || !RepeatableExpression.Is(arguments[0].Expression) || !RepeatableExpression.Is(arguments[1].Expression)
            || !NamedAfterTarget(arguments[0].Expression, arguments[1].Expression, model, cancellationToken))
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
