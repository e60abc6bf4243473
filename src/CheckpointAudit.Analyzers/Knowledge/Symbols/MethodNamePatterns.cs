using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace CheckpointAudit.Knowledge;

/// <summary>
/// A list of method names from an option: <c>Save</c>, <c>SafeFile.Write</c>,
/// <c>MyCo.IO.SafeFile.Write</c>, or a prefix ending in <c>*</c> (<c>SafeFile.Write*</c>).
/// A dotted pattern matches the end of the fully qualified name on a dot boundary.
/// </summary>
internal sealed class MethodNamePatterns
{
    public static readonly MethodNamePatterns Empty = new(ImmutableArray<string>.Empty);

    private readonly ImmutableArray<string> _patterns;

    private MethodNamePatterns(ImmutableArray<string> patterns) => _patterns = patterns;

    public bool IsEmpty => _patterns.IsEmpty;

    public static MethodNamePatterns Parse(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return Empty;
        }

        var builder = ImmutableArray.CreateBuilder<string>();
        foreach (var part in value!.Split(new[] { ',', ';', ' ' }, StringSplitOptions.RemoveEmptyEntries))
        {
            var pattern = part.Trim();
            if (pattern.Length > 0)
            {
                builder.Add(pattern);
            }
        }

        return builder.Count == 0 ? Empty : new MethodNamePatterns(builder.ToImmutable());
    }

    public bool Matches(ISymbol? symbol)
    {
        if (_patterns.IsEmpty || symbol is null)
        {
            return false;
        }

        var fullName = symbol.ContainingType is null
            ? symbol.Name
            : SymbolNames.Display(symbol.ContainingType, SymbolDisplayFormat.CSharpErrorMessageFormat) + "." + symbol.Name;
        foreach (var pattern in _patterns)
        {
            if (Matches(pattern, fullName))
            {
                return true;
            }
        }

        return false;
    }

    private static bool Matches(string pattern, string fullName)
    {
        if (pattern.EndsWith("*", StringComparison.Ordinal))
        {
            var prefix = pattern.Substring(0, pattern.Length - 1);
            // The prefix must start at the beginning of the name or right after a dot.
            for (var start = 0; start < fullName.Length; start = fullName.IndexOf('.', start) + 1)
            {
                if (string.CompareOrdinal(fullName, start, prefix, 0, prefix.Length) == 0
                    && fullName.IndexOf('.', start + prefix.Length) < 0)
                {
                    return true;
                }

                if (fullName.IndexOf('.', start) < 0)
                {
                    break;
                }
            }

            return false;
        }

        return fullName.Length == pattern.Length
            ? string.Equals(fullName, pattern, StringComparison.Ordinal)
            : fullName.EndsWith("." + pattern, StringComparison.Ordinal);
    }
}
