using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace CheckpointAudit.Knowledge;

/// <summary>
/// The schema baseline: <c>CheckpointSchema.Shipped.txt</c> (members of released builds) and
/// <c>CheckpointSchema.Unshipped.txt</c> (members added since), given as additional files. One persisted
/// member per line, <c>Type.Member : serialized name : member type</c>, with the type's full name and the
/// member type as C# writes it; blank lines and lines starting with '#' are ignored.
/// </summary>
internal sealed class SchemaBaseline
{
    public const string ShippedFileName = "CheckpointSchema.Shipped.txt";
    public const string UnshippedFileName = "CheckpointSchema.Unshipped.txt";
    private const string Separator = " : ";

    private SchemaBaseline(ImmutableArray<Entry> shipped, ImmutableArray<Entry> unshipped)
    {
        Shipped = shipped;
        Unshipped = unshipped;
    }

    public ImmutableArray<Entry> Shipped { get; }

    public ImmutableArray<Entry> Unshipped { get; }

    /// <summary>One line of a baseline file, and where it is (for diagnostics on removed members).</summary>
    public sealed class Entry(string type, string member, string serializedName, string memberType, Location location)
    {
        public string Type { get; } = type;
        public string Member { get; } = member;
        public string SerializedName { get; } = serializedName;
        public string MemberType { get; } = memberType;
        public Location Location { get; } = location;

        public string Key => Type + "." + Member;
    }

    /// <summary>The baseline, or null when the project has neither file (the rule is off).</summary>
    public static SchemaBaseline? From(ImmutableArray<AdditionalText> files, System.Threading.CancellationToken cancellationToken)
    {
        AdditionalText? shipped = null;
        AdditionalText? unshipped = null;
        foreach (var file in files)
        {
            var name = System.IO.Path.GetFileName(file.Path);
            if (string.Equals(name, ShippedFileName, StringComparison.OrdinalIgnoreCase))
            {
                shipped = file;
            }
            else if (string.Equals(name, UnshippedFileName, StringComparison.OrdinalIgnoreCase))
            {
                unshipped = file;
            }
        }

        return shipped is null && unshipped is null ? null : new SchemaBaseline(Read(shipped, cancellationToken), Read(unshipped, cancellationToken));
    }

    /// <summary>The baseline line for a member.</summary>
    public static string Line(INamedTypeSymbol type, ISymbol member, string serializedName, ITypeSymbol memberType)
        => TypeName(type) + "." + member.Name + Separator + serializedName + Separator + TypeName(memberType);

    public static string TypeName(ITypeSymbol type) => SymbolNames.Display(type, SymbolDisplayFormat.CSharpErrorMessageFormat);

    private static ImmutableArray<Entry> Read(AdditionalText? file, System.Threading.CancellationToken cancellationToken)
    {
        if (file?.GetText(cancellationToken) is not { } text)
        {
            return ImmutableArray<Entry>.Empty;
        }

        var entries = ImmutableArray.CreateBuilder<Entry>();
        foreach (var line in text.Lines)
        {
            var content = line.ToString().Trim();
            if (content.Length == 0 || content.StartsWith("#", StringComparison.Ordinal))
            {
                continue;
            }

            var parts = content.Split(new[] { Separator }, StringSplitOptions.None);
            var dot = parts[0].LastIndexOf('.');
            if (parts.Length != 3 || dot <= 0)
            {
                continue;
            }

            var location = Location.Create(file.Path, line.Span, text.Lines.GetLinePositionSpan(line.Span));
            entries.Add(new Entry(parts[0].Substring(0, dot).Trim(), parts[0].Substring(dot + 1).Trim(), parts[1].Trim(), parts[2].Trim(), location));
        }

        return entries.ToImmutable();
    }
}
