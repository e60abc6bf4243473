using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace CheckpointAudit.Knowledge;

/// <summary>The serializer family a model is written or read with: it decides how a fix stamps a version.</summary>
internal enum SerializerKind
{
    SystemTextJson,
    Newtonsoft,
    XmlSerializer,
    DataContract,
}

/// <summary>
/// A serializer call that shows types are persisted: the models (one, or every type a type-map method such as
/// CheckpointType(stage) returns), whether they are saved or loaded, where to or from, and with what.
/// </summary>
internal sealed class PersistedEvidence(ImmutableArray<INamedTypeSymbol> models, bool isSave, string storage, SerializerKind serializer)
{
    public ImmutableArray<INamedTypeSymbol> Models { get; } = models;

    public bool IsSave { get; } = isSave;

    /// <summary>"file", "database" or "database value".</summary>
    public string Storage { get; } = storage;

    public SerializerKind Serializer { get; } = serializer;
}

/// <summary>A type parameter a generic store saves or loads: see <see cref="PersistedModels.PersistedTypeParameter"/>.</summary>
internal sealed class PersistedTypeParameter(ITypeParameterSymbol typeParameter, bool isSave, SerializerKind serializer)
{
    public ITypeParameterSymbol TypeParameter { get; } = typeParameter;

    public bool IsSave { get; } = isSave;

    public SerializerKind Serializer { get; } = serializer;
}

/// <summary>
/// The one place that decides, from a serializer call, whether a type is a persisted model: it is
/// serialized (System.Text.Json, Newtonsoft.Json, XmlSerializer, DataContractSerializer) to a stream or
/// writer opened on a file, or into text/bytes that reach a file or a database parameter in the same
/// method or through the project's own write helper (see <see cref="StoredOutput"/>); or it is what a
/// parse of stored input produces (see <see cref="StoredInput"/>); or it is marked with an attribute named
/// Checkpoint/Persisted, or named by <c>checkpoint_audit.persisted_types</c>. Only types declared in the
/// project's source count: a List&lt;T&gt; or Dictionary root has no members to version.
/// </summary>
internal sealed class PersistedModels
{
    private readonly FileApiSymbols _apis;
    private readonly Deserializers? _deserializers;
    private readonly INamedTypeSymbol? _stjSerializer;
    private readonly INamedTypeSymbol? _newtonsoftConvert;
    private readonly INamedTypeSymbol? _newtonsoftSerializer;
    private readonly INamedTypeSymbol? _xmlSerializer;
    private readonly INamedTypeSymbol? _xmlObjectSerializer;
    private readonly INamedTypeSymbol? _type;
    private readonly INamedTypeSymbol? _enumerable;

    private PersistedModels(Compilation compilation, FileApiSymbols apis)
    {
        _apis = apis;
        _deserializers = Deserializers.Create(compilation);
        _stjSerializer = KnownTypes.Get(compilation, "System.Text.Json.JsonSerializer");
        _newtonsoftConvert = KnownTypes.Get(compilation, "Newtonsoft.Json.JsonConvert");
        _newtonsoftSerializer = KnownTypes.Get(compilation, "Newtonsoft.Json.JsonSerializer");
        _xmlSerializer = KnownTypes.Get(compilation, "System.Xml.Serialization.XmlSerializer");
        _xmlObjectSerializer = KnownTypes.Get(compilation, "System.Runtime.Serialization.XmlObjectSerializer");
        _type = KnownTypes.Get(compilation, "System.Type");
        _enumerable = compilation.GetSpecialType(SpecialType.System_Collections_IEnumerable);
    }

    // One instance per compilation, shared by every analyzer that asks (the Schema rules all do), with the
    // answer for each serializer call computed once.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<SyntaxNode, PersistedEvidence?> _answers = new();
    private readonly System.Collections.Concurrent.ConcurrentDictionary<SyntaxNode, PersistedEvidence?> _storeAnswers = new();

    /// <summary>The compilation's instance (see <see cref="Create"/>), shared by every analyzer of that compilation.</summary>
    public static PersistedModels? For(Compilation compilation)
        => PerCompilation<PersistedModels>.Get(compilation, Create);

    /// <summary>Null when the compilation has no file API or no serializer: nothing can be persisted through one.</summary>
    public static PersistedModels? Create(Compilation compilation)
    {
        if (FileApiSymbols.Create(compilation) is not { } apis)
        {
            return null;
        }

        var models = new PersistedModels(compilation, apis);
        return models._deserializers is null ? null : models;
    }

    /// <summary>The persisted model a serializer call saves or loads, or null when the call shows none.</summary>
    public PersistedEvidence? Match(IInvocationOperation invocation)
    {
        var method = invocation.TargetMethod;
        var name = method.Name;
        if (!(name.StartsWith("Serialize", System.StringComparison.Ordinal) || name.StartsWith("Deserialize", System.StringComparison.Ordinal)
            || name is "WriteObject" or "ReadObject" or "PopulateObject" or "Populate"))
        {
            return MatchGenericStore(invocation, System.Threading.CancellationToken.None);
        }

        // Serializer calls only reach here: the memo stays small.
        return _answers.GetOrAdd(invocation.Syntax, _ => name.StartsWith("Deserialize", System.StringComparison.Ordinal) || name is "ReadObject" or "PopulateObject" or "Populate"
            ? MatchLoad(invocation)
            : MatchSave(invocation))
            ?? MatchGenericStore(invocation, System.Threading.CancellationToken.None);
    }

    /// <summary>
    /// A call of the project's own generic store (<c>Json.Save&lt;T&gt;(path, value)</c>, <c>JsonStore&lt;Settings&gt;.Load()</c>)
    /// whose summary serializes a type parameter to storage: the type argument at this call is the persisted model.
    /// </summary>
    private PersistedEvidence? MatchGenericStore(IInvocationOperation invocation, System.Threading.CancellationToken cancellationToken)
    {
        var method = invocation.TargetMethod;
        if (!(method.IsGenericMethod || method.ContainingType is { IsGenericType: true }) || !MethodSummaries.IsProjectMethod(method) || invocation.SemanticModel is null)
        {
            return null; // the cheap tests first: this runs for every call
        }

        // What the method persists is known per method; most generic project methods persist nothing, and their calls
        // are answered without a memo entry.
        var store = GenericStores.For(invocation.SemanticModel.Compilation).Of(method, cancellationToken);
        if (store.Saved.IsEmpty && store.Loaded.IsEmpty || store.Serializer is not { } kind)
        {
            return null;
        }

        var compilation = invocation.SemanticModel.Compilation;
        return _storeAnswers.GetOrAdd(invocation.Syntax, _ =>
        {
            var isSave = !store.Saved.IsEmpty;
            var persisted = isSave ? store.Saved : store.Loaded;
            var candidates = persisted.Select(t => MethodSummaries.TypeArgumentFor(invocation, t)).Where(t => t is not null).Select(t => t!).ToImmutableArray();
            if (candidates.IsEmpty)
            {
                return null; // before reading the store's other members
            }

            // Models the store's own serializer calls already name (a type map such as CheckpointType(stage)) are
            // reported there, once: only the others are evidence at this call.
            var known = DirectModels(method.ContainingType.OriginalDefinition, compilation, cancellationToken);
            var models = SourceModels(candidates).Where(m => !known.Contains(m)).ToImmutableArray();
            return models.IsEmpty ? null : new PersistedEvidence(models, isSave, StoredInput.File, kind);
        });
    }

    private readonly System.Collections.Concurrent.ConcurrentDictionary<INamedTypeSymbol, ImmutableHashSet<INamedTypeSymbol>> _directModels = new(SymbolEqualityComparer.Default);

    /// <summary>The models the serializer calls in a store type's own members persist (see <see cref="Match"/>).</summary>
    [System.ThreadStatic]
    private static System.Collections.Generic.HashSet<INamedTypeSymbol>? s_readingStores;

    private ImmutableHashSet<INamedTypeSymbol> DirectModels(INamedTypeSymbol store, Compilation compilation, System.Threading.CancellationToken cancellationToken)
    {
        if (_directModels.TryGetValue(store, out var known))
        {
            return known;
        }

        // Stores whose serializer calls are other stores: a cycle reads nothing more.
        var reading = s_readingStores ??= new System.Collections.Generic.HashSet<INamedTypeSymbol>(SymbolEqualityComparer.Default);
        if (!reading.Add(store))
        {
            return ImmutableHashSet<INamedTypeSymbol>.Empty;
        }

        try
        {
            return _directModels.GetOrAdd(store, ReadDirectModels(store, compilation, cancellationToken));
        }
        finally
        {
            reading.Remove(store);
        }
    }

    private ImmutableHashSet<INamedTypeSymbol> ReadDirectModels(INamedTypeSymbol type, Compilation compilation, System.Threading.CancellationToken cancellationToken)
    {
        var models = ImmutableHashSet.CreateBuilder<INamedTypeSymbol>(SymbolEqualityComparer.Default);
        foreach (var method in type.GetMembers().OfType<IMethodSymbol>())
        {
            foreach (var (_, body) in SourceBodies.Of(method, compilation, cancellationToken))
            {
                foreach (var call in body.Descendants().OfType<IInvocationOperation>())
                {
                    var name = call.TargetMethod.Name;
                    if ((name.StartsWith("Serialize", System.StringComparison.Ordinal) || name.StartsWith("Deserialize", System.StringComparison.Ordinal))
                        && Match(call) is { } evidence)
                    {
                        models.UnionWith(evidence.Models);
                    }
                }
            }
        }

        return models.ToImmutable();
    }

    /// <summary>
    /// A serializer call inside a generic store that saves or loads a value of one of the store's type parameters
    /// (the method's or its type's) to or from storage: what <see cref="MethodSummary"/> records for its callers.
    /// </summary>
    public PersistedTypeParameter? PersistedTypeParameter(IInvocationOperation invocation)
    {
        var name = invocation.TargetMethod.Name;
        if (name.StartsWith("Deserialize", System.StringComparison.Ordinal) || name is "ReadObject")
        {
            return IsLoadCall(invocation, out var kind, out var input)
                && TypeParameterOf(invocation, value: null) is { } loaded
                && StoredInput.Source(input, OperationTree.Root(invocation), _apis, _deserializers!) is not null
                ? new PersistedTypeParameter(loaded, isSave: false, kind)
                : null;
        }

        return name.StartsWith("Serialize", System.StringComparison.Ordinal) || name is "WriteObject"
            ? IsSaveCall(invocation, out var saveKind, out var target, out var value)
                && TypeParameterOf(invocation, value) is { } saved
                && SaveStorage(invocation, target) is not null
                ? new PersistedTypeParameter(saved, isSave: true, saveKind)
                : null
            : null;
    }

    /// <summary>Serialize&lt;T&gt;, Deserialize&lt;T&gt;, typeof(T) or a value of type T, where T is a type parameter.</summary>
    private ITypeParameterSymbol? TypeParameterOf(IInvocationOperation invocation, IOperation? value)
    {
        var method = invocation.TargetMethod;
        if (method.IsGenericMethod && method.TypeArguments.Length == 1)
        {
            return method.TypeArguments[0] as ITypeParameterSymbol;
        }

        if (TypeArgument(invocation.Arguments) is ITypeOfOperation { TypeOperand: ITypeParameterSymbol typeOf })
        {
            return typeOf;
        }

        if (invocation.Instance is { } serializer && SerializerCreatedFor(serializer, OperationTree.Root(invocation)) is ITypeOfOperation { TypeOperand: ITypeParameterSymbol created })
        {
            return created;
        }

        return value is not null && (PathKey.Unwrap(value) ?? value).Type is ITypeParameterSymbol valueType ? valueType : null;
    }

    /// <summary>
    /// The models a known serializer's save call (to any target: a file, a MemoryStream, a string) or a generic store's
    /// save serializes; empty for anything else. That the program writes a model's format, wherever the bytes go next.
    /// </summary>
    public ImmutableArray<INamedTypeSymbol> SerializedBy(IInvocationOperation invocation)
    {
        if (IsSaveCall(invocation, out _, out _, out var value) && ModelTypes(invocation, value) is { IsEmpty: false } models)
        {
            return models;
        }

        return Match(invocation) is { IsSave: true } evidence ? evidence.Models : ImmutableArray<INamedTypeSymbol>.Empty;
    }

    private PersistedEvidence? MatchSave(IInvocationOperation invocation)
    {
        if (!IsSaveCall(invocation, out var kind, out var target, out var value) || ModelTypes(invocation, value) is not { IsEmpty: false } models)
        {
            return null;
        }

        return SaveStorage(invocation, target) is { } storage ? new PersistedEvidence(models, isSave: true, storage, kind) : null;
    }

    private string? SaveStorage(IInvocationOperation invocation, IOperation? target)
    {
        var root = OperationTree.Root(invocation);
        return target is not null
            ? StoredOutput.OfTarget(target, root, _apis)
            : StoredOutput.OfResult(invocation, root, _apis, _deserializers, invocation.SemanticModel!.Compilation);
    }

    /// <summary>A known serializer's save: the serializer, the stream or writer written (null when it returns the text), the value.</summary>
    private bool IsSaveCall(IInvocationOperation invocation, out SerializerKind kind, out IOperation? target, out IOperation? value)
    {
        var method = invocation.TargetMethod;
        var type = method.ContainingType?.OriginalDefinition;
        kind = default;
        target = null;
        value = null;
        if (Is(type, _stjSerializer) && method.Name is "Serialize" or "SerializeAsync" or "SerializeToUtf8Bytes")
        {
            kind = SerializerKind.SystemTextJson;
            // Serialize(stream or writer, value, ...) writes; Serialize(value, ...) returns the text or bytes.
            var first = method.OriginalDefinition.Parameters.Length > 1 ? method.OriginalDefinition.Parameters[0].Type : null;
            var writesToTarget = first is not null && first.SpecialType != SpecialType.System_Object && first is not ITypeParameterSymbol;
            target = writesToTarget ? OperationTree.ArgumentFor(invocation.Arguments, 0) : null;
            value = OperationTree.ArgumentFor(invocation.Arguments, writesToTarget ? 1 : 0);
        }
        else if (Is(type, _newtonsoftConvert) && method.Name == "SerializeObject")
        {
            kind = SerializerKind.Newtonsoft;
            value = OperationTree.ArgumentFor(invocation.Arguments, 0);
        }
        else if (Is(type, _newtonsoftSerializer) && method.Name == "Serialize")
        {
            kind = SerializerKind.Newtonsoft;
            target = OperationTree.ArgumentFor(invocation.Arguments, 0);
            value = OperationTree.ArgumentFor(invocation.Arguments, 1);
        }
        else if (Is(type, _xmlSerializer) && method.Name == "Serialize")
        {
            kind = SerializerKind.XmlSerializer;
            target = OperationTree.ArgumentFor(invocation.Arguments, 0);
            value = OperationTree.ArgumentFor(invocation.Arguments, 1);
        }
        else if (TypeRelations.InheritsFrom(type, _xmlObjectSerializer) && method.Name == "WriteObject")
        {
            kind = SerializerKind.DataContract;
            target = OperationTree.ArgumentFor(invocation.Arguments, 0);
            value = OperationTree.ArgumentFor(invocation.Arguments, 1);
        }
        else
        {
            return false;
        }

        return value is not null;
    }

    private PersistedEvidence? MatchLoad(IInvocationOperation invocation)
    {
        if (!IsLoadCall(invocation, out var kind, out var input) || ModelTypes(invocation, value: null) is not { IsEmpty: false } models)
        {
            return null;
        }

        var source = StoredInput.Source(input, OperationTree.Root(invocation), _apis, _deserializers!);
        return source is null ? null : new PersistedEvidence(models, isSave: false, source, kind);
    }

    /// <summary>A known deserializer's load into a typed model: the serializer and the parsed input.</summary>
    private bool IsLoadCall(IInvocationOperation invocation, out SerializerKind kind, out IOperation input)
    {
        kind = default;
        input = null!;
        if (_deserializers is null || !_deserializers.TryMatch(invocation, out var parsed, out _, out _) || parsed is null)
        {
            return false;
        }

        input = parsed;
        var type = invocation.TargetMethod.ContainingType?.OriginalDefinition;
        if (Is(type, _stjSerializer))
        {
            kind = SerializerKind.SystemTextJson;
        }
        else if (Is(type, _newtonsoftConvert) || Is(type, _newtonsoftSerializer))
        {
            kind = SerializerKind.Newtonsoft;
        }
        else if (Is(type, _xmlSerializer))
        {
            kind = SerializerKind.XmlSerializer;
        }
        else if (TypeRelations.InheritsFrom(type, _xmlObjectSerializer))
        {
            kind = SerializerKind.DataContract;
        }
        else
        {
            return false; // DOM parses (JsonDocument, JObject, XDocument) produce no model.
        }

        return true;
    }

    /// <summary>
    /// The model types of a serializer call: Serialize&lt;T&gt; / Deserialize&lt;T&gt;, a typeof(T) argument (or the
    /// typeof(...) values a type-map method of the project returns), the typeof(T) the XmlSerializer /
    /// DataContractSerializer was made with, the type a loaded object is cast to, or the static type of the
    /// saved value. Only classes and structs declared in source, and no collections.
    /// </summary>
    private ImmutableArray<INamedTypeSymbol> ModelTypes(IInvocationOperation invocation, IOperation? value)
    {
        var method = invocation.TargetMethod;
        ImmutableArray<ITypeSymbol> candidates = default;
        if (method.IsGenericMethod && method.TypeArguments.Length == 1 && method.TypeArguments[0] is not ITypeParameterSymbol)
        {
            candidates = ImmutableArray.Create(method.TypeArguments[0]);
        }

        if (candidates.IsDefault && TypeArgument(invocation.Arguments) is { } typeArgument)
        {
            candidates = TypesOf(typeArgument);
        }

        if (candidates.IsDefault && invocation.Instance is { } serializer && SerializerCreatedFor(serializer, OperationTree.Root(invocation)) is { } created)
        {
            candidates = TypesOf(created);
        }

        if (candidates.IsDefault && value is null && invocation.Parent is IConversionOperation { Type: { } castTo } && castTo.SpecialType != SpecialType.System_Object)
        {
            candidates = ImmutableArray.Create(castTo);
        }

        if (candidates.IsDefault && value is not null && (PathKey.Unwrap(value) ?? value).Type is { } valueType)
        {
            candidates = ImmutableArray.Create(valueType);
        }

        return candidates.IsDefault ? ImmutableArray<INamedTypeSymbol>.Empty : SourceModels(candidates);
    }

    /// <summary>The candidates that can be models: classes and structs declared in source, no collections, no legacy shapes.</summary>
    private ImmutableArray<INamedTypeSymbol> SourceModels(ImmutableArray<ITypeSymbol> candidates)
    {
        var models = ImmutableArray.CreateBuilder<INamedTypeSymbol>();
        foreach (var candidate in candidates)
        {
            if (candidate is INamedTypeSymbol { TypeKind: TypeKind.Class or TypeKind.Struct, IsAnonymousType: false } named
                && named.SpecialType == SpecialType.None
                && !named.Locations.IsEmpty && named.Locations[0].IsInSource
                && !TypeRelations.Implements(named, _enumerable)
                && !MigrationCode.Contains(named) // a legacy shape a migration reads once, not a current model
                && !models.Contains(named, SymbolEqualityComparer.Default))
            {
                models.Add(named);
            }
        }

        return models.ToImmutable();
    }

    /// <summary>The System.Type argument of a serializer call or constructor.</summary>
    private IOperation? TypeArgument(ImmutableArray<IArgumentOperation> arguments)
    {
        foreach (var argument in arguments)
        {
            if (SymbolEqualityComparer.Default.Equals(argument.Parameter?.Type, _type))
            {
                return PathKey.Unwrap(argument.Value);
            }
        }

        return null;
    }

    /// <summary>typeof(T); or, for a call of the project's own method (CheckpointType(stage)), every typeof(...) in its body.</summary>
    private static ImmutableArray<ITypeSymbol> TypesOf(IOperation typeValue)
    {
        if (typeValue is ITypeOfOperation typeOf)
        {
            return ImmutableArray.Create(typeOf.TypeOperand);
        }

        if (typeValue is not IInvocationOperation { TargetMethod: { DeclaringSyntaxReferences.Length: 1 } map } call || call.SemanticModel is null)
        {
            return default;
        }

        // A method of a referenced project cannot be bound in this compilation.
        var declaration = map.DeclaringSyntaxReferences[0].GetSyntax();
        if (!call.SemanticModel.Compilation.ContainsSyntaxTree(declaration.SyntaxTree))
        {
            return default;
        }

#pragma warning disable RS1030 // Only for a serializer call whose type comes from a method of the project; the driver's model covers the current file only.
        var model = call.SemanticModel.SyntaxTree == declaration.SyntaxTree ? call.SemanticModel : call.SemanticModel.Compilation.GetSemanticModel(declaration.SyntaxTree);
#pragma warning restore RS1030
        if (model.GetOperation(declaration) is not { } body)
        {
            return default;
        }

        var types = ImmutableArray.CreateBuilder<ITypeSymbol>();
        foreach (var operation in body.Descendants())
        {
            if (operation is ITypeOfOperation mapped)
            {
                types.Add(mapped.TypeOperand);
            }
        }

        return types.Count == 0 ? default : types.ToImmutable();
    }

    /// <summary>new XmlSerializer(typeof(T)) / new DataContractSerializer(typeof(T)), directly or through a local of this body.</summary>
    private IOperation? SerializerCreatedFor(IOperation serializer, IOperation root)
    {
        var value = PathKey.Unwrap(serializer);
        if (value is ILocalReferenceOperation local)
        {
            value = PathKey.Unwrap(OperationTree.DeclaredValue(local.Local, root));
        }

        return value is IObjectCreationOperation creation ? TypeArgument(creation.Arguments) : null;
    }

    private static bool Is(INamedTypeSymbol? type, INamedTypeSymbol? expected)
        => expected is not null && SymbolEqualityComparer.Default.Equals(type, expected);
}
