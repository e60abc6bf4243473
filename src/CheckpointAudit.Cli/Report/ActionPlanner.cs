using CheckpointAudit.Catalog;
using CheckpointAudit.Cli.Analysis;
using static CheckpointAudit.Cli.Report.Wording;

namespace CheckpointAudit.Cli.Report;

/// <summary>
/// The top fixes and the action plan: Fix now (critical and high), Fix soon (medium), Monitor (MONITOR
/// rules, suspicious patterns, and the metric that would call for action), the time the Fix-now items take
/// and the infrastructure the findings call for. Everything it knows about a rule comes from its catalog row: severity,
/// fix, category and the practice its remediation puts in place; a rule added to the catalog is planned like the rest.
/// </summary>
internal static class ActionPlanner
{
    // Hours per site: reviewing and applying a code fix, or changing the code by hand; plus, once per rule,
    // a regression test for the scenario (see docs/scoring.md).
    private const double CodeFixLow = 0.25, CodeFixHigh = 0.5, ManualLow = 1.0, ManualHigh = 3.0, TestPerRuleLow = 0.5, TestPerRuleHigh = 1.0;

    public static IReadOnlyList<TopFix> TopFixes(IReadOnlyList<ReportFinding> findings, ScoreResult score, IReadOnlyCollection<RuleDefinition>? catalog = null)
    {
        var rules = RulesById(catalog);
        return ByRule(findings)
            .Select(g => (Group: g, Impact: Impact(g, rules[g.Key], score)))
            .OrderByDescending(x => x.Impact).ThenBy(x => x.Group.Key, StringComparer.Ordinal)
            .Take(3)
            .Select((x, i) =>
            {
                var rule = rules[x.Group.Key];
                var sites = x.Group.Sum(f => f.Count);
                var files = x.Group.Select(f => f.File).Distinct().Count();
                var why = $"{x.Group.First().Severity} · {sites} site{S(sites)} in {files} file{S(files)}" + (Systemic(rule, score) ? " · removes a systemic gap" : string.Empty);
                return new TopFix(i + 1, rule.Id, rule.Title, rule.Remediation, sites, Locations(x.Group), why, rule.FixTitle);
            })
            .ToList();
    }

    public static ActionPlan Plan(IReadOnlyList<ReportFinding> findings, IReadOnlyList<ReportFinding> suspicious, EnvironmentFacts facts, IReadOnlyCollection<RuleDefinition>? catalog = null)
    {
        var rules = RulesById(catalog);
        var now = findings.Where(f => f.Severity is "CRITICAL" or "HIGH").ToList();
        var soon = findings.Where(f => f.Severity == "MEDIUM").ToList();
        var fixNow = Items(now, rules);
        double low = 0, high = 0;
        foreach (var group in ByRule(now))
        {
            var sites = group.Sum(f => f.Count);
            var hasFix = rules[group.Key].HasFix;
            low += sites * (hasFix ? CodeFixLow : ManualLow) + TestPerRuleLow;
            high += sites * (hasFix ? CodeFixHigh : ManualHigh) + TestPerRuleHigh;
        }

        return new ActionPlan
        {
            FixNow = fixNow,
            FixSoon = Items(soon, rules),
            Monitor = MonitorItems(findings, suspicious, facts, rules),
            FixNowHoursLow = low,
            FixNowHoursHigh = high,
            Infrastructure = Infrastructure(findings.Concat(suspicious).ToList(), facts, rules),
        };
    }

    /// <summary>The catalog by rule ID: the shipped one unless a test gives its own.</summary>
    private static Dictionary<string, RuleDefinition> RulesById(IReadOnlyCollection<RuleDefinition>? catalog)
        => (catalog ?? RuleCatalog.All).ToDictionary(r => r.Id, StringComparer.Ordinal);

    private static List<PlanItem> Items(IReadOnlyList<ReportFinding> findings, Dictionary<string, RuleDefinition> rules)
        => ByRule(findings)
            .OrderBy(g => Enum.Parse<AuditSeverity>(g.First().Severity, ignoreCase: true)).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g =>
            {
                var rule = rules[g.Key];
                return new PlanItem(rule.Id, rule.Title, g.First().Severity, g.Sum(f => f.Count), Locations(g), rule.Remediation, rule.FixTitle);
            })
            .ToList();

    private static List<MonitorItem> MonitorItems(IReadOnlyList<ReportFinding> findings, IReadOnlyList<ReportFinding> suspicious, EnvironmentFacts facts, Dictionary<string, RuleDefinition> rules)
    {
        var items = new List<MonitorItem>();
        foreach (var group in ByRule(findings.Where(f => f.Severity == "MONITOR").Concat(suspicious).ToList()))
        {
            var rule = rules[group.Key];
            var (metric, threshold) = rule == RuleCatalog.UnprunedStageFiles
                ? ("number of per-ID folders in the data root and their total size, compared with the number of live records", "more folders than live records, or steady growth over a month")
                : MetricFor(rule.Category, facts);
            items.Add(new MonitorItem($"{rule.Id} {rule.Title} ({group.Sum(f => f.Count)} site{S(group.Sum(f => f.Count))}: {string.Join(", ", Locations(group).Take(3))})", metric, threshold));
        }

        // The standing metrics, for the kinds of state the code has, even where nothing was flagged.
        if (facts.Loads.Count > 0)
        {
            items.Add(new MonitorItem("Loads of stored state", "stored files or rows that fail to parse or verify at load (log and count them; quarantine, never delete)", "act on the first one: it is data already lost"));
        }

        if (facts.Writes.Any(w => w.Style == WriteStyle.Atomic))
        {
            items.Add(new MonitorItem("Temp files beside state files", "count and total size of *.tmp files in the data folders", "more than 10 files or 1 % of the folder's size: a sweep is missing or writes keep failing"));
        }

        if (facts.Connections.Count > 0)
        {
            items.Add(new MonitorItem("SQLite lock contention", "SQLITE_BUSY / 'database is locked' errors and the 95th percentile of transaction time", "any BUSY error reaching a caller, or p95 above 1 s"));
        }

        return items;
    }

    private static (string Metric, string Threshold) MetricFor(AuditCategory category, EnvironmentFacts facts) => category switch
    {
        AuditCategory.Atomicity => ("state files found empty, truncated or reverted after a restart", "any occurrence"),
        AuditCategory.Corruption => ("loads that fail to parse or verify, and files replaced by defaults", "any occurrence"),
        AuditCategory.Orphans => ("count and size of leftover *.tmp files in the data folders", "more than 10 files or 1 % of the folder's size"),
        AuditCategory.Concurrency => ("SQLITE_BUSY errors, lost updates found by reconciliation, duplicate job claims", "any BUSY error reaching a caller, or one duplicate claim"),
        AuditCategory.Schema => ("loads of data whose version is older or newer than the build's", "any load of a newer version; older versions once migrations exist"),
        AuditCategory.Consistency => ("records whose IDs or timestamps disagree between stages or machines", "any mismatch"),
        _ => ("incidents of state lost or misread", "any occurrence"),
    };

    private static List<InfrastructureItem> Infrastructure(IReadOnlyList<ReportFinding> findings, EnvironmentFacts facts, Dictionary<string, RuleDefinition> rules)
    {
        // A finding whose remediation puts one of these practices in place calls for its infrastructure.
        bool Has(params IntegrityPractice[] practices) => findings.Any(f => practices.Contains(rules[f.RuleId].Practice));
        var items = new List<InfrastructureItem>();
        if (facts.Loads.Count > 0 && (facts.IntegrityChecks.Count == 0 || Has(IntegrityPractice.IntegrityChecks, IntegrityPractice.CorruptionRecovery)))
        {
            items.Add(new InfrastructureItem("Integrity checks", "A checksum over every stored state file, verified on load, with the previous version kept (`CheckpointFile.Save`/`Load`, or your own envelope)", "loads today cannot tell a torn or hand-edited file from a good one"));
        }

        if (Has(IntegrityPractice.TempCleanup) || (facts.Writes.Any(w => w.Style == WriteStyle.Atomic) && facts.Cleanup.Count == 0))
        {
            items.Add(new InfrastructureItem("Cleanup jobs", "At startup, delete temp files (`*.tmp`) older than an hour beside each state folder; for database rows, delete their files in the same step", "temp files of interrupted writes are never removed"));
        }

        items.Add(new InfrastructureItem("Monitoring", "Count load failures, quarantined files, leftover temp files" + (facts.Connections.Count > 0 ? " and SQLITE_BUSY errors" : string.Empty) + "; alert on the thresholds under Monitor", "losses are otherwise found by users"));
        if (facts.Writes.Count > 0)
        {
            items.Add(new InfrastructureItem("Test: kill during write", "A child process writes state in a loop; the test kills it (SIGKILL) at random points 100+ times and asserts the file always parses as the old or the new version", "the only test that catches torn writes"));
        }

        if (facts.Loads.Count > 0)
        {
            items.Add(new InfrastructureItem("Test: inject corrupt JSON", "Truncate, empty, zero-fill and bit-flip a stored file, then start the program: it must report and keep the bad file, load the backup or refuse — never save defaults over it", "corruption handling is otherwise never exercised"));
        }

        if (facts.Connections.Count > 0 || Has(IntegrityPractice.ConcurrencyControl))
        {
            // Jobs claimed by status, or a staged pipeline, are what workers race for; otherwise two instances of the writer do.
            var jobs = findings.Any(f => f.RuleId == RuleCatalog.StatusCheckThenAct.Id || f.RuleId == RuleCatalog.DoneBeforeData.Id)
                || facts.StageFlows.Select(f => f.Method).Distinct().Count() >= 2;
            var database = facts.Connections.Count > 0;
            items.Add(jobs
                ? new InfrastructureItem("Test: concurrent processing", "Several workers claim and finish the same jobs against one " + (database ? "database and data folder; assert every job is done exactly once and every record matches its file" : "data folder; assert every job is done exactly once and every stage's file is whole"), "races show only under load")
                : new InfrastructureItem("Test: concurrent processing", "Run the code that saves state from two threads and two processes at once against one data folder" + (database ? " and database" : string.Empty) + "; assert no save is lost or mixed with another" + (database ? " and no SQLITE_BUSY reaches a caller" : string.Empty), "races show only under load"));
        }

        if (facts.Models.Count > 0)
        {
            items.Add(new InfrastructureItem("Test: schema migration", "Keep a stored file from each released version as a fixture; load each with the current build and assert the data survives (and that a file from a newer version is refused)", "the first release that changes a model breaks old data silently"));
        }

        return items;
    }

    private static double Impact(IGrouping<string, ReportFinding> group, RuleDefinition rule, ScoreResult score)
    {
        var weight = group.First().Severity switch
        {
            "CRITICAL" => 10.0,
            "HIGH" => 5.0,
            "MEDIUM" => 2.0,
            _ => 0.5,
        };
        var sites = group.Sum(f => f.Count);
        return weight * (1 + Math.Log2(sites)) * (Systemic(rule, score) ? 1.5 : 1.0);
    }

    // The rule's remediation puts in place a practice whose absence the score deducts for.
    private static bool Systemic(RuleDefinition rule, ScoreResult score)
        => rule.Practice != IntegrityPractice.None && score.Deductions.Any(d => d.Practice == rule.Practice);

    private static IEnumerable<IGrouping<string, ReportFinding>> ByRule(IEnumerable<ReportFinding> findings)
        => findings.GroupBy(f => f.RuleId).OrderBy(g => g.Key, StringComparer.Ordinal);

    private static List<string> Locations(IEnumerable<ReportFinding> findings)
        => findings.OrderBy(f => f.File, StringComparer.Ordinal).ThenBy(f => f.Lines[0]).Select(f => $"{f.File}:{string.Join(",", f.Lines)}").ToList();
}
