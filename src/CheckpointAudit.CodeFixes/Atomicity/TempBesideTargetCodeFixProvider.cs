using System.Composition;
using System.Linq;
using CheckpointAudit.Atomicity;
using CheckpointAudit.Catalog;
using CheckpointAudit.Helpers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Simplification;

namespace CheckpointAudit.CodeFixes.Atomicity;

/// <summary>
/// CKPT203 "Create the temp file beside the target": the temp local's system-temp value
/// (Path.GetTempFileName(), Path.Combine(Path.GetTempPath(), ...)) becomes a unique name in the
/// target's directory, so that the move is a rename on one volume: CheckpointFile.TempPathFor(target) where
/// the generated helper exists (a temp left by a crash is then swept), else target + "." + a new GUID + ".tmp".
/// The analyzer decides when the target can be read at the temp's declaration and passes it along.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(TempBesideTargetCodeFixProvider))]
[Shared]
public sealed class TempBesideTargetCodeFixProvider : TempPathRewriteCodeFixProvider
{
    public static readonly string EquivalenceKey = RuleCatalog.TempInOtherDirectory.Id + ".TempBesideTarget";

    public TempBesideTargetCodeFixProvider()
        : base(RuleCatalog.TempInOtherDirectory, EquivalenceKey)
    {
    }

    private protected override ExpressionSyntax? Rewrite(ExpressionSyntax declared, Diagnostic diagnostic, SemanticModel model)
    {
        if (!diagnostic.Properties.TryGetValue(TempInOtherDirectoryCheck.TargetProperty, out var target) || target is null)
        {
            return null;
        }

        // With the generated helper (and real files), its temp name: a temp a crash leaves behind is deleted
        // by the next process that writes the same target, instead of piling up beside it.
        return UsesRealFiles(declared, model) && CheckpointFileCalls.HelperHas(model.Compilation, "TempPathFor")
            ? SyntaxFactory.InvocationExpression(
                SyntaxFactory.MemberAccessExpression(
                    SyntaxKind.SimpleMemberAccessExpression,
                    SyntaxFactory.ParseTypeName("global::" + HelperFeatures.HelperMetadataName).WithAdditionalAnnotations(Simplifier.Annotation, Simplifier.AddImportsAnnotation),
                    SyntaxFactory.IdentifierName("TempPathFor")),
                SyntaxFactory.ArgumentList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.Argument(SyntaxFactory.ParseExpression(Unparenthesized(target))))))
            : SyntaxFactory.ParseExpression(target + " + \".\" + " + UniqueTempName.Part + " + \".tmp\"");
    }

    /// <summary>The target's text without the parentheses it carries for use inside a concatenation.</summary>
    private static string Unparenthesized(string target)
        => SyntaxFactory.ParseExpression(target) is ParenthesizedExpressionSyntax parenthesized ? parenthesized.Expression.ToString() : target;

    /// <summary>True when the temp's system-temp value comes from System.IO (not a file-system abstraction).</summary>
    private static bool UsesRealFiles(ExpressionSyntax declared, SemanticModel model)
        => declared.DescendantNodesAndSelf().OfType<InvocationExpressionSyntax>()
            .Select(call => model.GetSymbolInfo(call).Symbol?.ContainingType?.ToDisplayString())
            .Any(type => type == "System.IO.Path");
}
