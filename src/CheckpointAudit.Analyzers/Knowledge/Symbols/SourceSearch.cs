using System;
using System.Collections.Generic;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace CheckpointAudit.Knowledge;

/// <summary>
/// Finds where a name is used across the compilation's source, for facts a rule needs from other files
/// (the callers of a loader, the comparisons of a version member, the string-enum converters). Files whose
/// text does not contain the name are skipped without parsing or binding, so callers use it only after a
/// cheaper check has found something to report.
/// </summary>
internal static class SourceSearch
{
    /// <summary>
    /// The operation of every use of <paramref name="name"/> as a simple name: the invocation when it is
    /// called, the member access when it is accessed, the object creation when it is constructed, else the name.
    /// </summary>
    public static IEnumerable<IOperation> Uses(string name, IEnumerable<SyntaxTree> trees, Compilation compilation, SemanticModel? knownModel, CancellationToken cancellationToken)
    {
        foreach (var tree in trees)
        {
            var text = tree.GetText(cancellationToken);
            var positions = Positions(text, name);
            if (positions is null)
            {
                continue;
            }

#pragma warning disable RS1030 // Only after a cheaper check found a finding to confirm; the driver's models cover the file being analyzed only.
            var model = knownModel?.SyntaxTree == tree ? knownModel : compilation.GetSemanticModel(tree);
#pragma warning restore RS1030
            var root = tree.GetRoot(cancellationToken);
            foreach (var position in positions)
            {
                // The name is found in the text, then its token looked up: no walk of the file's tokens. A match inside a
                // longer identifier, a comment or a string is not a token ending there with that value.
                var token = root.FindToken(position);
                if (token.Span.End != position + name.Length || token.ValueText != name || token.Parent is not SimpleNameSyntax simpleName)
                {
                    continue;
                }

                SyntaxNode node = simpleName;
                if (node.Parent is MemberAccessExpressionSyntax access && access.Name == node)
                {
                    node = access;
                }

                if (node.Parent is QualifiedNameSyntax qualified && qualified.Right == node)
                {
                    node = qualified;
                }

                var use = node.Parent switch
                {
                    InvocationExpressionSyntax invocation when invocation.Expression == node => model.GetOperation(invocation, cancellationToken),
                    ObjectCreationExpressionSyntax creation when creation.Type == node => model.GetOperation(creation, cancellationToken),
                    _ => model.GetOperation(node, cancellationToken),
                };
                if (use is not null)
                {
                    yield return use;
                }
            }
        }
    }

    /// <summary>The compilation's files whose text contains <paramref name="name"/> (in any letter case with <paramref name="ignoreCase"/>).</summary>
    public static IEnumerable<SyntaxTree> TreesNaming(string name, Compilation compilation, CancellationToken cancellationToken, bool ignoreCase = false)
    {
        foreach (var tree in compilation.SyntaxTrees)
        {
            if (Names(tree.GetText(cancellationToken), name, ignoreCase))
            {
                yield return tree;
            }
        }
    }

    // Below this length a text is held as one string (Roslyn's LargeText starts at 40K characters): its whole-text
    // ToString returns that string without copying, and one search of it is fastest. A larger text is held in chunks,
    // and ToString would copy the whole file on every search: it is searched window by window instead.
    private const int OneString = 40 * 1024;

    private const int Window = 8192;

    [ThreadStatic]
    private static char[]? _window;

    /// <summary>
    /// Where <paramref name="name"/> occurs in the text (ordinal, in order), or null when it does not. Collected before
    /// any is used: the window buffer is shared by every search on the thread.
    /// </summary>
    private static List<int>? Positions(SourceText text, string name)
    {
        if (name.Length == 0)
        {
            return null; // a lambda's name: no source spells it
        }

        var positions = new List<int>();
        return Search(text, name, StringComparison.Ordinal, positions) ? positions : null;
    }

    /// <summary>
    /// Whether the text contains <paramref name="name"/> (in any letter case with <paramref name="ignoreCase"/>, as
    /// OrdinalIgnoreCase). A large text is copied window by window into a buffer kept per thread, each window
    /// overlapping the previous one by the name's length less one, so nothing is allocated.
    /// </summary>
    public static bool Names(SourceText text, string name, bool ignoreCase = false)
        => Search(text, name, ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal, all: null);

    /// <summary>
    /// Whether the text contains any of <paramref name="names"/> (ordinal), in one pass: names that share a stem
    /// (ReadLine, ReadAllLines, ReadAllText) are found by searching the stem once and comparing the rest at each hit,
    /// where one search per name would read the whole file once per name.
    /// </summary>
    public static bool NamesAny(SourceText text, params string[] names)
    {
        if (names.Length == 0)
        {
            return false;
        }

        var stem = names[0];
        var longest = 0;
        foreach (var name in names)
        {
            var common = 0;
            while (common < stem.Length && common < name.Length && stem[common] == name[common])
            {
                common++;
            }

            stem = stem.Substring(0, common);
            longest = Math.Max(longest, name.Length);
        }

        if (stem.Length == 0 || longest > Window / 2)
        {
            foreach (var name in names)
            {
                if (Names(text, name))
                {
                    return true;
                }
            }

            return false;
        }

        if (text.Length < OneString)
        {
            return AnyAtStem(text.ToString().AsSpan(), stem, names);
        }

        // Windows overlap by the longest name less one: a name cut off at a window's end is whole in the next one.
        var buffer = _window ??= new char[Window];
        for (var start = 0; ; start += buffer.Length - (longest - 1))
        {
            var count = Math.Min(buffer.Length, text.Length - start);
            text.CopyTo(start, buffer, 0, count);
            if (AnyAtStem(new ReadOnlySpan<char>(buffer, 0, count), stem, names))
            {
                return true;
            }

            if (start + count >= text.Length)
            {
                return false;
            }
        }
    }

    /// <summary>
    /// Whether one of the names starts at a hit of the stem. A name cut off by the end of a window that is not the last
    /// is not found there, but whole in the next window, which starts at or before the hit.
    /// </summary>
    private static bool AnyAtStem(ReadOnlySpan<char> span, string stem, string[] names)
    {
        for (var from = 0; from <= span.Length - stem.Length;)
        {
            var at = span.Slice(from).IndexOf(stem.AsSpan(), StringComparison.Ordinal);
            if (at < 0)
            {
                return false;
            }

            var rest = span.Slice(from + at);
            foreach (var name in names)
            {
                if (rest.StartsWith(name.AsSpan(), StringComparison.Ordinal))
                {
                    return true;
                }
            }

            from += at + 1;
        }

        return false;
    }

    /// <summary>Whether the name occurs; with <paramref name="all"/>, every position it occurs at is added to it.</summary>
    private static bool Search(SourceText text, string name, StringComparison comparison, List<int>? all)
    {
        if (text.Length < OneString || name.Length > Window / 2)
        {
            return Occurrences(text.ToString().AsSpan(), name, comparison, 0, all);
        }

        // Each window after the first starts name.Length - 1 characters before the previous one ended, so a name that
        // straddles two windows is whole in the second, and no occurrence is whole in two; the last window ends at the
        // end of the text.
        var buffer = _window ??= new char[Window];
        var found = false;
        for (var start = 0; ; start += buffer.Length - (name.Length - 1))
        {
            var count = Math.Min(buffer.Length, text.Length - start);
            text.CopyTo(start, buffer, 0, count);
            found |= Occurrences(new ReadOnlySpan<char>(buffer, 0, count), name, comparison, start, all);
            if (found && all is null || start + count >= text.Length)
            {
                return found;
            }
        }
    }

    /// <summary>Whether the name occurs in <paramref name="span"/>; with <paramref name="all"/>, each position (plus <paramref name="offset"/>) is added.</summary>
    private static bool Occurrences(ReadOnlySpan<char> span, string name, StringComparison comparison, int offset, List<int>? all)
    {
        var found = false;
        for (var from = 0; from <= span.Length - name.Length;)
        {
            var at = span.Slice(from).IndexOf(name.AsSpan(), comparison);
            if (at < 0)
            {
                break;
            }

            found = true;
            if (all is null)
            {
                break;
            }

            all.Add(offset + from + at);
            from += at + 1;
        }

        return found;
    }
}
