using CheckpointAudit.StateSync;
using CheckpointAudit.Tests.Infrastructure;
using Microsoft.CodeAnalysis.Testing;
using Xunit;

namespace CheckpointAudit.Tests.StateSync;

public class StateChangeNotBroadcastTests
{
    /// <summary>A note store, a SignalR hub with a typed client, and a WebSocket broadcaster of the project.</summary>
    private const string Project = """
        using System.Collections.Concurrent;
        using System.IO;
        using System.Net.WebSockets;
        using System.Text;
        using System.Threading;
        using System.Threading.Tasks;
        using Microsoft.AspNetCore.SignalR;

        public class Note { public int Id { get; set; } public string Title { get; set; } = ""; public string Body { get; set; } = ""; }

        public class NoteStore
        {
            public void Save(Note note) => File.WriteAllText("notes/" + note.Id + ".json", System.Text.Json.JsonSerializer.Serialize(note));

            public void SaveTitle(int id, string title) => File.WriteAllText("notes/" + id + ".title", title);
        }

        public interface INotesClient { Task NoteChanged(Note note); }

        public class NotesHub : Hub<INotesClient> { }

        public class Broadcaster
        {
            private readonly ConcurrentDictionary<int, WebSocket> _sockets = new();

            public async Task PublishAsync(string message)
            {
                foreach (var socket in _sockets.Values)
                {
                    await socket.SendAsync(Encoding.UTF8.GetBytes(message), WebSocketMessageType.Text, true, CancellationToken.None);
                }
            }
        }
        """;

    [Fact]
    public async Task Flags_an_edit_endpoint_that_skips_the_broadcast_other_saves_make()
    {
        await Run("""
            using System.Threading.Tasks;
            using Microsoft.AspNetCore.Builder;
            using Microsoft.AspNetCore.Mvc;
            using Microsoft.AspNetCore.SignalR;

            public class Importer(NoteStore store, IHubContext<NotesHub, INotesClient> hub)
            {
                public async Task ImportAsync(Note note)
                {
                    store.Save(note);
                    await hub.Clients.All.NoteChanged(note);
                }
            }

            public class TitleSync(NoteStore store, Broadcaster broadcaster)
            {
                public async Task SyncAsync(int id, string title)
                {
                    store.SaveTitle(id, title);
                    await broadcaster.PublishAsync("title " + id);
                }
            }

            static class Endpoints
            {
                public static void Map(WebApplication app)
                {
                    app.MapPut("/notes/{id}", (int id, Note note, NoteStore store) =>
                    {
                        {|#0:store.Save(note)|};
                        return note;
                    });
                }
            }

            [ApiController]
            public class TitlesController(NoteStore store) : ControllerBase
            {
                [HttpPatch("notes/{id}/title")]
                public IActionResult Rename(int id, string title)
                {
                    {|#1:store.SaveTitle(id, title)|};
                    return NoContent();
                }
            }
            """,
            Expect(0, "PUT /notes/{id}", "NoteStore.Save", "Importer.ImportAsync"),
            Expect(1, "'TitlesController.Rename' (PATCH)", "NoteStore.SaveTitle", "TitleSync.SyncAsync"));
    }

    [Fact]
    public async Task Quiet_when_the_endpoint_broadcasts_or_the_project_never_does_for_that_state()
    {
        await Run("""
            using System.Threading.Tasks;
            using Microsoft.AspNetCore.Builder;
            using Microsoft.AspNetCore.SignalR;

            public class Importer(NoteStore store, IHubContext<NotesHub> hub)
            {
                public async Task ImportAsync(Note note)
                {
                    store.Save(note);
                    await hub.Clients.All.SendAsync("noteChanged", note);
                }
            }

            static class Endpoints
            {
                public static void Map(WebApplication app)
                {
                    // Tells the clients itself.
                    app.MapPut("/notes/{id}", async (int id, Note note, NoteStore store, IHubContext<NotesHub> hub) =>
                    {
                        store.Save(note);
                        await hub.Clients.All.SendAsync("noteChanged", note);
                        return note;
                    });

                    // No broadcasting code saves titles.
                    app.MapPatch("/notes/{id}/title", (int id, string title, NoteStore store) =>
                    {
                        store.SaveTitle(id, title);
                        return id;
                    });

                    // Not PUT or PATCH.
                    app.MapPost("/notes", (Note note, NoteStore store) =>
                    {
                        store.Save(note);
                        return note;
                    });
                }
            }
            """);
    }

    [Fact]
    public async Task Quiet_in_a_project_that_never_broadcasts_to_other_clients()
    {
        await Run("""
            using System.Net.WebSockets;
            using System.Threading;
            using System.Threading.Tasks;
            using Microsoft.AspNetCore.Builder;
            using Microsoft.AspNetCore.Http;

            public class Importer(NoteStore store)
            {
                public void Import(Note note) => store.Save(note);

                // A reply on the socket this method serves is not a push to the other clients.
                public async Task ImportOverSocketAsync(WebSocket socket, Note note)
                {
                    store.Save(note);
                    await socket.SendAsync(new byte[] { 1 }, WebSocketMessageType.Binary, true, CancellationToken.None);
                }

                public async Task ServeAsync(HttpContext context, Note note)
                {
                    using var socket = await context.WebSockets.AcceptWebSocketAsync();
                    store.Save(note);
                    await socket.SendAsync(new byte[] { 1 }, WebSocketMessageType.Binary, true, CancellationToken.None);
                }
            }

            static class Endpoints
            {
                public static void Map(WebApplication app)
                    => app.MapPut("/notes/{id}", (int id, Note note, NoteStore store) => { store.Save(note); return note; });
            }
            """);
    }

    private static DiagnosticResult Expect(int location, string handler, string method, string broadcaster)
        => new DiagnosticResult("CKPT703", Microsoft.CodeAnalysis.DiagnosticSeverity.Info).WithLocation(location).WithArguments(handler, method, broadcaster);

    private static async Task Run(string source, params DiagnosticResult[] expected)
    {
        var test = Verify.AnalyzerTest<StateChangeNotBroadcastCheck>(source);
        test.TestState.Sources.Add(("Project.cs", Project));
        TestReferences.UseAspNetCore(test.TestState);
        test.ExpectedDiagnostics.AddRange(expected);
        await test.RunAsync();
    }
}
