using System;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace CheckpointAudit.Knowledge;

/// <summary>
/// Globs on type names from an option (<c>checkpoint_audit.persisted_types</c>): <c>*</c> matches any run of
/// characters, <c>?</c> one. A pattern with a dot is matched against the full name (namespace and
/// containing types, no <c>global::</c>), one without against the simple name.
/// </summary>
internal sealed class TypeNamePatterns
{
    public static readonly TypeNamePatterns Empty = new(ImmutableArray<string>.Empty);

    private readonly ImmutableArray<string> _patterns;

    private TypeNamePatterns(ImmutableArray<string> patterns) => _patterns = patterns;

    public bool IsEmpty => _patterns.IsEmpty;

    public static TypeNamePatterns Parse(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return Empty;
        }

        var patterns = value!.Split(new[] { ',', ';', ' ' }, StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Trim()).Where(p => p.Length > 0).ToImmutableArray();
        return patterns.IsEmpty ? Empty : new TypeNamePatterns(patterns);
    }

    public bool Matches(INamedTypeSymbol type)
    {
        if (_patterns.IsEmpty)
        {
            return false;
        }

        var fullName = SymbolNames.Display(type, SymbolDisplayFormat.CSharpErrorMessageFormat.WithGenericsOptions(SymbolDisplayGenericsOptions.None));
        return _patterns.Any(pattern => Glob(pattern, pattern.IndexOf('.') >= 0 ? fullName : type.Name, 0, 0));
    }

    private static bool Glob(string pattern, string text, int p, int t)
    {
        while (p < pattern.Length)
        {
            var c = pattern[p];
            if (c == '*')
            {
                for (var rest = t; rest <= text.Length; rest++)
                {
                    if (Glob(pattern, text, p + 1, rest))
                    {
                        return true;
                    }
                }

                return false;
            }

            if (t >= text.Length || (c != '?' && c != text[t]))
            {
                return false;
            }

            p++;
            t++;
        }

        return t == text.Length;
    }
}
