using System.Composition;
using System.Linq;
using System.Threading;
using CheckpointAudit.Catalog;
using CheckpointAudit.Models;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CheckpointAudit.CodeFixes.Models;

/// <summary>
/// CKPT801 "Make it settable on load": a get-only auto-property gets an <c>init</c> accessor (both JSON
/// serializers set it, and code outside object initializers still cannot); a non-public setter keeps its
/// accessibility and gets [JsonInclude] (System.Text.Json) and/or [JsonProperty] (Newtonsoft.Json), whichever
/// serializer persists the model. The stored format does not change. Not offered for <c>init</c> where the
/// language version or the target framework lacks it.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MakeSettableOnLoadCodeFixProvider))]
[Shared]
public sealed class MakeSettableOnLoadCodeFixProvider : NodeReplacementCodeFixProvider
{
    public static readonly string EquivalenceKey = RuleCatalog.NeverRestored.Id + ".MakeSettableOnLoad";

    public MakeSettableOnLoadCodeFixProvider()
        : base(RuleCatalog.NeverRestored, EquivalenceKey)
    {
    }

    private protected override (SyntaxNode Old, SyntaxNode New)? Replacement(Diagnostic diagnostic, SyntaxNode root, SemanticModel model, CancellationToken cancellationToken)
    {
        if (root.FindToken(diagnostic.Location.SourceSpan.Start).Parent is not PropertyDeclarationSyntax property
            || !diagnostic.Properties.TryGetValue(NeverRestoredCheck.FixKey, out var fix) || fix is null)
        {
            return null;
        }

        if (fix == NeverRestoredCheck.InitFix)
        {
            return PropertyEdits.WithInit(property, model.Compilation) is { } withInit ? (property, withInit) : null;
        }

        var attributes = fix.Split(',').Select(name => name switch
        {
            NeverRestoredCheck.JsonIncludeFix => "global::System.Text.Json.Serialization.JsonInclude",
            NeverRestoredCheck.JsonPropertyFix => "global::Newtonsoft.Json.JsonProperty",
            _ => null,
        }).OfType<string>().ToList();
        return attributes.Count == 0 ? null : (property, PropertyEdits.WithAttributes(property, root, attributes));
    }
}
