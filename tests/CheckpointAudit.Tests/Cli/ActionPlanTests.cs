using CheckpointAudit.Catalog;
using CheckpointAudit.Cli.Analysis;
using CheckpointAudit.Cli.Report;
using Xunit;

namespace CheckpointAudit.Tests.Cli;

/// <summary>
/// The action plan and the top fixes read a rule's severity, fix and practice from its catalog row: a rule added to a
/// copy of the catalog is planned like the shipped ones, with no change to the planner.
/// </summary>
public class ActionPlanTests
{
    private static readonly RuleDefinition SweepRule = new(
        id: "CKPT499",
        category: AuditCategory.Orphans,
        auditSeverity: AuditSeverity.High,
        title: "Added rule whose remedy is a sweep",
        messageFormat: "'{0}' is never swept",
        remediation: "Sweep the folder at startup.",
        fixTitle: null,
        practice: IntegrityPractice.TempCleanup);

    private static readonly RuleDefinition AtomicRule = new(
        id: "CKPT298",
        category: AuditCategory.Atomicity,
        auditSeverity: AuditSeverity.Critical,
        title: "Added rule whose remedy is atomic writes",
        messageFormat: "'{0}' is overwritten in place",
        remediation: "Write a temp file and rename it.",
        fixTitle: "Write atomically",
        practice: IntegrityPractice.AtomicWrites);

    private static readonly RuleDefinition LocalRule = new(
        id: "CKPT297",
        category: AuditCategory.Atomicity,
        auditSeverity: AuditSeverity.Critical,
        title: "Added rule with a local remedy",
        messageFormat: "'{0}' is wrong",
        remediation: "Fix it here.",
        fixTitle: null);

    private static readonly IReadOnlyCollection<RuleDefinition> Catalog = [.. RuleCatalog.All, SweepRule, AtomicRule, LocalRule];

    [Fact]
    public void An_added_rule_is_planned_from_its_catalog_row()
    {
        var plan = ActionPlanner.Plan([Finding(SweepRule, "Store.cs", 12), Finding(SweepRule, "Store.cs", 40)], [], new EnvironmentFacts(), Catalog);

        var item = Assert.Single(plan.FixNow);
        Assert.Equal(("CKPT499", "Added rule whose remedy is a sweep", "HIGH", 2, "Sweep the folder at startup."), (item.RuleId, item.Title, item.Severity, item.Sites, item.Action));
        Assert.Equal(["Store.cs:12", "Store.cs:40"], item.Locations);
        Assert.Null(item.CodeFix);
        // No fix: each site is changed by hand (1–3 h), plus one regression test for the rule (0.5–1 h).
        Assert.Equal((2.5, 7.0), (plan.FixNowHoursLow, plan.FixNowHoursHigh));
        // Its practice is temp-file cleanup, so the plan asks for the sweep job although the survey found no atomic write.
        Assert.Contains(plan.Infrastructure, i => i.Kind == "Cleanup jobs");
    }

    [Fact]
    public void A_rule_with_a_local_remedy_asks_for_no_infrastructure()
    {
        var plan = ActionPlanner.Plan([Finding(LocalRule, "Store.cs", 3)], [], new EnvironmentFacts(), Catalog);

        Assert.Equal("CKPT297", Assert.Single(plan.FixNow).RuleId);
        Assert.Equal(["Monitoring"], plan.Infrastructure.Select(i => i.Kind));
    }

    [Fact]
    public void A_rule_whose_practice_is_missing_everywhere_ranks_first()
    {
        // Two critical rules with one site each: the one whose remedy puts in place the practice the score deducts for
        // comes first and says so; without that deduction the order falls back to the rule ID.
        var findings = new[] { Finding(LocalRule, "A.cs", 1), Finding(AtomicRule, "B.cs", 1) };
        var systemic = new ScoreResult(5, "", [], [new ScoreDeduction("systemic: no atomic write anywhere", 1, IntegrityPractice.AtomicWrites)], true);
        var plain = new ScoreResult(5, "", [], [new ScoreDeduction("1 critical issue", 1.5)], true);

        var ranked = ActionPlanner.TopFixes(findings, systemic, Catalog);
        Assert.Equal(["CKPT298", "CKPT297"], ranked.Select(f => f.RuleId));
        Assert.EndsWith("removes a systemic gap", ranked[0].Why, StringComparison.Ordinal);
        Assert.Equal("Write atomically", ranked[0].CodeFix);
        Assert.DoesNotContain("systemic", ranked[1].Why, StringComparison.Ordinal);

        Assert.Equal(["CKPT297", "CKPT298"], ActionPlanner.TopFixes(findings, plain, Catalog).Select(f => f.RuleId));
    }

    [Fact]
    public void Every_systemic_deduction_of_the_score_has_a_rule_that_removes_it()
    {
        // A project with state and none of the practices: each systemic deduction names a practice, and the shipped
        // catalog has a rule whose remediation puts it in place (else the plan could never rank that fix first).
        var facts = new EnvironmentFacts();
        facts.Writes.Add(new WriteSite("{dir}/state.json", WriteStyle.InPlace, "File.WriteAllText", new Spot("Store.cs", 5)));
        facts.Loads.Add(new Evidence("JsonSerializer.Deserialize", new Spot("Store.cs", 9)));
        facts.Models.Add(new ModelFact("State", new Spot("State.cs", 1), null, "System.Text.Json", ["state.json"], null, [], []));

        var systemic = IntegrityScoring.Compute([], facts).Deductions.Where(d => d.Reason.StartsWith("systemic", StringComparison.Ordinal)).ToList();

        Assert.Equal(4, systemic.Count);
        Assert.All(systemic, d => Assert.Contains(RuleCatalog.All, r => r.Practice == d.Practice && d.Practice != IntegrityPractice.None));
    }

    private static ReportFinding Finding(RuleDefinition rule, string file, int line) => new()
    {
        RuleId = rule.Id,
        Title = rule.Title,
        Category = rule.Category.ToString(),
        Severity = rule.AuditSeverity.ToString().ToUpperInvariant(),
        Confidence = "high",
        Target = "File.WriteAllText(path, text)",
        FixHere = "by hand",
        Project = "Store",
        File = file,
        Lines = [line],
        StartColumn = 1,
        EndLine = line,
        Member = "Store.Save",
        Count = 1,
        Message = rule.Title,
        Problem = "",
        Impact = "",
        Verify = [],
        Fix = new FixText(rule.Remediation, rule.FixTitle, false, null, null, []),
        TradeOff = "",
        HelpUri = rule.HelpLink,
    };
}
