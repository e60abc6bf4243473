using System;
using System.Collections.Generic;

namespace CheckpointAudit.Knowledge;

/// <summary>
/// The words of an identifier or a text, split at case changes ("thumbCachePath": thumb, cache, path; "XMLCache": XML,
/// cache), digits and punctuation, so that a word is matched whole: "catalog" and "dialog" do not hold "log".
/// </summary>
internal static class NameWords
{
    /// <summary>The first word of <paramref name="text"/> that is in <paramref name="words"/>, or null.</summary>
    public static string? First(string text, HashSet<string> words)
    {
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var c = i < text.Length ? text[i] : ' ';
            var boundary = !char.IsLetter(c)
                || (start >= 0 && i > start && char.IsUpper(c)
                    && (!char.IsUpper(text[i - 1]) || (i + 1 < text.Length && char.IsLower(text[i + 1]))));
            if (boundary && start >= 0)
            {
                var word = text.Substring(start, i - start);
                if (words.Contains(word))
                {
                    return word;
                }

                start = -1;
            }

            if (char.IsLetter(c) && start < 0)
            {
                start = i;
            }
        }

        return null;
    }

    public static HashSet<string> Set(params string[] words) => new(words, StringComparer.OrdinalIgnoreCase);

    /// <summary>The words of a method named for saving what it is given (Save, WriteAsync, SerializeToFile, Persist, Flush…).</summary>
    public static HashSet<string> SaveVerbs { get; } = Set("save", "write", "serialize", "store", "persist", "flush", "commit", "dump", "export");

    /// <summary>Whether a call's syntax names a method named for a save (<c>ser.WriteObject(…)</c>, <c>Save(…)</c>): tested before binding it.</summary>
    public static bool CallsASave(Microsoft.CodeAnalysis.CSharp.Syntax.InvocationExpressionSyntax call)
        => First(
            call.Expression switch
            {
                Microsoft.CodeAnalysis.CSharp.Syntax.MemberAccessExpressionSyntax access => access.Name.Identifier.ValueText,
                Microsoft.CodeAnalysis.CSharp.Syntax.SimpleNameSyntax simple => simple.Identifier.ValueText,
                _ => string.Empty,
            },
            SaveVerbs) is not null;
}
