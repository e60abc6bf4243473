using System.Linq;
using System.Threading;
using CheckpointAudit.Knowledge;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;

namespace CheckpointAudit.CodeFixes.Atomicity;

/// <summary>
/// CKPT201 on <c>using (var writer = XmlWriter.Create(path[, new XmlWriterSettings { … }])) { … }</c>: the writer is
/// created over an atomic stream of the generated helper instead, in a using around it, and the stream is committed
/// once the writer's using has ended (the writer disposed, its last bytes written). XmlWriter.Create(stream, settings)
/// writes the same bytes as the path overload and, unless CloseOutput is set, leaves the stream open. Not planned
/// when the settings are not created in place (they may set CloseOutput), when the scope can be left early, when
/// the path is named again inside it, or when the writer leaves it.
/// </summary>
internal static class XmlWriterThroughStream
{
    public static (UsingStatementSyntax Using, StatementSyntax Replacement)? Plan(SyntaxNode node, SemanticModel model, CancellationToken cancellationToken)
    {
        if (node.FirstAncestorOrSelf<InvocationExpressionSyntax>() is not { } create
            || create.Parent is not EqualsValueClauseSyntax { Parent: VariableDeclaratorSyntax { Parent: VariableDeclarationSyntax { Variables.Count: 1, Parent: UsingStatementSyntax @using } } declarator }
            || create.ArgumentList.Arguments is not { Count: 1 or 2 } arguments
            || arguments.Any(a => a.NameColon is not null)
            || model.GetSymbolInfo(create, cancellationToken).Symbol is not IMethodSymbol { Name: "Create", ContainingType: { } type } method
            || !SymbolNames.IsType(type, "System.Xml.XmlWriter")
            || method.Parameters[0].Type.SpecialType != SpecialType.System_String
            || arguments.Count == 2 && !LeavesOutputOpen(arguments[1].Expression)
            || !CheckpointFileCalls.HelperHas(model.Compilation, "Commit")
            || model.GetDeclaredSymbol(declarator, cancellationToken) is not ILocalSymbol writer)
        {
            return null;
        }

        // The target keeps its old content until the commit: code in the scope that names it again would see that.
        var path = arguments[0].Expression;
        if (@using.Statement.DescendantNodesAndSelf().Any(n => n is ExpressionSyntax e && AtomicStreamPlan.NamesPath(e, path))
            || AtomicStreamPlan.LeavesEarly(@using.Statement, null)
            || !WriterStaysInScope(@using.Statement, writer, model, cancellationToken))
        {
            return null;
        }

        var stream = LocalNames.Free(model, @using, "stream");
        var open = CheckpointFileCalls.CreateForWriting(path);
        var inner = @using.ReplaceNode(arguments[0].Expression, SyntaxFactory.IdentifierName(stream).WithTriviaFrom(arguments[0].Expression))
            .WithoutLeadingTrivia().WithTrailingTrivia(SyntaxFactory.ElasticCarriageReturnLineFeed);
        var commit = CheckpointFileCalls.CommitStatement(stream);
        var outer = SyntaxFactory.UsingStatement(
                SyntaxFactory.VariableDeclaration(
                    SyntaxFactory.IdentifierName("var"),
                    SyntaxFactory.SingletonSeparatedList(SyntaxFactory.VariableDeclarator(stream).WithInitializer(SyntaxFactory.EqualsValueClause(open)))),
                null,
                SyntaxFactory.Block(inner, commit.WithLeadingTrivia(SyntaxFactory.ElasticCarriageReturnLineFeed)))
            .WithTriviaFrom(@using)
            .WithAdditionalAnnotations(Formatter.Annotation);
        return (@using, outer);
    }

    /// <summary><c>new XmlWriterSettings { … }</c> that does not set CloseOutput.</summary>
    private static bool LeavesOutputOpen(ExpressionSyntax settings)
        => settings is ObjectCreationExpressionSyntax creation
            && (creation.ArgumentList is null || creation.ArgumentList.Arguments.Count == 0)
            && creation.Type.ToString().EndsWith("XmlWriterSettings", System.StringComparison.Ordinal)
            && (creation.Initializer is null || !creation.Initializer.Expressions.Any(e => e is AssignmentExpressionSyntax { Left: IdentifierNameSyntax { Identifier.ValueText: "CloseOutput" } }));

    /// <summary>The writer is only used in the scope: as the receiver of its members, or handed to calls that do not keep it.</summary>
    private static bool WriterStaysInScope(StatementSyntax scope, ILocalSymbol writer, SemanticModel model, CancellationToken cancellationToken)
    {
        foreach (var name in scope.DescendantNodesAndSelf().OfType<IdentifierNameSyntax>())
        {
            if (name.Identifier.ValueText != writer.Name || !SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(name, cancellationToken).Symbol, writer))
            {
                continue;
            }

            var kept = name.Parent switch
            {
                MemberAccessExpressionSyntax access when access.Expression == name => false,
                ArgumentSyntax argument => !StreamLeftOpen.LeavesOpen(argument, model, cancellationToken),
                _ => true,
            };
            if (kept || name.Ancestors().TakeWhile(a => a != scope).Any(a => a is AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax))
            {
                return false;
            }
        }

        return true;
    }
}
