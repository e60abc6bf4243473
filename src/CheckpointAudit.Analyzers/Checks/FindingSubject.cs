using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace CheckpointAudit.Checks;

/// <summary>
/// What a finding is about when that is a declaration rather than the site: the persisted model whose every save and
/// load is reported. The audit report shows one entry per subject and file, with each site's line, where the build shows
/// each site (a squiggle where the code is).
/// </summary>
internal static class FindingSubject
{
    /// <summary>The diagnostic property holding the subjects' documentation IDs, joined by ';'.</summary>
    public const string Property = "CheckpointAudit.Subject";

    public static string Of(IEnumerable<ISymbol> symbols)
        => string.Join(";", symbols.Select(s => s.OriginalDefinition.GetDocumentationCommentId() ?? s.Name));
}
