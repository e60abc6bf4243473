using CheckpointAudit.Hosting;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace CheckpointAudit.Orphans;

/// <summary>The orphaned files category: one analyzer running one check per rule of the category.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class OrphansAnalyzer : CategoryAnalyzer
{
    public OrphansAnalyzer()
        : base(
            new TempFileLeftOnFailureCheck(),
            new FilesOutliveRecordCheck(),
            new UnsweptTempFilesCheck(),
            new UnprunedStageFilesCheck())
    {
    }
}
