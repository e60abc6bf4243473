using Microsoft.CodeAnalysis;

namespace CheckpointAudit.Knowledge;

/// <summary>
/// The hash algorithms an integrity check computes over stored data: HashAlgorithm (SHA*, MD5, HMAC*) and
/// NonCryptographicHashAlgorithm (CRC32, xxHash). Used by CKPT303 and by the audit's survey of integrity checks.
/// </summary>
internal sealed class IntegrityHashes
{
    private IntegrityHashes(Compilation compilation)
    {
        HashAlgorithm = KnownTypes.Get(compilation, "System.Security.Cryptography.HashAlgorithm");
        NonCryptographicHash = KnownTypes.Get(compilation, "System.IO.Hashing.NonCryptographicHashAlgorithm");
    }

    /// <summary>System.Security.Cryptography.HashAlgorithm.</summary>
    public INamedTypeSymbol? HashAlgorithm { get; }

    /// <summary>System.IO.Hashing.NonCryptographicHashAlgorithm.</summary>
    public INamedTypeSymbol? NonCryptographicHash { get; }

    public static IntegrityHashes For(Compilation compilation) => PerCompilation<IntegrityHashes>.Get(compilation, c => new IntegrityHashes(c))!;

    /// <summary>A call on this type (an instance's ComputeHash, a static HashData/Hash) computes a hash.</summary>
    public bool IsHashType(ITypeSymbol? type)
        => TypeRelations.InheritsFrom(type, HashAlgorithm) || TypeRelations.InheritsFrom(type, NonCryptographicHash);
}
