using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using CheckpointAudit.Atomicity;
using CheckpointAudit.Catalog;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Simplification;

namespace CheckpointAudit.CodeFixes.Atomicity;

/// <summary>
/// CKPT203 "Create the temp file beside the target": the temp local's system-temp value
/// (Path.GetTempFileName(), Path.Combine(Path.GetTempPath(), ...)) becomes a unique name in the
/// target's directory, target + "." + a new GUID + ".tmp", so that the move is a rename on one volume.
/// The analyzer decides when the target can be read at the temp's declaration and passes it along.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(TempBesideTargetCodeFixProvider))]
[Shared]
public sealed class TempBesideTargetCodeFixProvider : NodeReplacementCodeFixProvider
{
    public const string EquivalenceKey = "CKPT203.TempBesideTarget";

    public TempBesideTargetCodeFixProvider()
        : base(RuleCatalog.TempInOtherDirectory, EquivalenceKey)
    {
    }

    /// <summary>Only the temp's name changes: System.IO.Abstractions code keeps its calls.</summary>
    private protected override bool KeepsFileApis => true;

    private protected override (SyntaxNode Old, SyntaxNode New)? Replacement(Diagnostic diagnostic, SyntaxNode root, SemanticModel model, CancellationToken cancellationToken)
    {
        if (!diagnostic.Properties.TryGetValue(TempInOtherDirectoryAnalyzer.TargetProperty, out var target)
            || target is null
            || diagnostic.AdditionalLocations.Count != 1
            || root.FindNode(diagnostic.AdditionalLocations[0].SourceSpan, getInnermostNodeForTie: true) is not ExpressionSyntax declared)
        {
            return null;
        }

        var unique = SyntaxFactory.ParseExpression(target + " + \".\" + " + UniqueTempName.Part + " + \".tmp\"");
        return (declared, SyntaxCleanup.MarkQualifiedNamesForSimplification(unique.WithTriviaFrom(declared)));
    }
}
