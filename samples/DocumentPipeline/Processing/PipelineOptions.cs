namespace DocumentPipeline.Processing;

public sealed class PipelineOptions
{
    /// <summary>Where checkpoints and the SQLite database live.</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>Extra time per stage, standing in for a real OCR or layout engine (0 in tests).</summary>
    public int StageDelayMs { get; set; }

    /// <summary>How long a claim on a document holds before another run may take it over.</summary>
    public int ClaimLeaseMs { get; set; } = 2000;

    /// <summary>On start, queue and process the shipped documents in input/ when the database is empty.</summary>
    public bool ProcessSamplesOnStart { get; set; } = true;

    public string DatabasePath => Path.Combine(DataDirectory, "pipeline.db");
}
