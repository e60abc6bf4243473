using System.Linq;
using System.Threading;
using CheckpointAudit.Knowledge;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;

namespace CheckpointAudit.CodeFixes.Atomicity;

/// <summary>
/// CKPT201 on <c>document.Save(path[, options])</c> of an XDocument or XElement, as a statement: the
/// document is saved to an atomic stream of the generated helper instead, committed once the save returned. The
/// stream overloads write the same bytes (the same writer settings, the declaration's encoding included).
/// </summary>
internal static class XmlSaveThroughStream
{
    /// <summary>The using statement that replaces the save statement, or null when the call is not that shape.</summary>
    public static (ExpressionStatementSyntax Save, StatementSyntax Replacement)? Plan(SyntaxNode node, SemanticModel model, CancellationToken cancellationToken)
    {
        if (node.FirstAncestorOrSelf<InvocationExpressionSyntax>() is not { Parent: ExpressionStatementSyntax statement } invocation
            || invocation.Expression is not MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Save" }
            || invocation.ArgumentList.Arguments.Count is not (1 or 2)
            || invocation.ArgumentList.Arguments.Any(a => a.NameColon is not null)
            || model.GetSymbolInfo(invocation, cancellationToken).Symbol is not IMethodSymbol { Parameters: var parameters } method
            || parameters[0].Type.SpecialType != SpecialType.System_String
            || !IsXmlDocument(method.ContainingType)
            || CheckpointFileCalls.VisibleHelper(model.Compilation) is not { } helper || helper.GetMembers("Commit").IsEmpty)
        {
            return null;
        }

        // The stream overload of the same method must exist (XDocument.Save(Stream, SaveOptions) since .NET Core 2.0).
        var streamOverload = method.ContainingType.GetMembers("Save").OfType<IMethodSymbol>().Any(m => m.Parameters.Length == parameters.Length
            && m.Parameters[0].Type.Name == "Stream" && m.Parameters.Skip(1).Zip(parameters.Skip(1), (a, b) => SymbolEqualityComparer.Default.Equals(a.Type, b.Type)).All(same => same));
        if (!streamOverload)
        {
            return null;
        }

        var name = LocalNames.Free(model, statement, "stream");
        var path = invocation.ArgumentList.Arguments[0].Expression.WithoutTrivia();
        var create = CheckpointFileCalls.CreateForWriting(path);
        var save = statement.WithExpression(invocation.WithArgumentList(invocation.ArgumentList.WithArguments(
                invocation.ArgumentList.Arguments.Replace(invocation.ArgumentList.Arguments[0], SyntaxFactory.Argument(SyntaxFactory.IdentifierName(name))))))
            .WithLeadingTrivia(SyntaxFactory.ElasticMarker).WithTrailingTrivia(SyntaxFactory.ElasticMarker);
        var commit = CheckpointFileCalls.CommitStatement(name)
            .WithLeadingTrivia(SyntaxFactory.ElasticMarker).WithTrailingTrivia(SyntaxFactory.ElasticMarker);
        var replacement = SyntaxFactory.UsingStatement(
                SyntaxFactory.VariableDeclaration(
                    SyntaxFactory.IdentifierName("var"),
                    SyntaxFactory.SingletonSeparatedList(SyntaxFactory.VariableDeclarator(name).WithInitializer(SyntaxFactory.EqualsValueClause(create)))),
                null,
                SyntaxFactory.Block(save, commit))
            .WithLeadingTrivia(statement.GetLeadingTrivia())
            .WithTrailingTrivia(statement.GetTrailingTrivia())
            .WithAdditionalAnnotations(Formatter.Annotation);
        return (statement, replacement);
    }

    // Not XmlDocument: its Save(path) refuses a document without a root element before it opens the file, and its
    // Save(stream) writes one.
    private static bool IsXmlDocument(INamedTypeSymbol type)
        => type.Name is "XDocument" or "XElement" && SymbolNames.IsNamespace(type.ContainingNamespace, "System.Xml.Linq");
}
