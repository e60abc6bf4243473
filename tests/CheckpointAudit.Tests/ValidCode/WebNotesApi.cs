// Correct code: an update endpoint that applies an edit only to the version the client saw (If-Match), tells open
// pages about every saved change, and a page that restores what the browser kept without trusting it.
using System;
using System.Security.Cryptography;
using System.Text.Json;
using System.Threading.Tasks;
using CheckpointAudit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Components.Server.ProtectedBrowserStorage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.SignalR;

namespace ValidCode.Web;

public sealed class NotesHub : Hub { }

public sealed class NoteFiles
{
    /// <summary>Writes the note's text atomically; the version travels in the file name's companion, checked by the caller.</summary>
    public void Write(string id, long version, string title, string body)
        => CheckpointFile.WriteAllText("notes/" + id + ".txt", version + "\n" + title + "\n" + body);
}

public static class NotesApi
{
    public static void Map(WebApplication app, Func<string, long> currentVersion)
    {
        app.MapPut("/notes/{id}", async (string id, string title, string body, HttpRequest request, NoteFiles files, IHubContext<NotesHub> hub) =>
        {
            if (!long.TryParse(request.Headers.IfMatch.ToString().Trim('"'), out var seen))
            {
                return Results.StatusCode(StatusCodes.Status428PreconditionRequired);
            }

            var version = currentVersion(id);
            if (seen != version)
            {
                return Results.StatusCode(StatusCodes.Status412PreconditionFailed);
            }

            files.Write(id, version + 1, title, body);
            await hub.Clients.All.SendAsync("noteChanged", id);
            return Results.NoContent();
        });
    }

    public static async Task ImportAsync(NoteFiles files, IHubContext<NotesHub> hub, string id, string title, string body)
    {
        files.Write(id, 1, title, body);
        await hub.Clients.All.SendAsync("noteChanged", id);
    }
}

public sealed class DraftState(ProtectedLocalStorage storage)
{
    public string Draft { get; private set; } = "";

    public async Task RestoreAsync()
    {
        try
        {
            var stored = await storage.GetAsync<string>("draft");
            Draft = stored.Success ? stored.Value ?? "" : "";
        }
        catch (Exception e) when (e is CryptographicException or JsonException)
        {
            await storage.DeleteAsync("draft");
            Draft = "";
        }
    }
}
