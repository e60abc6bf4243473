using System.Composition;
using System.Threading;
using CheckpointAudit.Catalog;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Simplification;

namespace CheckpointAudit.CodeFixes.Atomicity;

/// <summary>
/// CKPT205 "Truncate when opening": FileMode.OpenOrCreate becomes FileMode.Create, FileMode.Open
/// becomes FileMode.Truncate (still fails when the file is missing), and OpenWrite becomes an open
/// with FileMode.Create and the same access and sharing (Write, None).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(TruncateOnOpenCodeFixProvider))]
[Shared]
public sealed class TruncateOnOpenCodeFixProvider : NodeReplacementCodeFixProvider
{
    public static readonly string EquivalenceKey = RuleCatalog.StaleTailWrite.Id + ".TruncateOnOpen";

    public TruncateOnOpenCodeFixProvider()
        : base(RuleCatalog.StaleTailWrite, EquivalenceKey)
    {
    }

    private protected override (SyntaxNode Old, SyntaxNode New)? Replacement(Diagnostic diagnostic, SyntaxNode root, SemanticModel model, CancellationToken cancellationToken)
        => Replacement(root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true), model, cancellationToken);

    private static (SyntaxNode Old, SyntaxNode New)? Replacement(SyntaxNode node, SemanticModel model, CancellationToken cancellationToken)
    {
        var call = node as ExpressionSyntax;
        if (call is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "OpenWrite" } access } invocation)
        {
            const string Truncating = "global::System.IO.FileMode.Create, global::System.IO.FileAccess.Write, global::System.IO.FileShare.None";
            var isStatic = model.GetSymbolInfo(invocation, cancellationToken).Symbol is IMethodSymbol { IsStatic: true };
            var replacement = isStatic && invocation.ArgumentList.Arguments.Count == 1
                ? SyntaxFactory.ParseExpression($"new global::System.IO.FileStream({invocation.ArgumentList.Arguments[0]}, {Truncating})")
                : SyntaxFactory.ParseExpression($"{access.Expression}.Open({Truncating})");
            return (invocation, SyntaxCleanup.MarkQualifiedNamesForSimplification(replacement.WithTriviaFrom(invocation)));
        }

        var arguments = call switch
        {
            InvocationExpressionSyntax i => i.ArgumentList.Arguments,
            BaseObjectCreationExpressionSyntax c when c.ArgumentList is not null => c.ArgumentList.Arguments,
            _ => default,
        };
        foreach (var argument in arguments)
        {
            if (model.GetTypeInfo(argument.Expression, cancellationToken).Type?.Name != "FileMode"
                || model.GetConstantValue(argument.Expression, cancellationToken) is not { HasValue: true, Value: int mode })
            {
                continue;
            }

            var member = mode == 3 ? "Truncate" : "Create";
            var replacement = SyntaxFactory.ParseExpression("global::System.IO.FileMode." + member)
                .WithTriviaFrom(argument.Expression)
                .WithAdditionalAnnotations(Simplifier.Annotation);
            return (argument.Expression, replacement);
        }

        return null;
    }
}
