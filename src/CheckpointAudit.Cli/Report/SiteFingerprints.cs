using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using CheckpointAudit.Cli.Analysis;

namespace CheckpointAudit.Cli.Report;

/// <summary>
/// A fingerprint per site that survives line shifts and unrelated edits: the rule, project and file, the member the
/// site is in, its message (line numbers it quotes left out) and the code it points at, both without spacing, and - for
/// sites that agree on all of those - their order in the file. Moving a member, adding lines above it or editing another
/// member leaves it unchanged; renaming the member, moving it to another file or editing that code does not.
/// </summary>
internal static partial class SiteFingerprints
{
    /// <summary>The key name in SARIF's partialFingerprints.</summary>
    public const string SarifKey = "checkpointAudit/v2";

    public static void Assign(IEnumerable<SiteFinding> sites)
    {
        foreach (var same in sites.GroupBy(Key, StringComparer.Ordinal))
        {
            // Sites on one line with one key are one site for a reader (and one SARIF result).
            var lines = same.Select(s => s.StartLine).Distinct().Order().ToList();
            foreach (var site in same)
            {
                site.Fingerprint = Hash($"{same.Key}|{lines.IndexOf(site.StartLine)}");
            }
        }
    }

    private static string Key(SiteFinding site)
        => $"{site.Rule.Id}|{site.Project}|{site.File}|{site.Member}|{Unspaced(QuotedLine().Replace(site.Message, "line"))}|{Unspaced(site.Code.Length > 0 ? site.Code : site.Target)}";

    // Messages quote the code they are about: its spacing is not part of what the finding says.
    private static string Unspaced(string text) => Spacing().Replace(text, string.Empty);

    private static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..32];

    // A few messages name the line of a second site ("the SELECT on line 12"): that moves with unrelated edits.
    [GeneratedRegex(@"\bline \d+")]
    private static partial Regex QuotedLine();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spacing();
}
