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

    // The roots some call of the compilation saves (the others are only loaded here).
    private readonly ConcurrentDictionary<INamedTypeSymbol, bool> _saved = new(SymbolEqualityComparer.Default);

    // The types the saved roots carry, made when first asked (at compilation end).
    private HashSet<INamedTypeSymbol>? _carriedBySaves;

    // The roots some call stores in or loads from a file not known to be regenerable output (or the database), the types
    // they carry (made when first asked), and the roots whose calls all use a cache, with the evidence.
    private readonly ConcurrentDictionary<INamedTypeSymbol, bool> _kept = new(SymbolEqualityComparer.Default);
    private HashSet<INamedTypeSymbol>? _carriedByKept;
    private readonly ConcurrentDictionary<INamedTypeSymbol, string> _outputEvidence = new(SymbolEqualityComparer.Default);
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

    /// <summary>A model of the serializer call at <paramref name="call"/>, which saves it or loads it.</summary>
    /// <param name="output">The evidence that the call's file holds regenerable output (a cache), or null.</param>
    public void Add(INamedTypeSymbol model, SerializerKind? serializer, Location call, bool save, string? output = null)
    {
        _calls.Add((model, serializer, call));
        if (save)
        {
            _saved.TryAdd(model.OriginalDefinition, true);
        }

        if (output is null)
        {
            _kept.TryAdd(model.OriginalDefinition, true);
        }
        else
        {
            // The first evidence in ordinal order, so the finding's words do not depend on the order actions ran in.
            _outputEvidence.AddOrUpdate(model.OriginalDefinition, output, (_, known) => string.CompareOrdinal(known, output) <= 0 ? known : output);
        }
    }

    /// <summary>
    /// What the files of <paramref name="type"/> hold, for a finding about it: regenerable output when every call that
    /// stores or loads a root carrying it does so in a file whose path names a cache, download or log (and it is not opted
    /// in); for review when the compilation only loads it (<see cref="OnlyLoaded"/>); else null (the rule's own severity).
    /// Asked at compilation end.
    /// </summary>
    public WrittenDataClass? Held(INamedTypeSymbol type)
    {
        if (_carriedByKept is null)
        {
            var carried = new HashSet<INamedTypeSymbol>(SymbolEqualityComparer.Default);
            foreach (var root in _kept.Keys.Concat(OptedInTypes.Of(_compilation, _options)))
            {
                carried.UnionWith(Carried(root));
            }

            System.Threading.Interlocked.CompareExchange(ref _carriedByKept, carried, null);
        }

        if (!_carriedByKept!.Contains(type.OriginalDefinition))
        {
            var output = _outputEvidence.Where(r => Carried(r.Key).Contains(type.OriginalDefinition)).Select(r => r.Value)
                .OrderBy(e => e, System.StringComparer.Ordinal).FirstOrDefault();
            if (output is not null)
            {
                return new WrittenDataClass(DataHeld.Output, output);
            }
        }

        return OnlyLoaded(type) ? new WrittenDataClass(DataHeld.Unclassified, OnlyLoadedEvidence(type)) : null;
    }

    /// <summary>
    /// Whether the compilation only loads <paramref name="type"/>: no call saves a root that carries it and it is not
    /// opted in. Such data is written by another program or a person (a signed licence, a user-written sync file,
    /// a downloaded response): its format is theirs, so rules about how this program evolves its own format are for
    /// review there. Asked at compilation end, when every call has been added.
    /// </summary>
    public bool OnlyLoaded(INamedTypeSymbol type)
    {
        if (_carriedBySaves is null)
        {
            var carried = new HashSet<INamedTypeSymbol>(SymbolEqualityComparer.Default);
            foreach (var root in _saved.Keys.Concat(OptedInTypes.Of(_compilation, _options)))
            {
                carried.UnionWith(Carried(root));
            }

            System.Threading.Interlocked.CompareExchange(ref _carriedBySaves, carried, null);
        }

        return !_carriedBySaves!.Contains(type.OriginalDefinition);
    }

    /// <summary>The evidence words of a finding about a type the compilation only loads.</summary>
    public static string OnlyLoadedEvidence(INamedTypeSymbol type)
        => $"'{type.Name}' is only loaded in this project, never saved: it may be another program's or a person's format rather than this program's state";

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
