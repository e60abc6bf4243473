using System.Text.RegularExpressions;
using CheckpointAudit.Catalog;
using CheckpointAudit.Tests.Infrastructure;
using Xunit;

namespace CheckpointAudit.Tests.Catalog;

/// <summary>
/// The real-defect corpus (docs/calibration/real-defects.tsv) is data that <c>RealCodeScan --corpus</c> scores:
/// every row must be usable, every defect site paired with its fixed site, every rule one the catalog has.
/// </summary>
public class RealDefectCorpusTests
{
    private static readonly string[] Header = ["id", "repo", "commit", "path", "line", "rule", "expect", "pair", "note"];

    private static List<string[]> Rows()
    {
        var lines = File.ReadAllLines(RepositoryFiles.PathOf("docs", "calibration", "real-defects.tsv"));
        Assert.Equal(Header, lines[0].Split('\t'));
        return [.. lines.Skip(1).Where(l => l.Length > 0).Select(l => l.Split('\t'))];
    }

    [Fact]
    public void Every_row_names_a_commit_a_site_and_a_rule_of_the_catalog()
    {
        var rules = RuleCatalog.All.Select(r => r.Id).ToHashSet();
        foreach (var row in Rows())
        {
            Assert.True(row.Length == Header.Length, $"{row[0]}: {row.Length} cells");
            Assert.Matches(new Regex("^[0-9a-f]{40}$"), row[2]);
            Assert.Matches(new Regex("^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$"), row[1]);
            Assert.False(string.IsNullOrWhiteSpace(row[3]), row[0]);
            Assert.False(string.IsNullOrWhiteSpace(row[4]), row[0]);
            Assert.Contains(row[5], rules);
            Assert.Contains(row[6], new[] { "flag", "quiet" });
        }
    }

    [Fact]
    public void Every_defect_site_is_paired_with_its_fixed_site_for_the_same_rule()
    {
        var rows = Rows();
        var byId = rows.ToDictionary(r => r[0]);
        Assert.Equal(rows.Count, byId.Count);
        foreach (var row in rows)
        {
            Assert.True(byId.TryGetValue(row[7], out var pair), $"{row[0]}: no row '{row[7]}'");
            Assert.Equal(row[0], pair[7]);
            Assert.Equal(row[5], pair[5]);
            Assert.Equal(row[1], pair[1]);
            Assert.NotEqual(row[6], pair[6]);
        }

        Assert.True(rows.Count(r => r[6] == "flag") >= 40, "the corpus holds at least 40 real defects");
    }
}
