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
            if (!Names(tree.GetText(cancellationToken), name))
            {
                continue;
            }

#pragma warning disable RS1030 // Only after a cheaper check found a finding to confirm; the driver's models cover the file being analyzed only.
            var model = knownModel?.SyntaxTree == tree ? knownModel : compilation.GetSemanticModel(tree);
#pragma warning restore RS1030
            foreach (var token in tree.GetRoot(cancellationToken).DescendantTokens())
            {
                if (token.ValueText != name || token.Parent is not SimpleNameSyntax simpleName)
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
