using System.Composition;
using System.Threading;
using CheckpointAudit.Catalog;
using CheckpointAudit.Models;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CheckpointAudit.CodeFixes.Models;

/// <summary>
/// CKPT804 "Populate it on load": a mutable get-only collection gets
/// [JsonObjectCreationHandling(JsonObjectCreationHandling.Populate)], so System.Text.Json adds the stored items to
/// the collection the constructor made; a collection interface it cannot add to (IReadOnlyList, IEnumerable) gets
/// an init accessor instead. Not offered where the attribute (System.Text.Json 8+) or init is unavailable.
/// The stored format does not change.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(PopulateOnLoadCodeFixProvider))]
[Shared]
public sealed class PopulateOnLoadCodeFixProvider : NodeReplacementCodeFixProvider
{
    public static readonly string EquivalenceKey = RuleCatalog.CollectionNotPopulated.Id + ".PopulateOnLoad";

    public PopulateOnLoadCodeFixProvider()
        : base(RuleCatalog.CollectionNotPopulated, EquivalenceKey)
    {
    }

    private protected override (SyntaxNode Old, SyntaxNode New)? Replacement(Diagnostic diagnostic, SyntaxNode root, SemanticModel model, CancellationToken cancellationToken)
    {
        if (root.FindToken(diagnostic.Location.SourceSpan.Start).Parent is not PropertyDeclarationSyntax property
            || !diagnostic.Properties.TryGetValue(CollectionNotPopulatedCheck.FixKey, out var fix))
        {
            return null;
        }

        if (fix == CollectionNotPopulatedCheck.InitFix)
        {
            return PropertyEdits.WithInit(property, model.Compilation) is { } withInit ? (property, withInit) : null;
        }

        return model.Compilation.GetTypeByMetadataName("System.Text.Json.Serialization.JsonObjectCreationHandlingAttribute") is null
            ? null
            : (property, PropertyEdits.WithAttributes(property, root, ["global::System.Text.Json.Serialization.JsonObjectCreationHandling(global::System.Text.Json.Serialization.JsonObjectCreationHandling.Populate)"]));
    }
}
