using CheckpointAudit.Hosting;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace CheckpointAudit.Corruption;

/// <summary>The corruption detection and recovery category: one analyzer running one check per rule of the category.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class CorruptionAnalyzer : CategoryAnalyzer
{
    public CorruptionAnalyzer()
        : base(
            new CorruptionSwallowedCheck(),
            new NoPreviousVersionCheck(),
            new NullDeserializationResultCheck(),
            new UnguardedDeserializationCheck(),
            new UnverifiedLoadCheck())
    {
    }
}
