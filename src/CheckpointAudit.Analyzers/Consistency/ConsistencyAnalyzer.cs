using CheckpointAudit.Hosting;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace CheckpointAudit.Consistency;

/// <summary>The cross-stage consistency (stable IDs, clocks) category: one analyzer running one check per rule of the category.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ConsistencyAnalyzer : CategoryAnalyzer
{
    public ConsistencyAnalyzer()
        : base(
            new LocalClockPersistedCheck(),
            new UnstableHashPersistedCheck())
    {
    }
}
