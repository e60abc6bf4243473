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
        List<int>? positions = null;
        if (name.Length == 0)
        {
            return null; // a lambda's name: no source spells it
        }

        if (text.Length < OneString || name.Length > Window / 2)
        {
            var whole = text.ToString();
            for (var at = whole.IndexOf(name, StringComparison.Ordinal); at >= 0; at = whole.IndexOf(name, at + 1, StringComparison.Ordinal))
            {
                (positions ??= []).Add(at);
            }

            return positions;
        }

        // As in Names: windows overlap by the name's length less one, so each occurrence is whole in exactly one window.
        var buffer = _window ??= new char[Window];
        for (var start = 0; ; start += buffer.Length - (name.Length - 1))
        {
            var count = Math.Min(buffer.Length, text.Length - start);
            text.CopyTo(start, buffer, 0, count);
            var window = new ReadOnlySpan<char>(buffer, 0, count);
            for (var offset = 0; offset <= count - name.Length;)
            {
                var found = window.Slice(offset).IndexOf(name.AsSpan(), StringComparison.Ordinal);
                if (found < 0)
                {
                    break;
                }

                (positions ??= []).Add(start + offset + found);
                offset += found + 1;
            }

            if (start + count >= text.Length)
            {
                return positions;
            }
        }
    }

    /// <summary>
    /// Whether the text contains <paramref name="name"/> (in any letter case with <paramref name="ignoreCase"/>, as
    /// OrdinalIgnoreCase). A large text is copied window by window into a buffer kept per thread, each window
    /// overlapping the previous one by the name's length less one, so nothing is allocated.
    /// </summary>
    public static bool Names(SourceText text, string name, bool ignoreCase = false)
    {
        var comparison = ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        if (text.Length < OneString || name.Length > Window / 2)
        {
            return text.ToString().IndexOf(name, comparison) >= 0;
        }

        // Each window after the first starts name.Length - 1 characters before the previous one ended, so a name that
        // straddles two windows is whole in the second; the last window ends at the end of the text.
        var buffer = _window ??= new char[Window];
        for (var start = 0; ; start += buffer.Length - (name.Length - 1))
        {
            var count = Math.Min(buffer.Length, text.Length - start);
            text.CopyTo(start, buffer, 0, count);
            if (new ReadOnlySpan<char>(buffer, 0, count).IndexOf(name.AsSpan(), comparison) >= 0)
            {
                return true;
            }

            if (start + count >= text.Length)
            {
                return false;
            }
        }
    }
}
