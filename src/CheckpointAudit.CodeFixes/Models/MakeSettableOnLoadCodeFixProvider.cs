using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using CheckpointAudit.Catalog;
using CheckpointAudit.CodeFixes.Schema;
using CheckpointAudit.Models;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CheckpointAudit.CodeFixes.Models;

/// <summary>
/// CKPT801 "Make it settable on load": a get-only auto-property gets an <c>init</c> accessor (both JSON
/// serializers set it, and code outside object initializers still cannot); a non-public setter keeps its
/// accessibility and gets [JsonInclude] (System.Text.Json) and/or [JsonProperty] (Newtonsoft.Json), whichever
/// serializer persists the model and the declaring project references. The stored format does not change. Not offered
/// for <c>init</c> where the language version or the target framework lacks it. A member declared in a referenced
/// project of the solution is named by documentation ID (its declaration cannot be a location of this project's
/// diagnostic) and edited where it is declared.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MakeSettableOnLoadCodeFixProvider))]
[Shared]
public sealed class MakeSettableOnLoadCodeFixProvider : ModelDeclarationCodeFixProvider
{
    public static readonly string EquivalenceKey = RuleCatalog.NeverRestored.Id + ".MakeSettableOnLoad";

    public MakeSettableOnLoadCodeFixProvider()
        : base(RuleCatalog.NeverRestored, EquivalenceKey)
    {
    }

    private protected override async Task<ImmutableArray<ModelEdit>> EditsAsync(Solution solution, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        if (!diagnostic.Properties.TryGetValue(NeverRestoredCheck.FixKey, out var fix) || fix is null
            || await DeclarationAsync(solution, diagnostic, cancellationToken).ConfigureAwait(false) is not { } location
            || solution.GetDocument(location.SourceTree) is not { } document
            || await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false) is not { } root
            || root.FindToken(location.SourceSpan.Start).Parent is not PropertyDeclarationSyntax property
            || await document.Project.GetCompilationAsync(cancellationToken).ConfigureAwait(false) is not { } compilation)
        {
            return ImmutableArray<ModelEdit>.Empty;
        }

        if (fix == NeverRestoredCheck.InitFix)
        {
            return PropertyEdits.WithInit(property, compilation) is { } withInit
                ? ImmutableArray.Create(new ModelEdit(document, property, () => withInit))
                : ImmutableArray<ModelEdit>.Empty;
        }

        // Only attributes the declaring project can name (a referenced project may not reference both serializers).
        var attributes = fix.Split(',').Select(name => name switch
        {
            NeverRestoredCheck.JsonIncludeFix => "System.Text.Json.Serialization.JsonIncludeAttribute",
            NeverRestoredCheck.JsonPropertyFix => "Newtonsoft.Json.JsonPropertyAttribute",
            _ => null,
        }).OfType<string>().Where(type => compilation.GetTypeByMetadataName(type) is not null)
            .Select(type => "global::" + type.Substring(0, type.Length - "Attribute".Length)).ToList();
        return attributes.Count == 0
            ? ImmutableArray<ModelEdit>.Empty
            : ImmutableArray.Create(new ModelEdit(document, property, () => PropertyEdits.WithAttributes(property, root, attributes)));
    }

    /// <summary>The property's declaration: where the diagnostic is, or where the solution declares the member it names.</summary>
    private static async Task<Location?> DeclarationAsync(Solution solution, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        if (!diagnostic.Properties.TryGetValue(NeverRestoredCheck.DeclaredElsewhereKey, out var id) || string.IsNullOrEmpty(id))
        {
            return diagnostic.Location;
        }

        return (await SolutionDeclarations.NamedAsync(solution, diagnostic, NeverRestoredCheck.DeclaredElsewhereKey, cancellationToken).ConfigureAwait(false))
            .OfType<IPropertySymbol>().FirstOrDefault() is { } member
                ? SolutionDeclarations.InSolution(member, solution)
                : null;
    }
}
