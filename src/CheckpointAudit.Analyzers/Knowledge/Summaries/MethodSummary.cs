using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace CheckpointAudit.Knowledge;

/// <summary>What a project method does to the file named by one of its path parameters (string or FileInfo).</summary>
[Flags]
internal enum PathUse
{
    None = 0,

    /// <summary>Truncates and rewrites it (File.WriteAllText, new StreamWriter(path), XDocument.Save(path)…).</summary>
    Overwrites = 1,

    /// <summary>Writes new content into it without truncating (CreateNew, OpenOrCreate, OpenWrite): how temps are written.</summary>
    WritesNew = 2,

    /// <summary>Reads it (File.ReadAll*, File.OpenRead, new StreamReader(path)…).</summary>
    Reads = 4,

    /// <summary>Deletes it.</summary>
    Deletes = 8,

    /// <summary>Moves, replaces or copies it onto another path: the promotion of a temp.</summary>
    MovesAway = 16,

    /// <summary>Receives another file moved, replaced or copied onto it.</summary>
    MovesOnto = 32,

    /// <summary>Any write of content.</summary>
    Writes = Overwrites | WritesNew,
}

/// <summary>
/// A project method seen from its callers: the use of each path parameter, and what a corrupt file makes a loader
/// of its path parameter throw (whether what it writes reaches the disk is <see cref="MethodSummaries.FlushesToDisk"/>;
/// whether it returns data read from storage is <see cref="MethodSummaries.ReturnsStored"/>; what generic stores
/// persist is <see cref="GenericStores"/>).
/// For a virtual, abstract or interface method, what every implementation in the compilation does (the uses they
/// all share).
/// </summary>
internal sealed class MethodSummary
{
    public static readonly MethodSummary Empty = new(ImmutableArray<PathUse>.Empty, ImmutableArray<INamedTypeSymbol>.Empty);

    public MethodSummary(ImmutableArray<PathUse> parameters, ImmutableArray<INamedTypeSymbol> parsesPathThrows)
    {
        ParsesPathThrows = parsesPathThrows;
        Parameters = parameters;
    }

    /// <summary>The use of each parameter, by ordinal (None for parameters that name no file).</summary>
    public ImmutableArray<PathUse> Parameters { get; }

    /// <summary>
    /// For a generic loader that reads the file named by a path parameter and parses it into a type it is given, with no
    /// catch for malformed input (<c>JsonHelper.DeserializeFromFile&lt;T&gt;(path)</c>): what a corrupt file makes the
    /// call throw. It cannot know what its callers should fall back to, so the load rules judge the calls, not the helper.
    /// </summary>
    public ImmutableArray<INamedTypeSymbol> ParsesPathThrows { get; }

    public PathUse Use(IParameterSymbol? parameter)
        => parameter is not null && parameter.Ordinal < Parameters.Length ? Parameters[parameter.Ordinal] : PathUse.None;
}
