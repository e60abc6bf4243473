using System;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace CheckpointAudit.Knowledge;

/// <summary>
/// The member of a model that records its schema version: an instance property or field (own or
/// inherited) whose name, or whose serialized name ([JsonPropertyName], [JsonProperty], [DataMember(Name)],
/// [XmlElement], [XmlAttribute]), is one of the version names — compared without case, '_' or '-', so
/// "SchemaVersion", "schema_version" and "schemaVersion" are one name. Members the serializer ignores
/// ([JsonIgnore], [XmlIgnore], [IgnoreDataMember], [NonSerialized]) do not count.
/// </summary>
internal static class SchemaVersionMember
{
    public const string DefaultName = "SchemaVersion";

    /// <summary>The names recognised when <c>checkpoint_audit.schema_version_members</c> is not set.</summary>
    public static readonly ImmutableArray<string> DefaultNames = ImmutableArray.Create(
        "SchemaVersion", "Version", "FormatVersion", "DataVersion", "FileVersion", "ModelVersion", "StateVersion", "ConfigVersion", "SettingsVersion");

    public static ISymbol? Find(INamedTypeSymbol type, ImmutableArray<string> names, Compilation? compilation = null)
        => FindNamed(type, names) ?? (compilation is null ? null : FindComparedStamp(type, compilation) ?? ReleaseStamp.Find(type, compilation));

    /// <summary>
    /// A member stamped with the version of the program that wrote the data (<c>ApplicationVersion</c>,
    /// <c>AppVersion</c>: a name ending in "Version") that the project compares on load
    /// (<c>CompareVersion(settings.ApplicationVersion, "13.1") &lt; 0</c>, a migration by release): the data's
    /// version, even if it is the program's release. Searched only for a model with no version member by name.
    /// </summary>
    private static ISymbol? FindComparedStamp(INamedTypeSymbol type, Compilation compilation)
    {
        for (var current = type; current is not null && current.SpecialType != SpecialType.System_Object; current = current.BaseType)
        {
            foreach (var member in current.GetMembers())
            {
                if (!member.IsStatic && !member.IsImplicitlyDeclared && member is IPropertySymbol or IFieldSymbol && !SerializedMembers.IsIgnored(member)
                    && Normalize(member.Name).EndsWith("VERSION", StringComparison.Ordinal)
                    && ComparedStamps.GetValue(compilation, _ => new System.Collections.Concurrent.ConcurrentDictionary<ISymbol, bool>(SymbolEqualityComparer.Default))
                        .GetOrAdd(member.OriginalDefinition, m => VersionChecks.IsCheckedAnywhere(m, compilation, default)))
                {
                    return member;
                }
            }
        }

        return null;
    }

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<Compilation, System.Collections.Concurrent.ConcurrentDictionary<ISymbol, bool>> ComparedStamps = new();

    private static ISymbol? FindNamed(INamedTypeSymbol type, ImmutableArray<string> names)
    {
        for (var current = type; current is not null && current.SpecialType != SpecialType.System_Object; current = current.BaseType)
        {
            foreach (var member in current.GetMembers())
            {
                if (member.IsStatic || member.IsImplicitlyDeclared || member is not (IPropertySymbol or IFieldSymbol) || SerializedMembers.IsIgnored(member))
                {
                    continue;
                }

                if (IsNamedAsVersion(member, names) && !IsReleaseVersion(member))
                {
                    return member;
                }
            }
        }

        return null;
    }

    /// <summary>
    /// A bare <c>Version</c> that is not a number (a string such as "10.9.1.0", a System.Version) is the release of the
    /// program or plugin the data describes, not the format of the data: a plugin manifest's Version changes with every
    /// release and no reader migrates by it.
    /// </summary>
    private static bool IsReleaseVersion(ISymbol member)
    {
        if (!string.Equals(Normalize(member.Name), "VERSION", StringComparison.Ordinal))
        {
            return false;
        }

        var type = TypeRelations.StoredType(member);
        return type is not null && type.TypeKind != TypeKind.Enum && type.SpecialType is not (SpecialType.System_Byte or SpecialType.System_SByte
            or SpecialType.System_Int16 or SpecialType.System_UInt16 or SpecialType.System_Int32 or SpecialType.System_UInt32
            or SpecialType.System_Int64 or SpecialType.System_UInt64);
    }

    /// <summary>Whether the member's name or serialized name is one of the version names.</summary>
    public static bool IsNamedAsVersion(ISymbol member, ImmutableArray<string> names)
        => Matches(member.Name, names) || SerializedMembers.ExplicitNames(member).Any(serialized => Matches(serialized, names));

    /// <summary>Names from the option (comma separated), or the defaults.</summary>
    public static ImmutableArray<string> ParseNames(string? option)
    {
        if (string.IsNullOrWhiteSpace(option))
        {
            return DefaultNames;
        }

        var names = option!.Split(new[] { ',', ';', ' ' }, StringSplitOptions.RemoveEmptyEntries).Select(n => n.Trim()).Where(n => n.Length > 0).ToImmutableArray();
        return names.IsEmpty ? DefaultNames : names;
    }

    private static bool Matches(string name, ImmutableArray<string> names)
    {
        var normalized = Normalize(name);
        foreach (var candidate in names)
        {
            if (string.Equals(normalized, Normalize(candidate), StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static string Normalize(string name) => name.Replace("_", string.Empty).Replace("-", string.Empty).ToUpperInvariant();
}
