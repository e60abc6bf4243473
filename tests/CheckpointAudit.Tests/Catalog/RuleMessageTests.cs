using System.Reflection;
using CheckpointAudit.Atomicity;
using CheckpointAudit.Catalog;
using CheckpointAudit.Checks;
using CheckpointAudit.Concurrency;
using CheckpointAudit.Consistency;
using CheckpointAudit.Corruption;
using CheckpointAudit.Models;
using CheckpointAudit.Orphans;
using CheckpointAudit.Schema;
using CheckpointAudit.StateSync;
using CheckpointAudit.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using Xunit;

namespace CheckpointAudit.Tests.Catalog;

/// <summary>
/// Every rule's message, as a user reads it, for one small flagged case: a finding whose message arguments come out
/// swapped, empty or unformatted fails here, and a rule added to the catalog without a case fails the first test.
/// </summary>
public class RuleMessageTests
{
    private sealed record Case(Type Check, string Source, string Message, bool Sqlite = false, (string Name, string Text)[]? AdditionalFiles = null, DiagnosticSeverity? Severity = null, bool Web = false);

    private const string SaveAndLoad = """
        class Store
        {
            void Save(string path, Settings s) => File.WriteAllText(path, JsonSerializer.Serialize(s));
            Settings Load(string path) => JsonSerializer.Deserialize<Settings>(File.ReadAllText(path));
        }
        """;

    private static readonly Dictionary<string, Case> Cases = new(StringComparer.Ordinal)
    {
        ["CKPT101"] = new(typeof(MissingSchemaVersionCheck), """
            using System.IO;
            using System.Text.Json;
            public class Settings { public string Theme { get; set; } = ""; }
            class Store { void Save(string path, Settings s) => File.WriteAllText(path, {|#0:JsonSerializer.Serialize(s)|}); }
            """, "'Settings' is saved to a file here, with no schema version member: once the shape changes, data written by older builds cannot be told apart from current data, so it cannot be migrated"),
        ["CKPT102"] = new(typeof(VersionNeverCheckedCheck), """
            using System.IO;
            using System.Text.Json;
            public class Settings { public int SchemaVersion { get; set; } public string Theme { get; set; } = ""; }
            class Store { Settings Load(string path) => {|#0:JsonSerializer.Deserialize<Settings>(File.ReadAllText(path))|}; }
            """, "'Settings' is loaded here, but nothing in the project compares its 'SchemaVersion': data written by an older or a newer build is used as if it were current, and there is no place to migrate it"),
        ["CKPT103"] = new(typeof(VersionStartsAtCurrentCheck), """
            using System.IO;
            using System.Text.Json;
            public class Settings { public int SchemaVersion { get; set; } = 3; }
            class Store { void Save(string path, Settings s) => File.WriteAllText(path, {|#0:JsonSerializer.Serialize(s)|}); }
            """, "'Settings.SchemaVersion' starts at 3, the version this build writes: data saved before the member existed loads as version 3 too, so it is taken for current data and skips its migrations"),
        ["CKPT104"] = new(typeof(RequiredOnLoadCheck), """
            #nullable enable
            using System.IO;
            using System.Text.Json;
            public class Settings { public required string {|#0:Theme|} { get; set; } }
            class Store { Settings? Load(string path) => JsonSerializer.Deserialize<Settings>(File.ReadAllText(path)); }
            """, "'Settings.Theme' is persisted and required on load (the 'required' modifier): data written before the member existed, or without it, fails to load"),
        ["CKPT105"] = new(typeof(EnumWithoutExplicitValuesCheck), """
            using System.IO;
            using System.Text.Json;
            public enum {|#0:Kind|} { Heading, Paragraph }
            public class Settings { public Kind Kind { get; set; } }
            class Store { void Save(string path, Settings s) => File.WriteAllText(path, JsonSerializer.Serialize(s)); }
            """, "'Kind' is stored as a number in persisted 'Settings.Kind', and 2 of its members have no explicit value: adding, removing or reordering a member silently changes the meaning of stored data"),
        ["CKPT106"] = new(typeof(SchemaBaselineCheck), """
            public class Settings { public int SchemaVersion { get; set; } public string {|#0:Theme|} { get; set; } = ""; }
            class Store { void Save(string path, Settings s) => System.IO.File.WriteAllText(path, System.Text.Json.JsonSerializer.Serialize(s)); }
            """, "Persisted member 'Settings.Theme' is not in the schema baseline: add it to CheckpointSchema.Unshipped.txt so that later changes to it are caught", AdditionalFiles: [("/0/CheckpointSchema.Shipped.txt", ""), ("/0/CheckpointSchema.Unshipped.txt", "Settings.SchemaVersion : SchemaVersion : int\n")],
            Severity: DiagnosticSeverity.Info), // a member missing from the baseline informs; a changed one warns
        ["CKPT107"] = new(typeof(ValidationRejectsOldDataCheck), """
            using System.ComponentModel.DataAnnotations;
            using System.IO;
            using System.Text.Json;
            public class Settings { [Range(1, 64)] public int Workers { get; set; } = 4; }
            class Store { Settings Load(string path) { var s = JsonSerializer.Deserialize<Settings>(File.ReadAllText(path))!; {|#0:Validator.ValidateObject(s, new ValidationContext(s), true)|}; return s; } }
            """, "Validator.ValidateObject rejects a stored 'Settings' and nothing on the load path catches ValidationException to migrate or set the data aside: one value an older build wrote (a rule tightened since, a field now required, an enum member renamed) makes the whole file unloadable"),
        ["CKPT201"] = new(typeof(NonAtomicOverwriteCheck), """
            using System.IO;
            class Store { void Save(string settingsPath, string json) => {|#0:File.WriteAllText(settingsPath, json)|}; }
            """, "File.WriteAllText truncates and rewrites 'settingsPath' in place: a crash, kill or full disk during the write leaves it empty or half-written"),
        ["CKPT202"] = new(typeof(UnflushedTempPromotionCheck), """
            using System.IO;
            class Store { void Save(string path, string text) { var tmp = path + ".tmp"; File.WriteAllText(tmp, text); {|#0:File.Move(tmp, path, true)|}; } }
            """, "'tmp' is moved over 'path' but was written by File.WriteAllText without a flush to disk: atomic but not durable; after a power loss the target can be empty or zero-filled"),
        ["CKPT203"] = new(typeof(TempInOtherDirectoryCheck), """
            using System.IO;
            class Store { void Save(string path, string json) { var tmp = Path.GetTempFileName(); File.WriteAllText(tmp, json); {|#0:File.Move(tmp, path, true)|}; } }
            """, "'tmp' is in the system temp directory and File.Move puts it over 'path': when the two are on different volumes (tmpfs /tmp, another drive, a container volume) this is a copy, not an atomic rename, and a crash leaves 'path' partial"),
        ["CKPT204"] = new(typeof(UnsafeReplacementCheck), """
            using System.IO;
            class Store { void Save(string path, string text) { var tmp = path + ".tmp"; File.WriteAllText(tmp, text); File.Delete(path); {|#0:File.Move(tmp, path)|}; } }
            """, "'path' is deleted first and the new file takes its place in a second step: a crash in between leaves no file, or a torn one"),
        ["CKPT205"] = new(typeof(StaleTailWriteCheck), """
            using System.IO;
            using System.Text.Json;
            class Store { void Save(string path, object state) { using var stream = {|#0:File.OpenWrite(path)|}; JsonSerializer.Serialize(stream, state); } }
            """, "File.OpenWrite opens 'path' without truncating it: when the new content is shorter, the end of the old content stays behind it and the file no longer parses"),
        ["CKPT206"] = new(typeof(SharedTempNameCheck), """
            using System.IO;
            using System.Threading.Tasks;
            class Store
            {
                private readonly string _filePath = "state.json";
                async Task SaveAsync(string json) { var tempPath = _filePath + ".tmp"; await File.WriteAllTextAsync(tempPath, json); {|#0:File.Move(tempPath, _filePath, true)|}; }
            }
            """, "'tempPath' is the same temp file on every save, and async method 'SaveAsync' can run while another save is in progress: both write into one temp file, and one of them moves the other's half-written data into place or fails"),
        ["CKPT207"] = new(typeof(DirectoryNotSyncedCheck), """
            using System.IO;
            class Store
            {
                void Save(string path, byte[] data)
                {
                    var tmp = path + ".tmp";
                    using (var stream = new FileStream(tmp, FileMode.Create, FileAccess.Write, FileShare.None)) { stream.Write(data); stream.Flush(true); }
                    {|#0:File.Move(tmp, path, true)|};
                }
            }
            """, "'tmp' is flushed to disk and moved over 'path', but the directory is not synced after the move: on Linux and macOS a power loss can still undo the rename and bring back the old file"),
        ["CKPT208"] = new(typeof(TornTailAppendCheck), """
            using System.IO;
            using System.Linq;
            using System.Text.Json;
            class Journal { const string Path = "events.jsonl"; void Add(int e) => {|#0:File.AppendAllText(Path, JsonSerializer.Serialize(e) + "\n")|}; int[] Load() => File.ReadLines(Path).Select(l => JsonSerializer.Deserialize<int>(l)).ToArray(); }
            """, "File.AppendAllText appends records to 'Path', which Journal.Load reads back line by line and parses with JsonSerializer.Deserialize: a kill mid-append leaves a partial last line, that parse throws on it and the whole file stops loading, and the next append glues a good record onto the torn one"),
        ["CKPT209"] = new(typeof(OutputOverwriteCheck), """
            using System.IO;
            class Store { void Save(string thumbnailCachePath, byte[] png) => {|#0:File.WriteAllBytes(thumbnailCachePath, png)|}; }
            """, "File.WriteAllBytes truncates and rewrites 'thumbnailCachePath' in place, and the path names thumbnails ('thumbnailCachePath'): a crash during the write leaves it empty or half-written until it is produced again"),
        ["CKPT301"] = new(typeof(UnguardedDeserializationCheck), """
            using System.IO;
            using System.Text.Json;
            public class Settings { public int SchemaVersion { get; set; } }
            class Store { Settings Load(string path) { var json = File.ReadAllText(path); return {|#0:JsonSerializer.Deserialize<Settings>(json)|}; } }
            """, "JsonSerializer.Deserialize parses 'json', read from a file, and nothing catches JsonException: one torn, truncated or hand-edited file makes every load fail"),
        ["CKPT302"] = new(typeof(NullDeserializationResultCheck), """
            #nullable disable
            using System.IO;
            using System.Text.Json;
            public class Settings { public int SchemaVersion { get; set; } }
            class Store { int Load(string path) { var settings = {|#0:JsonSerializer.Deserialize<Settings>(File.ReadAllText(path))|}; return settings.SchemaVersion; } }
            """, "JsonSerializer.Deserialize returns null when the stored file holds 'null' (Newtonsoft: or is empty), and the result is dereferenced without a check: the load succeeds and a NullReferenceException follows later, far from the cause"),
        ["CKPT303"] = new(typeof(UnverifiedLoadCheck), """
            using System.IO;
            using System.Text.Json;
            public class Settings { public int SchemaVersion { get; set; } }
            class Store
            {
                void Save(string path, Settings settings) => File.WriteAllText(path, JsonSerializer.Serialize(settings));
                Settings Load(string path) { try { return {|#0:JsonSerializer.Deserialize<Settings>(File.ReadAllText(path))|}; } catch (JsonException) { return null; } }
            }
            """, "JsonSerializer.Deserialize parses 'File.ReadAllText(path)', read from a file, without verifying a checksum: damage that still parses (a flipped digit, a cut-off list, a stale block from a bad disk) loads as valid state"),
        ["CKPT304"] = new(typeof(CorruptionSwallowedCheck), """
            using System.IO;
            using System.Text.Json;
            public class Settings { public int SchemaVersion { get; set; } }
            class Store
            {
                private readonly string _path = "settings.json";
                public void Save(Settings s) => File.WriteAllText(_path, JsonSerializer.Serialize(s));
                public Settings Load()
                {
                    try { return JsonSerializer.Deserialize<Settings>(File.ReadAllText(_path)) ?? new Settings(); }
                    catch (JsonException) { {|#0:return new Settings();|} }
                }
            }
            """, "When '_path' does not parse, the catch returns fresh defaults and keeps no copy of the bad file, while this code saves that file again: the next save overwrites what was left of the user's data, and the evidence"),
        ["CKPT305"] = new(typeof(NoPreviousVersionCheck), """
            using System.IO;
            class Store { void Save(string path, string json) { var tmp = path + ".tmp"; File.WriteAllText(tmp, json); {|#0:File.Move(tmp, path, overwrite: true)|}; } }
            """, "File.Move replaces 'path' and the previous version is gone: when the new content is wrong (a bug, a bad migration, a half-loaded state saved back), there is nothing to go back to"),
        ["CKPT401"] = new(typeof(TempFileLeftOnFailureCheck), """
            using System.IO;
            class Store { void Save(string path, string json) { var tmp = path + "." + System.Guid.NewGuid().ToString("N") + ".tmp"; File.WriteAllText(tmp, json); {|#0:File.Move(tmp, path, true)|}; } }
            """, "'tmp' is written and moved into place, but nothing deletes it when the write or the move throws: failed saves leave it behind for good"),
        ["CKPT402"] = new(typeof(FilesOutliveRecordCheck), """
            using System.IO;
            using Microsoft.EntityFrameworkCore;
            public class Photo { public int Id { get; set; } public string FilePath { get; set; } = ""; }
            public class Gallery : DbContext { public DbSet<Photo> Photos { get; set; } = null!; void Add(Photo p, byte[] image) => File.WriteAllBytes(p.FilePath, image); void Delete(Photo p) => {|#0:Photos.Remove(p)|}; }
            namespace Microsoft.EntityFrameworkCore { public class DbContext { } public class DbSet<T> where T : class { public void Remove(T entity) { } } }
            """, "'Remove' deletes 'Photo' records whose files the project creates (File.WriteAllBytes(…) in Gallery.Add), and nothing here or in its callers deletes them: they stay on disk with no record pointing at them"),
        ["CKPT403"] = new(typeof(UnsweptTempFilesCheck), """
            using System;
            using System.IO;
            class Store { void Save(string path, string json) { var tmp = path + "." + Guid.NewGuid().ToString("N") + ".tmp"; File.WriteAllText(tmp, json); {|#0:File.Move(tmp, path, true)|}; } }
            """, "'tmp' gets a new name on every save (names like *.*.tmp), and nothing in the project deletes leftovers matching it: every crash or kill during a save leaves one more file behind"),
        ["CKPT404"] = new(typeof(UnprunedStageFilesCheck), """
            using System.IO;
            class Store(string root) { void Save(string jobId, string json) => {|#0:File.WriteAllText(Path.Combine(root, jobId + ".json"), json)|}; }
            """, "'Path.Combine(root, jobId + \".json\")' is written per jobId under 'root', and nothing in the project deletes anything there: a file stays for every jobId ever processed"),
        ["CKPT501"] = new(typeof(UnstableHashPersistedCheck), """
            using System.IO;
            class Store { void Save(string root, string url, string json) => File.WriteAllText(Path.Combine(root, {|#0:url.GetHashCode()|} + ".json"), json); }
            """, "string.GetHashCode() is randomised per process, and its value is kept in a file or directory name: after a restart, or in another process or machine, the same input hashes differently, so the stored name, ID or key no longer matches"),
        ["CKPT502"] = new(typeof(LocalClockPersistedCheck), """
            using System;
            using System.IO;
            using System.Text.Json;
            public class Settings { public string SavedAt { get; set; } = {|#0:DateTime.Now|}.ToString("yyyy-MM-dd HH:mm"); }
            class Store { void Save(string path, Settings s) => File.WriteAllText(path, JsonSerializer.Serialize(s)); }
            """, "DateTime.Now is local wall-clock time and is stored in 'Settings.SavedAt': read on a machine in another time zone, or across a daylight-saving change, the same instant means a different time, and orderings and durations computed from stored times go wrong"),
        ["CKPT601"] = new(typeof(SqliteWithoutWalCheck), """
            using Microsoft.Data.Sqlite;
            class Store { SqliteConnection Open() => {|#0:new SqliteConnection("Data Source=jobs.db")|}; }
            """, "new SqliteConnection opens a SQLite database ('Data Source=jobs.db'), and nothing in the project switches it to WAL: in the default rollback journal a reader blocks the writer's commit, so concurrent access fails with 'database is locked' or stalls", Sqlite: true),
        ["CKPT602"] = new(typeof(SqliteBusyHandlingCheck), """
            using Microsoft.Data.Sqlite;
            class Store { SqliteConnection Open() => new SqliteConnection({|#0:"Data Source=a.db;Default Timeout=1"|}); }
            """, "'Default Timeout=1' in the connection string makes each command give up after 1 second: a statement that meets another connection's write lock then fails with 'database is locked' (SQLITE_BUSY) instead of waiting its turn", Sqlite: true),
        ["CKPT603"] = new(typeof(SqliteSharedCacheCheck), """
            using Microsoft.Data.Sqlite;
            class Store { SqliteConnection Open() => new SqliteConnection({|#0:"Data Source=app.db;Cache=Shared"|}); }
            """, "'Cache=Shared' in the connection string opens SQLite in shared-cache mode: connections of this process then lock whole tables, so a write waits while a read of the table is in progress and fails with SQLITE_LOCKED if the read outlasts its command timeout (the engine's busy timeout does not apply), and WAL does not help", Sqlite: true),
        ["CKPT604"] = new(typeof(StatusCheckThenActCheck), """
            using Microsoft.Data.Sqlite;
            class Jobs
            {
                bool TryClaim(SqliteConnection connection, string id)
                {
                    using var select = connection.CreateCommand();
                    select.CommandText = "SELECT state FROM jobs WHERE id = $id";
                    select.Parameters.AddWithValue("$id", id);
                    if ((string)select.ExecuteScalar() != "queued") { return false; }
                    using var update = connection.CreateCommand();
                    update.CommandText = {|#0:"UPDATE jobs SET state = 'running' WHERE id = $id"|};
                    update.Parameters.AddWithValue("$id", id);
                    update.ExecuteNonQuery();
                    return true;
                }
            }
            """, "This UPDATE sets jobs.state after the SELECT on line 7 read it, with no transaction around both and no WHERE condition on the old value: two callers can both pass the check and both act (a double claim or a lost update)", Sqlite: true),
        ["CKPT605"] = new(typeof(DoneBeforeDataCheck), """
            using System.IO;
            using Microsoft.Data.Sqlite;
            class Runner
            {
                void Finish(SqliteConnection connection, string jobId, string json)
                {
                    using var command = connection.CreateCommand();
                    command.CommandText = "UPDATE jobs SET status = 'completed' WHERE id = $id";
                    command.Parameters.AddWithValue("$id", jobId);
                    {|#0:command.ExecuteNonQuery()|};
                    File.WriteAllText(Path.Combine("out", jobId), json);
                }
            }
            """, "status = 'completed' records completion before 'File.WriteAllText' on line 11 writes the data it describes: a crash in between leaves a finished status with no data behind it, and a resume skips the work", Sqlite: true),
        ["CKPT606"] = new(typeof(SharedConnectionCheck), """
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using Microsoft.Data.Sqlite;
            class Importer
            {
                private readonly SqliteConnection {|#0:_connection|} = new("Data Source=app.db");
                void Import(IEnumerable<string> rows) => Parallel.ForEach(rows, row => _connection.CreateCommand().ExecuteNonQuery());
            }
            """, "'_connection' is one SQLite connection shared by work started with Parallel.ForEach in 'Import': connection objects are not thread-safe, so overlapping commands interleave and a transaction begun by one caller commits or rolls back another's writes", Sqlite: true),
        ["CKPT607"] = new(typeof(TransactionAcrossIoCheck), """
            using System.IO;
            using System.Threading.Tasks;
            using Microsoft.Data.Sqlite;
            class Jobs
            {
                async Task<string> Complete(SqliteConnection connection, string path)
                {
                    using var transaction = connection.BeginTransaction();
                    var body = {|#0:await File.ReadAllTextAsync(path)|};
                    transaction.Commit();
                    return body;
                }
            }
            """, "'File.ReadAllTextAsync' is awaited while SQLite transaction 'transaction' is open: the database stays locked for every other writer for as long as this file or network I/O takes", Sqlite: true),
        ["CKPT608"] = new(typeof(ExistsThenActCheck), """
            using System.IO;
            class Store
            {
                private readonly string _path = "settings.json";
                void Save(string json) => File.WriteAllText(_path, json);
                string Load() { if (File.Exists(_path)) { return {|#0:File.ReadAllText(_path)|}; } return null; }
            }
            """, "'_path' is read after File.Exists checked it: another thread or process can delete or replace it in between, and the read throws FileNotFoundException"),
        ["CKPT609"] = new(typeof(DatabaseFileSwappedUnderPoolCheck), """
            using System.IO;
            using Microsoft.Data.Sqlite;
            class Store
            {
                private readonly string _path = "jobs.db";
                SqliteConnection Open() => new SqliteConnection($"Data Source={_path}");
                void Restore(string backup) => {|#0:File.Copy(backup, _path, true)|};
            }
            """, "File.Copy copies over '_path', the file of a pooled SQLite database, with no SqliteConnection.ClearAllPools() before it: connections closed earlier are still open in the pool, so the file changes under them: on Windows a delete or move fails ('in use'), elsewhere the next pooled connection still reads the old file and its writes fail, and a database copied in meets the old one's -wal file", Sqlite: true),
        ["CKPT610"] = new(typeof(SqliteObjectLeftOpenCheck), """
            using Microsoft.Data.Sqlite;
            class Store
            {
                void Save()
                {
                    var connection = {|#0:new SqliteConnection("Data Source=jobs.db")|};
                    connection.Open();
                    connection.Close();
                }
            }
            """, "The SQLite connection in 'connection' is disposed only when no exception occurs (line 8): when an exception leaves the method it stays open, and the database file stays open (on Windows it can be neither replaced nor deleted), with any lock a failed read or transaction left on it, until the garbage collector finalizes the connection", Sqlite: true),
        ["CKPT611"] = new(typeof(ForeignKeysNotEnforcedCheck), """
            using Microsoft.Data.Sqlite;
            class Store
            {
                const string Create = "CREATE TABLE pages (id INTEGER PRIMARY KEY, document_id INTEGER REFERENCES documents(id));";
                SqliteConnection Open() => new SqliteConnection({|#0:"Data Source=jobs.db;Foreign Keys=False"|});
            }
            """, "This connection turns foreign keys off ('Foreign Keys=False'), but the schema in 'Test0.cs' (line 4) declares foreign keys: a row that references a missing or deleted row is stored without an error, so references between records dangle silently", Sqlite: true),
        ["CKPT701"] = new(typeof(UnversionedUpdateCheck), """
            using Microsoft.AspNetCore.Builder;
            using Microsoft.Data.Sqlite;
            static class Endpoints
            {
                static void Map(WebApplication app) => app.MapPut("/notes/{id}", (int id, string title, string body, SqliteConnection connection) =>
                {
                    using var command = connection.CreateCommand();
                    {|#0:command.CommandText = "UPDATE notes SET title = $title, body = $body WHERE id = $id"|};
                    return command.ExecuteNonQuery();
                });
            }
            """, "PUT /notes/{id} runs an UPDATE of 'notes' with no concurrency check (no If-Match header read, no version compared): when two clients edit the same state, the later request silently overwrites the earlier one's changes (last writer wins)", Web: true),
        ["CKPT702"] = new(typeof(ClientStateUnvalidatedCheck), """
            using System.Threading.Tasks;
            using Microsoft.AspNetCore.Components.Server.ProtectedBrowserStorage;
            public class Cart { public string[] Items { get; set; } = []; }
            public class CartState(ProtectedLocalStorage local)
            {
                public async Task<Cart?> RestoreAsync() { var stored = await {|#0:local.GetAsync<Cart>("cart")|}; return stored.Success ? stored.Value : null; }
            }
            """, "ProtectedLocalStorage.GetAsync restores 'Cart' from client-side storage and catches neither CryptographicException nor JsonException: an entry protected under an earlier key ring (a redeploy, rotated keys) or written by an older build in another shape throws on every load, so the page fails until the user clears the site's data", Web: true),
        ["CKPT703"] = new(typeof(StateChangeNotBroadcastCheck), """
            using System.IO;
            using System.Threading.Tasks;
            using Microsoft.AspNetCore.Builder;
            using Microsoft.AspNetCore.SignalR;
            public class NotesHub : Hub { }
            public class NoteStore { public void Save(int id, string text) => File.WriteAllText(id + ".txt", text); }
            public class Importer(NoteStore store, IHubContext<NotesHub> hub)
            {
                public async Task ImportAsync(int id, string text) { store.Save(id, text); await hub.Clients.All.SendAsync("changed", id); }
            }
            static class Endpoints
            {
                static void Map(WebApplication app) => app.MapPut("/notes/{id}", (int id, string text, NoteStore store) => { {|#0:store.Save(id, text)|}; return id; });
            }
            """, "PUT /notes/{id} changes stored state through 'NoteStore.Save' and tells no connected client, while 'Importer.ImportAsync' calls the same method and sends them an update: pages and clients that are open keep showing the old state until they reload, and an edit made from one of them overwrites this change", Web: true),
        ["CKPT801"] = new(typeof(NeverRestoredCheck), """
            using System.IO;
            using System.Text.Json;
            public class Settings { public string {|#0:Theme|} { get; } = "light"; }
            """ + SaveAndLoad, "'Settings.Theme' is written by System.Text.Json but cannot be set when it loads (it has no setter, and the serializer creates it with the parameterless constructor): every load gives it its default value, and the next save writes that default over the stored one"),
        ["CKPT802"] = new(typeof(DerivedDataLostCheck), """
            using System.Collections.Generic;
            using System.IO;
            using System.Text.Json;
            public class Settings { public List<Shape> Shapes { get; set; } = new(); }
            public abstract class {|#0:Shape|} { public string Id { get; set; } = ""; }
            public sealed class Circle : Shape { public double Radius { get; set; } }
            """ + SaveAndLoad, "'Shape' is stored through 'Settings.Shapes', and 'Circle' derives from it: System.Text.Json writes only the members of 'Shape', so the derived types' data is dropped on save and every object loads as 'Shape' (or fails to load for an abstract type)"),
        ["CKPT803"] = new(typeof(IgnoredBySerializerCheck), """
            using System.IO;
            using System.Text.Json;
            public class Settings { public int {|#0:Columns|}; }
            """ + SaveAndLoad, "'Settings.Columns' is a public field: System.Text.Json neither writes nor reads fields without [JsonInclude] or JsonSerializerOptions.IncludeFields, so its value is never stored"),
        ["CKPT804"] = new(typeof(CollectionNotPopulatedCheck), """
            using System.Collections.Generic;
            using System.IO;
            using System.Text.Json;
            public class Settings { public List<string> {|#0:Recent|} { get; } = new(); }
            """ + SaveAndLoad, "'Settings.Recent' is a get-only collection: System.Text.Json writes its items but, on load, cannot replace it and does not add to it, so every stored item is dropped and the next save writes it empty"),
        ["CKPT805"] = new(typeof(LooselyTypedMemberCheck), """
            using System.IO;
            using System.Text.Json;
            public class Settings { public object {|#0:Value|} { get; set; } }
            """ + SaveAndLoad, "'Settings.Value' is declared as object: whatever it held when saved comes back as a JsonElement, so code that casts it to the type it stored fails or takes another branch after a restart"),
    };

    public static TheoryData<string> RuleIds => new(RuleCatalog.All.Select(r => r.Id));

    [Fact]
    public void Every_rule_in_the_catalog_has_a_message_case()
        => Assert.Equal(RuleCatalog.All.Select(r => r.Id).Order(StringComparer.Ordinal), Cases.Keys.Order(StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(RuleIds))]
    public Task The_message_names_what_was_found(string ruleId)
        => (Task)typeof(RuleMessageTests).GetMethod(nameof(VerifyAsync), BindingFlags.NonPublic | BindingFlags.Static)!
            .MakeGenericMethod(Cases[ruleId].Check)
            .Invoke(null, [ruleId, Cases[ruleId]])!;

    private static async Task VerifyAsync<TCheck>(string ruleId, Case @case)
        where TCheck : RuleCheck, new()
    {
        var test = Verify.AnalyzerTest<TCheck>(@case.Source);
        if (@case.Sqlite)
        {
            TestReferences.UseSqlite(test.TestState);
        }

        if (@case.Web)
        {
            TestReferences.UseAspNetCore(test.TestState);
        }

        foreach (var file in @case.AdditionalFiles ?? [])
        {
            test.TestState.AdditionalFiles.Add(file);
        }

        // Rules off by default (MONITOR) are turned on at their default severity.
        var rule = RuleCatalog.All.Single(r => r.Id == ruleId);
        if (!rule.IsEnabledByDefault)
        {
            test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", $"root = true\n[*]\ndotnet_diagnostic.{ruleId}.severity = suggestion\n"));
        }

        test.ExpectedDiagnostics.Add(new DiagnosticResult(ruleId, @case.Severity ?? rule.DefaultSeverity)
            .WithLocation(0)
            .WithOptions(DiagnosticOptions.IgnoreAdditionalLocations)
            .WithMessage(@case.Message));
        await test.RunAsync();
    }
}
