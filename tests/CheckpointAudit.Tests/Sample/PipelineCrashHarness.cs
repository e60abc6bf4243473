using System.Diagnostics;
using System.Text.Json;
using CheckpointAudit.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace CheckpointAudit.Tests.Sample;

/// <summary>
/// Starts the sample pipeline in batch mode on a batch of documents, SIGKILLs it inside a write of its
/// state, restarts it, and counts the damage found on disk after every kill and after a final clean run.
/// Each kill lands inside a checkpoint save (<see cref="CrashPoint"/>): the k-th save of the run, at its j-th file
/// operation, k and j drawn at random (seeded). Saves are numbered by the open that starts them, so the same k and j
/// name the same moment in the sample as written and in the fixed copy, whose saves take more steps (temp, flush,
/// rename): the two variants are killed at the same points of the program, never between saves or after the run.
/// When every document is finished the harness queues them again from stage 3 (as re-running OCR
/// after an engine upgrade would), so later kills also hit checkpoints rewritten over good ones.
/// </summary>
internal sealed class PipelineCrashHarness(string assemblyPath, string variant, string workDirectory)
{
    private const int Documents = 8;

    // Stands in for the time a real OCR/layout engine spends per stage (kills no longer depend on it).
    private const int StageDelayMs = 1;
    private const int PagesPerDocument = 30;

    // A claim on a document held by a killed run stops other runs for this long.
    private const int ClaimLeaseMs = 300;

    private readonly string _input = Path.Combine(workDirectory, "input");
    private readonly string _data = Path.Combine(workDirectory, "data");

    // The pipeline's temp folder (TMPDIR): temps it makes with Path.GetTempFileName are its leftovers too.
    private readonly string _temp = Path.Combine(workDirectory, "tmp");
    private readonly HashSet<(string, int)> _everReadable = [];
    private readonly HashSet<(string, int)> _unreadable = [];
    private readonly HashSet<(string, int)> _lost = [];
    private readonly HashSet<(string, int)> _inconsistent = [];

    /// <summary>
    /// Kills the pipeline <paramref name="kills"/> times while it runs; with <paramref name="untilDamaged"/>
    /// it goes on (up to <paramref name="maxKills"/>) until a kill has left damage on disk, so that a
    /// short run still shows what the risky code does.
    /// </summary>
    public DamageReport Run(int kills, int seed, IEnumerable<string> shippedDocuments, bool untilDamaged = false, int maxKills = 0)
    {
        CreateInput(shippedDocuments);
        Directory.CreateDirectory(_temp);
        var report = new DamageReport { Variant = variant, Kills = kills };
        var random = new Random(seed);
        // A whole run saves 120 checkpoints (8 documents, 15 stages); drawing among the first 60 lands most kills
        // mid-run, and a step of 0-3 covers a save's open, write, flush and rename. Count only kills that landed;
        // a run that finished first is not a kill.
        var target = kills;
        for (var attempt = 0; report.KillsMidRun < target && attempt < Math.Max(kills, maxKills) * 4; attempt++)
        {
            var point = new CrashPoint.Point(random.Next(1, 60), Tear: random.Next(2) == 1, Then: random.Next(0, 4));
            var run = Execute(point);
            if (run.KilledAt is { } killedAt)
            {
                report.KillsMidRun++;
                report.KillsByOperation[killedAt.Kind] = report.KillsByOperation.GetValueOrDefault(killedAt.Kind) + 1;
            }
            else if (run.ExitCode != 0)
            {
                throw new InvalidOperationException($"The pipeline ({variant}) failed on its own (exit {run.ExitCode}):\n{run.Output}");
            }

            if (Inspect())
            {
                RequeueFromStage(3);
            }

            if (untilDamaged && report.KillsMidRun == target && InterimDamage() == 0 && target < maxKills)
            {
                target++;
            }
        }

        // A restart after a crash: claims the killed run held expire first, as they would before a real restart.
        Thread.Sleep(ClaimLeaseMs + 200);
        var final = Execute(CrashPoint.Point.Never);
        if (final.ExitCode != 0)
        {
            throw new InvalidOperationException($"The final run ({variant}) failed (exit {final.ExitCode}):\n{final.Output}");
        }

        Inspect();
        report.UnreadableAfterKill = _unreadable.Count;
        report.Lost = _lost.Count;
        report.StatusInconsistent = _inconsistent.Count;
        FinalChecks(report);
        return report;
    }

    private int InterimDamage()
        => _unreadable.Count + _lost.Count + _inconsistent.Count
            + (Directory.Exists(_data) ? Directory.GetFiles(_data, "*.tmp", SearchOption.AllDirectories).Length : 0)
            + Directory.GetFiles(_temp, "*.tmp", SearchOption.AllDirectories).Length;

    private void CreateInput(IEnumerable<string> shippedDocuments)
    {
        Directory.CreateDirectory(_input);
        var texts = shippedDocuments.Select(File.ReadAllText).ToList();
        for (var i = 0; i < Documents; i++)
        {
            var pages = Enumerable.Range(0, PagesPerDocument).Select(p => texts[(i + p) % texts.Count].Replace("Revenue", $"Revenue {p}"));
            File.WriteAllText(Path.Combine(_input, $"document-{i + 1}.txt"), string.Join("\f", pages));
        }
    }

    private CrashPoint.Run Execute(CrashPoint.Point point)
    {
        var start = new ProcessStartInfo(DotnetCli.HostPath);
        foreach (var argument in new[] { assemblyPath, "--batch", _input, "--data", _data, "--claim-lease-ms", ClaimLeaseMs.ToString(), "--stage-delay-ms", StageDelayMs.ToString() })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["TMPDIR"] = _temp;
        // No runtime diagnostics pipes in that folder: only the pipeline's own files are counted there.
        start.Environment["DOTNET_EnableDiagnostics"] = "0";
        Directory.CreateDirectory(_data);
        return CrashPoint.Execute(start, [_data, _temp], point, match: "stage-", numberOpensOnly: true);
    }

    private SqliteConnection OpenDatabase()
    {
        // Read-write, so that a journal left by the killed process is rolled back as the next run would.
        var connection = new SqliteConnection($"Data Source={Path.Combine(_data, "pipeline.db")};Pooling=False");
        connection.Open();
        return connection;
    }

    private List<(string Id, string State)> Documents_()
    {
        using var connection = OpenDatabase();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, state FROM documents";
        using var reader = command.ExecuteReader();
        var rows = new List<(string, string)>();
        while (reader.Read())
        {
            rows.Add((reader.GetString(0), reader.GetString(1)));
        }

        return rows;
    }

    private Dictionary<(string, int), string> Statuses()
    {
        using var connection = OpenDatabase();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT document_id, stage, status FROM stage_status";
        using var reader = command.ExecuteReader();
        var statuses = new Dictionary<(string, int), string>();
        while (reader.Read())
        {
            statuses[(reader.GetString(0), reader.GetInt32(1))] = reader.GetString(2);
        }

        return statuses;
    }

    /// <summary>Looks at every checkpoint after a kill; true when every document is finished.</summary>
    private bool Inspect()
    {
        if (!File.Exists(Path.Combine(_data, "pipeline.db")))
        {
            return false;
        }

        var documents = Documents_();
        var statuses = Statuses();
        foreach (var (id, _) in documents)
        {
            for (var stage = 1; stage <= 15; stage++)
            {
                var key = (id, stage);
                var state = CheckpointState(id, stage);
                if (state == FileState.Unreadable)
                {
                    _unreadable.Add(key);
                }

                if (state == FileState.Readable)
                {
                    _everReadable.Add(key);
                }
                else if (_everReadable.Contains(key))
                {
                    _lost.Add(key);
                }

                if (statuses.GetValueOrDefault(key) == "done" && state != FileState.Readable)
                {
                    _inconsistent.Add(key);
                }
            }
        }

        return documents.Count == Documents && documents.All(d => d.State == "done");
    }

    private enum FileState
    {
        Missing,
        Unreadable,
        Readable,
    }

    private FileState CheckpointState(string id, int stage)
    {
        var file = Directory.Exists(Path.Combine(_data, id))
            ? Directory.GetFiles(Path.Combine(_data, id), $"stage-{stage:00}-*.json").FirstOrDefault()
            : null;
        if (file is null)
        {
            return FileState.Missing;
        }

        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(file));
            return FileState.Readable;
        }
        catch (JsonException)
        {
            return FileState.Unreadable;
        }
    }

    private JsonElement? Checkpoint(string id, int stage)
    {
        if (CheckpointState(id, stage) != FileState.Readable)
        {
            return null;
        }

        var file = Directory.GetFiles(Path.Combine(_data, id), $"stage-{stage:00}-*.json").First();
        return JsonDocument.Parse(File.ReadAllBytes(file)).RootElement.Clone();
    }

    private void RequeueFromStage(int stage)
    {
        using var connection = OpenDatabase();
        using var command = connection.CreateCommand();
        command.CommandText = "UPDATE stage_status SET status = 'pending' WHERE stage >= $stage; UPDATE documents SET state = 'queued', claimed_at = NULL";
        command.Parameters.AddWithValue("$stage", stage);
        command.ExecuteNonQuery();
    }

    private void FinalChecks(DamageReport report)
    {
        var documents = Documents_();
        var statuses = Statuses();
        report.Stuck = documents.Count(d => d.State != "done" || Enumerable.Range(1, 15).Any(s => statuses.GetValueOrDefault((d.Id, s)) != "done"))
            + Math.Max(0, Documents - documents.Count);

        foreach (var (id, _) in documents)
        {
            report.UnreadableAtEnd += Enumerable.Range(1, 15).Count(s => CheckpointState(id, s) == FileState.Unreadable);

            // Stage 7's grid refers to stage 5's cells; stage 9's order to stage 4's elements.
            var cells = Ids(Checkpoint(id, 5), "Tables", "Cells");
            var elements = Ids(Checkpoint(id, 4), null, "Elements");
            if (Checkpoint(id, 7) is { } matching)
            {
                report.DanglingReferences += matching.GetProperty("Tables").EnumerateArray()
                    .SelectMany(t => t.GetProperty("Grid").EnumerateArray().SelectMany(r => r.EnumerateArray()))
                    .Count(c => !cells.Contains(c.GetString()!));
            }

            if (Checkpoint(id, 9) is { } order)
            {
                report.DanglingReferences += order.GetProperty("Order").EnumerateArray().Count(e => !elements.Contains(e.GetString()!));
            }
        }

        var known = documents.Select(d => d.Id).ToHashSet();
        report.OrphanedFiles = Directory.GetFiles(_data, "*.tmp", SearchOption.AllDirectories).Length
            + Directory.GetFiles(_temp, "*.tmp", SearchOption.AllDirectories).Length
            + Directory.GetDirectories(_data).Count(d => !known.Contains(Path.GetFileName(d)));
    }

    private static HashSet<string> Ids(JsonElement? checkpoint, string? outer, string inner)
    {
        if (checkpoint is not { } root)
        {
            return [];
        }

        var items = outer is null
            ? root.GetProperty(inner).EnumerateArray()
            : root.GetProperty(outer).EnumerateArray().SelectMany(t => t.GetProperty(inner).EnumerateArray());
        return items.Select(i => i.GetProperty("Id").GetString()!).ToHashSet();
    }
}
