using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace CheckpointAudit.Knowledge;

/// <summary>
/// Migration and upgrade code: a member, type or namespace whose name has the word migrate, migration(s), migrator or
/// upgrade(r) (MigrateSettings, UserDbMigration, App.Migrations.Routines). It runs once per installation on data an
/// older release wrote: what it writes is a one-shot write, the legacy shapes it declares are not the program's current
/// persisted models, and the legacy databases it opens are not the live one.
/// </summary>
internal static class MigrationCode
{
    private static readonly HashSet<string> Words = NameWords.Set(
        "migrate", "migrates", "migration", "migrations", "migrator", "upgrade", "upgrades", "upgrader");

    /// <summary>The migration-named symbol <paramref name="symbol"/> is or is declared in, or null.</summary>
    public static ISymbol? Around(ISymbol? symbol)
    {
        for (; symbol is not null; symbol = symbol.ContainingSymbol)
        {
            if (symbol is INamespaceSymbol { IsGlobalNamespace: true })
            {
                return null;
            }

            if (NameWords.First(symbol.Name, Words) is not null)
            {
                return symbol;
            }
        }

        return null;
    }

    public static bool Contains(ISymbol? symbol) => Around(symbol) is not null;
}
