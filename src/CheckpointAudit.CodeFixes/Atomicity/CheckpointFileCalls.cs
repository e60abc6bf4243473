using System.Linq;
using System.Threading;
using CheckpointAudit.Helpers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Simplification;

namespace CheckpointAudit.CodeFixes.Atomicity;

/// <summary>Turns File.WriteAll* calls into calls of the generated CheckpointFile with the same arguments.</summary>
internal static class CheckpointFileCalls
{
    /// <summary>True for File.WriteAll* calls whose exact overload the generated helper provides.</summary>
    public static bool CanRewrite(InvocationExpressionSyntax invocation, SemanticModel model, CancellationToken cancellationToken)
    {
        if (model.GetSymbolInfo(invocation, cancellationToken).Symbol is not IMethodSymbol method
            || method.ContainingType?.ToDisplayString() != "System.IO.File"
            || !method.Name.StartsWith("WriteAll", System.StringComparison.Ordinal))
        {
            return false;
        }

        if (VisibleHelper(model.Compilation) is not { } helper)
        {
            return false;
        }

        return helper.GetMembers(method.Name).OfType<IMethodSymbol>().Any(candidate =>
            candidate.Parameters.Length == method.Parameters.Length
            && candidate.Parameters.Zip(method.Parameters, (a, b) => SymbolEqualityComparer.Default.Equals(a.Type, b.Type)).All(same => same));
    }

    /// <summary>True when the generated helper is visible in <paramref name="compilation"/> and has a member <paramref name="name"/>.</summary>
    public static bool HelperHas(Compilation compilation, string name)
        => VisibleHelper(compilation) is { } helper && !helper.GetMembers(name).IsEmpty;

    /// <summary>
    /// The generated CheckpointFile (or another type the helper generates, by name) when this compilation can use it;
    /// null when it is off, not generated here, or not accessible.
    /// </summary>
    public static INamedTypeSymbol? VisibleHelper(Compilation compilation, string typeName = HelperFeatures.HelperTypeName)
        => compilation.GetTypeByMetadataName(HelperFeatures.HelperNamespace + "." + typeName) is { } helper
            && compilation.IsSymbolAccessibleWithin(helper, compilation.Assembly)
                ? helper
                : null;

    /// <summary>File.WriteAllText / WriteAllText (using static) becomes CheckpointFile.WriteAllText.</summary>
    public static ExpressionSyntax? HelperCallee(ExpressionSyntax callee)
    {
        var methodName = callee switch
        {
            MemberAccessExpressionSyntax access => access.Name.Identifier.ValueText,
            IdentifierNameSyntax identifier => identifier.Identifier.ValueText,
            _ => null,
        };
        if (methodName is null)
        {
            return null;
        }

        return HelperMember(methodName).WithTriviaFrom(callee);
    }

    /// <summary>
    /// <c>CheckpointFile.Member</c>, fully qualified and annotated: the cleanup adds "using CheckpointAudit;" and
    /// shortens it.
    /// </summary>
    public static MemberAccessExpressionSyntax HelperMember(string member)
        => SyntaxFactory.MemberAccessExpression(
            SyntaxKind.SimpleMemberAccessExpression,
            SyntaxFactory.ParseTypeName("global::" + HelperFeatures.HelperMetadataName).WithAdditionalAnnotations(Simplifier.Annotation, Simplifier.AddImportsAnnotation),
            SyntaxFactory.IdentifierName(member));

    /// <summary>The File.WriteAll* call a diagnostic points at.</summary>
    public static InvocationExpressionSyntax? FindInvocation(SyntaxNode root, Diagnostic diagnostic)
        => FindInvocation(root, diagnostic.Location.SourceSpan);

    public static InvocationExpressionSyntax? FindInvocation(SyntaxNode root, Microsoft.CodeAnalysis.Text.TextSpan span)
    {
        var node = root.FindNode(span, getInnermostNodeForTie: true);
        return node as InvocationExpressionSyntax ?? node.FirstAncestorOrSelf<InvocationExpressionSyntax>();
    }

    /// <summary><c>CheckpointFile.Create(path, FileAccess.Write)</c>: an atomic stream for a writer or a save that only writes.</summary>
    public static InvocationExpressionSyntax CreateForWriting(ExpressionSyntax path)
        => SyntaxFactory.InvocationExpression(
            HelperMember("Create"),
            SyntaxFactory.ArgumentList(SyntaxFactory.SeparatedList(new[]
            {
                SyntaxFactory.Argument(path.WithoutTrivia()),
                SyntaxFactory.Argument(SyntaxFactory.ParseExpression("global::System.IO.FileAccess.Write").WithAdditionalAnnotations(Simplifier.Annotation)),
            })));

    /// <summary><c>CheckpointFile.Commit(local);</c></summary>
    public static ExpressionStatementSyntax CommitStatement(string local)
        => SyntaxFactory.ExpressionStatement(SyntaxFactory.InvocationExpression(
            HelperMember("Commit"),
            SyntaxFactory.ArgumentList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.Argument(
                SyntaxFactory.IdentifierName(SyntaxFacts.GetKeywordKind(local) == SyntaxKind.None ? local : "@" + local))))));
}
