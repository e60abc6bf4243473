using System.Composition;
using System.Threading;
using CheckpointAudit.Catalog;
using CheckpointAudit.Models;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CheckpointAudit.CodeFixes.Models;

/// <summary>
/// CKPT802 "Register the derived types (adds a $type field)": the base type gets one
/// [JsonDerivedType(typeof(Derived), "Derived")] per derived type found, so System.Text.Json writes each object's
/// own members with a "$type" discriminator and loads it as its own type. Files written before the fix have no
/// discriminator and load as the base type, as they do today. Not offered where JsonDerivedTypeAttribute
/// (System.Text.Json 7+) is missing.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(RegisterDerivedTypesCodeFixProvider))]
[Shared]
public sealed class RegisterDerivedTypesCodeFixProvider : NodeReplacementCodeFixProvider
{
    public static readonly string EquivalenceKey = RuleCatalog.DerivedDataLost.Id + ".RegisterDerivedTypes";

    public RegisterDerivedTypesCodeFixProvider()
        : base(RuleCatalog.DerivedDataLost, EquivalenceKey)
    {
    }

    private protected override (SyntaxNode Old, SyntaxNode New)? Replacement(Diagnostic diagnostic, SyntaxNode root, SemanticModel model, CancellationToken cancellationToken)
    {
        if (root.FindToken(diagnostic.Location.SourceSpan.Start).Parent is not TypeDeclarationSyntax declaration
            || !diagnostic.Properties.TryGetValue(DerivedDataLostCheck.DerivedTypesKey, out var derived) || string.IsNullOrEmpty(derived)
            || model.Compilation.GetTypeByMetadataName("System.Text.Json.Serialization.JsonDerivedTypeAttribute") is null)
        {
            return null;
        }

        MemberDeclarationSyntax updated = declaration;
        foreach (var type in derived!.Split(';'))
        {
            var name = type.Substring(type.LastIndexOfAny(['.', ':']) + 1);
            updated = PropertyEdits.WithAttributes(updated, root, [$"global::System.Text.Json.Serialization.JsonDerivedType(typeof({type}), \"{name}\")"]);
        }

        return (declaration, updated);
    }
}
