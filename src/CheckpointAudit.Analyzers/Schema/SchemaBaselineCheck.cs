using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using CheckpointAudit.Catalog;
using CheckpointAudit.Checks;
using CheckpointAudit.Knowledge;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace CheckpointAudit.Schema;

/// <summary>
/// CKPT106 (compilation end; off until the project adds a baseline file): the persisted members of the
/// project — serialized members of persisted models and the types they reach — compared with the schema
/// baseline (<see cref="SchemaBaseline"/>). A shipped member whose serialized name or type changed is
/// reported on the member (Warning); a shipped member or type that no longer exists, and no other member
/// carries its serialized name, on its baseline line (Warning); a persisted member in neither file on the
/// member (Info), with the line to add in the "line" property for the fix. A member of a model declared in a referenced
/// project is reported at the first serializer call of this project that stores it.
/// </summary>
public sealed class SchemaBaselineCheck : SchemaRuleCheck
{
    public const string LineProperty = "line";

    public SchemaBaselineCheck()
        : base(RuleCatalog.SchemaBaselineChange)
    {
    }

    private protected override void Register(CheckStart start, PersistedModels models, CheckpointAuditOptions options)
    {
        if (SchemaBaseline.From(start.Options.AdditionalFiles, start.CancellationToken) is not { } baseline)
        {
            return;
        }

        var roots = CollectRoots(start, models, options);
        start.RegisterCompilationEndAction(end => Compare(end, baseline, roots));
    }

    private void Compare(CompilationAnalysisContext end, SchemaBaseline baseline, PersistedRoots roots)
    {
        // Every persisted member as it is now: "Type.Member" -> (type, member, serialized name, member type).
        var current = new Dictionary<string, (INamedTypeSymbol Type, ISymbol Member, string Name, ITypeSymbol MemberType)>();
        foreach (var type in SerializedMembers.ReachableTypes(roots.Select(r => r.Model).Distinct(SymbolEqualityComparer.Default).Cast<INamedTypeSymbol>()))
        {
            var contract = KnownAttributes.Has(type, KnownAttributes.DataContract);
            foreach (var member in type.GetMembers())
            {
                if (!member.Locations.IsEmpty && member.Locations[0].IsInSource && SerializedMembers.IsSerialized(member, contract)
                    && ((member as IPropertySymbol)?.Type ?? (member as IFieldSymbol)?.Type) is { } memberType)
                {
                    current[SchemaBaseline.TypeName(type) + "." + member.Name] = (type, member, SerializedMembers.StoredName(member), memberType);
                }
            }
        }

        // Known by C# name, or by serialized name (a member renamed in C# only, whose stored name is kept, is the same member).
        var entries = baseline.Shipped.Concat(baseline.Unshipped).ToList();
        var known = new HashSet<string>(entries.Select(e => e.Key));
        var knownStored = new HashSet<string>(entries.Select(e => e.Type + " : " + e.SerializedName));
        foreach (var entry in baseline.Shipped)
        {
            if (current.TryGetValue(entry.Key, out var now))
            {
                if (roots.LocationFor(now.Member, now.Type) is not { } location)
                {
                    continue;
                }

                if (now.Name != entry.SerializedName)
                {
                    Report(end, location, DiagnosticSeverity.Warning,
                        $"'{entry.Key}' is stored as '{now.Name}' but shipped as '{entry.SerializedName}': data written by released builds loses this value on load; keep the shipped name or read both");
                }
                else if (SchemaBaseline.TypeName(now.MemberType) != entry.MemberType)
                {
                    Report(end, location, DiagnosticSeverity.Warning,
                        $"'{entry.Key}' is now '{SchemaBaseline.TypeName(now.MemberType)}' but shipped as '{entry.MemberType}': data written by released builds may fail to load or load wrong; migrate it or keep the shipped type");
                }
            }
            else if (!current.Values.Any(c => SchemaBaseline.TypeName(c.Type) == entry.Type && c.Name == entry.SerializedName))
            {
                Report(end, entry.Location, DiagnosticSeverity.Warning,
                    $"Shipped persisted member '{entry.Key}' (stored as '{entry.SerializedName}') no longer exists: its value in data written by released builds is dropped on load; keep a member with that serialized name or migrate it, then update the baseline");
            }
        }

        foreach (var pair in current.Where(p => !known.Contains(p.Key) && !knownStored.Contains(SchemaBaseline.TypeName(p.Value.Type) + " : " + p.Value.Name))
            .OrderBy(p => p.Key, System.StringComparer.Ordinal))
        {
            var (type, member, name, memberType) = pair.Value;
            if (roots.LocationFor(member, type) is not { } location)
            {
                continue;
            }

            Report(end, location, DiagnosticSeverity.Info,
                $"Persisted member '{pair.Key}' is not in the schema baseline: add it to {SchemaBaseline.UnshippedFileName} so that later changes to it are caught",
                SchemaBaseline.Line(type, member, name, memberType));
        }
    }

    private void Report(CompilationAnalysisContext end, Location location, DiagnosticSeverity severity, string message, string? line = null)
    {
        var properties = line is null ? ImmutableDictionary<string, string?>.Empty : ImmutableDictionary<string, string?>.Empty.Add(LineProperty, line);
        end.ReportDiagnostic(Diagnostic.Create(Rule.Descriptor, location, severity, additionalLocations: null, properties, message));
    }
}
