using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace CheckpointAudit.Tests.StateSync;

/// <summary>
/// What CKPT703 is about, through the real ASP.NET Core pipeline (Kestrel on loopback, a real WebSocket): an open page
/// subscribes to the project's pushes. The project's own convention is that a save of a note is pushed (the import
/// does it); the edit endpoint the rule reports saves the same note and pushes nothing, so the page never learns of
/// the edit; the endpoint written as the rule's page says pushes it, and the page sees it. Deterministic without any
/// timeout on silence: after each edit the test asks the server to push a marker (the page is registered before the first push: the server says so), and messages on one socket arrive
/// in the order they were sent, so the first message read is the edit's push if there was one, else the marker.
/// </summary>
public sealed class MissedBroadcastEngineTests : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("ckpt-broadcast-").FullName;
    private LoopbackApp? _server;
    private ClientWebSocket? _page;

    public async Task InitializeAsync()
    {
        var builder = LoopbackApp.CreateBuilder();
        builder.Services.AddSingleton(new NoteFiles(_directory));
        builder.Services.AddSingleton<NotePushes>();
        var app = builder.Build();
        app.UseWebSockets();

        app.Map("/changes", async (HttpContext context, NotePushes pushes) =>
        {
            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            await pushes.ServeAsync(socket, context.RequestAborted);
        });

        // The project's convention: a saved note is pushed to open pages.
        app.MapPost("/notes/{id}/import", async (int id, NoteText note, NoteFiles files, NotePushes pushes) =>
        {
            files.Save(id, note.Text);
            await pushes.PublishAsync("note " + id + ": " + note.Text);
            return Results.NoContent();
        });

        // CKPT703 reports this (outside test projects): the same save, and no push.
        app.MapPut("/silent/notes/{id}", (int id, NoteText note, NoteFiles files) =>
        {
            files.Save(id, note.Text);
            return Results.NoContent();
        });

        // As the rule's page says: the edit sends the update the import sends.
        app.MapPut("/notified/notes/{id}", async (int id, NoteText note, NoteFiles files, NotePushes pushes) =>
        {
            files.Save(id, note.Text);
            await pushes.PublishAsync("note " + id + ": " + note.Text);
            return Results.NoContent();
        });

        app.MapPost("/marker", async (NotePushes pushes) =>
        {
            await pushes.PublishAsync("marker");
            return Results.NoContent();
        });

        _server = await LoopbackApp.StartAsync(app);
        _page = new ClientWebSocket();
        await _page.ConnectAsync(new Uri("ws://" + _server.Client.BaseAddress!.Authority + "/changes"), CancellationToken.None);

        // The server says when the page is registered: no push is sent before it could reach the page.
        Assert.Equal("ready", await ReceiveAsync());
    }

    public async Task DisposeAsync()
    {
        _page?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task An_edit_saved_without_a_push_never_reaches_the_open_page()
    {
        Assert.Equal(HttpStatusCode.NoContent, (await _server!.Client.PostAsJsonAsync("/notes/1/import", new NoteText("imported"))).StatusCode);
        Assert.Equal("note 1: imported", await ReceiveAsync());

        Assert.Equal(HttpStatusCode.NoContent, (await _server!.Client.PutAsJsonAsync("/silent/notes/1", new NoteText("edited"))).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await _server!.Client.PostAsync("/marker", null)).StatusCode);

        Assert.Equal("marker", await ReceiveAsync()); // the page still shows "imported"
        Assert.Equal("edited", File.ReadAllText(Path.Combine(_directory, "1.txt")));
    }

    [Fact]
    public async Task An_edit_that_sends_the_project_s_push_reaches_the_open_page()
    {
        Assert.Equal(HttpStatusCode.NoContent, (await _server!.Client.PutAsJsonAsync("/notified/notes/2", new NoteText("edited"))).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await _server!.Client.PostAsync("/marker", null)).StatusCode);

        Assert.Equal("note 2: edited", await ReceiveAsync());
        Assert.Equal("marker", await ReceiveAsync());
    }

    private async Task<string> ReceiveAsync()
    {
        var buffer = new byte[1024];
        var text = new StringBuilder();
        WebSocketReceiveResult result;
        do
        {
            result = await _page!.ReceiveAsync(buffer, CancellationToken.None);
            text.Append(Encoding.UTF8.GetString(buffer, 0, result.Count));
        }
        while (!result.EndOfMessage);

        return text.ToString();
    }

    public sealed record NoteText(string Text);

    /// <summary>The stored notes: one file each.</summary>
    public sealed class NoteFiles(string directory)
    {
        public void Save(int id, string text) => File.WriteAllText(Path.Combine(directory, id + ".txt"), text);
    }

    /// <summary>The project's pushes to open pages over WebSockets.</summary>
    public sealed class NotePushes
    {
        private readonly ConcurrentDictionary<Guid, WebSocket> _sockets = new();

        public async Task PublishAsync(string message)
        {
            foreach (var socket in _sockets.Values)
            {
                await socket.SendAsync(Encoding.UTF8.GetBytes(message), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
            }
        }

        public async Task ServeAsync(WebSocket socket, CancellationToken cancellationToken)
        {
            var key = Guid.NewGuid();
            _sockets[key] = socket;
            try
            {
                await socket.SendAsync(Encoding.UTF8.GetBytes("ready"), WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
                var buffer = new byte[64];
                while (socket.State == WebSocketState.Open)
                {
                    await socket.ReceiveAsync(buffer, cancellationToken);
                }
            }
            catch (OperationCanceledException)
            {
            }
            finally
            {
                _sockets.TryRemove(key, out _);
            }
        }
    }
}
