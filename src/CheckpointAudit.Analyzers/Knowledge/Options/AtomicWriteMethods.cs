using Microsoft.CodeAnalysis;

namespace CheckpointAudit.Knowledge;

/// <summary>Whether code sits inside one of the user's own atomic-write methods (checkpoint_audit.atomic_write_methods).</summary>
internal static class AtomicWriteMethods
{
    public static bool Contains(ISymbol? symbol, MethodNamePatterns patterns)
    {
        if (patterns.IsEmpty)
        {
            return false;
        }

        for (var current = symbol; current is IMethodSymbol; current = current.ContainingSymbol)
        {
            if (patterns.Matches(current))
            {
                return true;
            }
        }

        return false;
    }
}
