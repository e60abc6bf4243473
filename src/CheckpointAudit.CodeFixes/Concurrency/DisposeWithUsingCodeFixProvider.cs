using System.Composition;
using System.Linq;
using System.Threading;
using CheckpointAudit.Catalog;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CheckpointAudit.CodeFixes.Concurrency;

/// <summary>
/// CKPT610 "Dispose it with a using declaration": <c>var connection = new SqliteConnection(…);</c> becomes
/// <c>using var connection = …;</c>, so the object is closed on every path out of its block. Explicit
/// <c>Close()</c>/<c>Dispose()</c> calls stay (closing twice is harmless). Offered for C# 8 and later, for a
/// declaration of one local directly in a block, when nothing assigns the local again or passes it by reference
/// (a using local is read-only) and the block has no goto (a jump back over a using declaration does not compile).
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
        if (root.SyntaxTree.Options is not CSharpParseOptions { LanguageVersion: >= LanguageVersion.CSharp8 })
        {
            return null;
        }

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

        var usingStatement = statement
            .WithUsingKeyword(SyntaxFactory.Token(SyntaxKind.UsingKeyword).WithLeadingTrivia(statement.GetLeadingTrivia()).WithTrailingTrivia(SyntaxFactory.Space))
            .WithDeclaration(declaration.WithLeadingTrivia(SyntaxFactory.TriviaList()));
        return (statement, usingStatement);
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
