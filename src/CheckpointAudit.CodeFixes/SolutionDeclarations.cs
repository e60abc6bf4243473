using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;

namespace CheckpointAudit.CodeFixes;

/// <summary>
/// Symbols a diagnostic names by documentation ID in one of its properties (a model or member declared in a
/// referenced project, which the diagnostic's location cannot point at), and where the solution declares them.
/// </summary>
internal static class SolutionDeclarations
{
    /// <summary>The symbols the property names (IDs separated by ';'), resolved in the compilation of the diagnostic's project.</summary>
    public static async Task<IReadOnlyList<ISymbol>> NamedAsync(Solution solution, Diagnostic diagnostic, string property, CancellationToken cancellationToken)
    {
        if (!diagnostic.Properties.TryGetValue(property, out var ids) || string.IsNullOrEmpty(ids)
            || diagnostic.Location.SourceTree is not { } tree || solution.GetDocument(tree) is not { } document
            || await document.Project.GetCompilationAsync(cancellationToken).ConfigureAwait(false) is not { } compilation)
        {
            return new ISymbol[0];
        }

        return ids!.Split(';').Select(id => DocumentationCommentId.GetFirstSymbolForDeclarationId(id, compilation)).OfType<ISymbol>().ToList();
    }

    /// <summary>The symbol's first declaration the solution holds; null for one from a package, which has none to edit.</summary>
    public static Location? InSolution(ISymbol symbol, Solution solution)
        => symbol.Locations.FirstOrDefault(l => l.IsInSource && solution.GetDocument(l.SourceTree) is not null);
}
