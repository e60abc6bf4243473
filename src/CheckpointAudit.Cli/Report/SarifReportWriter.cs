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
            // One result per site a reader tells apart: sites on one line with one fingerprint are one.
            foreach (var site in finding.Sites.DistinctBy(s => (s.Line, s.Fingerprint)))
            {
                // A finding folded by subject spans members: each site shows its own member and message.
                var member = finding.Subject is null ? finding.Member : site.Member;
                var message = finding.Subject is null ? finding.Message : site.Message;
                var line = site.Line;
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
                    ["partialFingerprints"] = new JsonObject { [SiteFingerprints.SarifKey] = site.Fingerprint },
                    ["properties"] = new JsonObject
                    {
                        ["auditSeverity"] = finding.Severity,
                        ["confidence"] = finding.Confidence,
                        ["project"] = finding.Project,
                    },
                });
            }
        }

        // Suppressed sites as SARIF says: code scanning shows them as dismissed, with what dismissed them.
        foreach (var site in report.Suppressed)
        {
            var rule = rules.First(r => r.Id == site.RuleId);
            results.Add(new JsonObject
            {
                ["ruleId"] = rule.Id,
                ["ruleIndex"] = rules.IndexOf(rule),
                ["level"] = Level(rule.AuditSeverity),
                ["message"] = new JsonObject { ["text"] = site.Message },
                ["locations"] = new JsonArray(new JsonObject
                {
                    ["physicalLocation"] = new JsonObject
                    {
                        ["artifactLocation"] = new JsonObject { ["uri"] = Uri.EscapeDataString(site.File).Replace("%2F", "/"), ["uriBaseId"] = SourceRoot },
                        ["region"] = new JsonObject { ["startLine"] = site.Line },
                    },
                }),
                ["partialFingerprints"] = new JsonObject { [SiteFingerprints.SarifKey] = site.Fingerprint },
                ["suppressions"] = new JsonArray(new JsonObject
                {
                    ["kind"] = site.SuppressedBy.StartsWith('#') || site.SuppressedBy.StartsWith('[') ? "inSource" : "external",
                    ["justification"] = site.SuppressedBy,
                }),
                ["properties"] = new JsonObject { ["auditSeverity"] = site.Severity, ["project"] = site.Project },
            });
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
                ["properties"] = report.Baseline is { } baseline
                    ? new JsonObject { ["integrityScore"] = report.Score.Value, ["baseline"] = baseline.File }
                    : new JsonObject { ["integrityScore"] = report.Score.Value },
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

    private static string PascalCase(string title)
        => string.Concat(title.Split(' ', '-', '/').Where(w => w.Length > 0).Select(w => char.ToUpperInvariant(w[0]) + w[1..]).Select(w => new string(w.Where(char.IsLetterOrDigit).ToArray())));
}
