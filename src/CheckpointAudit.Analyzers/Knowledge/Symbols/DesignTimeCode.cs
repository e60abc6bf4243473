using System.Linq;
using Microsoft.CodeAnalysis;

namespace CheckpointAudit.Knowledge;

/// <summary>
/// Code only the tooling runs: a member of a type implementing EF Core's <c>IDesignTimeDbContextFactory&lt;T&gt;</c>, which
/// <c>dotnet ef</c> calls to build a context for migrations and scaffolding. The connection it configures is not the
/// running program's, so rules about how the program shares its database do not apply there.
/// </summary>
internal static class DesignTimeCode
{
    public static bool Contains(ISymbol? symbol)
    {
        var type = symbol as INamedTypeSymbol ?? symbol?.ContainingType;
        return type is not null && type.AllInterfaces.Any(i => i.Name == "IDesignTimeDbContextFactory" && i.Arity == 1
            && SymbolNames.IsNamespace(i.ContainingNamespace, "Microsoft.EntityFrameworkCore.Design"));
    }
}
