using System.Text.RegularExpressions;
using CheckpointAudit.Catalog;
using CheckpointAudit.Tests.Infrastructure;
using Xunit;

namespace CheckpointAudit.Tests.Catalog;

/// <summary>docs/rules/CKPTnnn.md and the catalog agree in both directions.</summary>
public class RuleDocsTests
{
    private static readonly string[] RequiredHeadings =
    [
        "## The problem",
        "## Data impact",
        "## How to verify",
        "## The fix",
        "## Trade-offs",
        "## Configuration",
    ];

    public static TheoryData<string> RuleIds => new(RuleCatalog.All.Select(r => r.Id));

    [Theory]
    [MemberData(nameof(RuleIds))]
    public void Page_exists_with_the_catalog_title_properties_and_headings(string id)
    {
        var rule = RuleCatalog.All.Single(r => r.Id == id);
        var path = RepositoryFiles.PathOf("docs", "rules", id + ".md");
        Assert.True(File.Exists(path), $"{id} has no page at docs/rules/{id}.md");
        var text = File.ReadAllText(path).Replace("\r\n", "\n");
        var lines = text.Split('\n');

        Assert.Equal($"# {rule.Id}: {rule.Title}", lines[0]);
        Assert.Contains($"| Category | {rule.Category} |", lines);
        Assert.Contains($"| Audit severity | {rule.AuditSeverity.ToString().ToUpperInvariant()} |", lines);
        Assert.Contains($"| Default severity | {(rule.IsEnabledByDefault ? rule.DefaultSeverity.ToString() : "Disabled")} |", lines);
        Assert.Contains($"| Enabled by default | {(rule.IsEnabledByDefault ? "Yes" : "No")} |", lines);
        Assert.Contains($"| Code fix | {(rule.HasFix ? rule.FixTitles : "None")} |", lines);
        Assert.Contains(rule.IsCompilationEnd ? "| Reported | At compilation end (the IDE shows it with full-solution analysis) |" : "| Reported | Live, as you type |", lines);

        var positions = RequiredHeadings.Select(h => Array.IndexOf(lines, h)).ToList();
        Assert.All(RequiredHeadings.Zip(positions), p => Assert.True(p.Second >= 0, $"{id}: missing heading '{p.First}'"));
        Assert.Equal(positions.Order(), positions);

        // Each section says something.
        for (var i = 0; i < positions.Count; i++)
        {
            var end = i + 1 < positions.Count ? positions[i + 1] : lines.Length;
            var body = string.Join("\n", lines[(positions[i] + 1)..end]).Trim();
            Assert.True(body.Length > 40, $"{id}: section '{RequiredHeadings[i]}' is empty");
        }

        if (rule.HasFix)
        {
            Assert.Contains("Before:", text);
            Assert.Contains("After", text);
        }
    }

    [Fact]
    public void Every_page_names_a_rule_in_the_catalog()
    {
        var pages = Directory.GetFiles(RepositoryFiles.PathOf("docs", "rules"), "*.md").Select(Path.GetFileNameWithoutExtension);
        var ids = RuleCatalog.All.Select(r => r.Id).ToHashSet();
        Assert.All(pages, page => Assert.True(ids.Contains(page!), $"docs/rules/{page}.md names no rule in the catalog"));
    }

    [Fact]
    public void Rule_ids_mentioned_anywhere_in_docs_are_rules_or_planned_ranges()
    {
        // A page may refer to a rule of a later release only as plain text, never as a link to a missing page.
        foreach (var path in Directory.GetFiles(RepositoryFiles.PathOf("docs"), "*.md", SearchOption.AllDirectories))
        {
            foreach (Match link in Regex.Matches(File.ReadAllText(path), @"\]\((?:\.\./rules/|rules/|)?(CKPT\d{3})\.md\)"))
            {
                Assert.True(File.Exists(RepositoryFiles.PathOf("docs", "rules", link.Groups[1].Value + ".md")), $"{path} links to missing {link.Groups[1].Value}.md");
            }
        }
    }
}
