using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CheckpointAudit.CodeFixes;

/// <summary>Names for the locals a fix declares.</summary>
internal static class LocalNames
{
    /// <summary>
    /// <paramref name="name"/>, or with a number after it, so that it names nothing in scope at the statement nor anything
    /// the enclosing member declares later (a local declared after the block would clash with it).
    /// </summary>
    public static string Free(SemanticModel model, StatementSyntax statement, string name)
    {
        var member = (SyntaxNode?)statement.FirstAncestorOrSelf<MemberDeclarationSyntax>() ?? statement;
        var candidate = name;
        for (var i = 2; !model.LookupSymbols(statement.SpanStart, name: candidate).IsEmpty
            || member.DescendantTokens().Any(t => t.IsKind(SyntaxKind.IdentifierToken) && t.ValueText == candidate); i++)
        {
            candidate = name + i;
        }

        return candidate;
    }
}
