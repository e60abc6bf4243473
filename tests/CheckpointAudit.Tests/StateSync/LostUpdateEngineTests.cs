using System.Net;
using System.Net.Http.Json;
using CheckpointAudit.Tests.Concurrency;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace CheckpointAudit.Tests.StateSync;

/// <summary>
/// What CKPT701 is about, through the real ASP.NET Core pipeline (Kestrel on loopback) and a real SQLite database: two
/// clients load the same note, each edits a different field and sends the whole note back with PUT. The endpoint the
/// rule reports (an UPDATE with no version) keeps only the second client's note, and the first edit is gone without an
/// error; the endpoint the rule's page describes (an ETag handed out, If-Match required, a conditional UPDATE) answers
/// the second client 412, and the first edit stays. Deterministic: both clients load before either saves because the
/// test sends the requests in that order, one at a time.
/// </summary>
public sealed class LostUpdateEngineTests : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("ckpt-lost-update-").FullName;
    private LoopbackApp? _server;

    private string ConnectionString => "Data Source=" + Path.Combine(_directory, "notes.db") + ";Pooling=False";

    public async Task InitializeAsync()
    {
        using (var connection = new SqliteConnection(ConnectionString))
        {
            connection.Open();
            SqlCommands.Execute(connection, "CREATE TABLE notes (id INTEGER PRIMARY KEY, title TEXT NOT NULL, body TEXT NOT NULL, version INTEGER NOT NULL); INSERT INTO notes VALUES (1, 'Draft', 'first text', 1), (2, 'Draft', 'first text', 1);");
        }

        var builder = LoopbackApp.CreateBuilder();
        builder.Services.AddTransient(_ => new SqliteConnection(ConnectionString));
        var app = builder.Build();

        app.MapGet("/notes/{id}", (int id, HttpResponse response, SqliteConnection connection) =>
        {
            var note = Read(connection, id);
            response.Headers.ETag = "\"" + note.Version + "\"";
            return note;
        });

        // CKPT701 reports this (outside test projects; UnversionedUpdateTests checks it on the real types): the stored note is replaced by whatever the client sends.
        app.MapPut("/unchecked/notes/{id}", (int id, Note note, SqliteConnection connection) =>
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE notes SET title = $title, body = $body, version = version + 1 WHERE id = $id";
            command.Parameters.AddWithValue("$title", note.Title);
            command.Parameters.AddWithValue("$body", note.Body);
            command.Parameters.AddWithValue("$id", id);
            command.ExecuteNonQuery();
            return Results.NoContent();
        });

        // The page's fix: If-Match required, and the UPDATE applies only to the version the client edited.
        app.MapPut("/checked/notes/{id}", (int id, Note note, HttpRequest request, SqliteConnection connection) =>
        {
            if (!long.TryParse(request.Headers.IfMatch.ToString().Trim('"'), out var version))
            {
                return Results.StatusCode(StatusCodes.Status428PreconditionRequired);
            }

            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE notes SET title = $title, body = $body, version = version + 1 WHERE id = $id AND version = $version";
            command.Parameters.AddWithValue("$title", note.Title);
            command.Parameters.AddWithValue("$body", note.Body);
            command.Parameters.AddWithValue("$id", id);
            command.Parameters.AddWithValue("$version", version);
            return command.ExecuteNonQuery() == 1 ? Results.NoContent() : Results.StatusCode(StatusCodes.Status412PreconditionFailed);
        });

        _server = await LoopbackApp.StartAsync(app);
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Without_a_version_check_the_later_save_silently_loses_the_earlier_edit()
    {
        var (first, _) = await Load(1);
        var (second, _) = await Load(1);

        var renamed = await _server!.Client.PutAsJsonAsync("/unchecked/notes/1", first with { Title = "Quarterly report" });
        var rewritten = await _server!.Client.PutAsJsonAsync("/unchecked/notes/1", second with { Body = "second text" });

        Assert.Equal(HttpStatusCode.NoContent, renamed.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, rewritten.StatusCode); // no error anywhere
        var (stored, _) = await Load(1);
        Assert.Equal("second text", stored.Body);
        Assert.Equal("Draft", stored.Title); // the first client's title is gone
    }

    [Fact]
    public async Task With_if_match_and_a_conditional_update_the_stale_save_is_refused_and_nothing_is_lost()
    {
        var (first, firstTag) = await Load(2);
        var (second, secondTag) = await Load(2);

        var renamed = await Put("/checked/notes/2", first with { Title = "Quarterly report" }, firstTag);
        var rewritten = await Put("/checked/notes/2", second with { Body = "second text" }, secondTag);
        var untagged = await _server!.Client.PutAsJsonAsync("/checked/notes/2", second);

        Assert.Equal(HttpStatusCode.NoContent, renamed.StatusCode);
        Assert.Equal(HttpStatusCode.PreconditionFailed, rewritten.StatusCode);
        Assert.Equal((HttpStatusCode)StatusCodes.Status428PreconditionRequired, untagged.StatusCode);
        var (stored, _) = await Load(2);
        Assert.Equal("Quarterly report", stored.Title);
        Assert.Equal("first text", stored.Body);
    }

    private async Task<(Note Note, string ETag)> Load(int id)
    {
        var response = await _server!.Client.GetAsync("/notes/" + id);
        response.EnsureSuccessStatusCode();
        return ((await response.Content.ReadFromJsonAsync<Note>())!, response.Headers.ETag!.Tag);
    }

    private Task<HttpResponseMessage> Put(string path, Note note, string etag)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, path) { Content = JsonContent.Create(note) };
        request.Headers.IfMatch.Add(new System.Net.Http.Headers.EntityTagHeaderValue(etag));
        return _server!.Client.SendAsync(request);
    }

    private static Note Read(SqliteConnection connection, int id)
    {
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT title, body, version FROM notes WHERE id = $id";
        command.Parameters.AddWithValue("$id", id);
        using var reader = command.ExecuteReader();
        reader.Read();
        return new Note(reader.GetString(0), reader.GetString(1), reader.GetInt64(2));
    }

    public sealed record Note(string Title, string Body, long Version);
}
