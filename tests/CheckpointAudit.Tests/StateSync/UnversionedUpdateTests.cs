using CheckpointAudit.CodeFixes.StateSync;
using CheckpointAudit.StateSync;
using CheckpointAudit.Tests.Infrastructure;
using Microsoft.CodeAnalysis.Testing;
using Xunit;

namespace CheckpointAudit.Tests.StateSync;

public class UnversionedUpdateTests
{
    /// <summary>EF Core as far as the rule reads it: contexts, sets, entries, original values, the model builder.</summary>
    private const string EfCore = """
        namespace Microsoft.EntityFrameworkCore
        {
            using System;
            using System.Linq.Expressions;
            using System.Threading;
            using System.Threading.Tasks;
            using Microsoft.EntityFrameworkCore.ChangeTracking;

            public class DbContext
            {
                public int SaveChanges() => 0;
                public Task<int> SaveChangesAsync(CancellationToken cancellationToken = default) => Task.FromResult(0);
                public EntityEntry<T> Entry<T>(T entity) where T : class => new();
                public void Update(object entity) { }
                protected virtual void OnModelCreating(ModelBuilder modelBuilder) { }
            }

            public class DbSet<T> : System.Linq.EnumerableQuery<T> where T : class
            {
                public DbSet() : base(System.Array.Empty<T>()) { }
                public T? Find(params object[] keys) => null;
                public ValueTask<T?> FindAsync(params object[] keys) => default;
                public void Add(T entity) { }
                public void Update(T entity) { }
                public void Attach(T entity) { }
            }

            public enum EntityState { Detached, Unchanged, Deleted, Modified, Added }

            public static class EntityFrameworkQueryableExtensions
            {
                public static Task<T?> FirstOrDefaultAsync<T>(this System.Linq.IQueryable<T> source) => Task.FromResult(default(T));
            }

            public class DbUpdateConcurrencyException : Exception { }

            public class ModelBuilder
            {
                public EntityTypeBuilder<T> Entity<T>() where T : class => new();
            }

            public class EntityTypeBuilder<T> where T : class
            {
                public PropertyBuilder<P> Property<P>(Expression<Func<T, P>> property) => new();
            }

            public class PropertyBuilder<P>
            {
                public PropertyBuilder<P> IsConcurrencyToken() => this;
                public PropertyBuilder<P> IsRowVersion() => this;
            }

            namespace ChangeTracking
            {
                public class EntityEntry<T> where T : class
                {
                    public EntityState State { get; set; }
                    public PropertyValues CurrentValues => new();
                    public PropertyEntry<P> Property<P>(Expression<Func<T, P>> property) => new();
                    public PropertyEntry Property(string propertyName) => new();
                }

                public class PropertyEntry { public object? OriginalValue { get; set; } }

                public class PropertyValues { public void SetValues(object values) { } }

                public class PropertyEntry<P> { public P OriginalValue { get; set; } = default!; }
            }
        }
        """;

    /// <summary>AutoMapper's mapping onto an existing object.</summary>
    private const string AutoMapper = """
        namespace AutoMapper
        {
            public interface IMapper
            {
                TDestination Map<TDestination>(object source);
                TDestination Map<TSource, TDestination>(TSource source, TDestination destination);
            }
        }
        """;

    /// <summary>A store whose Item has no concurrency token and whose Document has a [Timestamp] one.</summary>
    private const string Store = """
        using System.ComponentModel.DataAnnotations;
        using Microsoft.EntityFrameworkCore;

        public class Item { public int Id { get; set; } public string Name { get; set; } = ""; public string Notes { get; set; } = ""; public bool Done { get; set; } }

        public class Document
        {
            public int Id { get; set; }
            public string Title { get; set; } = "";
            public string Text { get; set; } = "";
            [Timestamp] public byte[] RowVersion { get; set; } = [];
        }

        public class Note { public int Id { get; set; } public string Title { get; set; } = ""; public string Body { get; set; } = ""; public int Revision { get; set; } }

        public class ItemDto { public string Name { get; set; } = ""; public string Notes { get; set; } = ""; public byte[] RowVersion { get; set; } = []; public int? Version { get; set; } }

        public class AppDb : DbContext
        {
            public DbSet<Item> Items { get; } = new();
            public DbSet<Document> Documents { get; } = new();
            public DbSet<Note> Notes { get; } = new();

            protected override void OnModelCreating(ModelBuilder modelBuilder)
                => modelBuilder.Entity<Note>().Property(n => n.Revision).IsConcurrencyToken();
        }
        """;

    [Fact]
    public async Task Flags_minimal_api_updates_saved_without_a_version()
    {
        await Run("""
            using System.IO;
            using Microsoft.AspNetCore.Builder;
            using Microsoft.AspNetCore.Http;

            static class Endpoints
            {
                public static void Map(WebApplication app)
                {
                    app.MapPut("/items/{id}", async (int id, ItemDto dto, AppDb db) =>
                    {
                        var item = await db.Items.FindAsync(id);
                        if (item is null) return Results.NotFound();
                        item.Name = dto.Name;
                        item.Notes = dto.Notes;
                        await {|#0:db.SaveChangesAsync()|};
                        return Results.Ok(item);
                    });

                    // Comparing with null tests that a version was sent, not that it is current.
                    app.MapPatch("/items/{id}/name", (int id, ItemDto dto, AppDb db) =>
                    {
                        if (dto.Version == null) return Results.BadRequest();
                        var item = db.Items.Find(id)!;
                        var entry = db.Entry(item);
                        entry.CurrentValues.SetValues(dto);
                        {|#1:db.SaveChanges()|};
                        return Results.Ok();
                    });

                    {|#2:app.MapPut("/settings", SaveSettings)|};

                    // The request mapped onto the stored row.
                    app.MapPut("/items/{id}/mapped", (int id, ItemDto dto, AppDb db, AutoMapper.IMapper mapper) =>
                    {
                        var item = db.Items.Find(id)!;
                        mapper.Map(dto, item);
                        {|#3:db.SaveChanges()|};
                        return Results.Ok();
                    });
                }

                static IResult SaveSettings(ItemDto settings)
                {
                    File.WriteAllText("settings.json", settings.Name);
                    return Results.Ok();
                }
            }
            """,
            Expect(0, "PUT /items/{id}", "saves changes to 'Item' with EF Core", Unchecked),
            Expect(1, "PATCH /items/{id}/name", "saves changes to 'Item' with EF Core", Unchecked),
            Expect(2, "PUT /settings", "writes a file", Unchecked),
            Expect(3, "PUT /items/{id}/mapped", "saves changes to 'Item' with EF Core", Unchecked));
    }

    // A checkout whose packages are not restored: the mapper does not bind, its two arguments do.
    [Fact]
    public async Task Flags_the_request_mapped_onto_a_stored_row_by_a_mapper_that_does_not_bind()
    {
        await Run("""
            using Microsoft.AspNetCore.Builder;
            using Microsoft.AspNetCore.Http;

            static class Endpoints
            {
                public static void Map(WebApplication app, {|CS0246:IObjectMapper|} mapper)
                {
                    app.MapPut("/items/{id}", (int id, ItemDto dto, AppDb db) =>
                    {
                        var item = db.Items.Find(id)!;
                        mapper.Map(dto, item);
                        {|#0:db.SaveChanges()|};
                        return Results.Ok();
                    });
                }
            }
            """,
            Expect(0, "PUT /items/{id}", "saves changes to 'Item' with EF Core", Unchecked));
    }

    [Fact]
    public async Task Flags_actions_that_update_through_the_project_s_services()
    {
        await Run("""
            using System.Threading.Tasks;
            using Microsoft.AspNetCore.Mvc;
            using Microsoft.Data.Sqlite;

            public class ItemService(AppDb db)
            {
                private readonly object _tenant = new();

                // Looked up by a key and a context the service holds: a stored row, given the request's values.
                public void Rename(int id, ItemDto edited)
                {
                    var item = Lookup(id, _tenant);
                    item.Name = edited.Name;
                    item.Notes = edited.Notes;
                    db.SaveChanges();
                }

                private Item Lookup(int id, object tenant) => db.Items.Find(id)!;

                public async Task UpdateAsync(int id, ItemDto edited)
                {
                    var item = await db.Items.FindAsync(id);
                    item!.Name = edited.Name;
                    item.Notes = edited.Notes.Trim();
                    await db.SaveChangesAsync();
                }
            }

            public class NotesRepository(SqliteConnection connection)
            {
                public void SetText(int id, string title, string body)
                {
                    using var command = connection.CreateCommand();
                    command.CommandText = "UPDATE notes SET title = $title, body = $body WHERE id = $id";
                    command.Parameters.AddWithValue("$title", title);
                    command.Parameters.AddWithValue("$body", body);
                    command.Parameters.AddWithValue("$id", id);
                    command.ExecuteNonQuery();
                }
            }

            public class Repository<T>(AppDb db) where T : class
            {
                public void Save(T entity)
                {
                    db.Update(entity);
                    db.SaveChanges();
                }
            }

            public class ItemRepository(AppDb db)
            {
                public Item Get(object id) => db.Items.Find(id)!;   // a key boxed to object is still a key

                public void Visit(int id)
                {
                    db.Items.Find(id)!.Done = false;
                    db.SaveChanges();
                }

                public void Update(Item item)
                {
                    db.Update(item);
                    db.SaveChanges();
                }
            }

            [ApiController]
            [Route("items")]
            public class ItemsController(ItemService items, NotesRepository notes, ItemRepository repository, Repository<Item> store) : ControllerBase
            {
                // A copy built from the request, stored by a generic repository.
                [HttpPut("{id}/copy")]
                public IActionResult Copy(int id, ItemDto dto)
                {
                    {|#3:store.Save(new Item { Id = id, Name = dto.Name, Notes = dto.Notes })|};
                    return NoContent();
                }

                // The client's whole item, stored by the repository.
                [HttpPut]
                public IActionResult Replace(Item item)
                {
                    {|#2:repository.Update(item)|};
                    return NoContent();
                }

                // One field changed on the stored item: a command, quiet.
                [HttpPut("{id}/done")]
                public IActionResult Done(int id)
                {
                    var item = repository.Get(id);
                    item.Done = true;
                    repository.Update(item);
                    return NoContent();
                }

                [HttpPut("{id}")]
                public async Task<IActionResult> Put(int id, ItemDto dto)
                {
                    await {|#0:items.UpdateAsync(id, dto)|};
                    return NoContent();
                }

                // The client's whole item stored after a note was touched: the message names the item.
                [HttpPut("{id}/with-note")]
                public IActionResult PutWithNote(Item item, [FromServices] AppDb db)
                {
                    repository.Visit(item.Id);   // saves too, but not the client's copy: the finding is where that is stored
                    var note = db.Notes.Find(item.Id)!;
                    note.Title = item.Name;
                    {|#4:repository.Update(item)|};
                    return NoContent();
                }

                // A helper handed the request's values sets two of them on the stored item.
                [HttpPatch("{id}/text")]
                public IActionResult SetText(int id, string name, string notes, [FromServices] AppDb db)
                {
                    var item = repository.Get(id);
                    var trimmed = name.Trim();
                    Fill(item, trimmed, notes);
                    {|#5:db.SaveChanges()|};
                    return NoContent();
                }

                [HttpPut("{id}/rename")]
                public IActionResult Rename(int id, ItemDto dto)
                {
                    {|#7:items.Rename(id, dto)|};
                    return NoContent();
                }

                // The client's whole item marked modified in a helper: every property is stored.
                [HttpPut("{id}/state")]
                public IActionResult PutState(Item item, [FromServices] AppDb db)
                {
                    MarkModified(db, item);
                    {|#6:db.SaveChanges()|};
                    return NoContent();
                }

                private static void MarkModified(AppDb db, Item item) => db.Entry(item).State = Microsoft.EntityFrameworkCore.EntityState.Modified;

                private static void Fill(Item item, string name, string notes)
                {
                    item.Name = name;
                    item.Notes = notes;
                }

                [AcceptVerbs("PATCH")]
                public IActionResult Patch(int id, string title, string body)
                {
                    {|#1:notes.SetText(id, title, body)|};
                    return NoContent();
                }
            }
            """,
            Expect(0, "'ItemsController.Put' (PUT)", "saves changes to 'Item' with EF Core", Unchecked),
            Expect(1, "'ItemsController.Patch' (PATCH)", "runs an UPDATE of 'notes'", Unchecked),
            Expect(2, "'ItemsController.Replace' (PUT)", "saves changes to 'Item' with EF Core", Unchecked),
            Expect(3, "'ItemsController.Copy' (PUT)", "saves changes to 'Item' with EF Core", Unchecked),
            Expect(4, "'ItemsController.PutWithNote' (PUT)", "saves changes to 'Item' with EF Core", Unchecked),
            Expect(5, "'ItemsController.SetText' (PATCH)", "saves changes to 'Item' with EF Core", Unchecked),
            Expect(6, "'ItemsController.PutState' (PUT)", "saves changes to 'Item' with EF Core", Unchecked),
            Expect(7, "'ItemsController.Rename' (PUT)", "saves changes to 'Item' with EF Core", Unchecked));
    }

    [Fact]
    public async Task Flags_handlers_registered_through_the_project_s_wrapper_and_commands_sent_through_mediatr()
    {
        await Run("""
            using System;
            using System.Threading;
            using System.Threading.Tasks;
            using MediatR;
            using Microsoft.AspNetCore.Builder;
            using Microsoft.AspNetCore.Http;
            using Microsoft.AspNetCore.Routing;

            public record UpdateTagCommand(int Id, string Name, string Color) : IRequest;

            // A tag is stored through an interface over the context: no DbContext names its type.
            public class Tag { public int Id { get; set; } public string Name { get; set; } = ""; public string Color { get; set; } = ""; }

            public interface ITagsDb
            {
                Microsoft.EntityFrameworkCore.DbSet<Tag> Tags { get; }
                Task<int> SaveChangesAsync(CancellationToken cancellationToken);
            }

            public class UpdateTagHandler(ITagsDb db) : IRequestHandler<UpdateTagCommand>
            {
                public async Task Handle(UpdateTagCommand request, CancellationToken cancellationToken)
                {
                    var tag = await db.Tags.FindAsync(request.Id);
                    tag!.Name = request.Name;
                    tag.Color = request.Color;
                    await db.SaveChangesAsync(cancellationToken);
                }
            }

            public static class RouteExtensions
            {
                // Hands a lambda's parameter, not its own, to MapPut: registers nothing a caller passes.
                public static IEndpointRouteBuilder MapPatch(this IEndpointRouteBuilder builder)
                {
                    Action<string, Delegate> patch = (pattern, handler) => builder.MapPatch(pattern, handler);
                    patch("/ping", () => 1);
                    return builder;
                }

                public static RouteHandlerBuilder MapPut(this IEndpointRouteBuilder builder, Delegate handler, string pattern)
                    => builder.MapPut(pattern, handler).WithName(handler.Method.Name);
            }

            public static class Items
            {
                public static void Map(IEndpointRouteBuilder group)
                {
                    {|#0:group.MapPut(UpdateTag, "{id}")|};
                    group.MapPatch();
                }

                public static async Task<IResult> UpdateTag(ISender sender, int id, UpdateTagCommand command)
                {
                    await sender.Send(command);
                    return Results.NoContent();
                }
            }

            namespace MediatR
            {
                public interface IRequest { }
                public interface ISender { Task Send<TRequest>(TRequest request, CancellationToken cancellationToken = default) where TRequest : IRequest; }
                public interface IRequestHandler<in TRequest> where TRequest : IRequest { Task Handle(TRequest request, CancellationToken cancellationToken); }
            }
            """,
            Expect(0, "PUT {id}", "saves changes to 'Tag' with EF Core", Unchecked));
    }

    [Fact]
    public async Task Flags_a_concurrency_token_taken_from_the_row_just_loaded()
    {
        await Run("""
            using System.Linq;
            using Microsoft.EntityFrameworkCore;
            using Microsoft.AspNetCore.Builder;
            using Microsoft.AspNetCore.Http;

            static class Endpoints
            {
                public static void Map(WebApplication app)
                {
                    app.MapPut("/documents/{id}", async (int id, ItemDto dto, AppDb db) =>
                    {
                        var document = await db.Documents.Where(d => d.Id == id).FirstOrDefaultAsync();
                        document!.Title = dto.Name;
                        document.Text = dto.Notes;
                        await {|#0:db.SaveChangesAsync()|};
                        return Results.Ok();
                    });

                    app.MapPut("/notes/{id}", (int id, ItemDto dto, AppDb db) =>
                    {
                        var note = db.Notes.Find(id)!;
                        note.Title = dto.Name;
                        note.Body = dto.Notes;
                        {|#1:db.SaveChanges()|};
                        return Results.Ok();
                    });
                }
            }
            """,
            Expect(0, "PUT /documents/{id}", "saves changes to 'Document' with EF Core", FreshToken("Document.RowVersion")),
            Expect(1, "PUT /notes/{id}", "saves changes to 'Note' with EF Core", FreshToken("Note.Revision")));
    }

    [Fact]
    public async Task Quiet_when_the_update_is_conditional_on_the_client_s_version()
    {
        await Run("""
            using System.Linq;
            using System.Threading.Tasks;
            using Microsoft.AspNetCore.Builder;
            using Microsoft.AspNetCore.Http;
            using Microsoft.AspNetCore.Mvc;
            using Microsoft.Data.Sqlite;
            using Microsoft.EntityFrameworkCore;

            static class Endpoints
            {
                public static void Map(WebApplication app)
                {
                    // The If-Match header read.
                    app.MapPut("/items/{id}", async (int id, ItemDto dto, HttpRequest request, AppDb db) =>
                    {
                        var item = await db.Items.FindAsync(id);
                        if (!request.Headers.IfMatch.Any()) return Results.StatusCode(428);
                        item!.Name = dto.Name;
                        item.Notes = dto.Notes;
                        await db.SaveChangesAsync();
                        return Results.Ok();
                    });

                    // The client's token handed to EF Core.
                    app.MapPut("/documents/{id}", async (int id, ItemDto dto, AppDb db) =>
                    {
                        var document = await db.Documents.FindAsync(id);
                        db.Entry(document!).Property(d => d.RowVersion).OriginalValue = dto.RowVersion;
                        document!.Title = dto.Name;
                        document.Text = dto.Notes;
                        await db.SaveChangesAsync();
                        return Results.Ok();
                    });

                    // The version compared.
                    app.MapPatch("/notes/{id}", (int id, Note edit, AppDb db) =>
                    {
                        var note = db.Notes.Find(id)!;
                        if (note.Revision != edit.Revision) return Results.Conflict();
                        note.Title = edit.Title;
                        note.Body = edit.Body;
                        db.SaveChanges();
                        return Results.Ok();
                    });

                    // An entity with a token, sent by the client: EF Core compares the token it carries.
                    app.MapPut("/documents", (Document document, AppDb db) =>
                    {
                        db.Documents.Update(document);
                        db.SaveChanges();
                        return Results.Ok();
                    });

                    // A conditional UPDATE.
                    app.MapPut("/notes/{id}/body", (int id, string title, string body, int version, SqliteConnection connection) =>
                    {
                        using var command = connection.CreateCommand();
                        command.CommandText = "UPDATE notes SET title = $title, body = $body, version = version + 1 WHERE id = $id AND version = $version";
                        return command.ExecuteNonQuery() == 1 ? Results.Ok() : Results.StatusCode(412);
                    });

                    // One field set: a command (mark done, rename), not an edited copy written back.
                    app.MapPut("/items/{id}/done", (int id, AppDb db) =>
                    {
                        db.Items.Find(id)!.Done = true;
                        db.SaveChanges();
                        return Results.Ok();
                    });
                    app.MapPatch("/items/{id}/name", (int id, string name, bool notes, AppDb db) =>
                    {
                        var item = db.Items.Find(id)!;
                        if (notes) item.Notes = name; else item.Name = name;   // one value, on either field
                        item.Done = false;
                        db.SaveChanges();
                        return Results.Ok();
                    });
                    app.MapPut("/notes/{id}/title", (int id, string title, SqliteConnection connection) =>
                    {
                        using var command = connection.CreateCommand();
                        command.CommandText = "UPDATE notes SET title = $title, edited = 1 WHERE id = $id";
                        return command.ExecuteNonQuery();
                    });

                    // One value from the request; a helper stamps who and when (the server's values, not the client's copy).
                    app.MapPut("/items/{id}/rename", (int id, string name, AppDb db) =>
                    {
                        var item = db.Items.Find(id)!;
                        item.Name = name;
                        Audit.Stamp(item, System.Environment.UserName, System.DateTime.UtcNow.ToString("O"));
                        db.SaveChanges();
                        return Results.Ok();
                    });

                    // A command given only an id: what the helper sets comes from the stored row, not from the request.
                    app.MapPut("/items/{id}/reset", (int id, AppDb db) =>
                    {
                        var item = db.Items.Find(id)!;
                        Audit.Stamp(item, item.Name.Trim(), "");
                        db.SaveChanges();
                        return Results.Ok();
                    });

                    // The client's object added, and its values copied into a new entity: inserts, not edits.
                    app.MapPut("/items/new", (Item item, ItemDto dto, AppDb db) =>
                    {
                        db.Entry(item).State = EntityState.Added;
                        var created = System.Activator.CreateInstance<Item>();
                        db.Entry(created).CurrentValues.SetValues(dto);
                        db.SaveChanges();
                        return Results.Ok();
                    });

                    // The request mapped onto a new row: an insert.
                    app.MapPut("/items/mapped", (ItemDto dto, AppDb db, AutoMapper.IMapper mapper) =>
                    {
                        var item = new Item();
                        mapper.Map(dto, item);
                        db.Items.Add(item);
                        db.SaveChanges();
                        return Results.Ok();
                    });

                    // A stored file renamed: a command, not an edited copy.
                    app.MapPut("/files/{name}", (string name, string newName) =>
                    {
                        System.IO.File.Move(name, newName);
                        return Results.Ok();
                    });

                    // Stored rows written back whole (a loop variable, a lambda's parameter): not a copy the client sent.
                    app.MapPut("/items/archive", (AppDb db) =>
                    {
                        foreach (var item in db.Items.Where(i => i.Done).ToList())
                        {
                            item.Notes = "";
                            db.Items.Update(item);
                        }

                        db.Items.Where(i => !i.Done).ToList().ForEach(i => db.Items.Update(i));
                        db.SaveChanges();
                        return Results.Ok();
                    });

                    // Not an update of stored state: a new row, a read, a POST.
                    app.MapPut("/items", (ItemDto dto, AppDb db) =>
                    {
                        db.Items.Add(new Item { Name = dto.Name });
                        db.SaveChanges();
                        return Results.Ok();
                    });
                    app.MapPut("/items/{id}/preview", (int id, AppDb db) => Results.Ok(db.Items.Find(id)));
                    app.MapPost("/items/{id}", (int id, ItemDto dto, AppDb db) =>
                    {
                        db.Items.Find(id)!.Name = dto.Name;
                        db.SaveChanges();
                        return Results.Ok();
                    });
                }
            }

            static class Audit
            {
                public static void Stamp(Item item, string user, string when)
                {
                    item.Notes = user;
                    item.Name = item.Name + when;
                }
            }

            [ApiController]
            public class NotesController(AppDb db) : ControllerBase
            {
                // The If-Match header bound to a parameter.
                [HttpPut("notes/{id}")]
                public IActionResult Put(int id, Note edit, [FromHeader(Name = "If-Match")] string etag)
                {
                    var note = db.Notes.Find(id)!;
                    if (etag != Convert(note.Revision)) return StatusCode(412);
                    note.Title = edit.Title;
                    note.Body = edit.Body;
                    db.SaveChanges();
                    return NoContent();
                }

                [HttpGet("notes/{id}")]
                public IActionResult Get(int id)
                {
                    var note = db.Notes.Find(id)!;
                    note.Body = note.Body.Trim();
                    db.SaveChanges();
                    return Ok(note);
                }

                private static string Convert(int revision) => "\"" + revision + "\"";
            }
            """);
    }

    [Fact]
    public async Task Fix_hands_ef_core_the_client_s_token_one_at_a_time_and_with_fix_all()
    {
        var test = Verify.CodeFix<UnversionedUpdateCheck, CheckClientTokenCodeFixProvider>(
            """
            using System.Linq;
            using System.Threading.Tasks;
            using Microsoft.AspNetCore.Builder;
            using Microsoft.AspNetCore.Http;
            using Microsoft.AspNetCore.Mvc;
            using Microsoft.EntityFrameworkCore;

            static class Endpoints
            {
                public static void Map(WebApplication app)
                {
                    app.MapPut("/documents/{id}", async (int id, ItemDto dto, AppDb db) =>
                    {
                        var document = await db.Documents.Where(d => d.Id == id).FirstOrDefaultAsync();
                        if (document is null) return Results.NotFound();
                        document.Title = dto.Name;
                        document.Text = dto.Notes;
                        await {|CKPT701:db.SaveChangesAsync()|};
                        return Results.Ok();
                    });

                    // No result to answer with: the stale save throws.
                    app.MapPatch("/documents/{id}", async (int id, ItemDto dto, AppDb db) =>
                    {
                        var document = (await db.Documents.FindAsync(id))!;
                        document.Title = dto.Name;
                        document.Text = dto.Notes;
                        await {|CKPT701:db.SaveChangesAsync()|};
                    });
                }
            }

            [ApiController]
            public class DocumentsController(AppDb db) : ControllerBase
            {
                [HttpPut("documents/{id}")]
                public IActionResult Put(int id, Document edit)
                {
                    var document = db.Documents.Find(id)!;
                    document.Title = edit.Title;
                    document.Text = edit.Text;
                    // Saved here.
                    {|CKPT701:db.SaveChanges()|};
                    return NoContent();
                }
            }
            """,
            """
            using System.Linq;
            using System.Threading.Tasks;
            using Microsoft.AspNetCore.Builder;
            using Microsoft.AspNetCore.Http;
            using Microsoft.AspNetCore.Mvc;
            using Microsoft.EntityFrameworkCore;

            static class Endpoints
            {
                public static void Map(WebApplication app)
                {
                    app.MapPut("/documents/{id}", async (int id, ItemDto dto, AppDb db) =>
                    {
                        var document = await db.Documents.Where(d => d.Id == id).FirstOrDefaultAsync();
                        if (document is null) return Results.NotFound();
                        document.Title = dto.Name;
                        document.Text = dto.Notes;
                        // The version the client edited: the save fails if the row changed since.
                        db.Entry(document).Property(nameof(document.RowVersion)).OriginalValue = dto.RowVersion;
                        try
                        {
                            await db.SaveChangesAsync();
                        }
                        catch (DbUpdateConcurrencyException)
                        {
                            // Another client saved the row after this one read it: its edit would be lost.
                            return Results.Conflict();
                        }
                        return Results.Ok();
                    });

                    // No result to answer with: the stale save throws.
                    app.MapPatch("/documents/{id}", async (int id, ItemDto dto, AppDb db) =>
                    {
                        var document = (await db.Documents.FindAsync(id))!;
                        document.Title = dto.Name;
                        document.Text = dto.Notes;
                        // The version the client edited: the save fails if the row changed since.
                        db.Entry(document).Property(nameof(document.RowVersion)).OriginalValue = dto.RowVersion;
                        await db.SaveChangesAsync();
                    });
                }
            }

            [ApiController]
            public class DocumentsController(AppDb db) : ControllerBase
            {
                [HttpPut("documents/{id}")]
                public IActionResult Put(int id, Document edit)
                {
                    var document = db.Documents.Find(id)!;
                    document.Title = edit.Title;
                    document.Text = edit.Text;
                    // The version the client edited: the save fails if the row changed since.
                    db.Entry(document).Property(nameof(document.RowVersion)).OriginalValue = edit.RowVersion;
                    // Saved here.
                    try
                    {
                        db.SaveChanges();
                    }
                    catch (DbUpdateConcurrencyException)
                    {
                        // Another client saved the row after this one read it: its edit would be lost.
                        return Conflict();
                    }
                    return NoContent();
                }
            }
            """,
            withHelper: false);
        AddStore(test.TestState);
        AddStore(test.FixedState);
        test.NumberOfIncrementalIterations = 3;
        test.NumberOfFixAllIterations = 1;
        await test.RunAsync();
    }

    [Fact]
    public async Task No_token_fix_where_the_request_carries_no_token_or_the_row_is_saved_elsewhere()
    {
        var source = """
            using System.Threading.Tasks;
            using Microsoft.AspNetCore.Builder;
            using Microsoft.AspNetCore.Http;

            static class Endpoints
            {
                public static void Map(WebApplication app)
                {
                    // ItemDto has no Revision: there is no client token to hand over.
                    app.MapPut("/notes/{id}", (int id, ItemDto dto, AppDb db) =>
                    {
                        var note = db.Notes.Find(id)!;
                        note.Title = dto.Name;
                        note.Body = dto.Notes;
                        {|CKPT701:db.SaveChanges()|};
                        return Results.Ok();
                    });

                    // Loaded and saved in another method.
                    app.MapPut("/documents/{id}", (int id, ItemDto dto, AppDb db) =>
                    {
                        {|CKPT701:Rename(db, id, dto)|};
                        return Results.Ok();
                    });

                    // The request's Revision is a short, the token an int: EF Core would fail to cast the boxed short at the save.
                    app.MapPut("/notes/{id}/edit", (int id, NoteEdit edit, AppDb db) =>
                    {
                        var note = db.Notes.Find(id)!;
                        note.Title = edit.Title;
                        note.Body = edit.Body;
                        {|CKPT701:db.SaveChanges()|};
                        return Results.Ok();
                    });

                    // Saved inside a lambda of the handler: a return there would leave the lambda, not the handler.
                    app.MapPut("/documents/{id}/retry", async (int id, ItemDto dto, AppDb db) =>
                    {
                        var document = db.Documents.Find(id)!;
                        document.Title = dto.Name;
                        document.Text = dto.Notes;
                        await System.Threading.Tasks.Task.Run(() => {|CKPT701:db.SaveChangesAsync()|});
                        return Results.Ok();
                    });
                }

                public sealed class NoteEdit { public string Title { get; set; } = ""; public string Body { get; set; } = ""; public short Revision { get; set; } }

                private static void Rename(AppDb db, int id, ItemDto dto)
                {
                    var document = db.Documents.Find(id)!;
                    document.Title = dto.Name;
                    document.Text = dto.Notes;
                    db.SaveChanges();
                }
            }
            """;
        var test = Verify.CodeFix<UnversionedUpdateCheck, CheckClientTokenCodeFixProvider>(source, source, withHelper: false);
        AddStore(test.TestState);
        AddStore(test.FixedState);
        await test.RunAsync();
    }

    private static void AddStore(Microsoft.CodeAnalysis.Testing.SolutionState state)
    {
        state.Sources.Add(("EfCore.cs", EfCore));
        state.Sources.Add(("Store.cs", Store));
        TestReferences.UseAspNetCore(state);
    }

    // The handlers of ConcurrencyTokenEngineTests and LostUpdateEngineTests, on the real EF Core, SQLite and ASP.NET Core.
    private const string EngineHandlers = """
        using System.ComponentModel.DataAnnotations;
        using Microsoft.AspNetCore.Builder;
        using Microsoft.AspNetCore.Http;
        using Microsoft.Data.Sqlite;
        using Microsoft.EntityFrameworkCore;

        public sealed record DocumentEdit(string Title, string Text, int Version);
        public sealed record Note(string Title, string Body, long Version);

        public sealed class TrackedDocument
        {
            public int Id { get; set; }
            public string Title { get; set; } = "";
            public string Text { get; set; } = "";
            [ConcurrencyCheck] public int Version { get; set; }
        }

        public sealed class DocumentsDb(DbContextOptions<DocumentsDb> options) : DbContext(options)
        {
            public DbSet<TrackedDocument> Documents => Set<TrackedDocument>();
        }

        static class Endpoints
        {
            public static void Map(WebApplication app)
            {
                app.MapPut("/loaded-token/documents/{id}", async (int id, DocumentEdit edit, DocumentsDb db) =>
                {
                    var document = await db.Documents.FindAsync(id);
                    if (document is null) return Results.NotFound();
                    document.Title = edit.Title;
                    document.Text = edit.Text;
                    document.Version++;
                    await {|#0:db.SaveChangesAsync()|};
                    return Results.NoContent();
                });

                app.MapPut("/client-token/documents/{id}", async (int id, DocumentEdit edit, DocumentsDb db) =>
                {
                    var document = await db.Documents.FindAsync(id);
                    if (document is null) return Results.NotFound();
                    document.Title = edit.Title;
                    document.Text = edit.Text;
                    document.Version++;
                    db.Entry(document).Property(nameof(document.Version)).OriginalValue = edit.Version;
                    try { await db.SaveChangesAsync(); }
                    catch (DbUpdateConcurrencyException) { return Results.Conflict(); }
                    return Results.NoContent();
                });

                app.MapPut("/unchecked/notes/{id}", (int id, Note note, SqliteConnection connection) =>
                {
                    connection.Open();
                    using var command = connection.CreateCommand();
                    {|#1:command.CommandText = "UPDATE notes SET title = $title, body = $body, version = version + 1 WHERE id = $id"|};
                    command.Parameters.AddWithValue("$title", note.Title);
                    command.Parameters.AddWithValue("$body", note.Body);
                    command.Parameters.AddWithValue("$id", id);
                    command.ExecuteNonQuery();
                    return Results.NoContent();
                });
            }
        }
        """;

    [Fact]
    public async Task Flags_the_engine_tests_handlers_on_the_real_frameworks()
    {
        var test = Verify.AnalyzerTest<UnversionedUpdateCheck>(EngineHandlers);
        TestReferences.UseEfCoreSqlite(test.TestState);
        test.ExpectedDiagnostics.Add(Expect(0, "PUT /loaded-token/documents/{id}", "saves changes to 'TrackedDocument' with EF Core", FreshToken("TrackedDocument.Version")));
        test.ExpectedDiagnostics.Add(Expect(1, "PUT /unchecked/notes/{id}", "runs an UPDATE of 'notes'", Unchecked));
        await test.RunAsync();
    }

    [Fact]
    public async Task Quiet_in_test_projects_unless_asked()
    {
        var quiet = Verify.AnalyzerTest<UnversionedUpdateCheck>(EngineHandlers.Replace("{|#0:", "").Replace("{|#1:", "").Replace("|}", ""));
        var asked = Verify.AnalyzerTest<UnversionedUpdateCheck>(EngineHandlers);
        asked.ExpectedDiagnostics.Add(Expect(0, "PUT /loaded-token/documents/{id}", "saves changes to 'TrackedDocument' with EF Core", FreshToken("TrackedDocument.Version")));
        asked.ExpectedDiagnostics.Add(Expect(1, "PUT /unchecked/notes/{id}", "runs an UPDATE of 'notes'", Unchecked));
        asked.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", "root = true\n[*]\ncheckpoint_audit.analyze_test_projects = true\n"));
        foreach (var test in new[] { quiet, asked })
        {
            TestReferences.UseEfCoreSqlite(test.TestState);
            TestReferences.AsTestProject(test.TestState, TestReferences.Net100);
            await test.RunAsync();
        }
    }

    private const string Unchecked = "with no concurrency check (no If-Match header read, no version compared)";

    private static string FreshToken(string token)
        => "but takes the concurrency token '" + token + "' from the row it just loaded, not from the client, so EF Core detects only a change made between that load and the save";

    private static DiagnosticResult Expect(int location, string handler, string change, string problem)
        => new DiagnosticResult("CKPT701", Microsoft.CodeAnalysis.DiagnosticSeverity.Warning).WithLocation(location).WithArguments(handler, change, problem);

    private static async Task Run(string source, params DiagnosticResult[] expected)
    {
        var test = Verify.AnalyzerTest<UnversionedUpdateCheck>(source);
        test.TestState.Sources.Add(("EfCore.cs", EfCore));
        test.TestState.Sources.Add(("Store.cs", Store));
        test.TestState.Sources.Add(("AutoMapper.cs", AutoMapper));
        TestReferences.UseAspNetCore(test.TestState);
        test.ExpectedDiagnostics.AddRange(expected);
        await test.RunAsync();
    }
}
