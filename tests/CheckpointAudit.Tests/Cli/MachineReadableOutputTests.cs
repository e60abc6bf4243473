using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using CheckpointAudit.Catalog;
using CheckpointAudit.Cli;
using CheckpointAudit.Tests.Infrastructure;
using Json.Schema;
using Xunit;

namespace CheckpointAudit.Tests.Cli;

/// <summary>SARIF 2.1.0 that validates against the schema and carries what code scanning needs; JSON with the report's content.</summary>
public class MachineReadableOutputTests
{
    private static string SamplesFolder => RepositoryFiles.PathOf("samples");

    private static string SchemaPath => typeof(MachineReadableOutputTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "SarifSchemaPath").Value!;

    [Fact]
    public async Task Sarif_of_the_sample_validates_against_the_SARIF_2_1_0_schema()
    {
        Assert.True(File.Exists(SchemaPath), $"The SARIF schema is fetched at build time from npm (@microsoft/sarif-multitool-linux 5.7.0) into {SchemaPath}; it is missing.");
        var schema = JsonSchema.FromText(File.ReadAllText(SchemaPath));
        var result = await CliRun.RunAsync(SamplesFolder, "--format", "sarif");
        Assert.Equal(AuditCommand.Success, result.ExitCode);

        using var sarif = JsonDocument.Parse(result.Stdout);
        var evaluation = schema.Evaluate(sarif.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });

        var errors = (evaluation.Details ?? []).Where(d => d.Errors is { Count: > 0 }).Select(d => $"{d.InstanceLocation}: {string.Join("; ", d.Errors!.Values)}").Take(10);
        Assert.True(evaluation.IsValid, "SARIF does not validate:\n" + string.Join("\n", errors));

        // The validator does reject what the schema forbids: a level outside the enumeration.
        var broken = JsonNode.Parse(result.Stdout)!;
        broken["runs"]![0]!["results"]![0]!["level"] = "critical";
        using var brokenDocument = JsonDocument.Parse(broken.ToJsonString());
        Assert.False(schema.Evaluate(brokenDocument.RootElement).IsValid);
    }

    [Fact]
    public async Task Sarif_carries_rule_metadata_relative_locations_levels_and_fingerprints()
    {
        var result = await CliRun.RunAsync(SamplesFolder, "--format", "sarif");
        var run = JsonNode.Parse(result.Stdout)!["runs"]![0]!;

        var rules = run["tool"]!["driver"]!["rules"]!.AsArray();
        Assert.Equal(RuleCatalog.All.Select(r => r.Id), rules.Select(r => (string)r!["id"]!));
        foreach (var rule in rules)
        {
            var definition = RuleCatalog.All.Single(r => r.Id == (string)rule!["id"]!);
            Assert.Equal(definition.HelpLink, (string)rule!["helpUri"]!);
            Assert.Equal(definition.Title, (string)rule["shortDescription"]!["text"]!);
            Assert.False(string.IsNullOrEmpty((string?)rule["help"]!["markdown"]));
            Assert.Equal(definition.IsEnabledByDefault, (bool)rule["defaultConfiguration"]!["enabled"]!);
        }

        var results = run["results"]!.AsArray();
        Assert.NotEmpty(results);
        foreach (var item in results)
        {
            var ruleId = (string)item!["ruleId"]!;
            Assert.Equal(ruleId, (string)rules[(int)item["ruleIndex"]!]!["id"]!);
            var location = item["locations"]![0]!["physicalLocation"]!;
            var uri = (string)location["artifactLocation"]!["uri"]!;
            Assert.False(Path.IsPathRooted(uri), uri);
            Assert.StartsWith("DocumentPipeline/", uri);
            Assert.Equal("%SRCROOT%", (string)location["artifactLocation"]!["uriBaseId"]!);
            Assert.True((int)location["region"]!["startLine"]! > 0);
            var expectedLevel = RuleCatalog.All.Single(r => r.Id == ruleId).AuditSeverity switch
            {
                AuditSeverity.Critical => "error",
                AuditSeverity.High => "warning",
                _ => "note",
            };
            Assert.Equal(expectedLevel, (string)item["level"]!);
            Assert.Matches("^[0-9a-f]{32}$", (string)item["partialFingerprints"]!["checkpointAudit/v2"]!);
        }

        var fingerprints = results.Select(r => (string)r!["partialFingerprints"]!["checkpointAudit/v2"]!).ToList();
        Assert.Equal(fingerprints.Count, fingerprints.Distinct().Count());
        var second = JsonNode.Parse((await CliRun.RunAsync(SamplesFolder, "--format", "sarif")).Stdout)!["runs"]![0]!["results"]!.AsArray();
        Assert.Equal(fingerprints, second.Select(r => (string)r!["partialFingerprints"]!["checkpointAudit/v2"]!));
    }

    [Fact]
    public async Task Json_holds_the_same_content_as_the_markdown_report()
    {
        var report = await CliRun.ReportAsync(SamplesFolder);
        var json = (await CliRun.RunAsync(SamplesFolder, "--format", "json")).Stdout;
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;

        Assert.Equal(report.Score.Value, root.GetProperty("score").GetProperty("value").GetInt32());
        Assert.Equal(report.Findings.Count, root.GetProperty("findings").GetArrayLength());
        Assert.Equal(report.Suspicious.Count, root.GetProperty("suspicious").GetArrayLength());
        Assert.Equal(report.Environment.Select(e => e.Topic), root.GetProperty("environment").EnumerateArray().Select(e => e.GetProperty("topic").GetString()));
        var first = root.GetProperty("findings")[0];
        foreach (var field in new[] { "ruleId", "severity", "confidence", "file", "lines", "member", "problem", "impact", "verify", "fix", "tradeOff", "helpUri" })
        {
            Assert.True(first.TryGetProperty(field, out _), $"findings[0] lacks '{field}'");
        }

        Assert.Equal(3, root.GetProperty("topFixes").GetArrayLength());
        Assert.True(root.GetProperty("plan").GetProperty("fixNow").GetArrayLength() > 0);
    }
}
