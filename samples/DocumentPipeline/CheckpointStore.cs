using System.Text.Json;
using System.Xml.Linq;

namespace DocumentPipeline;

/// <summary>
/// Saves per-stage checkpoints, the run manifest and the settings. Every write here overwrites
/// the file in place, which is what CheckpointAudit reports (CKPT201).
/// </summary>
public sealed class CheckpointStore(string dataDirectory)
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public string DocumentDirectory(string documentId) => Path.Combine(dataDirectory, documentId);

    public string CheckpointPath(string documentId, int stage, string name)
        => Path.Combine(DocumentDirectory(documentId), $"stage-{stage:00}-{name}.json");

    public void SaveCheckpoint<T>(string documentId, int stage, string name, T checkpoint)
    {
        Directory.CreateDirectory(DocumentDirectory(documentId));
        File.WriteAllText(CheckpointPath(documentId, stage, name), JsonSerializer.Serialize(checkpoint, Json));
    }

    public async Task SaveCheckpointAsync<T>(string documentId, int stage, string name, T checkpoint, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(DocumentDirectory(documentId));
        var json = JsonSerializer.Serialize(checkpoint, Json);
        await File.WriteAllTextAsync(CheckpointPath(documentId, stage, name), json, cancellationToken);
    }

    public T? LoadCheckpoint<T>(string documentId, int stage, string name)
    {
        var path = CheckpointPath(documentId, stage, name);
        return File.Exists(path) ? JsonSerializer.Deserialize<T>(File.ReadAllText(path)) : default;
    }

    public void SaveManifest(string documentId, IReadOnlyList<string> completedStages)
    {
        var manifest = new XDocument(new XElement("manifest",
            new XAttribute("document", documentId),
            completedStages.Select(s => new XElement("stage", s))));
        manifest.Save(Path.Combine(DocumentDirectory(documentId), "manifest.xml"));
    }

    public void SaveExport(string documentId, IEnumerable<string> markdownLines)
    {
        using var writer = new StreamWriter(Path.Combine(DocumentDirectory(documentId), "export.md"));
        foreach (var line in markdownLines)
        {
            writer.WriteLine(line);
        }
    }

    public void SaveSettings(PipelineSettings settings)
    {
        Directory.CreateDirectory(dataDirectory);
        using var stream = new FileStream(Path.Combine(dataDirectory, "settings.json"), FileMode.Create, FileAccess.Write);
        JsonSerializer.Serialize(stream, settings, Json);
    }
}

public sealed record PipelineSettings(int MaxParallelDocuments, bool KeepIntermediateStages);
