using CheckpointAudit.Catalog;
using CheckpointAudit.Cli.Analysis;
using static CheckpointAudit.Cli.Report.Wording;

namespace CheckpointAudit.Cli.Report;

/// <summary>
/// The integrity score, 1–10, by the formula in docs/scoring.md: ten minus deductions for the kinds of loss found
/// (each rule counts once, at its worst severity, however many sites it has) and for systemic gaps, plus credit for
/// safeguards the code has (previous versions kept, a versioned database schema), capped at 8 unless atomic writes,
/// checksums, schema versioning and temp-file cleanup are all in place.
/// </summary>
internal static class IntegrityScoring
{
    // The n-th rule with a critical finding costs CriticalSteps[n] (the last value repeats): one or two put a codebase
    // at 7–8, five or more take the whole CriticalCap. A rule is one way to lose data and one practice to fix
    // everywhere: twenty helpers writing in place are one missing practice, not twenty (counting sites or files
    // scored a product by how much code it has; calibrated in docs/scoring.md).
    private static readonly double[] CriticalSteps = [2.0, 0.5];
    private const double CriticalCap = 4.0;
    private const double HighStep = 0.75;
    private const double HighCap = 1.5;
    private const double MediumStep = 0.25;
    private const double MediumCap = 1.0;
    private const double SystemicNoVersioning = 1.0;
    private const double SystemicNoAtomicWrite = 1.0;
    private const double SystemicNoIntegrityCheck = 0.5;
    private const double SystemicNoRecovery = 0.5;
    private const double CreditBackups = 1.0;
    private const double CreditSchemaMigrations = 1.0;
    private const double CeilingWithoutAllPractices = 8.0;

    public static ScoreResult Compute(IReadOnlyList<ReportFinding> findings, EnvironmentFacts facts)
    {
        var deductions = new List<ScoreDeduction>();
        var justification = new List<string>();
        var worstByRule = findings.GroupBy(f => f.RuleId, StringComparer.Ordinal)
            .Select(g => g.Min(f => ReportBuilder.SeverityRank(f.Severity)))
            .ToList();
        int Rules(string severity) => worstByRule.Count(rank => rank == ReportBuilder.SeverityRank(severity));

        var critical = Rules("CRITICAL");
        var criticalPoints = 0.0;
        for (var i = 0; i < critical; i++)
        {
            criticalPoints += CriticalSteps[Math.Min(i, CriticalSteps.Length - 1)];
        }

        criticalPoints = Math.Min(criticalPoints, CriticalCap);
        Add(criticalPoints, $"{critical} critical issue{S(critical)} (rules with a critical finding)");
        var high = Rules("HIGH");
        Add(Math.Min(high * HighStep, HighCap), $"{high} high-severity issue{S(high)}");
        var medium = Rules("MEDIUM");
        Add(Math.Min(medium * MediumStep, MediumCap), $"{medium} medium-severity issue{S(medium)}");

        var models = facts.Models.Select(m => (m.Type, m.Declared)).Distinct().Count();
        var versioned = facts.Models.Where(m => m.VersionMember is not null).Select(m => (m.Type, m.Declared)).Distinct().Count();
        var inPlace = facts.Writes.Count(w => w.Style == WriteStyle.InPlace);
        var atomic = facts.Writes.Count(w => w.Style == WriteStyle.Atomic);
        var loads = facts.Loads.Count;
        if (models > 0 && versioned == 0)
        {
            AddFor(SystemicNoVersioning, IntegrityPractice.SchemaVersioning, models == 1 ? "systemic: no schema versioning on the persisted model" : $"systemic: no schema versioning on any of {models} persisted models");
        }

        if (inPlace > 0 && atomic == 0)
        {
            AddFor(SystemicNoAtomicWrite, IntegrityPractice.AtomicWrites, $"systemic: no atomic write anywhere ({inPlace} in-place write{S(inPlace)})");
        }

        if (loads > 0 && facts.IntegrityChecks.Count == 0)
        {
            AddFor(SystemicNoIntegrityCheck, IntegrityPractice.IntegrityChecks, "systemic: no checksum or verified load over stored data");
        }

        if (loads > 0 && facts.Recovery.Count == 0)
        {
            AddFor(SystemicNoRecovery, IntegrityPractice.CorruptionRecovery, "systemic: no recovery path for corrupt stored data");
        }

        // Safeguards the code has, credited back: each makes a loss recoverable whatever the findings say.
        if (facts.Backups.Count > 0)
        {
            Credit(CreditBackups, $"previous versions kept ({facts.Backups[0].What})");
        }

        if (facts.SchemaMigrations.Count > 0)
        {
            Credit(CreditSchemaMigrations, $"versioned database schema ({facts.SchemaMigrations[0].What}{(facts.SchemaMigrations.Count > 1 ? $" and {facts.SchemaMigrations.Count - 1} more" : string.Empty)})");
        }

        var hasState = facts.Writes.Count > 0 || loads > 0 || models > 0 || facts.Connections.Count > 0;
        // Each practice: whether it is in place (or not needed), and whether the code shows it (not just vacuously true).
        var practices = new (bool InPlace, bool Shown, string Name)[]
        {
            (atomic > 0 && inPlace == 0 || facts.Writes.Count == 0, atomic > 0 && inPlace == 0, "atomic writes"),
            (facts.IntegrityChecks.Count > 0 || loads == 0, facts.IntegrityChecks.Count > 0, "checksums"),
            (models == versioned, models > 0 && models == versioned, "schema versioning"),
            (facts.Cleanup.Count > 0 || atomic == 0, facts.Cleanup.Count > 0, "temp-file cleanup"),
        };
        var raw = 10.0 - deductions.Sum(d => d.Points);
        var missingPractices = practices.Where(p => !p.InPlace).Select(p => p.Name).ToList();
        if (missingPractices.Count > 0 && raw > CeilingWithoutAllPractices)
        {
            deductions.Add(new ScoreDeduction($"capped at {CeilingWithoutAllPractices:0}: not all of atomic writes, checksums, versioning and cleanup are in place (missing: {string.Join(", ", missingPractices)})", raw - CeilingWithoutAllPractices));
            raw = CeilingWithoutAllPractices;
        }

        var value = (int)Math.Clamp(Math.Round(raw, MidpointRounding.AwayFromZero), 1, 10);

        // Justification: the heaviest reasons first, then what is already in place.
        justification.AddRange(deductions.Where(d => d.Points > 0).OrderByDescending(d => d.Points).Take(4).Select(d => $"{Capitalize(d.Reason)}: −{d.Points:0.##}."));
        justification.AddRange(deductions.Where(d => d.Points < 0).Select(d => $"Credit for {d.Reason}: +{-d.Points:0.##}."));
        var inPlacePractices = practices.Where(p => p.Shown).Select(p => p.Name).ToList();
        if (hasState && inPlacePractices.Count > 0 && justification.Count < 5)
        {
            justification.Add($"In place: {string.Join(", ", inPlacePractices)}.");
        }

        if (!hasState)
        {
            justification.Insert(0, "No persisted state was found in the analyzed code, so the score has little to say: check that the input is the code that saves state.");
        }

        if (justification.Count < 2)
        {
            justification.Add(findings.Count == 0 ? "No findings at high or medium confidence." : $"{findings.Count} finding{S(findings.Count)} at high or medium confidence.");
        }

        return new ScoreResult(value, Band(value), justification, deductions, hasState);

        void Add(double points, string reason) => AddFor(points, IntegrityPractice.None, reason);

        void Credit(double points, string reason) => deductions.Add(new ScoreDeduction(reason, -points));

        void AddFor(double points, IntegrityPractice practice, string reason)
        {
            if (points > 0)
            {
                deductions.Add(new ScoreDeduction(reason, points, practice));
            }
        }
    }

    /// <summary>The scale's wording for a score.</summary>
    public static string Band(int value) => value switch
    {
        >= 9 => "atomic writes, checksums, schema versioning and cleanup all in place",
        >= 7 => "one or two critical fixes needed",
        >= 5 => "significant gaps: data loss possible in edge cases",
        >= 3 => "multiple critical issues",
        _ => "fundamental integrity problems",
    };
}
