using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CheckpointAudit.Catalog;

namespace CheckpointAudit.Cli.Report;

/// <summary>
/// SARIF 2.1.0 as GitHub code scanning reads it: every rule with its metadata and help, one result per site
/// with a relative location, a level from the audit severity and a stable fingerprint.
/// </summary>
internal static class SarifReportWriter
{
    public const string SourceRoot = "%SRCROOT%";

    public static string Write(AuditReport report, string rootDirectory)
    {
        var rules = RuleCatalog.All.ToList();
        var driverRules = new JsonArray(rules.Select(r => (JsonNode)new JsonObject
        {
            ["id"] = r.Id,
            ["name"] = PascalCase(r.Title),
            ["shortDescription"] = new JsonObject { ["text"] = r.Title },
            ["fullDescription"] = new JsonObject { ["text"] = r.Remediation },
            ["helpUri"] = r.HelpLink,
            ["help"] = new JsonObject { ["text"] = $"{r.Title}. {r.Remediation} See {r.HelpLink}", ["markdown"] = $"**{r.Title}.** {r.Remediation} [Rule page]({r.HelpLink})" },
            ["defaultConfiguration"] = new JsonObject { ["level"] = Level(r.AuditSeverity), ["enabled"] = r.IsEnabledByDefault },
            ["properties"] = new JsonObject
            {
                ["tags"] = new JsonArray("reliability", "data-integrity", r.Category.ToString().ToLowerInvariant()),
                ["auditSeverity"] = r.AuditSeverity.ToString().ToUpperInvariant(),
                ["problem.severity"] = r.AuditSeverity switch { AuditSeverity.Critical => "error", AuditSeverity.High => "warning", _ => "recommendation" },
            },
        }).ToArray());

        var results = new JsonArray();
        foreach (var finding in report.Findings.Concat(report.Suspicious))
        {
            var rule = rules.First(r => r.Id == finding.RuleId);
            foreach (var line in finding.Lines)
            {
                // A finding folded by subject spans members: each line shows its own site's member and message.
                var site = finding.Subject is null ? null : finding.Sites.FirstOrDefault(s => s.Line == line);
                var member = site?.Member ?? finding.Member;
                var message = site?.Message ?? finding.Message;
                var region = new JsonObject { ["startLine"] = line };
                if (line == finding.Lines[0])
                {
                    region["startColumn"] = finding.StartColumn;
                }

                var location = new JsonObject
                {
                    ["physicalLocation"] = new JsonObject
                    {
                        ["artifactLocation"] = new JsonObject { ["uri"] = Uri.EscapeDataString(finding.File).Replace("%2F", "/"), ["uriBaseId"] = SourceRoot },
                        ["region"] = region,
                    },
                };
                if (member.Length > 0)
                {
                    location["logicalLocations"] = new JsonArray(new JsonObject { ["fullyQualifiedName"] = member, ["kind"] = "member" });
                }

                results.Add(new JsonObject
                {
                    ["ruleId"] = rule.Id,
                    ["ruleIndex"] = rules.IndexOf(rule),
                    ["level"] = Level(rule.AuditSeverity),
                    ["message"] = new JsonObject { ["text"] = message },
                    ["locations"] = new JsonArray(location),
                    ["partialFingerprints"] = new JsonObject { ["checkpointAudit/v1"] = site is null ? Fingerprint(finding, line) : SiteFingerprint(finding, site) },
                    ["properties"] = new JsonObject
                    {
                        ["auditSeverity"] = finding.Severity,
                        ["confidence"] = finding.Confidence,
                        ["project"] = finding.Project,
                    },
                });
            }
        }

        var notifications = new JsonArray(report.ProjectsNotAnalyzed.Select(p => (JsonNode)new JsonObject
        {
            ["level"] = "warning",
            ["message"] = new JsonObject { ["text"] = $"{p.Name} ({p.Path}) was not analyzed: {p.Reason}" },
        }).Concat(report.Projects.SelectMany(p => p.AnalyzerFailures).Select(f => (JsonNode)new JsonObject
        {
            ["level"] = "error",
            ["message"] = new JsonObject { ["text"] = "Analyzer failure: " + f },
        })).ToArray());

        var sarif = new JsonObject
        {
            ["$schema"] = "https://json.schemastore.org/sarif-2.1.0.json",
            ["version"] = "2.1.0",
            ["runs"] = new JsonArray(new JsonObject
            {
                ["tool"] = new JsonObject
                {
                    ["driver"] = new JsonObject
                    {
                        ["name"] = "checkpoint-audit",
                        ["fullName"] = "CheckpointAudit checkpoint-audit",
                        ["version"] = report.Version,
                        ["semanticVersion"] = report.Version,
                        ["informationUri"] = "https://github.com/CheckpointAudit/CheckpointAudit",
                        ["rules"] = driverRules,
                    },
                },
                ["originalUriBaseIds"] = new JsonObject
                {
                    [SourceRoot] = new JsonObject { ["uri"] = new Uri(rootDirectory.EndsWith(Path.DirectorySeparatorChar) ? rootDirectory : rootDirectory + Path.DirectorySeparatorChar).AbsoluteUri },
                },
                ["invocations"] = new JsonArray(new JsonObject
                {
                    ["executionSuccessful"] = true,
                    ["toolExecutionNotifications"] = notifications,
                }),
                ["results"] = results,
                ["properties"] = new JsonObject
                {
                    ["integrityScore"] = report.Score.Value,
                },
            }),
        };
        return sarif.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
    }

    private static string Level(AuditSeverity severity) => severity switch
    {
        AuditSeverity.Critical => "error",
        AuditSeverity.High => "warning",
        _ => "note",
    };

    /// <summary>Stable across runs and unrelated edits: rule, file, member and the site's message.</summary>
    private static string Fingerprint(ReportFinding finding, int line)
    {
        var key = finding.Member.Length > 0 ? $"{finding.RuleId}|{finding.File}|{finding.Member}|{finding.Message}|{finding.Lines.ToList().IndexOf(line)}" : $"{finding.RuleId}|{finding.File}|{line}|{finding.Message}";
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..32];
    }

    /// <summary>
    /// For a site of a finding folded by subject: rule, file, the site's own member and message, and its place among the
    /// same member's sites with that message, so that a site added in another member leaves the others' unchanged.
    /// </summary>
    private static string SiteFingerprint(ReportFinding finding, CollapsedSite site)
    {
        var index = finding.Sites.Where(s => s.Member == site.Member && s.Message == site.Message).Select(s => s.Line).Distinct().ToList().IndexOf(site.Line);
        var key = $"{finding.RuleId}|{finding.File}|{site.Member}|{site.Message}|{index}";
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..32];
    }

    private static string PascalCase(string title)
        => string.Concat(title.Split(' ', '-', '/').Where(w => w.Length > 0).Select(w => char.ToUpperInvariant(w[0]) + w[1..]).Select(w => new string(w.Where(char.IsLetterOrDigit).ToArray())));
}
