using System.Collections;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace CheckpointAudit.Knowledge;

/// <summary>
/// Every persisted root of a compilation, for the rules that judge models at compilation end: the models of the
/// serializer calls seen by the rule's own actions, with their serializer, and the opted-in types, with none. Each
/// root keeps its evidence — the serializer call, or the opted-in type's declaration — which is where a finding about
/// a type declared in another compilation (a referenced project) is reported (see <see cref="LocationFor(ISymbol, INamedTypeSymbol)"/>).
/// </summary>
internal sealed class PersistedRoots : IEnumerable<(INamedTypeSymbol Model, SerializerKind? Serializer)>
{
    private readonly ConcurrentBag<(INamedTypeSymbol Model, SerializerKind? Serializer, Location Call)> _calls = new();
    private readonly Compilation _compilation;
    private readonly CheckpointAuditOptions _options;

    // Root -> the types and enums it carries; computed only for findings whose declaration is in another compilation.
    private readonly ConcurrentDictionary<INamedTypeSymbol, HashSet<INamedTypeSymbol>> _carried = new(SymbolEqualityComparer.Default);

    // The roots with their evidence, in source order, made when first needed (at compilation end).
    private ImmutableArray<(INamedTypeSymbol Model, SerializerKind? Serializer, Location Evidence)> _ordered;

    public PersistedRoots(Compilation compilation, CheckpointAuditOptions options)
    {
        _compilation = compilation;
        _options = options;
    }

    /// <summary>A model of the serializer call at <paramref name="call"/>.</summary>
    public void Add(INamedTypeSymbol model, SerializerKind? serializer, Location call) => _calls.Add((model, serializer, call));

    public IEnumerator<(INamedTypeSymbol Model, SerializerKind? Serializer)> GetEnumerator()
        => _calls.Select(c => (c.Model, c.Serializer)).Concat(OptedInTypes.Of(_compilation, _options).Select(t => (t, (SerializerKind?)null))).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>
    /// Where to report a finding about <paramref name="symbol"/> — a type, or a member of a type — that a persisted root
    /// carries through <paramref name="carrier"/> (the symbol itself, or the type that declares the member): the symbol's
    /// declaration when it is in this compilation; else the evidence of the first root (in source order) that carries
    /// it, which is in this compilation; null when there is none (then the finding is not reported here).
    /// </summary>
    public Location? LocationFor(ISymbol symbol, INamedTypeSymbol carrier)
        => InCompilationLocation.Of(symbol, _compilation) ?? Evidence(carrier, _ => true);

    /// <summary>
    /// <see cref="LocationFor(ISymbol, INamedTypeSymbol)"/>, preferring the evidence of a root stored with
    /// <paramref name="serializer"/> (null: an opted-in root), which the finding's message names.
    /// </summary>
    public Location? LocationFor(ISymbol symbol, INamedTypeSymbol carrier, SerializerKind? serializer)
        => LocationFor(symbol, carrier, s => s == serializer);

    /// <summary>
    /// <see cref="LocationFor(ISymbol, INamedTypeSymbol)"/>, preferring the evidence of a root whose serializer (null: an
    /// opted-in root) is one the finding is about.
    /// </summary>
    public Location? LocationFor(ISymbol symbol, INamedTypeSymbol carrier, System.Func<SerializerKind?, bool> preferred)
        => InCompilationLocation.Of(symbol, _compilation) ?? Evidence(carrier, preferred) ?? Evidence(carrier, _ => true);

    private Location? Evidence(INamedTypeSymbol carrier, System.Func<SerializerKind?, bool> serializer)
    {
        if (_ordered.IsDefault)
        {
            // Every call has been added by then: the calls in source order, then the opted-in types.
            ImmutableInterlocked.InterlockedInitialize(ref _ordered, _calls
                .OrderBy(c => c.Call.SourceTree?.FilePath, System.StringComparer.Ordinal).ThenBy(c => c.Call.SourceSpan.Start)
                .Select(c => (c.Model, c.Serializer, c.Call))
                .Concat(OptedInTypes.Of(_compilation, _options).Select(t => (t, (SerializerKind?)null, InCompilationLocation.Of(t, _compilation)))
                    .Where(t => t.Item3 is not null).Select(t => (t.Item1, t.Item2, t.Item3!)))
                .ToImmutableArray());
        }

        foreach (var (model, kind, evidence) in _ordered)
        {
            if (serializer(kind) && Carried(model).Contains(carrier.OriginalDefinition))
            {
                return evidence;
            }
        }

        return null;
    }

    private HashSet<INamedTypeSymbol> Carried(INamedTypeSymbol root) => _carried.GetOrAdd(root.OriginalDefinition, r => SerializedMembers.Carried(r));
}
