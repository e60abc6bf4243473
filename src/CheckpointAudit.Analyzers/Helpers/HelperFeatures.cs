using System;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace CheckpointAudit.Helpers;

/// <summary>
/// What the consuming compilation offers, so the generated helper uses only APIs that exist
/// there (File.Move with overwrite exists only on .NET Core 3.0+; span overloads on .NET 9+).
/// </summary>
internal readonly struct HelperFeatures : IEquatable<HelperFeatures>
{
    public const string HelperNamespace = "CheckpointAudit";
    public const string HelperTypeName = "CheckpointFile";
    public const string HelperMetadataName = HelperNamespace + "." + HelperTypeName;

    /// <summary>The generated converter that reads unknown enum names as the default (System.Text.Json only).</summary>
    public const string TolerantEnumConverterName = "TolerantStringEnumConverter";

    /// <summary>The generated EF Core interceptor that switches each opened SQLite connection's database to WAL.</summary>
    public const string WalInterceptorName = "SqliteWalInterceptor";

    /// <summary>Whether <paramref name="type"/> is the helper's generated type <paramref name="name"/>.</summary>
    public static bool IsGeneratedType(INamedTypeSymbol? type, string name)
        => type is not null && type.Name == name && Knowledge.SymbolNames.IsNamespace(type.ContainingNamespace, HelperNamespace);

    public HelperFeatures(bool canEmit, bool hasMoveOverwrite, bool hasSpanOverloads, bool hasMemoryOverloads, bool hasSystemTextJson = false, bool hasProcess = true, bool hasAsyncDispose = false, bool hasEfCoreInterceptors = false)
    {
        HasEfCoreInterceptors = hasEfCoreInterceptors;
        HasAsyncDispose = hasAsyncDispose;
        HasProcess = hasProcess;
        HasSystemTextJson = hasSystemTextJson;
        CanEmit = canEmit;
        HasMoveOverwrite = hasMoveOverwrite;
        HasSpanOverloads = hasSpanOverloads;
        HasMemoryOverloads = hasMemoryOverloads;
    }

    /// <summary>False when System.IO is missing or a CheckpointFile is already visible (own source, or a reference's through InternalsVisibleTo).</summary>
    public bool CanEmit { get; }

    /// <summary>File.Move(string, string, bool) exists.</summary>
    public bool HasMoveOverwrite { get; }

    /// <summary>File.WriteAllText(string, ReadOnlySpan&lt;char&gt;) and WriteAllBytes(string, ReadOnlySpan&lt;byte&gt;) exist.</summary>
    public bool HasSpanOverloads { get; }

    /// <summary>File.WriteAllTextAsync(string, ReadOnlyMemory&lt;char&gt;, ...) and the byte equivalent exist.</summary>
    public bool HasMemoryOverloads { get; }

    /// <summary>System.Text.Json is referenced: Save/Load get overloads that serialize with it.</summary>
    public bool HasSystemTextJson { get; }

    /// <summary>System.Diagnostics.Process exists: temps left by a dead process are swept (their names carry the writer's process ID).</summary>
    public bool HasProcess { get; }

    /// <summary>Stream.DisposeAsync exists: the atomic stream publishes from <c>await using</c> too.</summary>
    public bool HasAsyncDispose { get; }

    /// <summary>EF Core's DbConnectionInterceptor exists: the WAL interceptor is emitted for UseSqlite's fix.</summary>
    public bool HasEfCoreInterceptors { get; }

    public static HelperFeatures From(Compilation compilation)
    {
        var file = compilation.GetTypeByMetadataName("System.IO.File");
        if (file is null || compilation.GetTypeByMetadataName("System.IO.FileStream") is null || IsAlreadyVisible(compilation))
        {
            return default;
        }

        var members = file.GetMembers();
        bool Has(string name, Func<IMethodSymbol, bool> shape)
            => members.OfType<IMethodSymbol>().Any(m => m.Name == name && m.DeclaredAccessibility == Accessibility.Public && shape(m));

        return new HelperFeatures(
            canEmit: true,
            hasMoveOverwrite: Has("Move", m => m.Parameters.Length == 3 && m.Parameters[2].Type.SpecialType == SpecialType.System_Boolean),
            hasSpanOverloads: Has("WriteAllText", m => m.Parameters.Length == 2 && m.Parameters[1].Type.Name == "ReadOnlySpan")
                && Has("WriteAllBytes", m => m.Parameters.Length == 2 && m.Parameters[1].Type.Name == "ReadOnlySpan"),
            hasMemoryOverloads: Has("WriteAllTextAsync", m => m.Parameters.Length == 3 && m.Parameters[1].Type.Name == "ReadOnlyMemory")
                && Has("WriteAllBytesAsync", m => m.Parameters.Length == 3 && m.Parameters[1].Type.Name == "ReadOnlyMemory"),
            hasSystemTextJson: compilation.GetTypeByMetadataName("System.Text.Json.JsonSerializer") is { DeclaredAccessibility: Accessibility.Public },
            hasProcess: compilation.GetTypeByMetadataName("System.Diagnostics.Process") is { DeclaredAccessibility: Accessibility.Public },
            hasAsyncDispose: compilation.GetTypeByMetadataName("System.IO.Stream")?.GetMembers("DisposeAsync").IsEmpty == false,
            hasEfCoreInterceptors: compilation.GetTypeByMetadataName("Microsoft.EntityFrameworkCore.Diagnostics.DbConnectionInterceptor") is { DeclaredAccessibility: Accessibility.Public, IsSealed: false }
                && compilation.GetTypeByMetadataName("System.Threading.Tasks.Task") is not null);
    }

    private static bool IsAlreadyVisible(Compilation compilation)
    {
        if (compilation.Assembly.GetTypeByMetadataName(HelperMetadataName) is not null)
        {
            return true;
        }

        // A referenced project's copy seen through InternalsVisibleTo would clash (CS0436).
        foreach (var assembly in compilation.SourceModule.ReferencedAssemblySymbols)
        {
            var type = assembly.GetTypeByMetadataName(HelperMetadataName);
            if (type is not null && compilation.IsSymbolAccessibleWithin(type, compilation.Assembly))
            {
                return true;
            }
        }

        return false;
    }

    public bool Equals(HelperFeatures other)
        => CanEmit == other.CanEmit && HasMoveOverwrite == other.HasMoveOverwrite
            && HasSpanOverloads == other.HasSpanOverloads && HasMemoryOverloads == other.HasMemoryOverloads
            && HasSystemTextJson == other.HasSystemTextJson && HasProcess == other.HasProcess && HasAsyncDispose == other.HasAsyncDispose
            && HasEfCoreInterceptors == other.HasEfCoreInterceptors;

    public override bool Equals(object? obj) => obj is HelperFeatures other && Equals(other);

    public override int GetHashCode()
        => (CanEmit ? 1 : 0) | (HasMoveOverwrite ? 2 : 0) | (HasSpanOverloads ? 4 : 0) | (HasMemoryOverloads ? 8 : 0) | (HasSystemTextJson ? 16 : 0) | (HasProcess ? 32 : 0) | (HasAsyncDispose ? 64 : 0) | (HasEfCoreInterceptors ? 128 : 0);
}
