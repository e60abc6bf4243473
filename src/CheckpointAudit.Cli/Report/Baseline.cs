using System.Text.Json;
using System.Text.Json.Nodes;

namespace CheckpointAudit.Cli.Report;

/// <summary>
/// The sites an earlier run reported, read from its JSON or SARIF output by their fingerprints: with a baseline the
/// report shows, and --fail-on judges, only sites that are not in it.
/// </summary>
internal sealed class Baseline
{
    private Baseline(string name, IReadOnlySet<string> fingerprints)
    {
        Name = name;
        Fingerprints = fingerprints;
    }

    /// <summary>The file name, as the report shows it.</summary>
    public string Name { get; }

    public IReadOnlySet<string> Fingerprints { get; }

    /// <summary>The baseline in a file, or a one-line reason it cannot be used.</summary>
    public static Baseline Read(string path)
    {
        JsonNode? root;
        try
        {
            using var stream = File.OpenRead(path);
            root = JsonNode.Parse(stream);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"cannot read the baseline '{path}': {e.Message}");
        }
        catch (JsonException)
        {
            throw new UsageException($"the baseline '{path}' is not a checkpoint-audit JSON or SARIF report (it is not JSON).");
        }

        var fingerprints = root is JsonObject report ? FromSarif(report, path) ?? FromJson(report, path) : null;
        return fingerprints is null
            ? throw new UsageException($"the baseline '{path}' is not a checkpoint-audit JSON or SARIF report, or an older version wrote it: write it again with --write-baseline.")
            : new Baseline(Path.GetFileName(path), fingerprints);
    }

    private static HashSet<string>? FromSarif(JsonObject report, string path)
    {
        if (report["runs"] is not JsonArray runs)
        {
            return null;
        }

        if (runs.OfType<JsonObject>().Any(r => IsOurs(r) && r["properties"]?["baseline"] is not null))
        {
            throw OnlyNew(path);
        }

        var fingerprints = new HashSet<string>(StringComparer.Ordinal);
        // Suppressed results are not findings (a JSON report lists them apart): a baseline holds findings only.
        foreach (var result in runs.OfType<JsonObject>().Where(IsOurs).SelectMany(r => r["results"] as JsonArray ?? []).OfType<JsonObject>().Where(r => r["suppressions"] is not JsonArray { Count: > 0 }))
        {
            if (result["partialFingerprints"]?[SiteFingerprints.SarifKey] is not JsonValue value || value.GetValueKind() != JsonValueKind.String)
            {
                return null;
            }

            fingerprints.Add(value.GetValue<string>());
        }

        return runs.OfType<JsonObject>().Any(IsOurs) ? fingerprints : null;
    }

    // A report written against a baseline holds only what was new then: as a baseline it would drop the rest.
    private static UsageException OnlyNew(string path)
        => new($"the baseline '{path}' reports new findings only (it was written with --baseline): use a report written without --baseline, or one from --write-baseline.");

    private static bool IsOurs(JsonObject run) => run["tool"]?["driver"]?["name"] is JsonValue name && name.GetValueKind() == JsonValueKind.String && name.GetValue<string>() == "checkpoint-audit";

    private static HashSet<string>? FromJson(JsonObject report, string path)
    {
        if (report["tool"] is not JsonValue tool || tool.GetValueKind() != JsonValueKind.String || tool.GetValue<string>() != "checkpoint-audit")
        {
            return null;
        }

        if (report["baseline"] is JsonObject)
        {
            throw OnlyNew(path);
        }

        var fingerprints = new HashSet<string>(StringComparer.Ordinal);
        foreach (var finding in new[] { "findings", "suspicious" }.SelectMany(k => report[k] as JsonArray ?? []).OfType<JsonObject>())
        {
            if (finding["fingerprints"] is not JsonArray list)
            {
                return null;
            }

            foreach (var item in list)
            {
                if (item is JsonValue value && value.GetValueKind() == JsonValueKind.String)
                {
                    fingerprints.Add(value.GetValue<string>());
                }
            }
        }

        return fingerprints;
    }
}

/// <summary>What the baseline hid: sites known before, and baseline sites no longer found (fixed, or their line edited).</summary>
internal sealed record BaselineSummary(string File, int NewSites, int KnownSites, int GoneSites);
