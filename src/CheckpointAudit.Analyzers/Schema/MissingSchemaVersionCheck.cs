using System.Collections.Immutable;
using System.Linq;
using CheckpointAudit.Catalog;
using CheckpointAudit.Checks;
using CheckpointAudit.Knowledge;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace CheckpointAudit.Schema;

/// <summary>
/// CKPT101: a persisted model (see <see cref="PersistedModels"/>) has no schema version member (see
/// <see cref="SchemaVersionMember"/>). Reported at the serializer call that shows the type is saved or
/// loaded — only the root type of that call: types reached through its members travel inside it and
/// need no version of their own — and on the declaration of types opted in by attribute or option.
/// The diagnostic's additional locations are the types' declarations in this compilation, and its "serializer" property
/// says which serializer the evidence used, for the fix; a model declared in a referenced project (whose declaration
/// cannot be a location here) is named in the "elsewhere" property instead, so the fix can edit it in that project.
/// </summary>
public sealed class MissingSchemaVersionCheck : SchemaRuleCheck
{
    public const string SerializerProperty = "serializer";

    /// <summary>The documentation IDs of the unversioned models declared in another compilation, joined by ';'.</summary>
    public const string DeclaredElsewhereProperty = "elsewhere";

    public MissingSchemaVersionCheck()
        : base(RuleCatalog.MissingSchemaVersion)
    {
    }

    private protected override void Register(CheckStart start, PersistedModels models, CheckpointAuditOptions options)
    {
        var defaultSerializer = DefaultSerializer(start.Compilation);
        start.RegisterOperationAction(c => AnalyzeCall(c, models, options), OperationKind.Invocation);
        start.RegisterSymbolAction(c => AnalyzeOptedIn(c, options, defaultSerializer), SymbolKind.NamedType);
    }

    private static void AnalyzeCall(OperationAnalysisContext context, PersistedModels models, CheckpointAuditOptions options)
    {
        var invocation = (IInvocationOperation)context.Operation;
        var tree = invocation.Syntax.SyntaxTree;
        if (models.Match(invocation) is not { } evidence || !options.IsAnalyzed(tree))
        {
            return;
        }

        var names = options.SchemaVersionMembers(tree);
        var unversioned = evidence.Models.Where(m => SchemaVersionMember.Find(m, names, context.Compilation) is null).ToImmutableArray();
        if (unversioned.IsEmpty)
        {
            return;
        }

        var how = (evidence.IsSave ? "saved to " : "loaded from ") + (evidence.Storage == StoredInput.File ? "a file here" : "the database here");
        Report(context.ReportDiagnostic, context.Compilation, invocation.Syntax.GetLocation(), unversioned, how, evidence.Serializer, WhatIsRead(invocation, evidence, context.Compilation));
    }

    /// <summary>
    /// For a model loaded from a file: regenerable output when the path (or the helper that builds it) names a cache,
    /// download or log; possibly another program's format when nothing in this source file writes the file.
    /// </summary>
    private static WrittenDataClass? WhatIsRead(IInvocationOperation invocation, PersistedEvidence evidence, Compilation compilation)
    {
        if (evidence.Storage != StoredInput.File || FileApiSymbols.Create(compilation) is not { } apis || Deserializers.Create(compilation) is not { } deserializers)
        {
            return null;
        }

        if (RegenerableModelSite.Output(invocation, evidence, compilation) is { } output)
        {
            return output;
        }

        var root = OperationTree.Root(invocation);
        if (evidence.IsSave || !deserializers.TryMatch(invocation, out var input, out _, out _) || input is null)
        {
            return null;
        }

        if (SavedState.IsOnlyRead(invocation, input, root, apis))
        {
            return new WrittenDataClass(DataHeld.Unclassified, SavedState.OnlyReadEvidence);
        }

        // No call of the project saves the model: its format is whoever writes the file.
        return PersistedModels.For(compilation) is { } models && !evidence.Models.IsEmpty
            && evidence.Models.All(m => !SavedModels.IsSavedAnywhere(m, compilation, models, default))
            ? new WrittenDataClass(DataHeld.Unclassified, PersistedRoots.OnlyLoadedEvidence(evidence.Models[0]))
            : null;
    }

    private static void AnalyzeOptedIn(SymbolAnalysisContext context, CheckpointAuditOptions options, SerializerKind? defaultSerializer)
    {
        // Whether the type is opted in first: this runs for every type, and few are.
        var type = (INamedTypeSymbol)context.Symbol;
        if (OptedInTypes.Reason(type, options) is not { } how
            || InCompilationLocation.Of(type, context.Compilation) is not { SourceTree: { } tree } declaration
            || SchemaVersionMember.Find(type, options.SchemaVersionMembers(tree)) is not null)
        {
            return;
        }

        var serializer = KnownAttributes.Has(type, KnownAttributes.DataContract) ? SerializerKind.DataContract : defaultSerializer;
        Report(context.ReportDiagnostic, context.Compilation, declaration, ImmutableArray.Create(type), how, serializer);
    }

    /// <summary>
    /// One finding per piece of evidence, for the fix: its additional locations are the declarations of the unversioned
    /// models in this compilation; those declared in a referenced project are named by documentation ID.
    /// </summary>
    private static void Report(System.Action<Diagnostic> report, Compilation compilation, Location location, ImmutableArray<INamedTypeSymbol> models, string how, SerializerKind? serializer, WrittenDataClass? held = null)
    {
        var declarations = models.Select(m => InCompilationLocation.Of(m, compilation)).Where(l => l is not null).Select(l => l!);
        var elsewhere = models.Where(m => InCompilationLocation.Of(m, compilation) is null && m.Locations.Any(l => l.IsInSource))
            .Select(m => m.OriginalDefinition.GetDocumentationCommentId()).Where(id => id is not null).ToList();
        var properties = serializer is null
            ? ImmutableDictionary<string, string?>.Empty
            : ImmutableDictionary<string, string?>.Empty.Add(SerializerProperty, serializer.Value.ToString());
        if (elsewhere.Count > 0)
        {
            properties = properties.Add(DeclaredElsewhereProperty, string.Join(";", elsewhere));
        }

        // A model saved and loaded at many places is one missing version: the report shows it once.
        properties = properties.Add(FindingSubject.Property, FindingSubject.Of(models));

        var names = models.Length == 1 ? "'" + models[0].Name + "' is"
            : models.Length == 2 ? "'" + models[0].Name + "' and '" + models[1].Name + "' are"
            : "'" + models[0].Name + "' and " + (models.Length - 1) + " other types such as '" + models[1].Name + "' are";
        // What the file holds sets the severity: a cache's model is output (silent), another program's file is for review.
        report(held is { } data
            ? DataHeldDiagnostic.Create(RuleCatalog.MissingSchemaVersion, location, declarations.ToImmutableArray(), properties, data, names, how)
            : Diagnostic.Create(RuleCatalog.MissingSchemaVersion.Descriptor, location, declarations, properties, names, how));
    }

    /// <summary>For opted-in types: System.Text.Json when referenced, else Newtonsoft.Json; null when neither (no fix).</summary>
    private static SerializerKind? DefaultSerializer(Compilation compilation)
        => KnownTypes.Get(compilation, "System.Text.Json.Serialization.IJsonOnSerializing") is not null ? SerializerKind.SystemTextJson
            : KnownTypes.Get(compilation, "Newtonsoft.Json.JsonConvert") is not null ? SerializerKind.Newtonsoft
            : null;
}
