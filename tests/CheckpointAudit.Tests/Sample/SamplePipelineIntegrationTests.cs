using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using CheckpointAudit.Tests.Infrastructure;
using CheckpointAudit.Tests.Packaging;
using Xunit;

namespace CheckpointAudit.Tests.Sample;

/// <summary>The sample pipeline through its HTTP API and its progress WebSocket.</summary>
[Collection(DotnetCliCollection.Name)]
public class SamplePipelineIntegrationTests
{
    private static readonly string ShippedDocument = RepositoryFiles.PathOf("samples", "DocumentPipeline", "input", "quarterly-report.txt");

    [Fact]
    public async Task Processes_a_document_through_all_15_stages_with_live_progress_edits_and_delete()
    {
        using var server = await SampleServer.StartAsync();
        using var http = new HttpClient { BaseAddress = server.Address };
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri($"ws://{server.Address.Authority}/progress"), CancellationToken.None);

        // The server says when the socket is registered: no stage event can be sent before it would reach the page.
        Assert.Equal("connected", (await ReceiveAsync(socket)).Status);

        // Upload and process.
        var upload = await http.PostAsync("documents?name=quarterly-report.txt", new StringContent(File.ReadAllText(ShippedDocument)));
        Assert.Equal(HttpStatusCode.Created, upload.StatusCode);
        var id = (await upload.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        Assert.Equal(HttpStatusCode.Accepted, (await http.PostAsync($"documents/{id}/process", null)).StatusCode);

        var events = await ReceiveUntilDoneAsync(socket, id);
        Assert.Equal(Enumerable.Range(2, 14), events.Where(e => e.Status == "done").Select(e => e.Stage));

        var document = await http.GetFromJsonAsync<JsonElement>($"documents/{id}");
        Assert.Equal("done", document.GetProperty("state").GetString());
        Assert.All(Enumerable.Range(1, 15), s => Assert.Equal("done", document.GetProperty("stages").GetProperty(s.ToString()).GetString()));

        var export = await http.GetFromJsonAsync<JsonElement>($"documents/{id}/stages/15");
        var markdown = export.GetProperty("Markdown").GetString()!;
        Assert.Contains("| North | 120 | 135 | 151 |", markdown);
        Assert.Contains("![A chart: Figure 1: Growth by region](figure)", markdown);
        Assert.Contains("```", markdown);
        Assert.True(File.Exists(Path.Combine(server.DataDirectory, id, "stage-07-table-cell-matching.json")));

        // A manual edit of stage 9 is versioned and queues the later stages again.
        var order = await http.GetFromJsonAsync<JsonElement>($"documents/{id}/stages/9");
        var reversed = new { Order = order.GetProperty("Order").EnumerateArray().Select(e => e.GetString()).Reverse().ToList() };
        var edit = await http.PutAsJsonAsync($"documents/{id}/stages/9", reversed);
        Assert.Equal(1, (await edit.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("version").GetInt32());
        var afterEdit = await http.GetFromJsonAsync<JsonElement>($"documents/{id}");
        Assert.Equal("pending", afterEdit.GetProperty("stages").GetProperty("10").GetString());
        Assert.Equal(HttpStatusCode.Accepted, (await http.PostAsync($"documents/{id}/process", null)).StatusCode);

        // The edit never reached the page (CKPT703): the next thing /progress carries is the reprocessing from stage 10.
        var reprocessing = await ReceiveUntilDoneAsync(socket, id);
        Assert.Equal((10, "running"), (reprocessing[0].Stage, reprocessing[0].Status));
        Assert.DoesNotContain(reprocessing, e => e.Stage == 9);
        var reprocessed = await http.GetFromJsonAsync<JsonElement>($"documents/{id}/stages/15");
        Assert.NotEqual(markdown, reprocessed.GetProperty("Markdown").GetString());
        var second = await http.PutAsJsonAsync($"documents/{id}/stages/9", reversed);
        Assert.Equal(2, (await second.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("version").GetInt32());

        // Delete removes the document from the API (its files stay: the sample's orphaned-files risk).
        Assert.Equal(HttpStatusCode.NoContent, (await http.DeleteAsync($"documents/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"documents/{id}")).StatusCode);
        Assert.True(Directory.Exists(Path.Combine(server.DataDirectory, id)));

        // Bad requests get clear answers.
        Assert.Equal(HttpStatusCode.BadRequest, (await http.PostAsync("documents", new StringContent(""))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"documents/{id}/stages/16")).StatusCode);
    }

    private sealed record Progress(string DocumentId, int Stage, string Name, string Status);

    private static async Task<Progress> ReceiveAsync(ClientWebSocket socket)
    {
        var buffer = new byte[4096];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var text = new StringBuilder();
        WebSocketReceiveResult result;
        do
        {
            result = await socket.ReceiveAsync(buffer, timeout.Token);
            text.Append(Encoding.UTF8.GetString(buffer, 0, result.Count));
        }
        while (!result.EndOfMessage);

        return JsonSerializer.Deserialize<Progress>(text.ToString(), new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
    }

    private static async Task<List<Progress>> ReceiveUntilDoneAsync(ClientWebSocket socket, string id)
    {
        var events = new List<Progress>();
        while (true)
        {
            var progress = await ReceiveAsync(socket);
            if (progress.DocumentId != id)
            {
                continue;
            }

            if (progress.Status == "document-done")
            {
                return events;
            }

            events.Add(progress);
        }
    }
}
