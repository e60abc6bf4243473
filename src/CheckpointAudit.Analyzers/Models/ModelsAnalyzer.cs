using CheckpointAudit.Hosting;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace CheckpointAudit.Models;

/// <summary>The serializer model round-trip integrity category: one analyzer running one check per rule of the category.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ModelsAnalyzer : CategoryAnalyzer
{
    public ModelsAnalyzer()
        : base(
            new CollectionNotPopulatedCheck(),
            new DerivedDataLostCheck(),
            new IgnoredBySerializerCheck(),
            new LooselyTypedMemberCheck(),
            new NeverRestoredCheck())
    {
    }
}
