using CheckpointAudit.Hosting;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace CheckpointAudit.Atomicity;

/// <summary>The atomic, durable writes category: one analyzer running one check per rule of the category.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class AtomicityAnalyzer : CategoryAnalyzer
{
    public AtomicityAnalyzer()
        : base(
            new DirectoryNotSyncedCheck(),
            new NonAtomicOverwriteCheck(),
            new OutputOverwriteCheck(),
            new SharedTempNameCheck(),
            new StaleTailWriteCheck(),
            new TempInOtherDirectoryCheck(),
            new TornTailAppendCheck(),
            new UnflushedTempPromotionCheck(),
            new UnsafeReplacementCheck())
    {
    }
}
