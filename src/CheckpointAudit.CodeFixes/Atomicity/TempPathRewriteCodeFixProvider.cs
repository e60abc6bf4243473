using System.Threading;
using CheckpointAudit.Catalog;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CheckpointAudit.CodeFixes.Atomicity;

/// <summary>
/// Base of the fixes that rewrite the value a temp path is declared with (the diagnostic's one
/// additional location) and nothing else: file-system calls stay as written, so they are offered for
/// System.IO.Abstractions code too.
/// </summary>
public abstract class TempPathRewriteCodeFixProvider : NodeReplacementCodeFixProvider
{
    private protected TempPathRewriteCodeFixProvider(RuleDefinition rule, string equivalenceKey)
        : base(rule, equivalenceKey)
    {
    }

    private protected sealed override bool KeepsFileApis => true;

    /// <summary>The new value for the temp path, or null when none is safe.</summary>
    private protected abstract ExpressionSyntax? Rewrite(ExpressionSyntax declared, Diagnostic diagnostic, SemanticModel model);

    private protected sealed override (SyntaxNode Old, SyntaxNode New)? Replacement(Diagnostic diagnostic, SyntaxNode root, SemanticModel model, CancellationToken cancellationToken)
    {
        if (diagnostic.AdditionalLocations.Count != 1
            || root.FindNode(diagnostic.AdditionalLocations[0].SourceSpan, getInnermostNodeForTie: true) is not ExpressionSyntax declared
            || Rewrite(declared, diagnostic, model) is not { } rewritten)
        {
            return null;
        }

        return (declared, SyntaxCleanup.MarkQualifiedNamesForSimplification(rewritten.WithTriviaFrom(declared)));
    }
}
