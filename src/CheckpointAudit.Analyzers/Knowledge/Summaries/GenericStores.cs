using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace CheckpointAudit.Knowledge;

/// <summary>What a generic store persists: the type parameters whose values it saves or loads, and with which serializer.</summary>
internal sealed class StoreSummary(ImmutableArray<ITypeParameterSymbol> saved, ImmutableArray<ITypeParameterSymbol> loaded, SerializerKind? serializer)
{
    public static readonly StoreSummary Empty = new(ImmutableArray<ITypeParameterSymbol>.Empty, ImmutableArray<ITypeParameterSymbol>.Empty, null);

    /// <summary>Type parameters (the method's or its type's) whose values the body serializes to a file or database.</summary>
    public ImmutableArray<ITypeParameterSymbol> Saved { get; } = saved;

    /// <summary>Type parameters the body deserializes from stored data.</summary>
    public ImmutableArray<ITypeParameterSymbol> Loaded { get; } = loaded;

    /// <summary>The serializer behind <see cref="Saved"/> / <see cref="Loaded"/>.</summary>
    public SerializerKind? Serializer { get; } = serializer;
}

/// <summary>
/// The project's generic stores (<c>Json.Save&lt;T&gt;(path, value)</c>, <c>JsonStore&lt;T&gt;.Load()</c>): for a method, which
/// of its type parameters (or its type's) it serializes to storage or parses from it, directly or by passing them to
/// another generic store. Only calls that pass a type parameter on are followed (up to <see cref="MethodSummaries.MaxDepth"/>
/// deep), so asking about a generic method that stores nothing reads its body and no other. Computed once per
/// compilation and method; abstract, interface and virtual methods keep what every implementation persists.
/// </summary>
internal sealed class GenericStores
{
    private readonly Compilation _compilation;
    private readonly MethodFactCache<StoreSummary> _stores = new(StoreSummary.Empty);
    private readonly ConcurrentDictionary<IMethodSymbol, bool> _mayStore = new(SymbolEqualityComparer.Default);

    private GenericStores(Compilation compilation) => _compilation = compilation;

    public static GenericStores For(Compilation compilation) => PerCompilation<GenericStores>.Get(compilation, c => new GenericStores(c))!;

    /// <summary>What a call of <paramref name="method"/> persists of its type arguments (<see cref="StoreSummary.Empty"/> when nothing or unknown).</summary>
    public StoreSummary Of(IMethodSymbol method, CancellationToken cancellationToken)
    {
        method = method.OriginalDefinition;
        if (!(method.IsGenericMethod || method.ContainingType is { IsGenericType: true }) || !MethodSummaries.IsProjectMethod(method) || !MayPersistTypeParameter(method))
        {
            return StoreSummary.Empty;
        }

        return _stores.Get(method, m => Summarise(m, cancellationToken));
    }

    /// <summary>
    /// A cheap test before reading a generic method's body: it is abstract, or its source names a serializer call
    /// (Serialize…, Deserialize…, ReadObject, WriteObject, Populate…), a JSON or XML helper (ToJson, XmlHelper…) or a
    /// store's Save…/Load…/Persist… (the method's own name included), or passes one
    /// of its type parameters on (<c>Get&lt;T&gt;(…)</c>, <c>typeof(T)</c>: a wrapper of another store). An abstract
    /// method's implementations are all read: one may hand its value to another store through a generic field
    /// (<c>_storage.Write(item)</c>), which no name in its source shows.
    /// </summary>
    private bool MayPersistTypeParameter(IMethodSymbol method)
        => _mayStore.GetOrAdd(method, m => SourceBodies.IsAbstract(m) || m.DeclaringSyntaxReferences.Any(reference => NamesStoreOf(reference.GetSyntax(), TypeParameterNames(m))));

    private static HashSet<string> TypeParameterNames(IMethodSymbol method)
    {
        var names = new HashSet<string>(method.TypeParameters.Select(t => t.Name), StringComparer.Ordinal);
        for (var type = method.ContainingType; type is not null; type = type.ContainingType)
        {
            names.UnionWith(type.TypeParameters.Select(t => t.Name));
        }

        return names;
    }

    private static bool NamesStoreOf(SyntaxNode body, HashSet<string> typeParameters)
    {
        foreach (var token in body.DescendantTokens())
        {
            var name = token.ValueText;
            if (name.StartsWith("Serializ", StringComparison.Ordinal) || name.StartsWith("Deserializ", StringComparison.Ordinal) || name.StartsWith("Populate", StringComparison.Ordinal)
                || name is "ReadObject" or "WriteObject"
                || name.StartsWith("Save", StringComparison.Ordinal) || name.StartsWith("Load", StringComparison.Ordinal) || name.StartsWith("Persist", StringComparison.Ordinal)
                || name.Contains("Json") || name.Contains("Xml"))
            {
                return true;
            }

            // T passed on as a type argument (Get<T>(), new Store<T>()) or typeof(T).
            if (typeParameters.Contains(name) && token.Parent?.Parent is TypeArgumentListSyntax or TypeOfExpressionSyntax)
            {
                return true;
            }
        }

        return false;
    }

    private StoreSummary Summarise(IMethodSymbol method, CancellationToken cancellationToken)
    {
        StoreSummary? combined = null;
        foreach (var (_, body) in SourceBodies.Of(method, _compilation, cancellationToken))
        {
            var summary = SummariseBody(body, cancellationToken);
            combined = combined is null ? summary : Agree(combined, summary);
        }

        return combined ?? StoreSummary.Empty;
    }

    private static StoreSummary Agree(StoreSummary a, StoreSummary b)
        => new(
            a.Saved.Where(t => b.Saved.Any(u => SameTypeParameter(t, u))).ToImmutableArray(),
            a.Loaded.Where(t => b.Loaded.Any(u => SameTypeParameter(t, u))).ToImmutableArray(),
            a.Serializer ?? b.Serializer);

    private static bool SameTypeParameter(ITypeParameterSymbol a, ITypeParameterSymbol b)
        => a.TypeParameterKind == b.TypeParameterKind && a.Ordinal == b.Ordinal;

    private StoreSummary SummariseBody(IOperation body, CancellationToken cancellationToken)
    {
        var models = PersistedModels.For(_compilation);
        var saved = new List<ITypeParameterSymbol>();
        var loaded = new List<ITypeParameterSymbol>();
        SerializerKind? serializer = null;
        foreach (var call in body.Descendants().OfType<IInvocationOperation>())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (models?.PersistedTypeParameter(call) is { } persisted)
            {
                Add(persisted.IsSave ? saved : loaded, persisted.TypeParameter);
                serializer ??= persisted.Serializer;
                continue;
            }

            if (!PassesTypeParameter(call))
            {
                continue;
            }

            // Save<T>(…) called with one of our type parameters persists that one.
            var callee = Of(call.TargetMethod, cancellationToken);
            AddTypeArguments(call, callee.Saved, saved);
            AddTypeArguments(call, callee.Loaded, loaded);
            if (!callee.Saved.IsEmpty || !callee.Loaded.IsEmpty)
            {
                serializer ??= callee.Serializer;
            }
        }

        return saved.Count == 0 && loaded.Count == 0 ? StoreSummary.Empty : new StoreSummary(saved.ToImmutableArray(), loaded.ToImmutableArray(), serializer);
    }

    /// <summary>The call's type arguments (its method's, or its receiver's type's) include a type parameter.</summary>
    private static bool PassesTypeParameter(IInvocationOperation call)
        => call.TargetMethod.TypeArguments.Any(t => t is ITypeParameterSymbol)
            || (call.Instance?.Type ?? call.TargetMethod.ContainingType) is INamedTypeSymbol { IsGenericType: true } type && type.TypeArguments.Any(t => t is ITypeParameterSymbol);

    private static void AddTypeArguments(IInvocationOperation call, ImmutableArray<ITypeParameterSymbol> persisted, List<ITypeParameterSymbol> into)
    {
        foreach (var typeParameter in persisted)
        {
            if (MethodSummaries.TypeArgumentFor(call, typeParameter) is ITypeParameterSymbol ours)
            {
                Add(into, ours);
            }
        }
    }

    private static void Add(List<ITypeParameterSymbol> into, ITypeParameterSymbol typeParameter)
    {
        if (!into.Contains(typeParameter, SymbolEqualityComparer.Default))
        {
            into.Add(typeParameter);
        }
    }
}
