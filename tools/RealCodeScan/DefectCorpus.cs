using CheckpointAudit.Loading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CheckpointAudit.RealCodeScan;

/// <summary>
/// One site of the real-defect corpus (docs/calibration/real-defects.tsv): a line of a file at a commit of a public
/// repository, the rule that must (expect "flag") or must not (expect "quiet") report the member that holds it.
/// </summary>
public sealed record DefectSite(string Id, string Repo, string Commit, string Path, string Line, string Rule, bool Flag, string Pair, string Note)
{
    /// <summary>The folder a checkout of this site's commit has under the corpus root: owner+name@first 12 digits.</summary>
    public string CheckoutName => Repo.Replace('/', '+') + "@" + Commit[..Math.Min(12, Commit.Length)];
}

/// <summary>What the scan made of one site.</summary>
public sealed record SiteResult(DefectSite Site, string Outcome, string Where)
{
    public bool Passed => Site.Flag ? Outcome == "flagged" : Outcome is "quiet" or "demoted";
}

/// <summary>
/// Scores the analyzers against the corpus: each checkout is scanned once (only the projects owning a corpus file),
/// and a site counts as flagged when a finding of its rule lies in the innermost member (method, property, constructor,
/// field, or the type itself for a type-level line) that holds the site's line.
/// </summary>
public static class DefectCorpus
{
    public static List<DefectSite> Read(string tsv)
    {
        var sites = new List<DefectSite>();
        foreach (var line in File.ReadLines(tsv).Skip(1))
        {
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var cells = line.Split('\t');
            if (cells.Length < 8)
            {
                throw new FormatException($"{tsv}: a row needs 9 tab-separated cells: {line}");
            }

            sites.Add(new DefectSite(cells[0], cells[1], cells[2], cells[3], cells[4], cells[5], cells[6] == "flag", cells[7], cells.Length > 8 ? cells[8] : string.Empty));
        }

        return sites;
    }

    public static async Task<List<SiteResult>> ScoreAsync(string checkouts, IReadOnlyList<DefectSite> sites, Action<string> log)
    {
        var results = new List<SiteResult>();
        foreach (var checkout in sites.GroupBy(s => s.CheckoutName))
        {
            var folder = Path.Combine(checkouts, checkout.Key);
            if (!Directory.Exists(folder))
            {
                results.AddRange(checkout.Select(s => new SiteResult(s, "no checkout", folder)));
                continue;
            }

            var source = SourceFolder.Read(folder);
            var owners = checkout.Select(s => source.OwnerOf(Path.GetFullPath(Path.Combine(folder, s.Path)))).ToHashSet();
            var findings = new List<ScanFinding>();
            await foreach (var project in RealCodeScanner.ScanAsync(source, includeTests: true, analyzerFailure: failure => log($"{checkout.Key}: {failure}"), onlyProjects: owners))
            {
                findings.AddRange(project.Findings);
            }

            foreach (var site in checkout)
            {
                results.Add(Score(folder, site, findings));
            }
        }

        return results;
    }

    private static SiteResult Score(string folder, DefectSite site, List<ScanFinding> findings)
    {
        var file = Path.Combine(folder, site.Path);
        if (!File.Exists(file))
        {
            return new SiteResult(site, "no file", site.Path);
        }

        var text = File.ReadAllText(file);
        var tree = CSharpSyntaxTree.ParseText(text, path: file);
        var lines = tree.GetText().Lines;
        var lineIndex = -1;
        for (var i = 0; i < lines.Count; i++)
        {
            if (lines[i].ToString().Contains(site.Line, StringComparison.Ordinal))
            {
                lineIndex = i;
                break;
            }
        }

        if (lineIndex < 0)
        {
            return new SiteResult(site, "no line", site.Path);
        }

        var (first, last) = MemberLines(tree, lines[lineIndex].Span);
        var relative = Path.GetRelativePath(folder, file);
        var hits = findings.Where(f => f.RuleId == site.Rule && f.File == relative && f.Line - 1 >= first && f.Line - 1 <= last).ToList();

        // A finding the rule itself classes as one-shot or regenerable output is demoted (a suggestion, or silent):
        // it does not flag a defect site, and a fixed site that keeps only such findings counts as quiet.
        var hit = hits.FirstOrDefault(f => f.Holds is null || !(f.Holds.StartsWith("OneShot", StringComparison.Ordinal) || f.Holds.StartsWith("Output", StringComparison.Ordinal)));
        return hit is not null ? new SiteResult(site, "flagged", $"{site.Path}:{hit.Line}")
            : hits.Count > 0 ? new SiteResult(site, "demoted", $"{site.Path}:{hits[0].Line} [{hits[0].Holds}]")
            : new SiteResult(site, "quiet", $"{site.Path}:{lineIndex + 1}");
    }

    /// <summary>The 0-based first and last line of the innermost member (or type) whose span holds <paramref name="span"/>.</summary>
    private static (int First, int Last) MemberLines(SyntaxTree tree, Microsoft.CodeAnalysis.Text.TextSpan span)
    {
        var node = tree.GetRoot().FindNode(span, getInnermostNodeForTie: true);
        var member = node.AncestorsAndSelf().FirstOrDefault(n => n is BaseMethodDeclarationSyntax or BasePropertyDeclarationSyntax or BaseFieldDeclarationSyntax or BaseTypeDeclarationSyntax or LocalFunctionStatementSyntax)
            ?? tree.GetRoot();
        if (member is LocalFunctionStatementSyntax)
        {
            // A local function is part of its method: the rules report either.
            member = member.Ancestors().FirstOrDefault(n => n is BaseMethodDeclarationSyntax or BasePropertyDeclarationSyntax) ?? member;
        }

        var lines = member.GetLocation().GetLineSpan();
        return (lines.StartLinePosition.Line, lines.EndLinePosition.Line);
    }

    public static void Print(IReadOnlyList<SiteResult> results, Action<string> write)
    {
        foreach (var result in results.OrderBy(r => r.Site.Rule, StringComparer.Ordinal).ThenBy(r => r.Site.Id, StringComparer.Ordinal))
        {
            write($"{(result.Passed ? "ok  " : "MISS")} {result.Site.Rule} {(result.Site.Flag ? "flag " : "quiet")} {result.Outcome,-11} {result.Site.Id}  {result.Site.Repo} {result.Where}");
        }

        write(string.Empty);
        write("| rule | defect sites flagged | fixed sites quiet |");
        write("|---|---:|---:|");
        foreach (var rule in results.GroupBy(r => r.Site.Rule).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            write($"| {rule.Key} | {Ratio(rule.Where(r => r.Site.Flag))} | {Ratio(rule.Where(r => !r.Site.Flag))} |");
        }

        write($"| all | {Ratio(results.Where(r => r.Site.Flag))} | {Ratio(results.Where(r => !r.Site.Flag))} |");
    }

    private static string Ratio(IEnumerable<SiteResult> results)
    {
        var list = results.ToList();
        return list.Count == 0 ? "-" : $"{list.Count(r => r.Passed)} / {list.Count} ({100.0 * list.Count(r => r.Passed) / list.Count:F0} %)";
    }
}
