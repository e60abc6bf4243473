using CheckpointAudit.CodeFixes.Orphans;
using CheckpointAudit.Orphans;
using CheckpointAudit.Tests.Infrastructure;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;
using Xunit;

namespace CheckpointAudit.Tests.Orphans;

public class FilesOutliveRecordTests
{
    // A document store: rows in SQLite, a directory of checkpoints per document ID.
    private const string DocumentStore = """
        using System.IO;
        using Microsoft.Data.Sqlite;

        public sealed class Database(string connectionString)
        {
            public SqliteConnection Open()
            {
                var connection = new SqliteConnection(connectionString);
                connection.Open();
                return connection;
            }

            public void AddDocument(string id, string name)
            {
                using var connection = Open();
                using var command = connection.CreateCommand();
                command.CommandText = "INSERT INTO documents (id, name) VALUES ($id, $name)";
                command.Parameters.AddWithValue("$id", id);
                command.Parameters.AddWithValue("$name", name);
                command.ExecuteNonQuery();
            }

            public void AddNote(string documentId, string text)
            {
                using var connection = Open();
                using var command = connection.CreateCommand();
                command.CommandText = "INSERT INTO notes (document_id, text) VALUES ($id, $text)";
                command.Parameters.AddWithValue("$id", documentId);
                command.Parameters.AddWithValue("$text", text);
                command.ExecuteNonQuery();
            }
        }

        public sealed class CheckpointStore(string root)
        {
            public string DocumentDirectory(string documentId) => Path.Combine(root, documentId);

            private string PathFor(string documentId, int stage) => Path.Combine(DocumentDirectory(documentId), $"stage-{stage}.json");

            public void Save(string documentId, int stage, string json)
            {
                Directory.CreateDirectory(DocumentDirectory(documentId));
                File.WriteAllText(PathFor(documentId, stage), json);
            }

            public void DeleteFiles(string documentId) => Directory.Delete(DocumentDirectory(documentId), recursive: true);
        }

        public sealed class Runner(Database database, CheckpointStore store)
        {
            public void Start(string id, string name, string text)
            {
                database.AddDocument(id, name);
                database.AddNote(id + "-note", text);
                store.Save(id, 1, "{}");
            }
        }
        """;

    private const string EfModel = """
        using System.Collections.Generic;
        using System.IO;
        using System.Linq;
        using Microsoft.EntityFrameworkCore;

        public class Photo { public int Id { get; set; } public string FilePath { get; set; } = ""; }

        public class Track { public int Id { get; set; } public string Path { get; set; } = ""; }

        public class GalleryContext : DbContext
        {
            public DbSet<Photo> Photos { get; set; } = null!;
            public DbSet<Track> Tracks { get; set; } = null!;
        }

        public class Uploads
        {
            public void Store(Photo photo, byte[] image) => File.WriteAllBytes(photo.FilePath, image);

            // A thumbnail is regenerable output: it does not make a photo own files.
            public void Preview(Track track, byte[] png) => File.WriteAllBytes(Path.Combine("thumbnails", track.Id + ".png"), png);

            // An organiser moves the user's files to where a rule says: relocated, not created.
            public void Organise(Track track, string target) => File.Move(track.Path, Path.Combine(target, track.Id + ".mp3"));

            // A library points at the user's own files: read, never created.
            public byte[] Play(Track track) => File.ReadAllBytes(track.Path);
        }

        namespace Microsoft.EntityFrameworkCore
        {
            public class DbContext { public void Remove(object entity) { } public int SaveChanges() => 0; }
            public class DbSet<T> : IQueryable<T> where T : class
            {
                public void Remove(T entity) { }
                public void RemoveRange(IEnumerable<T> entities) { }
                public System.Type ElementType => typeof(T);
                public System.Linq.Expressions.Expression Expression => null!;
                public IQueryProvider Provider => null!;
                public IEnumerator<T> GetEnumerator() => null!;
                System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => null!;
            }
            public static class RelationalQueryableExtensions
            {
                public static int ExecuteDelete<T>(this IQueryable<T> source) => 0;
            }
        }
        """;

    private static CSharpAnalyzerTest<Only<FilesOutliveRecordCheck>, DefaultVerifier> Sqlite(string source)
    {
        var test = Verify.AnalyzerTest<FilesOutliveRecordCheck>(source);
        test.TestState.Sources.Add(("DocumentStore.cs", DocumentStore));
        TestReferences.UseSqlite(test.TestState);
        return test;
    }

    private static CSharpAnalyzerTest<Only<FilesOutliveRecordCheck>, DefaultVerifier> Ef(string source)
    {
        var test = Verify.AnalyzerTest<FilesOutliveRecordCheck>(source);
        test.TestState.Sources.Add(("Gallery.cs", EfModel));
        return test;
    }

    [Fact]
    public async Task Flags_a_sql_delete_of_rows_whose_files_stay()
    {
        await Sqlite("""
            using Microsoft.Data.Sqlite;

            public sealed class Documents(Database database)
            {
                public void Delete(string id)
                {
                    using var connection = database.Open();
                    using var command = connection.CreateCommand();
                    command.CommandText = {|CKPT402:"DELETE FROM notes WHERE document_id = $id; DELETE FROM documents WHERE id = $id"|};
                    command.Parameters.AddWithValue("$id", id);
                    command.ExecuteNonQuery();
                }

                public void Purge()
                {
                    using var connection = database.Open();
                    using var command = new SqliteCommand({|CKPT402:"DELETE FROM documents"|}, connection);
                    command.ExecuteNonQuery();
                }
            }
            """).RunAsync();
    }

    [Fact]
    public async Task Flags_an_entity_removed_while_the_files_it_names_stay()
    {
        await Ef("""
            using System.Linq;
            using Microsoft.EntityFrameworkCore;

            public class PhotoService(GalleryContext context)
            {
                public void Delete(Photo photo)
                {
                    {|CKPT402:context.Photos.Remove(photo)|};
                    context.SaveChanges();
                }

                public void DeleteAll(Photo[] photos) => {|CKPT402:context.Photos.RemoveRange(photos)|};

                public void DeleteOld(int before) => {|CKPT402:context.Photos.Where(p => p.Id < before).ExecuteDelete()|};

                public void DeleteThroughContext(Photo photo) => {|CKPT402:context.Remove(photo)|};
            }
            """).RunAsync();
    }

    [Fact]
    public async Task Flags_files_deleted_before_the_deletion_of_the_record_commits()
    {
        await Ef("""
            using System.IO;

            public class PhotoService(GalleryContext context)
            {
                public void Delete(Photo photo)
                {
                    {|CKPT402:File.Delete(photo.FilePath)|};
                    context.Photos.Remove(photo);
                    context.SaveChanges();
                }
            }
            """).RunAsync();

        await Sqlite("""
            using System.IO;

            public sealed class Documents(Database database, CheckpointStore store)
            {
                public void Delete(string id)
                {
                    using var connection = database.Open();
                    using var transaction = connection.BeginTransaction();
                    using var command = connection.CreateCommand();
                    command.CommandText = "DELETE FROM documents WHERE id = $id";
                    command.Parameters.AddWithValue("$id", id);
                    command.ExecuteNonQuery();
                    {|CKPT402:Directory.Delete(store.DocumentDirectory(id), true)|};
                    transaction.Commit();
                }

                public void DeleteWithoutTransaction(string id)
                {
                    {|CKPT402:store.DeleteFiles(id)|};
                    using var connection = database.Open();
                    using var command = connection.CreateCommand();
                    command.CommandText = "DELETE FROM documents WHERE id = $id";
                    command.Parameters.AddWithValue("$id", id);
                    command.ExecuteNonQuery();
                }
            }
            """).RunAsync();
    }

    [Fact]
    public async Task Quiet_when_the_files_go_after_the_commit_here_in_a_helper_or_in_the_caller()
    {
        await Sqlite("""
            using System.IO;

            public sealed class Documents(Database database, CheckpointStore store)
            {
                public void Delete(string id)
                {
                    using (var connection = database.Open())
                    using (var transaction = connection.BeginTransaction())
                    using (var command = connection.CreateCommand())
                    {
                        command.CommandText = "DELETE FROM documents WHERE id = $id";
                        command.Parameters.AddWithValue("$id", id);
                        command.ExecuteNonQuery();
                        transaction.Commit();
                    }

                    Directory.Delete(store.DocumentDirectory(id), true);
                }

                public void DeleteThenHelper(string id)
                {
                    DeleteRow(id);
                    store.DeleteFiles(id);
                }

                private void DeleteRow(string id)
                {
                    using var connection = database.Open();
                    using var command = connection.CreateCommand();
                    command.CommandText = "DELETE FROM documents WHERE id = $id";
                    command.Parameters.AddWithValue("$id", id);
                    command.ExecuteNonQuery();
                }

                // Rows with no files of their own: notes are inserted with a value no path is built from.
                public void DeleteNotes(string id)
                {
                    using var connection = database.Open();
                    using var command = connection.CreateCommand();
                    command.CommandText = "DELETE FROM notes WHERE document_id = $id";
                    command.Parameters.AddWithValue("$id", id);
                    command.ExecuteNonQuery();
                }
            }
            """).RunAsync();

        await Ef("""
            using System.IO;

            public class PhotoService(GalleryContext context)
            {
                public void Delete(Photo photo)
                {
                    context.Photos.Remove(photo);
                    context.SaveChanges();
                    File.Delete(photo.FilePath);
                }

                // The user's own media: deleting the library entry must not delete the file.
                public void Forget(Track track)
                {
                    context.Tracks.Remove(track);
                    context.SaveChanges();
                }
            }
            """).RunAsync();
    }

    [Fact]
    public async Task Quiet_without_sqlite_or_entity_framework()
    {
        await Verify.AnalyzerAsync<FilesOutliveRecordCheck>("""
            using System.Collections.Generic;
            using System.IO;

            class Index
            {
                private readonly Dictionary<string, string> _rows = new();

                void Add(string id, string json)
                {
                    _rows.Add(id, json);
                    File.WriteAllText(Path.Combine("data", id + ".json"), json);
                }

                void Remove(string id) => _rows.Remove(id);
            }
            """);
    }

    [Fact]
    public async Task Fix_moves_the_file_deletion_after_the_commit()
    {
        var before = """
            using System.IO;

            public sealed class Documents(Database database, CheckpointStore store)
            {
                public void Delete(string id)
                {
                    using var connection = database.Open();
                    using var transaction = connection.BeginTransaction();
                    using var command = connection.CreateCommand();
                    {|CKPT402:Directory.Delete(store.DocumentDirectory(id), true)|};
                    command.CommandText = "DELETE FROM documents WHERE id = $id";
                    command.Parameters.AddWithValue("$id", id);
                    command.ExecuteNonQuery();
                    transaction.Commit();
                }

                public void DeleteWithoutTransaction(string id)
                {
                    {|CKPT402:store.DeleteFiles(id)|};
                    using var connection = database.Open();
                    using var command = connection.CreateCommand();
                    command.CommandText = "DELETE FROM documents WHERE id = $id";
                    command.ExecuteNonQuery();
                }
                // The commit is the return: moving the deletion after it would make it dead code, so no fix.
                public bool DeleteAndCount(string id)
                {
                    {|CKPT402:store.DeleteFiles(id)|};
                    using var connection = database.Open();
                    using var command = connection.CreateCommand();
                    command.CommandText = "DELETE FROM documents WHERE id = $id";
                    return command.ExecuteNonQuery() > 0;
                }
            }
            """;
        var after = """
            using System.IO;

            public sealed class Documents(Database database, CheckpointStore store)
            {
                public void Delete(string id)
                {
                    using var connection = database.Open();
                    using var transaction = connection.BeginTransaction();
                    using var command = connection.CreateCommand();
                    command.CommandText = "DELETE FROM documents WHERE id = $id";
                    command.Parameters.AddWithValue("$id", id);
                    command.ExecuteNonQuery();
                    transaction.Commit();
                    Directory.Delete(store.DocumentDirectory(id), true);
                }

                public void DeleteWithoutTransaction(string id)
                {
                    using var connection = database.Open();
                    using var command = connection.CreateCommand();
                    command.CommandText = "DELETE FROM documents WHERE id = $id";
                    command.ExecuteNonQuery();
                    store.DeleteFiles(id);
                }
                // The commit is the return: moving the deletion after it would make it dead code, so no fix.
                public bool DeleteAndCount(string id)
                {
                    {|CKPT402:store.DeleteFiles(id)|};
                    using var connection = database.Open();
                    using var command = connection.CreateCommand();
                    command.CommandText = "DELETE FROM documents WHERE id = $id";
                    return command.ExecuteNonQuery() > 0;
                }
            }
            """;

        var test = Verify.CodeFix<FilesOutliveRecordCheck, DeleteFilesAfterCommitCodeFixProvider>(before, after, withHelper: false);
        test.TestState.Sources.Add(("DocumentStore.cs", DocumentStore));
        test.FixedState.Sources.Add(("DocumentStore.cs", DocumentStore));
        TestReferences.UseSqlite(test.TestState);
        test.FixedState.MarkupHandling = MarkupMode.Allow;
        test.NumberOfIncrementalIterations = 2;
        test.NumberOfFixAllIterations = 1;

        // Reported at compilation end (what owns files is known from the whole project).
        test.CodeFixTestBehaviors |= CodeFixTestBehaviors.SkipLocalDiagnosticCheck;
        await test.RunAsync();
    }
}
