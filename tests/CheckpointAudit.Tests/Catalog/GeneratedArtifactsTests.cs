using System.Text;
using CheckpointAudit.Catalog;
using CheckpointAudit.Tests.Infrastructure;
using Xunit;

namespace CheckpointAudit.Tests.Catalog;

/// <summary>README rule table, release tracking and preset files are generated from the catalog.</summary>
public class GeneratedArtifactsTests
{
    [Fact]
    public void Readme_rule_table_matches_the_catalog()
    {
        var table = new StringBuilder();
        table.Append("| Rule | Title | Category | Audit severity | Default | Code fix |\n");
        table.Append("|---|---|---|---|---|---|\n");
        foreach (var rule in RuleCatalog.All)
        {
            table.Append($"| [{rule.Id}](docs/rules/{rule.Id}.md) | {rule.Title} | {rule.Category} | {rule.AuditSeverity.ToString().ToUpperInvariant()} | ")
                .Append(rule.IsEnabledByDefault ? rule.DefaultSeverity.ToString() : "Disabled")
                .Append($" | {(rule.HasFix ? rule.FixTitles : "—")} |\n");
        }

        GeneratedFile.AssertRegion(RepositoryFiles.PathOf("README.md"), "<!-- rules:start -->", "<!-- rules:end -->", table.ToString());
    }

    [Fact]
    public void Release_tracking_lists_every_rule_once_with_catalog_category_and_severity()
    {
        var folder = RepositoryFiles.PathOf("src", "CheckpointAudit.Analyzers");
        var rows = new[] { "AnalyzerReleases.Shipped.md", "AnalyzerReleases.Unshipped.md" }
            .SelectMany(f => File.ReadAllLines(Path.Combine(folder, f)))
            .Where(l => l.StartsWith("CKPT", StringComparison.Ordinal))
            .Select(l => l.Split('|').Select(c => c.Trim()).ToArray())
            .ToList();

        Assert.Equal(rows.Select(r => r[0]).Distinct().Count(), rows.Count);
        Assert.Equal(RuleCatalog.All.Select(r => r.Id).Order(), rows.Select(r => r[0]).Order());
        foreach (var row in rows)
        {
            var rule = RuleCatalog.All.Single(r => r.Id == row[0]);
            Assert.Equal(rule.DiagnosticCategory, row[1]);
            Assert.Equal(rule.IsEnabledByDefault ? rule.DefaultSeverity.ToString() : "Disabled", row[2]);
        }
    }

    [Theory]
    [InlineData("default")]
    [InlineData("strict")]
    [InlineData("minimal")]
    public void Preset_files_match_the_catalog(string mode)
    {
        GeneratedFile.AssertWhole(
            RepositoryFiles.PathOf("src", "CheckpointAudit", "build", "presets", RulePresets.FileName(mode)),
            RulePresets.GlobalConfig(mode));
    }

    [Fact]
    public void Default_preset_repeats_the_descriptor_defaults()
    {
        foreach (var rule in RuleCatalog.All)
        {
            var expected = !rule.IsEnabledByDefault ? "none" : rule.DefaultSeverity == Microsoft.CodeAnalysis.DiagnosticSeverity.Warning ? "warning" : "suggestion";
            Assert.Equal(expected, RulePresets.SeverityIn(rule, "default"));
        }
    }
}
