using System.Linq;
using System.Threading;
using CheckpointAudit.Knowledge;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;

namespace CheckpointAudit.CodeFixes.Atomicity;

/// <summary>
/// CKPT201 on <c>document.Save(path[, options])</c> of an XDocument, XElement or XmlDocument, as a statement: the
/// document is saved to an atomic stream of the generated helper instead, committed once the save returned. The
/// stream overloads write the same bytes (the same writer settings, the declaration's encoding included).
/// XmlDocument.Save(path) refuses a document without a root element, which its stream overload writes: the rewrite
/// keeps that refusal with the same exception and message, checked before the atomic stream is created. Not for a type
/// derived from XmlDocument that declares its own Save.
/// </summary>
internal static class XmlSaveThroughStream
{
    /// <summary>
    /// The using statement that replaces the save statement, and for an XmlDocument the root check that goes before it
    /// (in the same block, or both in a new block for an embedded statement); null when the call is not that shape.
    /// </summary>
    public static (ExpressionStatementSyntax Save, StatementSyntax Replacement, StatementSyntax? Before)? Plan(SyntaxNode node, SemanticModel model, CancellationToken cancellationToken)
    {
        if (node.FirstAncestorOrSelf<InvocationExpressionSyntax>() is not { Parent: ExpressionStatementSyntax statement } invocation
            || invocation.Expression is not MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Save" }
            || invocation.ArgumentList.Arguments.Count is not (1 or 2)
            || invocation.ArgumentList.Arguments.Any(a => a.NameColon is not null)
            || model.GetSymbolInfo(invocation, cancellationToken).Symbol is not IMethodSymbol { Parameters: var parameters } method
            || parameters[0].Type.SpecialType != SpecialType.System_String
            || !IsXmlDocument(method.ContainingType, out var dom)
            || dom && (!RepeatableReceiver(invocation.Expression, model, cancellationToken) || OverridesSave(invocation.Expression, model, cancellationToken))
            || !CheckpointFileCalls.HelperHas(model.Compilation, "Commit"))
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
        if (!dom)
        {
            return (statement, replacement, null);
        }

        // The check comes first, as in Save(path): a document without a root is refused before any file is touched.
        var check = RootCheck(((MemberAccessExpressionSyntax)invocation.Expression).Expression).WithLeadingTrivia(statement.GetLeadingTrivia());
        return statement.Parent is BlockSyntax
            ? (statement, replacement, check)
            : (statement, SyntaxFactory.Block(check, replacement.WithoutLeadingTrivia()).WithAdditionalAnnotations(Formatter.Annotation), null);
    }

    // A type between the receiver's and XmlDocument that declares Save could make Save(stream) run code Save(path) did not.
    private static bool OverridesSave(ExpressionSyntax call, SemanticModel model, CancellationToken cancellationToken)
    {
        for (var type = model.GetTypeInfo(((MemberAccessExpressionSyntax)call).Expression, cancellationToken).Type; type is not null; type = type.BaseType)
        {
            if (type.Name == "XmlDocument" && SymbolNames.IsNamespace(type.ContainingNamespace, "System.Xml"))
            {
                return false;
            }

            if (!type.GetMembers("Save").IsEmpty)
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsXmlDocument(INamedTypeSymbol type, out bool dom)
    {
        dom = false;
        for (var current = type; current is not null; current = current.BaseType)
        {
            if (current.Name is "XmlDocument" && SymbolNames.IsNamespace(current.ContainingNamespace, "System.Xml"))
            {
                dom = true;
                return true;
            }
        }

        return type.Name is "XDocument" or "XElement" && SymbolNames.IsNamespace(type.ContainingNamespace, "System.Xml.Linq");
    }

    // The document is read twice (its root, then the save): only a local, a parameter or a field, possibly of this.
    private static bool RepeatableReceiver(ExpressionSyntax call, SemanticModel model, CancellationToken cancellationToken)
        => call is MemberAccessExpressionSyntax { Expression: var receiver }
            && receiver is IdentifierNameSyntax or MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax or BaseExpressionSyntax }
            && model.GetSymbolInfo(receiver, cancellationToken).Symbol is ILocalSymbol or IParameterSymbol or IFieldSymbol;

    // if (document.DocumentElement == null) throw new XmlException(...): what Save(path) throws, with its message.
    private static StatementSyntax RootCheck(ExpressionSyntax document)
        => SyntaxFactory.IfStatement(
                SyntaxFactory.BinaryExpression(
                    SyntaxKind.EqualsExpression,
                    SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, document.WithoutTrivia(), SyntaxFactory.IdentifierName("DocumentElement")),
                    SyntaxFactory.LiteralExpression(SyntaxKind.NullLiteralExpression)),
                SyntaxFactory.ThrowStatement(SyntaxFactory.ObjectCreationExpression(
                    SyntaxFactory.ParseTypeName("global::System.Xml.XmlException").WithAdditionalAnnotations(Simplifier.Annotation),
                    SyntaxFactory.ArgumentList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.Argument(
                        SyntaxFactory.LiteralExpression(SyntaxKind.StringLiteralExpression, SyntaxFactory.Literal("Invalid XML document. The document does not have a root element."))))),
                    null)))
            .WithAdditionalAnnotations(Formatter.Annotation);
}
