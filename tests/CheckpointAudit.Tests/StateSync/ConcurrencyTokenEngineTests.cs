using System.ComponentModel.DataAnnotations;
using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace CheckpointAudit.Tests.StateSync;

/// <summary>
/// CKPT701's subtler form and its code fix, through the real ASP.NET Core pipeline (Kestrel on loopback) and EF Core
/// on SQLite: the document has a concurrency token (<c>[ConcurrencyCheck] Version</c>, raised on every save) and the
/// client sends back the version it read. The reported handler loads the row and saves it, so EF Core compares the
/// token with the value it just loaded and the stale save wins; the handler as the fix rewrites it (the client's
/// version set as the token's original value, DbUpdateConcurrencyException answered 409) refuses the stale save.
/// Deterministic: both clients load before either saves because the test sends the requests in that order, one at
/// a time.
/// </summary>
public sealed class ConcurrencyTokenEngineTests : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("ckpt-token-").FullName;
    private LoopbackApp? _server;

    public async Task InitializeAsync()
    {
        var connectionString = "Data Source=" + Path.Combine(_directory, "documents.db") + ";Pooling=False";
        var builder = LoopbackApp.CreateBuilder();
        builder.Services.AddDbContext<DocumentsDb>(options => options.UseSqlite(connectionString));
        var app = builder.Build();
        using (var scope = app.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<DocumentsDb>();
            db.Database.EnsureCreated();
            db.Documents.AddRange(new TrackedDocument { Id = 1, Title = "Draft", Text = "first text", Version = 1 }, new TrackedDocument { Id = 2, Title = "Draft", Text = "first text", Version = 1 });
            db.SaveChanges();
        }

        app.MapGet("/documents/{id}", async (int id, DocumentsDb db) => await db.Documents.FindAsync(id));

        // CKPT701 reports this (outside test projects; UnversionedUpdateTests checks it on the real types): the token EF Core compares is the one just loaded, never the client's.
        app.MapPut("/loaded-token/documents/{id}", async (int id, DocumentEdit edit, DocumentsDb db) =>
        {
            var document = await db.Documents.FindAsync(id);
            if (document is null)
            {
                return Results.NotFound();
            }

            document.Title = edit.Title;
            document.Text = edit.Text;
            document.Version++;
            await db.SaveChangesAsync();
            return Results.NoContent();
        });

        // The same handler as "Check the client's concurrency token" leaves it (UnversionedUpdateTests checks the rewrite).
        app.MapPut("/client-token/documents/{id}", async (int id, DocumentEdit edit, DocumentsDb db) =>
        {
            var document = await db.Documents.FindAsync(id);
            if (document is null)
            {
                return Results.NotFound();
            }

            document.Title = edit.Title;
            document.Text = edit.Text;
            document.Version++;
            // The version the client edited: the save fails if the row changed since.
            db.Entry(document).Property(nameof(document.Version)).OriginalValue = edit.Version;
            try
            {
                await db.SaveChangesAsync();
            }
            catch (DbUpdateConcurrencyException)
            {
                // Another client saved the row after this one read it: its edit would be lost.
                return Results.Conflict();
            }

            return Results.NoContent();
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
    public async Task With_the_loaded_row_s_token_the_later_save_silently_loses_the_earlier_edit()
    {
        var first = await Load(1);
        var second = await Load(1);

        var renamed = await _server!.Client.PutAsJsonAsync("/loaded-token/documents/1", first with { Title = "Quarterly report" });
        var rewritten = await _server!.Client.PutAsJsonAsync("/loaded-token/documents/1", second with { Text = "second text" });

        Assert.Equal(HttpStatusCode.NoContent, renamed.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, rewritten.StatusCode); // the token was there, and checked nothing
        var stored = await Load(1);
        Assert.Equal("second text", stored.Text);
        Assert.Equal("Draft", stored.Title); // the first client's title is gone
    }

    [Fact]
    public async Task With_the_client_s_token_the_stale_save_gets_409_and_nothing_is_lost()
    {
        var first = await Load(2);
        var second = await Load(2);

        var renamed = await _server!.Client.PutAsJsonAsync("/client-token/documents/2", first with { Title = "Quarterly report" });
        var rewritten = await _server!.Client.PutAsJsonAsync("/client-token/documents/2", second with { Text = "second text" });

        Assert.Equal(HttpStatusCode.NoContent, renamed.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, rewritten.StatusCode);
        var stored = await Load(2);
        Assert.Equal("Quarterly report", stored.Title);
        Assert.Equal("first text", stored.Text);
        Assert.Equal(2, stored.Version);

        // The second client reloads and saves again on the current version: accepted.
        var retried = await _server!.Client.PutAsJsonAsync("/client-token/documents/2", stored with { Text = "second text" });
        Assert.Equal(HttpStatusCode.NoContent, retried.StatusCode);
        Assert.Equal(new DocumentEdit("Quarterly report", "second text", 3), await Load(2));
    }

    private async Task<DocumentEdit> Load(int id)
        => (await _server!.Client.GetFromJsonAsync<DocumentEdit>("/documents/" + id))!;

    public sealed record DocumentEdit(string Title, string Text, int Version);

    public sealed class TrackedDocument
    {
        public int Id { get; set; }

        public string Title { get; set; } = "";

        public string Text { get; set; } = "";

        [ConcurrencyCheck]
        public int Version { get; set; }
    }

    public sealed class DocumentsDb(DbContextOptions<DocumentsDb> options) : DbContext(options)
    {
        public DbSet<TrackedDocument> Documents => Set<TrackedDocument>();
    }
}
