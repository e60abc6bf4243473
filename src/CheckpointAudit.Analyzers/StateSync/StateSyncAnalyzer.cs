using CheckpointAudit.Hosting;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace CheckpointAudit.StateSync;

/// <summary>The server and UI state sync category: one analyzer running one check per rule of the category.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class StateSyncAnalyzer : CategoryAnalyzer
{
    public StateSyncAnalyzer()
        : base(
            new UnversionedUpdateCheck(),
            new ClientStateUnvalidatedCheck(),
            new StateChangeNotBroadcastCheck())
    {
    }
}
