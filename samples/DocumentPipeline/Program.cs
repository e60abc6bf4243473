using System.Text.Json;
using DocumentPipeline.Processing;
using DocumentPipeline.Storage;
using DocumentPipeline.Web;

// Web mode (default): dotnet run --project samples/DocumentPipeline            -> http://127.0.0.1:5080
// Batch mode:         dotnet DocumentPipeline.dll --batch <input-dir> --data <data-dir> [--stage-delay-ms N]
//                     registers every *.txt in input-dir, processes all unfinished documents, exits.
if (args.Length > 0 && args[0] == "--batch")
{
    return await BatchMode.RunAsync(args);
}

var builder = WebApplication.CreateBuilder(args);
if (string.IsNullOrEmpty(builder.Configuration["urls"]))
{
    builder.WebHost.UseUrls("http://127.0.0.1:5080");
}

var options = builder.Configuration.GetSection("Pipeline").Get<PipelineOptions>() ?? new PipelineOptions();
Directory.CreateDirectory(options.DataDirectory);
builder.Services.AddSingleton(options);
builder.Services.AddSingleton(new CheckpointStore(options.DataDirectory));
builder.Services.AddSingleton(new PipelineDatabase(options.DatabasePath));
builder.Services.AddSingleton<ProgressBroadcaster>();
builder.Services.AddSingleton<PipelineRunner>();

var app = builder.Build();
app.Services.GetRequiredService<PipelineDatabase>().EnsureCreated();
app.UseWebSockets();
app.UseDefaultFiles();
app.UseStaticFiles();

app.MapPost("/documents", async (HttpRequest request, PipelineRunner runner) =>
{
    var name = request.Query["name"].ToString();
    using var reader = new StreamReader(request.Body);
    var text = await reader.ReadToEndAsync();
    if (string.IsNullOrWhiteSpace(name) || string.IsNullOrWhiteSpace(text))
    {
        return Results.BadRequest(new { error = "POST the document text as the body, with ?name=<file name>" });
    }

    var id = runner.Upload(name, text);
    return Results.Created($"/documents/{id}", new { id });
});

app.MapGet("/documents", (PipelineDatabase database) => database.ListDocuments());

app.MapGet("/documents/{id}", (string id, PipelineDatabase database) =>
    database.GetDocument(id) is { } document
        ? Results.Ok(new { document.Id, document.Name, document.State, Stages = database.GetStageStatuses(id) })
        : Results.NotFound());

app.MapPost("/documents/{id}/process", (string id, PipelineDatabase database, PipelineRunner runner, IHostApplicationLifetime lifetime) =>
{
    if (database.GetDocument(id) is null)
    {
        return Results.NotFound();
    }

    _ = Task.Run(() => runner.RunAsync(id, lifetime.ApplicationStopping));
    return Results.Accepted($"/documents/{id}");
});

app.MapGet("/documents/{id}/stages/{stage:int}", (string id, int stage, CheckpointStore store) =>
    stage is < 1 or > StageNames.Count ? Results.NotFound()
    : store.Read(id, stage) is { } checkpoint ? Results.Ok(checkpoint)
    : Results.NotFound());

app.MapPut("/documents/{id}/stages/{stage:int}", async (string id, int stage, JsonElement checkpoint, PipelineDatabase database, PipelineRunner runner) =>
{
    if (database.GetDocument(id) is null || stage is < 1 or > StageNames.Count)
    {
        return Results.NotFound();
    }

    var version = await runner.EditAsync(id, stage, checkpoint);
    return Results.Ok(new { id, stage, version });
});

app.MapDelete("/documents/{id}", (string id, PipelineDatabase database) =>
{
    database.DeleteDocument(id);
    return Results.NoContent();
});

app.Map("/progress", async (HttpContext context, ProgressBroadcaster progress) =>
{
    if (!context.WebSockets.IsWebSocketRequest)
    {
        context.Response.StatusCode = StatusCodes.Status400BadRequest;
        return;
    }

    using var socket = await context.WebSockets.AcceptWebSocketAsync();
    await progress.ServeAsync(socket, context.RequestAborted);
});

if (options.ProcessSamplesOnStart)
{
    app.Lifetime.ApplicationStarted.Register(() =>
    {
        var runner = app.Services.GetRequiredService<PipelineRunner>();
        var database = app.Services.GetRequiredService<PipelineDatabase>();
        if (database.ListDocuments().Count == 0)
        {
            foreach (var file in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "input"), "*.txt"))
            {
                var id = runner.Upload(Path.GetFileName(file), File.ReadAllText(file));
                _ = Task.Run(() => runner.RunAsync(id, app.Lifetime.ApplicationStopping));
            }
        }
    });
}

app.Run();
return 0;
