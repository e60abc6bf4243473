using DocumentPipeline.Models;
using DocumentPipeline.Storage;
using DocumentPipeline.Web;

namespace DocumentPipeline.Processing;

/// <summary>Runs documents through the stages, resuming after the last stage marked done.</summary>
public sealed class PipelineRunner(CheckpointStore store, PipelineDatabase database, ProgressBroadcaster progress, PipelineOptions options)
{
    public string Upload(string name, string text)
    {
        var id = "d" + Guid.NewGuid().ToString("N")[..12];
        database.AddDocument(id, name);
        store.Save(id, 1, new UploadCheckpoint
        {
            DocumentId = id,
            FileName = name,
            Text = text,
            // Consistency: local-clock timestamp persisted.
            UploadedAt = DateTime.Now,
        });
        database.SetStageStatus(id, 1, "done");
        return id;
    }

    /// <summary>Processes one document from its first unfinished stage; false when another run holds it.</summary>
    public async Task<bool> RunAsync(string documentId, CancellationToken cancellationToken)
    {
        if (!database.TryClaim(documentId, TimeSpan.FromMilliseconds(options.ClaimLeaseMs)))
        {
            return false;
        }

        var statuses = database.GetStageStatuses(documentId);
        for (var stage = 2; stage <= StageNames.Count; stage++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (statuses.GetValueOrDefault(stage) == "done")
            {
                continue;
            }

            database.SetStageStatus(documentId, stage, "running");
            await progress.PublishAsync(new StageProgress(documentId, stage, StageNames.Of(stage), "running"));
            var current = stage;
            var checkpoint = await Task.Run(() => PipelineStages.Run(current, documentId, store), cancellationToken);
            if (options.StageDelayMs > 0)
            {
                await Task.Delay(options.StageDelayMs, cancellationToken);
            }

            // Concurrency: the stage is recorded as done before the checkpoint it describes is written.
            database.SetStageStatus(documentId, stage, "done");
            store.Save(documentId, stage, checkpoint);
            await progress.PublishAsync(new StageProgress(documentId, stage, StageNames.Of(stage), "done"));
        }

        database.SetDocumentState(documentId, "done");
        store.WriteSummary(documentId, Summarize(documentId));
        await progress.PublishAsync(new StageProgress(documentId, StageNames.Count, StageNames.Of(StageNames.Count), "document-done"));
        return true;
    }

    /// <summary>Processes every unfinished document concurrently, waiting out claims left by a dead run.</summary>
    public async Task<int> RunAllAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        var pending = database.ListDocuments().Where(d => d.State != "done").Select(d => d.Id).ToList();
        while (pending.Count > 0 && DateTime.UtcNow < deadline)
        {
            var results = await Task.WhenAll(pending.Select(async id => (id, done: await RunAsync(id, cancellationToken))));
            pending = results.Where(r => !r.done).Select(r => r.id).ToList();
            if (pending.Count > 0)
            {
                await Task.Delay(250, cancellationToken);
            }
        }

        return pending.Count;
    }

    /// <summary>A manual edit of one stage: stored, versioned, and the later stages queued again.</summary>
    public async Task<int> EditAsync(string documentId, int stage, System.Text.Json.JsonElement checkpoint)
    {
        // State sync: last writer wins; the edit carries no version or ETag, so a stale editor silently overwrites.
        await store.SaveEditAsync(documentId, stage, checkpoint);
        var version = database.RecordEdit(documentId, stage);
        for (var later = stage + 1; later <= StageNames.Count; later++)
        {
            database.SetStageStatus(documentId, later, "pending");
        }

        database.SetDocumentState(documentId, "queued");
        return version;
    }

    private DocumentSummary Summarize(string documentId)
    {
        var export = store.Load<ExportCheckpoint>(documentId, StageNames.Count);
        var summary = new DocumentSummary { DocumentId = documentId, Elements = export.ElementCount };
        if (export.Markdown.Contains("| ? |", StringComparison.Ordinal))
        {
            summary.Warnings.Add("table cells without a match");
        }

        return summary;
    }
}
