using System.Composition;
using System.Threading;
using CheckpointAudit.Catalog;
using CheckpointAudit.Models;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CheckpointAudit.CodeFixes.Models;

/// <summary>
/// CKPT803 "Use the attribute the serializer reads": adds the attribute of the library that stores the model
/// beside the one it ignores ([JsonInclude] for a System.Text.Json field or a non-public member marked for
/// Newtonsoft.Json; the matching [JsonIgnore]; [JsonProperty] for a non-public member marked [JsonInclude]). The
/// other library's attribute stays, so code that still serializes with it behaves as before. Not offered for a
/// name mismatch, nor for a field declaration that declares several fields.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UseSerializersAttributeCodeFixProvider))]
[Shared]
public sealed class UseSerializersAttributeCodeFixProvider : NodeReplacementCodeFixProvider
{
    public static readonly string EquivalenceKey = RuleCatalog.IgnoredBySerializer.Id + ".UseSerializersAttribute";

    public UseSerializersAttributeCodeFixProvider()
        : base(RuleCatalog.IgnoredBySerializer, EquivalenceKey)
    {
    }

    private protected override (SyntaxNode Old, SyntaxNode New)? Replacement(Diagnostic diagnostic, SyntaxNode root, SemanticModel model, CancellationToken cancellationToken)
    {
        if (!diagnostic.Properties.TryGetValue(IgnoredBySerializerCheck.AttributeKey, out var attribute) || attribute is null
            || model.Compilation.GetTypeByMetadataName(attribute.Substring("global::".Length) + "Attribute") is null)
        {
            return null;
        }

        MemberDeclarationSyntax? member = root.FindToken(diagnostic.Location.SourceSpan.Start).Parent switch
        {
            PropertyDeclarationSyntax property => property,
            VariableDeclaratorSyntax { Parent.Parent: FieldDeclarationSyntax field } when field.Declaration.Variables.Count == 1 => field,
            _ => null,
        };
        return member is null ? null : (member, PropertyEdits.WithAttributes(member, root, [attribute]));
    }
}
