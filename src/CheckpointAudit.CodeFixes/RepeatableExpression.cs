using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CheckpointAudit.CodeFixes;

/// <summary>Expressions a fix may write a second time: evaluating them again reads the same thing and has no effect.</summary>
internal static class RepeatableExpression
{
    /// <summary>A name, a literal, <c>this</c>, or a member of those (<c>_db</c>, <c>this.storage</c>, <c>Keys.Cart</c>).</summary>
    public static bool Is(ExpressionSyntax expression) => expression switch
    {
        IdentifierNameSyntax or LiteralExpressionSyntax or ThisExpressionSyntax => true,
        MemberAccessExpressionSyntax { Expression: var inner } => Is(inner),
        _ => false,
    };
}
