using CheckpointAudit.Catalog;
using CheckpointAudit.Cli.Analysis;
using CheckpointAudit.Knowledge;
using static CheckpointAudit.Cli.Report.Wording;

namespace CheckpointAudit.Cli.Report;

/// <summary>
/// Turns the survey's facts into the report's first section: each topic marked Found (with where),
/// Default assumed (and which default), or Needs confirmation (and what would settle it).
/// </summary>
internal static class EnvironmentAssessment
{
    public const string Found = "Found";
    public const string DefaultAssumed = "Default assumed";
    public const string NeedsConfirmation = "Needs confirmation";

    private const int MaxShown = 6;

    public static IReadOnlyList<EnvironmentItem> Assess(EnvironmentFacts facts, IReadOnlyList<ProjectEntry> projects)
    {
        // The layout is pictured with its item; a pipeline's stages with the cross-stage checks, else with the layout.
        var stages = MermaidDiagrams.Stages(facts.StageFlows);
        var crossStage = CrossStageChecks(facts);
        var layout = FileLayout(facts);
        layout = layout with { Diagrams = [.. new[] { MermaidDiagrams.Layout(facts.Writes), crossStage is null ? stages : null }.OfType<string>()] };
        crossStage = crossStage is null || stages is null ? crossStage : crossStage with { Diagrams = [stages] };
        return new[]
        {
            layout,
            Versioning(facts),
            WritePatterns(facts),
            Sqlite(facts),
            ModelHierarchy(facts),
            Recovery(facts),
            Reconciliation(facts),
            Retention(facts),
            crossStage,
            StateSync(facts),
            AnalysisBasis(projects),
        }.OfType<EnvironmentItem>().ToList();
    }

    /// <summary>
    /// Path templates written per ID, stage or other value (not temp names): files kept per record. A value after the
    /// leading folder names the record (`{dataDirectory}/{documentId}/export.md`); the leading one is only where the
    /// data lives (`{directory}/settings.json`).
    /// </summary>
    private static List<string> PerKeyTemplates(EnvironmentFacts facts)
        => facts.Writes.Select(w => w.PathTemplate)
            .Where(t => System.Text.RegularExpressions.Regex.Matches(System.Text.RegularExpressions.Regex.Replace(t, @"^\{[^}]+\}", string.Empty), @"\{([^}]+)\}")
                .Any(m => m.Groups[1].Value is not ("temp" or "guid" or "random" or "app")))
            .Where(t => !t.Contains("{temp}", StringComparison.Ordinal) && !t.Contains("{guid}", StringComparison.Ordinal) && !t.Contains("{random}", StringComparison.Ordinal))
            .Distinct().Order(StringComparer.Ordinal).ToList();

    private static string Examples(List<string> templates) => string.Join(", ", templates.Take(3).Select(t => $"`{t}`")) + (templates.Count > 3 ? $" and {templates.Count - 3} more" : string.Empty);

    /// <summary>Records in a database and files per record: is there a job that matches one against the other? Omitted when the project has not both.</summary>
    private static EnvironmentItem? Reconciliation(EnvironmentFacts facts)
    {
        var perKey = PerKeyTemplates(facts);
        if (perKey.Count == 0 || (facts.SqliteProviders.Count == 0 && facts.EfCore.Count == 0))
        {
            return null;
        }

        if (facts.Reconciliation.Count > 0)
        {
            return new EnvironmentItem("Records and files on disk", Found, $"{facts.Reconciliation.Count} place{S(facts.Reconciliation.Count)} list directories beside a lookup or deletion of records.",
                [Evidence(facts.Reconciliation)], "Whether that code runs (at startup, on a schedule) and handles both directions: directories with no record, and records whose files are gone.");
        }

        return new EnvironmentItem("Records and files on disk", NeedsConfirmation,
            $"Records are kept in a database and files per record ({Examples(perKey)}), and no code was found that matches one against the other.", [],
            "Whether a job finds directories or files with no record and records whose files are missing, and what it does with each (delete, re-create, alert): a scheduled task or admin command outside this code, or a listing of the data folder compared with the records table, settles it.");
    }

    /// <summary>Files written per ID or stage: what removes them? Omitted when nothing is written per key.</summary>
    private static EnvironmentItem? Retention(EnvironmentFacts facts)
    {
        var perKey = PerKeyTemplates(facts);
        if (perKey.Count == 0)
        {
            return null;
        }

        if (facts.Retention.Count > 0)
        {
            return new EnvironmentItem("Retention of stored files", Found, $"{facts.Retention.Count} place{S(facts.Retention.Count)} delete stored files by age.",
                [Evidence(facts.Retention)], "Whether the age limits cover every folder written per ID or stage: " + Examples(perKey) + ".");
        }

        return new EnvironmentItem("Retention of stored files", NeedsConfirmation,
            $"{perKey.Count} path template{S(perKey.Count)} {(perKey.Count == 1 ? "is" : "are")} written per ID or stage ({Examples(perKey)}), and no code deletes stored files by age.", [],
            "How long stage checkpoints and per-record files are kept and what removes them (a retention job, a disk quota, an operator): the retention policy, or the data folder's size over a month in production, settles it.");
    }

    /// <summary>Stages that load what earlier stages saved: do they check it before use? Omitted when no method loads two stored models.</summary>
    private static EnvironmentItem? CrossStageChecks(EnvironmentFacts facts)
    {
        if (facts.StageInputs.Count == 0)
        {
            return null;
        }

        var checkedSpots = facts.CrossStageChecks.Select(e => e.Spot).ToHashSet();
        var unverified = facts.StageInputs.Where(e => !checkedSpots.Contains(e.Spot)).ToList();
        var details = unverified.Take(MaxShown).Select(e => $"{e.What} (`{e.Spot}`)").ToList();
        More(details, unverified.Count, "methods");
        if (unverified.Count == 0)
        {
            return new EnvironmentItem("Cross-stage checks", Found, $"{facts.CrossStageChecks.Count} method{S(facts.CrossStageChecks.Count)} that load several stored inputs throw on a failed check before using them.",
                [Evidence(facts.CrossStageChecks)], "Whether the checks cover what each stage relies on: page counts, element IDs and coordinate spaces, not only presence.");
        }

        return new EnvironmentItem("Cross-stage checks", NeedsConfirmation,
            $"{unverified.Count} method{S(unverified.Count)} load{(unverified.Count == 1 ? "s" : string.Empty)} what earlier stages saved with no check that throws before use.", details,
            "Whether each stage verifies the data it needs from the previous one — that it exists, that page counts agree, that element IDs resolve and coordinates are in the same space — and fails clearly instead of building on partial input: reading those methods, or running a stage on a deliberately truncated input, settles it.");
    }

    /// <summary>
    /// Frontend / state sync: which endpoints write back edited state and whether they check the client's version,
    /// whether open clients are told about changes, and what clients keep. Omitted when there is none of the three.
    /// </summary>
    private static EnvironmentItem? StateSync(EnvironmentFacts facts)
    {
        if (facts.UpdateEndpoints.Count == 0 && facts.Broadcasts.Count == 0 && facts.ClientStorage.Count == 0)
        {
            return null;
        }

        var versioned = facts.VersionedUpdates.Select(e => e.Spot).ToHashSet();
        var details = new List<string>();
        details.AddRange(facts.UpdateEndpoints.Take(MaxShown).Select(e => $"{e.What} writes back an edited copy, {(versioned.Contains(e.Spot) ? "conditional on the client's version" : "last writer wins")} (`{e.Spot}`)"));
        More(details, facts.UpdateEndpoints.Count, "update endpoints");
        if (facts.Broadcasts.Count > 0)
        {
            details.Add($"Pushes to connected clients: {string.Join(", ", facts.Broadcasts.Take(3).Select(e => $"{e.What} (`{e.Spot}`)"))}{(facts.Broadcasts.Count > 3 ? $" and {facts.Broadcasts.Count - 3} more" : string.Empty)}.");
        }

        if (facts.ClientStorage.Count > 0)
        {
            details.Add($"Kept in the browser: {string.Join(", ", facts.ClientStorage.Take(3).Select(e => $"{e.What} (`{e.Spot}`)"))}{(facts.ClientStorage.Count > 3 ? $" and {facts.ClientStorage.Count - 3} more" : string.Empty)}.");
        }

        var unversioned = facts.UpdateEndpoints.Count - facts.VersionedUpdates.Count;
        var summary = $"{facts.UpdateEndpoints.Count} update endpoint{S(facts.UpdateEndpoints.Count)} write{(facts.UpdateEndpoints.Count == 1 ? "s" : string.Empty)} back edited state"
            + (facts.UpdateEndpoints.Count == 0 ? string.Empty : unversioned == 0 ? ", each conditional on the client's version" : $", {unversioned} with no version check")
            + $"; {(facts.Broadcasts.Count == 0 ? "nothing pushes changes to open clients" : $"{facts.Broadcasts.Count} place{S(facts.Broadcasts.Count)} push{(facts.Broadcasts.Count == 1 ? "es" : string.Empty)} changes to open clients")}"
            + $"; {(facts.ClientStorage.Count == 0 ? "no state kept in the browser was found" : $"{facts.ClientStorage.Count} read{S(facts.ClientStorage.Count)} and write{S(facts.ClientStorage.Count)} of state kept in the browser")}.";
        return new EnvironmentItem("Frontend / state sync", facts.UpdateEndpoints.Count > 0 && unversioned == 0 ? Found : NeedsConfirmation, summary, details,
            "Whether two clients (people, tabs, scripts) edit the same records at once, and whether open pages must show other clients' changes without a reload: how the UI is used, or two browsers editing one record, settles it.");
    }

    private static EnvironmentItem FileLayout(EnvironmentFacts facts)
    {
        var templates = facts.Writes
            .GroupBy(w => (w.PathTemplate, w.Style))
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Key.PathTemplate, StringComparer.Ordinal).ThenBy(g => g.Key.Style)
            .ToList();
        if (templates.Count == 0)
        {
            return new EnvironmentItem("Checkpoint file layout", NeedsConfirmation, "No file writes were found in the analyzed code.", [],
                "Where state is written, if not here: a library or service this code calls, or a setting that names the data folder (appsettings.json, environment variables).");
        }

        var details = templates.Take(MaxShown * 2).Select(g =>
            $"`{g.Key.PathTemplate}` ({Kind(g.Key.PathTemplate)}) — {Describe(g.Key.Style)}, by {string.Join(", ", g.Select(w => w.Api).Distinct().Order(StringComparer.Ordinal))} ({Spots(g.Select(w => w.Spot))})").ToList();
        var kinds = templates.Select(g => g.Key.PathTemplate).Distinct().GroupBy(Kind).OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => $"{k.Count()} {k.Key}");
        details.Insert(0, "By what the path says: " + string.Join(", ", kinds) + ".");
        if (templates.Count > details.Count)
        {
            details.Add($"… and {templates.Count - details.Count} more path templates");
        }

        var holes = templates.SelectMany(g => System.Text.RegularExpressions.Regex.Matches(g.Key.PathTemplate, @"\{([^}]+)\}").Select(m => m.Groups[1].Value))
            .Where(h => h is not ("temp" or "guid" or "random" or "app"))
            .Distinct().Order(StringComparer.Ordinal).Take(8).ToList();
        var distinct = templates.Select(g => g.Key.PathTemplate).Distinct().Count();
        return new EnvironmentItem("Checkpoint file layout", Found,
            $"{distinct} path template{S(distinct)} written by {facts.Writes.Count} write site{S(facts.Writes.Count)}.",
            details,
            holes.Count == 0 ? null : $"Which folder or value each of {string.Join(", ", holes.Select(h => "`{" + h + "}`"))} resolves to in production, and whether it is on local disk (a network share or a container overlay changes what a rename guarantees).");
    }

    private static readonly HashSet<string> TempWords = NameWords.Set("temp", "tmp", "random", "guid");

    private static readonly HashSet<string> ConfigWords = NameWords.Set("config", "configuration", "settings", "options", "preferences", "prefs", "ini", "appsettings");

    /// <summary>What a path template says it holds, by the words of its parts (output by the analyzers' own words).</summary>
    private static string Kind(string template)
        => NameWords.First(template, TempWords) is not null ? "temp"
            : WrittenData.NamesOutput(template) ? "cache or output"
            : NameWords.First(template, ConfigWords) is not null ? "config"
            : "data";

    private static EnvironmentItem Versioning(EnvironmentFacts facts)
    {
        var models = Distinct(facts.Models);
        var database = facts.SchemaMigrations.Count == 0 ? null
            : $"Database schema: versioned ({facts.SchemaMigrations.Count} migration step{S(facts.SchemaMigrations.Count)}: {Spots(facts.SchemaMigrations.Select(m => m.Spot))})";
        if (models.Count == 0)
        {
            return new EnvironmentItem("Schema versioning strategy", database is null ? NeedsConfirmation : Found, "No persisted model types were recognised (no serializer call that reaches a file or a database)." + (database is null ? string.Empty : " The database schema is versioned."), database is null ? [] : [database],
                "Whether state is serialized elsewhere (a shared library, reflection-based storage): name such types in `checkpoint_audit.persisted_types` so the audit sees them.");
        }

        var versioned = models.Where(m => m.VersionMember is not null).ToList();
        var details = models.Take(MaxShown * 2).Select(m => m.VersionMember is null
            ? $"`{m.Type}` ({m.Declared}): no version member"
            : $"`{m.Type}` ({m.Declared}): versioned by `{m.VersionMember}`").ToList();
        More(details, models.Count, "persisted models");
        if (database is not null)
        {
            details.Insert(0, database);
        }

        if (versioned.Count == 0)
        {
            return new EnvironmentItem("Schema versioning strategy", Found, $"None: {(models.Count == 1 ? "the one persisted model does not carry" : $"none of the {models.Count} persisted models carries")} a schema version, so old data cannot be told from new.", details, null);
        }

        return new EnvironmentItem("Schema versioning strategy", Found,
            versioned.Count == models.Count
                ? models.Count == 1 ? "The one persisted model carries a version member." : $"Per-model version member on all {models.Count} persisted models."
                : $"Partial: {versioned.Count} of {models.Count} persisted models carry a version member.",
            details,
            $"Where versions are compared and migrations run, if not in this code ({RuleCatalog.VersionNeverChecked.Id} reports loads whose version is never checked).");
    }

    private static EnvironmentItem WritePatterns(EnvironmentFacts facts)
    {
        var inPlace = facts.Writes.Where(w => w.Style == WriteStyle.InPlace).ToList();
        var atomic = facts.Writes.Where(w => w.Style == WriteStyle.Atomic).ToList();
        var other = facts.Writes.Where(w => w.Style == WriteStyle.Other).ToList();
        if (facts.Writes.Count == 0)
        {
            return new EnvironmentItem("Write patterns", NeedsConfirmation, "No file writes found.", [], null);
        }

        var details = new List<string>
        {
            $"Direct, in place (truncate and rewrite the real file): {inPlace.Count}" + (inPlace.Count > 0 ? $" ({Spots(inPlace.Select(w => w.Spot))})" : string.Empty),
            $"Atomic (temp file then move/replace, or CheckpointFile): {atomic.Count}" + (atomic.Count > 0 ? $" ({Spots(atomic.Select(w => w.Spot))})" : string.Empty),
            $"Appends and scratch files: {other.Count}",
        };
        var summary = atomic.Count == 0
            ? inPlace.Count == 1 ? "The one state write rewrites its file in place: it is not atomic." : $"All {inPlace.Count} state writes rewrite the file in place; none is atomic."
            : inPlace.Count == 0 ? atomic.Count == 1 ? "The one state write is atomic." : $"All {atomic.Count} state writes are atomic." : $"Mixed: {inPlace.Count} direct, {atomic.Count} atomic.";
        return new EnvironmentItem("Write patterns", Found, summary, details, null);
    }

    private static EnvironmentItem Sqlite(EnvironmentFacts facts)
    {
        var contexts = facts.EfCore.Where(e => e.What.StartsWith("context ", StringComparison.Ordinal)).ToList();
        var interceptors = facts.EfCore.Where(e => e.What.StartsWith("connection interceptor ", StringComparison.Ordinal)).ToList();
        if (facts.SqliteProviders.Count == 0 && facts.Connections.Count == 0 && contexts.Count == 0)
        {
            return new EnvironmentItem("SQLite usage", Found, "No SQLite connection is opened by this code.", [], null);
        }

        var details = new List<string> { $"Provider: {(facts.SqliteProviders.Count > 0 ? string.Join(", ", facts.SqliteProviders) : "EF Core (provider not resolved here)")}" };
        if (contexts.Count > 0 || facts.EfCore.Count > 0)
        {
            // EF Core changes what the defaults mean: SaveChanges is one transaction, and pragmas often live in an interceptor.
            details.Add($"EF Core: {Evidence(facts.EfCore)}. Each SaveChanges runs in one transaction (all its changes or none); migrations and raw SQL are the places to check for multi-step work outside it.");
        }

        details.Add(facts.JournalModes.Count > 0
            ? $"Journal mode: {Evidence(facts.JournalModes)}"
            : interceptors.Count > 0
            ? $"Journal mode: not set in this code's SQL — {Evidence(interceptors)} may set it on every open; read {(interceptors.Count == 1 ? "it" : "them")} before assuming the rollback journal"
            : "Journal mode: not set in code — *default assumed*: rollback journal (DELETE), where readers and the writer block each other");
        var systemDataSqlite = facts.SqliteProviders.Contains("System.Data.SQLite");
        details.Add(facts.BusyTimeouts.Count > 0
            ? $"Busy timeout: {Evidence(facts.BusyTimeouts)}"
            : systemDataSqlite
                ? "Busy timeout: not set — *default assumed*: System.Data.SQLite leaves busy_timeout at 0 and retries for only about 2–3 s"
                : "Busy timeout: not set — *default assumed*: Microsoft.Data.Sqlite retries for the command timeout (30 s)");
        details.Add(facts.Transactions.Count > 0 ? $"Transactions: {facts.Transactions.Count} ({Spots(facts.Transactions.Select(t => t.Spot))})" : "Transactions: none found");
        details.Add(facts.Connections.Count > 0
            ? "Connection lifetime: " + string.Join("; ", facts.Connections.GroupBy(c => c.What).Select(g => $"{g.Key} ({Spots(g.Select(c => c.Spot))})"))
            : "Connection lifetime: connections come from outside the analyzed code");
        var assumed = facts.JournalModes.Count == 0 || facts.BusyTimeouts.Count == 0;
        return new EnvironmentItem("SQLite usage", assumed ? DefaultAssumed : Found,
            $"{(facts.SqliteProviders.Count > 0 ? string.Join(" and ", facts.SqliteProviders) : "EF Core")}; {facts.Connections.Count} place{S(facts.Connections.Count)} open{(facts.Connections.Count == 1 ? "s" : "")} a connection" + (contexts.Count > 0 ? $", {contexts.Count} EF Core context{S(contexts.Count)}." : "."),
            details,
            assumed ? "That no PRAGMA runs outside this code (a migration script, a DBA's setup, another process on the same file): `PRAGMA journal_mode;` and `PRAGMA busy_timeout;` on a live connection settle it." : null);
    }

    private static EnvironmentItem ModelHierarchy(EnvironmentFacts facts)
    {
        var models = Distinct(facts.Models);
        if (models.Count == 0)
        {
            return new EnvironmentItem("Persisted model hierarchy", NeedsConfirmation, "No persisted models recognised.", [], null);
        }

        var details = models.Take(MaxShown * 2).Select(m =>
        {
            var parts = new List<string> { $"`{m.Type}` ({m.Serializer}; {string.Join(", ", m.Storage)})" };
            if (m.BaseType is not null)
            {
                parts.Add($"derives from `{m.BaseType}`");
            }

            if (m.DerivedTypes.Count > 0)
            {
                parts.Add($"derived: {string.Join(", ", m.DerivedTypes.Select(d => $"`{d}`"))}");
            }

            if (m.NestedModels.Count > 0)
            {
                parts.Add($"contains: {string.Join(", ", m.NestedModels.Take(8).Select(d => $"`{d}`"))}");
            }

            return string.Join(" — ", parts);
        }).ToList();
        More(details, models.Count, "persisted models");
        var polymorphic = models.Count(m => m.DerivedTypes.Count > 0);
        return new EnvironmentItem("Persisted model hierarchy", Found,
            $"{models.Count} persisted root model{S(models.Count)}" + (polymorphic > 0 ? $", {polymorphic} with derived types (check that the serializer writes the derived members)." : "."),
            details, null);
    }

    private static EnvironmentItem Recovery(EnvironmentFacts facts)
    {
        var mechanisms = facts.Recovery.Concat(facts.IntegrityChecks).Concat(facts.Cleanup).ToList();
        if (mechanisms.Count == 0)
        {
            return new EnvironmentItem("Error-recovery mechanisms", NeedsConfirmation,
                "None found in code: no catch of a parser exception, no backup copy, no checksum, no temp-file sweep.", [],
                "Whether operations restore state from outside the program (volume snapshots, a backup job) and how often: the runbook or the deployment's backup policy settles it.");
        }

        var details = mechanisms.GroupBy(m => m.What).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => $"{g.Key} ({Spots(g.Select(e => e.Spot))})").ToList();
        var missing = new List<string>();
        if (facts.IntegrityChecks.Count == 0)
        {
            missing.Add("no checksum over stored data");
        }

        if (facts.Cleanup.Count == 0)
        {
            missing.Add("no sweep of leftover temp files");
        }

        if (facts.Recovery.Count == 0)
        {
            missing.Add("no handling of corrupt input");
        }

        return new EnvironmentItem("Error-recovery mechanisms", Found,
            $"{mechanisms.Count} mechanism site{S(mechanisms.Count)}" + (missing.Count > 0 ? "; " + string.Join(", ", missing) + "." : "."),
            details, null);
    }

    private static EnvironmentItem AnalysisBasis(IReadOnlyList<ProjectEntry> projects)
    {
        var sources = projects.Where(p => p.Mode == "sources").ToList();
        var errors = projects.Sum(p => p.CompileErrors);
        // The projects that bind worst, with their most frequent errors: what the reader needs to judge the findings.
        var details = projects.OrderByDescending(p => p.CompileErrors).ThenBy(p => p.Name, StringComparer.Ordinal).Take(MaxShown)
            .Select(p => $"{p.Name}: {p.Mode}, {p.Files} file{S(p.Files)}, {p.CompileErrors} compile error{S(p.CompileErrors)}"
                + (p.TopErrors.Count > 0 ? $" (most frequent: {string.Join("; ", p.TopErrors.Take(2).Select(e => Clip(e, 110)))})" : string.Empty)
                + (p.Note is null ? string.Empty : $" — {p.Note}"))
            .ToList();
        if (projects.Count > details.Count)
        {
            details.Add($"… {projects.Count - details.Count} more projects, listed in the appendix");
        }

        if (sources.Count == 0)
        {
            return new EnvironmentItem("How the code was analyzed", Found, $"{projects.Count} project{S(projects.Count)} loaded through MSBuild with {(errors == 0 ? "no compile errors" : $"{errors} compile errors")}.", details, null);
        }

        return new EnvironmentItem("How the code was analyzed", DefaultAssumed,
            $"{sources.Count} of {projects.Count} project{S(projects.Count)} compiled from sources against the bundled .NET 10 references (plus Newtonsoft.Json, both SQLite providers, Dapper and EF Core); {(errors == 0 ? "it compiles without errors that way" : $"{errors} compile error{S(errors)}, from references not bundled")}.",
            details,
            errors > 0 ? "Run on the solution or project file after `dotnet restore` for full binding: findings marked Medium/Low confidence because their code does not fully compile may then change." : null);
    }

    private static void More(List<string> details, int total, string what)
    {
        if (total > details.Count)
        {
            details.Add($"… and {total - details.Count} more {what}");
        }
    }

    private static string Clip(string text, int length) => text.Length <= length ? text : text[..(length - 1)] + "…";

    private static List<ModelFact> Distinct(IEnumerable<ModelFact> models)
        => models.GroupBy(m => (m.Type, m.Declared)).Select(g => g.First()).OrderBy(m => m.Type, StringComparer.Ordinal).ToList();

    private static string Describe(WriteStyle style) => style switch
    {
        WriteStyle.InPlace => "rewritten in place",
        WriteStyle.Atomic => "replaced atomically",
        _ => "appended or scratch",
    };

    private static string Evidence(IEnumerable<Analysis.Evidence> evidence)
        => string.Join("; ", evidence.GroupBy(e => e.What).Select(g => $"{g.Key} ({Spots(g.Select(e => e.Spot))})"));

    /// <summary>"a.cs:3, a.cs:9, b.cs:4 and 2 more".</summary>
    public static string Spots(IEnumerable<Spot> spots)
    {
        var list = spots.Distinct().OrderBy(s => s.File, StringComparer.Ordinal).ThenBy(s => s.Line).ToList();
        var shown = string.Join(", ", list.Take(MaxShown).Select(s => $"`{s}`"));
        return list.Count > MaxShown ? $"{shown} and {list.Count - MaxShown} more" : shown;
    }
}
