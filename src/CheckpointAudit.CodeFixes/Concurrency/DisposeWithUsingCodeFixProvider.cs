using System.Composition;
using System.Linq;
using System.Threading;
using CheckpointAudit.Catalog;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;

namespace CheckpointAudit.CodeFixes.Concurrency;

/// <summary>
/// CKPT610 "Dispose it with a using declaration": <c>var connection = new SqliteConnection(…);</c> becomes
/// <c>using var connection = …;</c> (before C# 8, a <c>using (…) { … }</c> statement over the rest of the block), so
/// the object is closed on every path out of its block. Explicit <c>Close()</c>/<c>Dispose()</c> calls stay (closing
/// twice is harmless). Offered for a declaration of one local directly in a block, when nothing assigns the local
/// again or passes it by reference (a using local is read-only) and the block has no goto.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(DisposeWithUsingCodeFixProvider))]
[Shared]
public sealed class DisposeWithUsingCodeFixProvider : NodeReplacementCodeFixProvider
{
    public static readonly string EquivalenceKey = RuleCatalog.SqliteObjectLeftOpen.Id + ".UsingDeclaration";

    public DisposeWithUsingCodeFixProvider()
        : base(RuleCatalog.SqliteObjectLeftOpen, EquivalenceKey)
    {
    }

    private protected override (SyntaxNode Old, SyntaxNode New)? Replacement(Diagnostic diagnostic, SyntaxNode root, SemanticModel model, CancellationToken cancellationToken)
    {
        var created = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
        if (created.FirstAncestorOrSelf<VariableDeclaratorSyntax>() is not { Parent: VariableDeclarationSyntax { Variables.Count: 1 } declaration } declarator
            || declaration.Parent is not LocalDeclarationStatementSyntax { UsingKeyword.RawKind: 0, Parent: BlockSyntax block } statement
            || statement.Modifiers.Any() || declarator.Initializer?.Value.Span.Contains(diagnostic.Location.SourceSpan) != true
            || model.GetDeclaredSymbol(declarator, cancellationToken) is not ILocalSymbol local
            || block.DescendantNodes().Any(n => n is GotoStatementSyntax or LabeledStatementSyntax)
            || IsWrittenAgain(block, local, model, cancellationToken))
        {
            return null;
        }

        if (root.SyntaxTree.Options is CSharpParseOptions { LanguageVersion: >= LanguageVersion.CSharp8 })
        {
            var usingDeclaration = statement
                .WithUsingKeyword(SyntaxFactory.Token(SyntaxKind.UsingKeyword).WithLeadingTrivia(statement.GetLeadingTrivia()).WithTrailingTrivia(SyntaxFactory.Space))
                .WithDeclaration(declaration.WithLeadingTrivia(SyntaxFactory.TriviaList()));
            return (statement, usingDeclaration);
        }

        return UsingStatementOverTheRest(block, statement, declaration);
    }

    /// <summary>
    /// Before C# 8: <c>using (var x = …) { the rest of the block }</c>. Not when the rest declares a local function
    /// (the statements before it could no longer call it).
    /// </summary>
    private static (SyntaxNode Old, SyntaxNode New)? UsingStatementOverTheRest(BlockSyntax block, LocalDeclarationStatementSyntax statement, VariableDeclarationSyntax declaration)
    {
        var index = block.Statements.IndexOf(statement);
        var rest = block.Statements.Skip(index + 1).ToList();
        if (rest.Any(s => s is LocalFunctionStatementSyntax))
        {
            return null;
        }

        var body = SyntaxFactory.Block(rest).WithAdditionalAnnotations(Formatter.Annotation);
        var usingStatement = SyntaxFactory.UsingStatement(declaration.WithoutTrivia(), null, body)
            .WithLeadingTrivia(statement.GetLeadingTrivia())
            .WithTrailingTrivia(rest.Count > 0 ? rest[rest.Count - 1].GetTrailingTrivia() : statement.GetTrailingTrivia())
            .WithAdditionalAnnotations(Formatter.Annotation);
        var statements = block.Statements.Take(index).Append(usingStatement);
        return (block, block.WithStatements(SyntaxFactory.List(statements)));
    }

    /// <summary>Assigned after its declaration, or passed as ref/out: a using local cannot be.</summary>
    private static bool IsWrittenAgain(BlockSyntax block, ILocalSymbol local, SemanticModel model, CancellationToken cancellationToken)
    {
        foreach (var name in block.DescendantNodes().OfType<IdentifierNameSyntax>())
        {
            if (name.Identifier.ValueText != local.Name)
            {
                continue;
            }

            var written = name.Parent switch
            {
                AssignmentExpressionSyntax assignment => assignment.Left == name,
                ArgumentSyntax argument => !argument.RefKindKeyword.IsKind(SyntaxKind.None),
                RefExpressionSyntax => true,
                PrefixUnaryExpressionSyntax or PostfixUnaryExpressionSyntax => true,
                _ => false,
            };
            if (written && SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(name, cancellationToken).Symbol, local))
            {
                return true;
            }
        }

        return false;
    }
}
