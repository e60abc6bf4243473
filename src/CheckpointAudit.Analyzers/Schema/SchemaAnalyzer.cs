using CheckpointAudit.Hosting;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace CheckpointAudit.Schema;

/// <summary>The schema versioning and migration category: one analyzer running one check per rule of the category.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class SchemaAnalyzer : CategoryAnalyzer
{
    public SchemaAnalyzer()
        : base(
            new EnumWithoutExplicitValuesCheck(),
            new MissingSchemaVersionCheck(),
            new RequiredOnLoadCheck(),
            new SchemaBaselineCheck(),
            new ValidationRejectsOldDataCheck(),
            new VersionNeverCheckedCheck(),
            new VersionStartsAtCurrentCheck())
    {
    }
}
