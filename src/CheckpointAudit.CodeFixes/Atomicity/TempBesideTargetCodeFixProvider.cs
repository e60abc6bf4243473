using System.Composition;
using CheckpointAudit.Atomicity;
using CheckpointAudit.Catalog;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CheckpointAudit.CodeFixes.Atomicity;

/// <summary>
/// CKPT203 "Create the temp file beside the target": the temp local's system-temp value
/// (Path.GetTempFileName(), Path.Combine(Path.GetTempPath(), ...)) becomes a unique name in the
/// target's directory, target + "." + a new GUID + ".tmp", so that the move is a rename on one volume.
/// The analyzer decides when the target can be read at the temp's declaration and passes it along.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(TempBesideTargetCodeFixProvider))]
[Shared]
public sealed class TempBesideTargetCodeFixProvider : TempPathRewriteCodeFixProvider
{
    public const string EquivalenceKey = "CKPT203.TempBesideTarget";

    public TempBesideTargetCodeFixProvider()
        : base(RuleCatalog.TempInOtherDirectory, EquivalenceKey)
    {
    }

    private protected override ExpressionSyntax? Rewrite(ExpressionSyntax declared, Diagnostic diagnostic)
        => diagnostic.Properties.TryGetValue(TempInOtherDirectoryAnalyzer.TargetProperty, out var target) && target is not null
            ? SyntaxFactory.ParseExpression(target + " + \".\" + " + UniqueTempName.Part + " + \".tmp\"")
            : null;
}
