using CheckpointAudit.Hosting;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace CheckpointAudit.Concurrency;

/// <summary>The SQLite concurrency and database/file ordering category: one analyzer running one check per rule of the category.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ConcurrencyAnalyzer : CategoryAnalyzer
{
    public ConcurrencyAnalyzer()
        : base(
            new DatabaseFileSwappedUnderPoolCheck(),
            new DoneBeforeDataCheck(),
            new ExistsThenActCheck(),
            new ForeignKeysNotEnforcedCheck(),
            new SharedConnectionCheck(),
            new SqliteBusyHandlingCheck(),
            new SqliteObjectLeftOpenCheck(),
            new SqliteSharedCacheCheck(),
            new SqliteWithoutWalCheck(),
            new StatusCheckThenActCheck(),
            new TransactionAcrossIoCheck())
    {
    }
}
