using System.Linq;
using System.Threading;
using CheckpointAudit.Knowledge;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CheckpointAudit.CodeFixes.Atomicity;

/// <summary>
/// CKPT201 on a copy over the target: <c>File.Copy(source, target, true)</c>, or <c>file.CopyTo(target, true)</c> as a
/// statement, becomes <c>CheckpointFile.Copy(source, target, true)</c>, which copies beside the target, flushes the copy
/// and moves it over the target in one step. The same bytes, attributes and times; the parameters have File.Copy's
/// names, so named arguments stay valid.
/// </summary>
internal static class CopyThroughTemp
{
    public static (InvocationExpressionSyntax Copy, InvocationExpressionSyntax Replacement)? Plan(SyntaxNode node, SemanticModel model, CancellationToken cancellationToken)
    {
        if (node.FirstAncestorOrSelf<InvocationExpressionSyntax>() is not { } invocation
            || model.GetSymbolInfo(invocation, cancellationToken).Symbol is not IMethodSymbol { ContainingType: { } type } method
            || !CheckpointFileCalls.HelperHas(model.Compilation, "Copy"))
        {
            return null;
        }

        var arguments = invocation.ArgumentList.Arguments;
        if (method.Name == "Copy" && SymbolNames.IsType(type, "System.IO.File") && method.Parameters.Length == 3 && arguments.Count == 3)
        {
            return (invocation, invocation.WithExpression(CheckpointFileCalls.HelperMember("Copy").WithTriviaFrom(invocation.Expression)));
        }

        // The FileInfo CopyTo returns is not made: only a statement that drops it is rewritten.
        if (method.Name == "CopyTo" && SymbolNames.IsType(type, "System.IO.FileInfo") && method.Parameters.Length == 2 && arguments.Count == 2
            && !arguments.Any(a => a.NameColon is not null)
            && invocation.Parent is ExpressionStatementSyntax
            && invocation.Expression is MemberAccessExpressionSyntax { Expression: { } file })
        {
            var source = SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, file.WithoutTrivia(), SyntaxFactory.IdentifierName("FullName"));
            return (invocation, SyntaxFactory.InvocationExpression(
                    CheckpointFileCalls.HelperMember("Copy"),
                    invocation.ArgumentList.WithArguments(arguments.Insert(0, SyntaxFactory.Argument(source))))
                .WithTriviaFrom(invocation));
        }

        return null;
    }
}
