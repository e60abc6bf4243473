using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using CheckpointAudit.Catalog;
using CheckpointAudit.Knowledge;
using CheckpointAudit.Schema;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;

namespace CheckpointAudit.CodeFixes.Schema;

/// <summary>
/// CKPT101 "Add a schema version": the model gets
/// <c>public const int CurrentSchemaVersion = 1;</c> and <c>public int SchemaVersion { get; set; }</c>, which
/// defaults to 0 — so data written before the member existed loads as version 0, never as current — and is
/// stamped with CurrentSchemaVersion whenever the model is serialized: System.Text.Json through
/// IJsonOnSerializing, Newtonsoft.Json and DataContractSerializer through an [OnSerializing] method
/// ([DataMember] / [JsonProperty] added where the type serializes opted-in members only). Not offered for
/// XmlSerializer (it has no serialization callback), structs, or types that already have a callback or a
/// member of those names. The model may be declared in another document than the diagnostic, or in a referenced project
/// of the solution (the diagnostic names it by documentation ID, as its declaration cannot be a location of this
/// project's diagnostic): the fix edits the declaration where it is, as it would from that project.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AddSchemaVersionCodeFixProvider))]
[Shared]
public sealed class AddSchemaVersionCodeFixProvider : ModelDeclarationCodeFixProvider
{
    public static readonly string EquivalenceKey = RuleCatalog.MissingSchemaVersion.Id + ".AddSchemaVersion";

    public AddSchemaVersionCodeFixProvider()
        : base(RuleCatalog.MissingSchemaVersion, EquivalenceKey)
    {
    }

    private sealed class FixPlan(Document document, TypeDeclarationSyntax declaration, SerializerKind serializer, bool optInMembers, SyntaxTrivia newLine)
    {
        /// <summary>The file's own line ending.</summary>
        public SyntaxTrivia NewLine { get; } = newLine;

        public Document Document { get; } = document;
        public TypeDeclarationSyntax Declaration { get; } = declaration;
        public SerializerKind Serializer { get; } = serializer;

        /// <summary>[DataContract] or Newtonsoft's MemberSerialization.OptIn: the new member needs its own attribute.</summary>
        public bool OptInMembers { get; } = optInMembers;
    }

    /// <summary>One edit per model the finding names (a type-map call names several) that can take the member.</summary>
    private protected override async Task<ImmutableArray<ModelEdit>> EditsAsync(Solution solution, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        var edits = ImmutableArray.CreateBuilder<ModelEdit>();
        if (diagnostic.Properties.TryGetValue(MissingSchemaVersionCheck.SerializerProperty, out var serializerName)
            && System.Enum.TryParse<SerializerKind>(serializerName, out var serializer)
            && serializer != SerializerKind.XmlSerializer)
        {
            foreach (var location in diagnostic.AdditionalLocations.Concat(await DeclaredElsewhereAsync(solution, diagnostic, cancellationToken).ConfigureAwait(false)))
            {
                if (await PlanAsync(solution, location, serializer, cancellationToken).ConfigureAwait(false) is { } plan)
                {
                    edits.Add(new ModelEdit(plan.Document, plan.Declaration, () => Apply(plan.Declaration, plan)));
                }
            }
        }

        return edits.ToImmutable();
    }

    /// <summary>The declarations, in other projects of the solution, of the models the diagnostic names by documentation ID.</summary>
    private static async Task<IEnumerable<Location>> DeclaredElsewhereAsync(Solution solution, Diagnostic diagnostic, CancellationToken cancellationToken)
        => (await SolutionDeclarations.NamedAsync(solution, diagnostic, MissingSchemaVersionCheck.DeclaredElsewhereProperty, cancellationToken).ConfigureAwait(false))
            .OfType<INamedTypeSymbol>().Select(model => SolutionDeclarations.InSolution(model, solution)).OfType<Location>();

    private static async Task<FixPlan?> PlanAsync(Solution solution, Location location, SerializerKind serializer, CancellationToken cancellationToken)
    {
        if (!location.IsInSource
            || solution.GetDocument(location.SourceTree) is not { } document
            || await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false) is not { } root
            || await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false) is not { } model
            || root.FindToken(location.SourceSpan.Start).Parent?.FirstAncestorOrSelf<TypeDeclarationSyntax>() is not ({ } declaration and (ClassDeclarationSyntax or RecordDeclarationSyntax))
            || declaration is RecordDeclarationSyntax { ClassOrStructKeyword.RawKind: (int)SyntaxKind.StructKeyword }
            || model.GetDeclaredSymbol(declaration, cancellationToken) is not { } type)
        {
            return null;
        }

        // Names already taken (here or in a base) would clash.
        for (var current = type; current is not null; current = current.BaseType)
        {
            if (!current.GetMembers(SchemaVersionMember.DefaultName).IsEmpty || !current.GetMembers(SchemaVersionStamp.ConstantName).IsEmpty)
            {
                return null;
            }
        }

        if (!SchemaVersionStamp.CanStamp(type, serializer, model.Compilation))
        {
            return null;
        }

        var optIn = type.GetAttributes().Any(a => a.AttributeClass?.Name == "DataContractAttribute")
            || type.GetAttributes().Any(a => a.AttributeClass?.Name == "JsonObjectAttribute" && a.ConstructorArguments.Any(c => c.Value is 1 /* MemberSerialization.OptIn */));
        return new FixPlan(document, declaration, serializer, optIn, SchemaVersionStamp.NewLineOf(root));
    }

    private static TypeDeclarationSyntax Apply(TypeDeclarationSyntax declaration, FixPlan plan)
    {
        var memberAttribute = !plan.OptInMembers ? string.Empty
            : plan.Serializer == SerializerKind.DataContract ? "[global::System.Runtime.Serialization.DataMember]\n"
            : "[global::Newtonsoft.Json.JsonProperty]\n";
        return SchemaVersionStamp.Insert(
            declaration,
            new[]
            {
                "/// <summary>The schema version this build writes. Raise it when the shape changes, and migrate older data on load.</summary>\npublic const int CurrentSchemaVersion = 1;\n",
                "/// <summary>The schema version the data was written with: 0 when it predates this member. Stamped with <see cref=\"CurrentSchemaVersion\"/> on every save.</summary>\n"
                    + memberAttribute + "public int SchemaVersion { get; set; }\n",
                SchemaVersionStamp.Callback(plan.Serializer, SchemaVersionMember.DefaultName, SchemaVersionStamp.ConstantName),
            },
            plan.Serializer,
            plan.NewLine);
    }
}
