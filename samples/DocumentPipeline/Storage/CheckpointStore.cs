using System.Text.Json;
using DocumentPipeline.Processing;

namespace DocumentPipeline.Storage;

/// <summary>JSON checkpoints at &lt;data&gt;/&lt;docId&gt;/stage-NN-&lt;name&gt;.json.</summary>
public sealed class CheckpointStore(string dataDirectory)
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public string DataDirectory => dataDirectory;

    public string DocumentDirectory(string documentId) => Path.Combine(dataDirectory, documentId);

    public string PathFor(string documentId, int stage)
        => Path.Combine(DocumentDirectory(documentId), $"stage-{stage:00}-{StageNames.Of(stage)}.json");

    public string ExportPath(string documentId) => Path.Combine(DocumentDirectory(documentId), "export.md");

    public void Save(string documentId, int stage, object checkpoint)
    {
        Directory.CreateDirectory(DocumentDirectory(documentId));
        var json = JsonSerializer.Serialize(checkpoint, StageNames.CheckpointType(stage), Json);
        // Atomicity: the checkpoint is truncated and rewritten in place; a kill mid-write leaves it torn.
        File.WriteAllText(PathFor(documentId, stage), json);
    }

    public T Load<T>(string documentId, int stage)
        where T : new()
    {
        try
        {
            var json = File.ReadAllText(PathFor(documentId, stage));
            return JsonSerializer.Deserialize<T>(json, Json) ?? new T();
        }
        catch (Exception)
        {
            // Corruption: a missing or torn checkpoint is swallowed and replaced by an empty one, which the
            // next stage builds on and saves; the damage spreads silently instead of stopping the document.
            return new T();
        }
    }

    /// <summary>The stored checkpoint as a JSON element, for the API.</summary>
    public JsonElement? Read(string documentId, int stage)
    {
        var path = PathFor(documentId, stage);
        // Concurrency: exists-then-read; an edit deletes the file before moving the new one in, so the read can throw.
        if (!File.Exists(path))
        {
            return null;
        }

        // Corruption: deserialization of stored data with no handling of corrupt input.
        return JsonSerializer.Deserialize<JsonElement>(File.ReadAllText(path));
    }

    /// <summary>A manual edit replaces the stage's checkpoint with what the user sent.</summary>
    public async Task SaveEditAsync(string documentId, int stage, JsonElement edited)
    {
        var typed = edited.Deserialize(StageNames.CheckpointType(stage), Json)
            ?? throw new InvalidDataException($"stage {stage} edit is empty");
        var path = PathFor(documentId, stage);
        // Atomicity: one fixed temp name per stage; two editors saving the same stage at once write into the same temp file.
        var temp = path + ".edit";
        // Atomicity: the edit goes through a temp file, but it is never flushed to disk before the rename.
        await File.WriteAllTextAsync(temp, JsonSerializer.Serialize(typed, StageNames.CheckpointType(stage), Json));
        if (File.Exists(path))
        {
            // Atomicity: delete, then move: between the two there is no checkpoint at all.
            File.Delete(path);
        }

        File.Move(temp, path);
    }

    public void WriteExportFile(string documentId, string markdown)
    {
        var target = ExportPath(documentId);
        // Atomicity: the temp file is made in the system temp directory; when that is another volume (a tmpfs /tmp,
        // a container's data volume) the move below is a copy, and a kill during it leaves a partial export.
        var temp = Path.GetTempFileName();
        // Orphans: the temp file is never deleted when the write or the move fails, or when the process dies here.
        // Atomicity: the temp is renamed into place without being flushed to disk (atomic, not durable).
        File.WriteAllText(temp, markdown);
        File.Move(temp, target, overwrite: true);
    }

    public string SummaryPath(string documentId) => Path.Combine(DocumentDirectory(documentId), "summary.json");

    /// <summary>Per-document totals, rewritten each time the document finishes.</summary>
    public void WriteSummary(string documentId, DocumentSummary summary)
    {
        // Atomicity: OpenWrite does not truncate; when a re-run's summary is shorter, the old one's tail stays behind it.
        using var stream = File.OpenWrite(SummaryPath(documentId));
        JsonSerializer.Serialize(stream, summary, Json);
    }
}

/// <summary>What a finished document amounts to.</summary>
public sealed class DocumentSummary
{
    public string DocumentId { get; set; } = "";

    public int Elements { get; set; }

    public List<string> Warnings { get; set; } = [];
}
