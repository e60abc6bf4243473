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

namespace CheckpointAudit.CodeFixes.Schema;

/// <summary>
/// CKPT103 "Start the version at 0 and set it on save": the version member loses its initializer (so data
/// without the field loads as 0), and a serializer callback sets it to the value the initializer had on
/// every save — through a <c>CurrentSchemaVersion</c> constant added for a literal (<c>= 3</c>), or through
/// the constant the initializer named. Offered for settable properties and fields of classes whose
/// serializer has a callback (not XmlSerializer) and that have none yet.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(StartVersionAtZeroCodeFixProvider))]
[Shared]
public sealed class StartVersionAtZeroCodeFixProvider : ModelDeclarationCodeFixProvider
{
    public static readonly string EquivalenceKey = RuleCatalog.VersionStartsAtCurrent.Id + ".StartAtZero";

    public StartVersionAtZeroCodeFixProvider()
        : base(RuleCatalog.VersionStartsAtCurrent, EquivalenceKey)
    {
    }

    private sealed class FixPlan(Document document, TypeDeclarationSyntax type, EqualsValueClauseSyntax initializer, string member, string? constantType, SerializerKind serializer, SyntaxTrivia newLine)
    {
        public Document Document { get; } = document;
        public TypeDeclarationSyntax Type { get; } = type;
        public EqualsValueClauseSyntax Initializer { get; } = initializer;
        public string Member { get; } = member;

        /// <summary>The type of the CurrentSchemaVersion constant to add, or null when the initializer already names a constant.</summary>
        public string? ConstantType { get; } = constantType;
        public SerializerKind Serializer { get; } = serializer;
        public SyntaxTrivia NewLine { get; } = newLine;
    }

    private protected override async Task<ImmutableArray<ModelEdit>> EditsAsync(Solution solution, Diagnostic diagnostic, CancellationToken cancellationToken)
        => await PlanAsync(solution, diagnostic, cancellationToken).ConfigureAwait(false) is { } plan
            ? ImmutableArray.Create(new ModelEdit(plan.Document, plan.Type, () => Apply(plan)))
            : ImmutableArray<ModelEdit>.Empty;

    private static async Task<FixPlan?> PlanAsync(Solution solution, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        if (!diagnostic.Properties.TryGetValue(MissingSchemaVersionCheck.SerializerProperty, out var serializerName)
            || !System.Enum.TryParse<SerializerKind>(serializerName, out var serializer)
            || diagnostic.AdditionalLocations.FirstOrDefault() is not { IsInSource: true } location
            || solution.GetDocument(location.SourceTree) is not { } document
            || await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false) is not { } root
            || await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false) is not { } model
            || root.FindNode(location.SourceSpan) is not EqualsValueClauseSyntax initializer
            || initializer.FirstAncestorOrSelf<TypeDeclarationSyntax>() is not { } type
            || model.GetDeclaredSymbol(type, cancellationToken) is not { } typeSymbol
            || !SchemaVersionStamp.CanStamp(typeSymbol, serializer, model.Compilation))
        {
            return null;
        }

        // The callback assigns the member: it must be settable from inside the type.
        ISymbol? member = initializer.Parent switch
        {
            PropertyDeclarationSyntax property => model.GetDeclaredSymbol(property, cancellationToken),
            VariableDeclaratorSyntax variable => model.GetDeclaredSymbol(variable, cancellationToken),
            _ => null,
        };
        var settable = member switch
        {
            IPropertySymbol { SetMethod: { IsInitOnly: false } } => true,
            IFieldSymbol { IsReadOnly: false, IsConst: false } => true,
            _ => false,
        };
        if (!settable)
        {
            return null;
        }

        // A literal needs a named constant; a constant the initializer already names is reused.
        var namesConstant = model.GetSymbolInfo(initializer.Value, cancellationToken).Symbol is IFieldSymbol { IsConst: true };
        string? constantType = null;
        if (!namesConstant)
        {
            if (!typeSymbol.GetMembers(SchemaVersionStamp.ConstantName).IsEmpty || model.GetTypeInfo(initializer.Value, cancellationToken).ConvertedType is not { } valueType)
            {
                return null;
            }

            constantType = valueType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
        }

        return new FixPlan(document, type, initializer, member!.Name, constantType, serializer, SchemaVersionStamp.NewLineOf(root));
    }

    /// <summary>The model without the initializer, with the constant (if needed) and the callback; one plan per model, so the original nodes are edited.</summary>
    private static TypeDeclarationSyntax Apply(FixPlan plan)
    {
        var type = plan.Type;
        var value = plan.Initializer.Value.WithoutTrivia().ToString();
        TypeDeclarationSyntax withoutInitializer = plan.Initializer.Parent switch
        {
            PropertyDeclarationSyntax property => type.ReplaceNode(property, property.WithInitializer(null).WithSemicolonToken(default)
                .WithTrailingTrivia(property.SemicolonToken.TrailingTrivia)),
            VariableDeclaratorSyntax variable => type.ReplaceNode(variable, variable.WithInitializer(null).WithIdentifier(variable.Identifier.WithTrailingTrivia())),
            _ => type,
        };

        var members = new List<string>();
        if (plan.ConstantType is not null)
        {
            members.Add($"/// <summary>The schema version this build writes. Raise it when the shape changes, and migrate older data on load.</summary>\npublic const {plan.ConstantType} {SchemaVersionStamp.ConstantName} = {value};\n");
            value = SchemaVersionStamp.ConstantName;
        }

        members.Add(SchemaVersionStamp.Callback(plan.Serializer, plan.Member, value));
        return SchemaVersionStamp.Insert(withoutInitializer, members, plan.Serializer, plan.NewLine);
    }
}
