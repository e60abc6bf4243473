using DocumentPipeline;

// Runs the first stages of the document pipeline over the sample input and saves a checkpoint
// after each one: dotnet run --project samples/DocumentPipeline [input.txt] [data-directory]
var input = args.Length > 0 ? args[0] : Path.Combine(AppContext.BaseDirectory, "input", "report.txt");
var dataDirectory = args.Length > 1 ? args[1] : Path.Combine(Path.GetTempPath(), "document-pipeline");
if (!File.Exists(input))
{
    Console.Error.WriteLine($"error: input file '{input}' does not exist");
    return 1;
}

var store = new CheckpointStore(dataDirectory);
var documentId = Path.GetFileNameWithoutExtension(input);
store.SaveSettings(new PipelineSettings(MaxParallelDocuments: 4, KeepIntermediateStages: true));

var upload = new UploadCheckpoint(documentId, Path.GetFileName(input), File.ReadAllText(input), DateTime.UtcNow);
store.SaveCheckpoint(documentId, 1, "upload", upload);

var pages = new PreprocessingCheckpoint(upload.Text.Split("\f").Select((text, i) => new Page(i + 1, text.Trim())).ToList());
store.SaveCheckpoint(documentId, 2, "preprocessing", pages);

var blocks = pages.Pages
    .SelectMany(page => page.Text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries)
        .Select((text, i) => new Block($"p{page.Number}-b{i}", page.Number, Classify(text), text.Trim())))
    .ToList();
await store.SaveCheckpointAsync(documentId, 3, "layout", new LayoutCheckpoint(blocks), CancellationToken.None);

var export = blocks.Select(b => b.Kind switch
{
    "heading" => "# " + b.Text,
    "table" => "```\n" + b.Text + "\n```",
    _ => b.Text,
});
store.SaveExport(documentId, export.ToList());
store.SaveManifest(documentId, ["upload", "preprocessing", "layout", "export"]);

Console.WriteLine($"{documentId}: {pages.Pages.Count} page(s), {blocks.Count} block(s) -> {store.DocumentDirectory(documentId)}");
return 0;

static string Classify(string text) =>
    text.Contains('|') ? "table"
    : text.StartsWith("Figure", StringComparison.Ordinal) || text.StartsWith("Table", StringComparison.Ordinal) ? "caption"
    : !text.Contains('.') && text.Length < 60 ? "heading"
    : "paragraph";

public sealed record UploadCheckpoint(string DocumentId, string FileName, string Text, DateTime UploadedAtUtc);

public sealed record Page(int Number, string Text);

public sealed record PreprocessingCheckpoint(List<Page> Pages);

public sealed record Block(string Id, int Page, string Kind, string Text);

public sealed record LayoutCheckpoint(List<Block> Blocks);
