using System.Collections.Immutable;

namespace CheckpointAudit.Catalog;

/// <summary>
/// The single table of every rule CheckpointAudit ships. Descriptors, docs, release
/// tracking, presets and the README table are all checked against this list by tests.
/// </summary>
public static class RuleCatalog
{
    /// <summary>Where the rule pages live; each rule's help link is this plus "CKPTnnn.md".</summary>
    public const string DocsBaseUri = "https://github.com/CheckpointAudit/CheckpointAudit/blob/main/docs/rules/";

    // ---- 1xx Schema ----------------------------------------------------------------

    /// <summary>{0}: the model type(s) with "is"/"are" ("'Settings' is"); {1}: the evidence ("saved to a file here", "loaded from the database here", "marked [Checkpoint]").</summary>
    public static readonly RuleDefinition MissingSchemaVersion = new(
        id: "CKPT101",
        category: AuditCategory.Schema,
        auditSeverity: AuditSeverity.Critical,
        title: "Persisted model has no schema version",
        messageFormat: "{0} {1}, with no schema version member: once the shape changes, data written by older builds cannot be told apart from current data, so it cannot be migrated",
        remediation: "Add an int SchemaVersion that defaults to 0 (written before versioning) and is stamped with a CurrentSchemaVersion constant on every save; compare it on load to migrate.",
        fixTitle: "Add a schema version",
        practice: IntegrityPractice.SchemaVersioning);

    /// <summary>{0}: the model; {1}: its version member.</summary>
    public static readonly RuleDefinition VersionNeverChecked = new(
        id: "CKPT102",
        category: AuditCategory.Schema,
        auditSeverity: AuditSeverity.Medium,
        title: "Loaded schema version never checked",
        messageFormat: "'{0}' is loaded here, but nothing in the project compares its '{1}': data written by an older or a newer build is used as if it were current, and there is no place to migrate it",
        remediation: "After loading, compare the version with the current one: migrate older data, refuse data from a newer build.",
        fixTitle: null,
        isCompilationEnd: true);

    /// <summary>{0}: the model; {1}: the version member; {2}: its starting value.</summary>
    public static readonly RuleDefinition VersionStartsAtCurrent = new(
        id: "CKPT103",
        category: AuditCategory.Schema,
        auditSeverity: AuditSeverity.High,
        title: "Schema version defaults to the current version",
        messageFormat: "'{0}.{1}' starts at {2}, the version this build writes: data saved before the member existed loads as version {2} too, so it is taken for current data and skips its migrations",
        remediation: "Let the version member default to 0 (data without it is older than versioning) and set it to the current version when saving.",
        fixTitle: "Start the version at 0 and set it on save");

    /// <summary>{0}: the type declaring the member; {1}: the member; {2}: what makes it required.</summary>
    public static readonly RuleDefinition RequiredOnLoad = new(
        id: "CKPT104",
        category: AuditCategory.Schema,
        auditSeverity: AuditSeverity.High,
        title: "Persisted member required on load",
        messageFormat: "'{0}.{1}' is persisted and required on load ({2}): data written before the member existed, or without it, fails to load",
        remediation: "Let the member be absent: give it a default value, and check it after loading where it really must be present.",
        fixTitle: "Make it optional with a default",
        isCompilationEnd: true);

    /// <summary>{0}: the whole finding (stored as a number without explicit values, or by name with a converter that rejects unknown names).</summary>
    public static readonly RuleDefinition EnumWithoutExplicitValues = new(
        id: "CKPT105",
        category: AuditCategory.Schema,
        auditSeverity: AuditSeverity.High,
        title: "Persisted enum without explicit values or unknown-name handling",
        messageFormat: "{0}",
        remediation: "Give every member an explicit value, or store the enum by name with a converter that tolerates unknown names.",
        fixTitle: "Give the members explicit values",
        isCompilationEnd: true,
        secondFixTitle: "Read unknown names as the default value");

    /// <summary>{0}: the whole finding (a breaking change against the baseline, or a member missing from it).</summary>
    public static readonly RuleDefinition SchemaBaselineChange = new(
        id: "CKPT106",
        category: AuditCategory.Schema,
        auditSeverity: AuditSeverity.High,
        title: "Persisted member changed against the schema baseline",
        messageFormat: "{0}",
        remediation: "Keep shipped members readable: restore the serialized name or type, or add an alias or a migration; record new persisted members in CheckpointSchema.Unshipped.txt.",
        fixTitle: "Add to the schema baseline",
        isCompilationEnd: true);

    /// <summary>{0}: what rejects the data; {1}: the stored model; {2}: how it fails.</summary>
    public static readonly RuleDefinition ValidationRejectsOldData = new(
        id: "CKPT107",
        category: AuditCategory.Schema,
        auditSeverity: AuditSeverity.High,
        title: "Validation that rejects data written by older builds",
        messageFormat: "{0} rejects a stored '{1}' {2}: one value an older build wrote (a rule tightened since, a field now required, an enum member renamed) makes the whole file unloadable",
        remediation: "Validate after migrating, and on failure repair, default or set aside the offending record (keeping the file) instead of throwing out of the load; in converters, map unknown values to a fallback.",
        fixTitle: null,
        isCompilationEnd: true);

    // ---- 2xx Atomicity -------------------------------------------------------------

    /// <summary>{0}: the file being overwritten; {1}: the API that truncates it.</summary>
    public static readonly RuleDefinition NonAtomicOverwrite = new(
        id: "CKPT201",
        category: AuditCategory.Atomicity,
        auditSeverity: AuditSeverity.Critical,
        title: "File overwritten in place",
        messageFormat: "{1} truncates and rewrites '{0}' in place: a crash, kill or full disk during the write leaves it empty or half-written",
        remediation: "Write to a unique temp file beside the target, flush it to disk, then move it over the target (CheckpointFile.WriteAllText does all three).",
        fixTitle: "Write atomically",
        secondFixTitle: "Save as checksummed checkpoint (changes the file format)",
        practice: IntegrityPractice.AtomicWrites);

    /// <summary>{0}: the temp file; {1}: the target; {2}: the API that wrote the temp.</summary>
    public static readonly RuleDefinition UnflushedTempPromotion = new(
        id: "CKPT202",
        category: AuditCategory.Atomicity,
        auditSeverity: AuditSeverity.High,
        title: "Temp file moved into place before it reaches the disk",
        messageFormat: "'{0}' is moved over '{1}' but was written by {2} without a flush to disk: atomic but not durable; after a power loss the target can be empty or zero-filled",
        remediation: "Flush the temp file to disk (FileStream.Flush(true) or FileOptions.WriteThrough) before the move, or write it with CheckpointFile, which does.",
        fixTitle: "Flush the temp file to disk");

    /// <summary>{0}: the temp file; {1}: the target; {2}: the API that puts it in place.</summary>
    public static readonly RuleDefinition TempInOtherDirectory = new(
        id: "CKPT203",
        category: AuditCategory.Atomicity,
        auditSeverity: AuditSeverity.High,
        title: "Temp file created in another directory",
        messageFormat: "'{0}' is in the system temp directory and {2} puts it over '{1}': when the two are on different volumes (tmpfs /tmp, another drive, a container volume) this is a copy, not an atomic rename, and a crash leaves '{1}' partial",
        remediation: "Create the temp file beside the target (same directory, unique name) so that the move is a rename on one volume.",
        fixTitle: "Create the temp file beside the target");

    /// <summary>{0}: the target; {1}: how it is removed or rewritten first.</summary>
    public static readonly RuleDefinition UnsafeReplacement = new(
        id: "CKPT204",
        category: AuditCategory.Atomicity,
        auditSeverity: AuditSeverity.High,
        title: "Target replaced in two steps",
        messageFormat: "'{0}' {1} and the new file takes its place in a second step: a crash in between leaves no file, or a torn one",
        remediation: "Replace in one step: File.Move(temp, target, overwrite: true), or File.Replace(temp, target, backup) where Move cannot overwrite.",
        fixTitle: "Replace in one step");

    /// <summary>{0}: the file; {1}: the API that opens it without truncation.</summary>
    public static readonly RuleDefinition StaleTailWrite = new(
        id: "CKPT205",
        category: AuditCategory.Atomicity,
        auditSeverity: AuditSeverity.High,
        title: "File written without truncation",
        messageFormat: "{1} opens '{0}' without truncating it: when the new content is shorter, the end of the old content stays behind it and the file no longer parses",
        remediation: "Open with truncation (File.Create, FileMode.Create) — for a temp file — or write the whole file with CheckpointFile.",
        fixTitle: "Truncate when opening");

    /// <summary>{0}: the temp file; {1}: why the code can run concurrently.</summary>
    public static readonly RuleDefinition SharedTempName = new(
        id: "CKPT206",
        category: AuditCategory.Atomicity,
        auditSeverity: AuditSeverity.High,
        title: "Fixed temp name shared by concurrent saves",
        messageFormat: "'{0}' is the same temp file on every save, and {1} can run while another save is in progress: both write into one temp file, and one of them moves the other's half-written data into place or fails",
        remediation: "Give each save its own temp file (a unique name beside the target), or serialize the saves with a lock or SemaphoreSlim around the write and the move.",
        fixTitle: "Use a unique temp name",
        practice: IntegrityPractice.ConcurrencyControl);

    /// <summary>{0}: the temp file; {1}: the target.</summary>
    public static readonly RuleDefinition DirectoryNotSynced = new(
        id: "CKPT207",
        category: AuditCategory.Atomicity,
        auditSeverity: AuditSeverity.Monitor,
        title: "Directory not synced after the rename",
        messageFormat: "'{0}' is flushed to disk and moved over '{1}', but the directory is not synced after the move: on Linux and macOS a power loss can still undo the rename and bring back the old file",
        remediation: "After the move, open the target's directory and fsync it (Unix only; Windows does not need it).",
        fixTitle: null);

    /// <summary>{0}: the append API; {1}: the file; {2}: the method that reads it back; {3}: the parse of each line.</summary>
    public static readonly RuleDefinition TornTailAppend = new(
        id: "CKPT208",
        category: AuditCategory.Atomicity,
        auditSeverity: AuditSeverity.High,
        title: "Line-based store appended without torn-tail handling",
        messageFormat: "{0} appends records to '{1}', which {2} reads back line by line and parses with {3}: a kill mid-append leaves a partial last line, that parse throws on it and the whole file stops loading, and the next append glues a good record onto the torn one",
        remediation: "End every record with a newline; on load, skip (or cut) only an unterminated last line; before appending, truncate a torn tail or start on a new line.",
        fixTitle: null,
        isCompilationEnd: true);

    /// <summary>{0}: the file; {1}: the API; {2}: why the file holds regenerable output.</summary>
    public static readonly RuleDefinition OutputOverwrite = new(
        id: "CKPT209",
        category: AuditCategory.Atomicity,
        auditSeverity: AuditSeverity.Monitor,
        title: "Regenerable output overwritten in place",
        messageFormat: "{1} truncates and rewrites '{0}' in place, and {2}: a crash during the write leaves it empty or half-written until it is produced again",
        remediation: "Where readers must never see a half-written file, write it atomically (CheckpointFile.WriteAllText); otherwise make its readers treat a damaged file as missing and produce it again.",
        fixTitle: "Write atomically");

    // ---- 3xx Corruption ------------------------------------------------------------

    /// <summary>{0}: the parsing API; {1}: what it parses; {2}: where that comes from; {3}: the exception malformed input throws.</summary>
    public static readonly RuleDefinition UnguardedDeserialization = new(
        id: "CKPT301",
        category: AuditCategory.Corruption,
        auditSeverity: AuditSeverity.Critical,
        title: "Stored data parsed with no handling of corrupt input",
        messageFormat: "{0} parses '{1}', read from a {2}, and nothing catches {3}: one torn, truncated or hand-edited file makes every load fail",
        remediation: "Catch the parser's malformed-input exception around the load, keep the bad file aside, and fall back to a backup or fail with a clear message (CheckpointFile.Load does all of it).",
        fixTitle: "Load as checksummed checkpoint",
        secondFixTitle: "Handle corrupt input",
        practice: IntegrityPractice.CorruptionRecovery);

    /// <summary>{0}: the parsing API; {1}: where the input comes from; {2}: what is done with the result.</summary>
    public static readonly RuleDefinition NullDeserializationResult = new(
        id: "CKPT302",
        category: AuditCategory.Corruption,
        auditSeverity: AuditSeverity.High,
        title: "Deserialized value used without a null check",
        messageFormat: "{0} returns null when the stored {1} holds 'null' (Newtonsoft: or is empty), and the result is {2} without a check: the load succeeds and a NullReferenceException follows later, far from the cause",
        remediation: "Check the result: '?? throw new InvalidDataException(...)' where an empty state is corrupt, or '?? new T()' where it is not.",
        fixTitle: "Throw when the stored value is null",
        secondFixTitle: "Use the existing fallback");

    /// <summary>{0}: the parsing API; {1}: what it parses; {2}: where that comes from.</summary>
    public static readonly RuleDefinition UnverifiedLoad = new(
        id: "CKPT303",
        category: AuditCategory.Corruption,
        auditSeverity: AuditSeverity.Medium,
        title: "Stored state loaded without an integrity check",
        messageFormat: "{0} parses '{1}', read from a {2}, without verifying a checksum: damage that still parses (a flipped digit, a cut-off list, a stale block from a bad disk) loads as valid state",
        remediation: "Store a checksum with the data and verify it on load (CheckpointFile.Save/Load do both), or compute and compare a hash in the load path.",
        fixTitle: "Load as checksummed checkpoint",
        practice: IntegrityPractice.IntegrityChecks);

    /// <summary>{0}: the file loaded; {1}: what the catch does with it.</summary>
    public static readonly RuleDefinition CorruptionSwallowed = new(
        id: "CKPT304",
        category: AuditCategory.Corruption,
        auditSeverity: AuditSeverity.High,
        title: "Corrupt file replaced without keeping it",
        messageFormat: "When '{0}' does not parse, the catch {1} and keeps no copy of the bad file, while this code saves that file again: the next save overwrites what was left of the user's data, and the evidence",
        remediation: "Before resetting, move the bad file aside (path + \".corrupt-<time>\") and log it, so that it can be inspected and recovered; never delete it.",
        fixTitle: "Move the bad file aside first",
        practice: IntegrityPractice.CorruptionRecovery);

    /// <summary>{0}: the target; {1}: the API that replaces it.</summary>
    public static readonly RuleDefinition NoPreviousVersion = new(
        id: "CKPT305",
        category: AuditCategory.Corruption,
        auditSeverity: AuditSeverity.Monitor,
        title: "State file replaced without keeping the previous version",
        messageFormat: "{1} replaces '{0}' and the previous version is gone: when the new content is wrong (a bug, a bad migration, a half-loaded state saved back), there is nothing to go back to",
        remediation: "Keep one previous version: File.Replace(temp, target, target + \".bak\"), or copy the target aside before the move.",
        fixTitle: "Keep the previous version as .bak");

    // ---- 4xx Orphans ---------------------------------------------------------------

    /// <summary>{0}: the temp file.</summary>
    public static readonly RuleDefinition TempFileLeftOnFailure = new(
        id: "CKPT401",
        category: AuditCategory.Orphans,
        auditSeverity: AuditSeverity.Medium,
        title: "Temp file not deleted when the write fails",
        messageFormat: "'{0}' is written and moved into place, but nothing deletes it when the write or the move throws: failed saves leave it behind for good",
        remediation: "Delete the temp file in a catch (then rethrow) or a finally around the write and the move, or write with CheckpointFile, which does.",
        fixTitle: "Delete the temp file when the save fails",
        practice: IntegrityPractice.TempCleanup);

    /// <summary>{0}: what deletes the records; {1}: the records; {2}: where their files are created and what goes wrong.</summary>
    public static readonly RuleDefinition FilesOutliveRecord = new(
        id: "CKPT402",
        category: AuditCategory.Orphans,
        auditSeverity: AuditSeverity.High,
        title: "Stored record deleted while its files stay",
        messageFormat: "{0} deletes {1} {2}",
        remediation: "Delete the record's files in the same operation, after the deletion commits (a crash in between leaves files a startup sweep can collect, never a record without its files).",
        fixTitle: "Delete the files after the commit",
        isCompilationEnd: true);

    /// <summary>{0}: the temp file; {1}: the pattern its names follow.</summary>
    public static readonly RuleDefinition UnsweptTempFiles = new(
        id: "CKPT403",
        category: AuditCategory.Orphans,
        auditSeverity: AuditSeverity.Monitor,
        title: "Temp files never swept",
        messageFormat: "'{0}' gets a new name on every save ({1}), and nothing in the project deletes leftovers matching it: every crash or kill during a save leaves one more file behind",
        remediation: "At startup, enumerate the state directory for the temp pattern (e.g. \"*.tmp\") and delete what is older than the process.",
        fixTitle: null,
        isCompilationEnd: true,
        practice: IntegrityPractice.TempCleanup);

    /// <summary>{0}: the path written; {1}: the keys it is built from; {2}: the storage roots.</summary>
    public static readonly RuleDefinition UnprunedStageFiles = new(
        id: "CKPT404",
        category: AuditCategory.Orphans,
        auditSeverity: AuditSeverity.Monitor,
        title: "Stage checkpoints never pruned",
        messageFormat: "'{0}' is written per {1} under '{2}', and nothing in the project deletes anything there: a file stays for every {1} ever processed",
        remediation: "Delete a record's files when the record goes (CKPT402), and expire old stages or finished jobs with a retention sweep of the storage root.",
        fixTitle: null,
        isCompilationEnd: true);

    // ---- 6xx Concurrency -----------------------------------------------------------

    /// <summary>{0}: the API that opens or configures the database; {1}: the connection string, when it is a constant.</summary>
    public static readonly RuleDefinition SqliteWithoutWal = new(
        id: "CKPT601",
        category: AuditCategory.Concurrency,
        auditSeverity: AuditSeverity.High,
        title: "SQLite used without WAL journal mode",
        messageFormat: "{0} opens a SQLite database{1}, and nothing in the project switches it to WAL: in the default rollback journal a reader blocks the writer's commit, so concurrent access fails with 'database is locked' or stalls",
        remediation: "Run 'PRAGMA journal_mode=WAL;' once after opening (it is stored in the database file), or set 'Journal Mode=Wal' with System.Data.SQLite.",
        fixTitle: "Enable WAL after opening (changes the database's journal mode)",
        isCompilationEnd: true);

    /// <summary>{0}: what shortens or leaves out the wait, specific to the provider (see CKPT602.md).</summary>
    public static readonly RuleDefinition SqliteBusyHandling = new(
        id: "CKPT602",
        category: AuditCategory.Concurrency,
        auditSeverity: AuditSeverity.High,
        title: "SQLite busy handling missing or too short",
        messageFormat: "{0}: a statement that meets another connection's write lock then fails with 'database is locked' (SQLITE_BUSY) instead of waiting its turn",
        remediation: "Let every connection wait for locks: 'BusyTimeout' (milliseconds) on System.Data.SQLite connections; a command timeout of 30 s (the default) or 0 (no limit) with Microsoft.Data.Sqlite.",
        fixTitle: "Wait up to 30 seconds for locks",
        isCompilationEnd: true);

    /// <summary>{0}: how shared cache is chosen ("'Cache=Shared' in the connection string", "SqliteCacheMode.Shared").</summary>
    public static readonly RuleDefinition SqliteSharedCache = new(
        id: "CKPT603",
        category: AuditCategory.Concurrency,
        auditSeverity: AuditSeverity.High,
        title: "SQLite shared-cache mode",
        messageFormat: "{0} opens SQLite in shared-cache mode: connections of this process then lock whole tables, so a write waits while a read of the table is in progress and fails with SQLITE_LOCKED if the read outlasts its command timeout (the engine's busy timeout does not apply), and WAL does not help",
        remediation: "Use a private cache (the default): remove 'Cache=Shared' or set 'Cache=Private'.",
        fixTitle: "Use a private cache");

    /// <summary>{0}: table.column; {1}: the line of the SELECT that read it.</summary>
    public static readonly RuleDefinition StatusCheckThenAct = new(
        id: "CKPT604",
        category: AuditCategory.Concurrency,
        auditSeverity: AuditSeverity.High,
        title: "Check-then-act on a stored status",
        messageFormat: "This UPDATE sets {0} after the SELECT on line {1} read it, with no transaction around both and no WHERE condition on the old value: two callers can both pass the check and both act (a double claim or a lost update)",
        remediation: "Make the check part of the write: one UPDATE whose WHERE names the expected old value, then act only when it changed a row; or run the SELECT and the UPDATE in one transaction.",
        fixTitle: "Check and update in one transaction",
        practice: IntegrityPractice.ConcurrencyControl);

    /// <summary>{0}: what is recorded ("SetStageStatus(…, \"done\")", "state = 'done'"); {1}: the write (API or method); {2}: its line.</summary>
    public static readonly RuleDefinition DoneBeforeData = new(
        id: "CKPT605",
        category: AuditCategory.Concurrency,
        auditSeverity: AuditSeverity.High,
        title: "Completion recorded before the data is written",
        messageFormat: "{0} records completion before '{1}' on line {2} writes the data it describes: a crash in between leaves a finished status with no data behind it, and a resume skips the work",
        remediation: "Write the file first (atomically), then record the status; a status that says done must only ever describe data that is already on disk.",
        fixTitle: "Record completion after the write");

    /// <summary>{0}: the field or property; {1}: what uses it at the same time.</summary>
    public static readonly RuleDefinition SharedConnection = new(
        id: "CKPT606",
        category: AuditCategory.Concurrency,
        auditSeverity: AuditSeverity.High,
        title: "One SQLite connection shared across threads",
        messageFormat: "'{0}' is one SQLite connection shared by {1}: connection objects are not thread-safe, so overlapping commands interleave and a transaction begun by one caller commits or rolls back another's writes",
        remediation: "Open a connection per operation (pooling makes it cheap: 'using var connection = new SqliteConnection(connectionString); connection.Open();'), or serialize every use with a lock.",
        fixTitle: null,
        isCompilationEnd: true,
        practice: IntegrityPractice.ConcurrencyControl);

    /// <summary>{0}: the awaited I/O call; {1}: the transaction local.</summary>
    public static readonly RuleDefinition TransactionAcrossIo = new(
        id: "CKPT607",
        category: AuditCategory.Concurrency,
        auditSeverity: AuditSeverity.Medium,
        title: "SQLite transaction held across slow I/O",
        messageFormat: "'{0}' is awaited while SQLite transaction '{1}' is open: the database stays locked for every other writer for as long as this file or network I/O takes",
        remediation: "Do the file or network I/O before beginning the transaction or after committing it; keep the transaction to the database work.",
        fixTitle: null);

    /// <summary>{0}: the path expression; {1}: "read" or "created"; {2}: what can happen in between.</summary>
    public static readonly RuleDefinition ExistsThenAct = new(
        id: "CKPT608",
        category: AuditCategory.Concurrency,
        auditSeverity: AuditSeverity.Medium,
        title: "Exists-then-act on a state file",
        messageFormat: "'{0}' is {1} after File.Exists checked it: {2}",
        remediation: "Act and handle the outcome instead of checking first: open or read inside a try that catches FileNotFoundException; create with FileMode.CreateNew (or an atomic rename) and treat IOException as 'someone else created it'.",
        fixTitle: "Handle the file vanishing at the read",
        secondFixTitle: "Create it with FileMode.OpenOrCreate",
        practice: IntegrityPractice.ConcurrencyControl);

    /// <summary>{0}: the call ("File.Move", a project method); {1}: what it does ("deletes", "moves", "replaces", "copies over"); {2}: the path; {3}: the provider's connection type.</summary>
    public static readonly RuleDefinition DatabaseFileSwappedUnderPool = new(
        id: "CKPT609",
        category: AuditCategory.Concurrency,
        auditSeverity: AuditSeverity.High,
        title: "Database file replaced, moved or deleted while pooled connections hold it",
        messageFormat: "{0} {1} '{2}', the file of a pooled SQLite database, with no {3}.ClearAllPools() before it: connections closed earlier are still open in the pool, so the file changes under them: on Windows a delete or move fails ('in use'), elsewhere the next pooled connection still reads the old file and its writes fail, and a database copied in meets the old one's -wal file",
        remediation: "Call ClearAllPools() (or ClearPool(connection)) on the provider's connection type after closing the connections and before touching the file, or open this database with 'Pooling=False'.",
        fixTitle: "Clear the connection pools first",
        isCompilationEnd: true);

    /// <summary>{0}: why the connection does not enforce them; {1}: the file that declares them; {2}: its line.</summary>
    public static readonly RuleDefinition ForeignKeysNotEnforced = new(
        id: "CKPT611",
        category: AuditCategory.Concurrency,
        auditSeverity: AuditSeverity.High,
        title: "Foreign keys declared but not enforced",
        messageFormat: "This connection {0}, but the schema in '{1}' (line {2}) declares foreign keys: a row that references a missing or deleted row is stored without an error, so references between records dangle silently",
        remediation: "Enable enforcement on every connection: 'Foreign Keys=True' in the connection string (or PRAGMA foreign_keys=ON right after each open); with Microsoft.Data.Sqlite, remove 'Foreign Keys=False'.",
        fixTitle: "Enforce foreign keys (violating writes then fail)",
        isCompilationEnd: true);

    /// <summary>{0}: "connection", "data reader" or "transaction"; {1}: the local; {2}: "never disposed" or "disposed only when no exception occurs (line N)"; {3}: what stays held.</summary>
    public static readonly RuleDefinition SqliteObjectLeftOpen = new(
        id: "CKPT610",
        category: AuditCategory.Concurrency,
        auditSeverity: AuditSeverity.Medium,
        title: "SQLite object not disposed on an error path",
        messageFormat: "The SQLite {0} in '{1}' is {2}: when an exception leaves the method it stays open, and {3}",
        remediation: "Declare it with 'using' (or 'await using'), or dispose it in a finally block, so that it is closed on every path out of the method.",
        fixTitle: "Dispose it with a using declaration");

    // ---- 5xx Consistency -------------------------------------------------------------

    /// <summary>{0}: the hash ("string.GetHashCode()", "HashCode.Combine(...)"); {1}: where its value goes ("in a file or directory name", "in 'Cell.Id'").</summary>
    public static readonly RuleDefinition UnstableHashPersisted = new(
        id: "CKPT501",
        category: AuditCategory.Consistency,
        auditSeverity: AuditSeverity.High,
        title: "Process-randomised hash persisted or shared",
        messageFormat: "{0} is randomised per process, and its value is kept {1}: after a restart, or in another process or machine, the same input hashes differently, so the stored name, ID or key no longer matches",
        remediation: "Use a hash that is the same everywhere: CheckpointFile.StableHash(text), System.IO.Hashing.XxHash64, or SHA-256 of the UTF-8 bytes; keep GetHashCode for in-memory dictionaries.",
        fixTitle: "Use a stable hash (stored names and IDs change once)",
        isCompilationEnd: true);

    /// <summary>{0}: "DateTime.Now" or "DateTime.Today"; {1}: where it is stored ("in 'Job.CreatedAt'", "as the database value '$now'").</summary>
    public static readonly RuleDefinition LocalClockPersisted = new(
        id: "CKPT502",
        category: AuditCategory.Consistency,
        auditSeverity: AuditSeverity.Medium,
        title: "Local-clock timestamp persisted",
        messageFormat: "{0} is local wall-clock time and is stored {1}: read on a machine in another time zone, or across a daylight-saving change, the same instant means a different time, and orderings and durations computed from stored times go wrong",
        remediation: "Store UTC: DateTime.UtcNow (or DateTimeOffset.UtcNow); convert to local time only for display.",
        fixTitle: "Store UTC time (stored values change from local to UTC)",
        isCompilationEnd: true);

    // ---- 7xx State sync ---------------------------------------------------------------

    /// <summary>{0}: the handler ("PUT /items/{id}", "'ItemsController.Update' (PATCH)"); {1}: what it changes ("saves changes to 'Item' with EF Core", "runs an UPDATE of 'items'", "writes a file"); {2}: what is missing.</summary>
    public static readonly RuleDefinition UnversionedUpdate = new(
        id: "CKPT701",
        category: AuditCategory.StateSync,
        auditSeverity: AuditSeverity.High,
        title: "Update endpoint overwrites stored state without a concurrency check",
        messageFormat: "{0} {1} {2}: when two clients edit the same state, the later request silently overwrites the earlier one's changes (last writer wins)",
        remediation: "Make the update conditional on the version the client edited: hand out an ETag or version with the state, require If-Match (or the version) on PUT/PATCH and answer 412 when it no longer matches; with EF Core, set the token's OriginalValue from the client and answer 409/412 on DbUpdateConcurrencyException.",
        fixTitle: "Check the client's concurrency token",
        practice: IntegrityPractice.ConcurrencyControl);

    /// <summary>{0}: the read ("ProtectedLocalStorage.GetAsync"); {1}: the type restored; {2}: what is missing; {3}: what follows.</summary>
    public static readonly RuleDefinition ClientStateUnvalidated = new(
        id: "CKPT702",
        category: AuditCategory.StateSync,
        auditSeverity: AuditSeverity.Medium,
        title: "Client-stored state restored without validation",
        messageFormat: "{0} restores '{1}' from client-side storage and {2}: {3}",
        remediation: "Treat what the browser kept as untrusted and possibly old: test Success, catch CryptographicException and JsonException around the read, delete the bad entry and fall back to defaults.",
        fixTitle: "Delete an unreadable entry and start from defaults");

    /// <summary>{0}: the handler; {1}: the state method it reaches ("PipelineDatabase.SetStageStatus"); {2}: the member that calls the same method and broadcasts.</summary>
    public static readonly RuleDefinition StateChangeNotBroadcast = new(
        id: "CKPT703",
        category: AuditCategory.StateSync,
        auditSeverity: AuditSeverity.Medium,
        title: "State saved without telling connected clients",
        messageFormat: "{0} changes stored state through '{1}' and tells no connected client, while '{2}' calls the same method and sends them an update: pages and clients that are open keep showing the old state until they reload, and an edit made from one of them overwrites this change",
        remediation: "Send the update the project sends after this save elsewhere (through the same hub or broadcaster), or move the notification into the method that saves, so that every path that saves notifies.",
        fixTitle: null);

    // ---- 8xx Models ------------------------------------------------------------------

    /// <summary>{0}: the type; {1}: the member; {2}: the serializer; {3}: why the load cannot set it.</summary>
    public static readonly RuleDefinition NeverRestored = new(
        id: "CKPT801",
        category: AuditCategory.Models,
        auditSeverity: AuditSeverity.Critical,
        title: "Member serialized but never restored",
        messageFormat: "'{0}.{1}' is written by {2} but cannot be set when it loads ({3}): every load gives it its default value, and the next save writes that default over the stored one",
        remediation: "Let the serializer set the member on load: an init accessor, [JsonInclude] (System.Text.Json) or [JsonProperty] (Newtonsoft.Json) on the non-public setter, or a constructor parameter of the same name.",
        fixTitle: "Make it settable on load",
        isCompilationEnd: true);

    /// <summary>{0}: the type holding the member (or the method that saves); {1}: the member (or method); {2}: the base type; {3}: the derived types found, with the verb ("'Circle' derives", "'Circle' and 'Square' derive"); {4}: what the serializer in use does.</summary>
    public static readonly RuleDefinition DerivedDataLost = new(
        id: "CKPT802",
        category: AuditCategory.Models,
        auditSeverity: AuditSeverity.Critical,
        title: "Derived data lost through a base-typed member",
        messageFormat: "'{2}' is stored through '{0}.{1}', and {3} from it: {4}",
        remediation: "Register the derived types on the base type ([JsonDerivedType(typeof(Derived), \"Derived\")], System.Text.Json 7+), or use a converter; for Newtonsoft.Json, TypeNameHandling.Auto with a restricting SerializationBinder.",
        fixTitle: "Register the derived types (adds a $type field)",
        isCompilationEnd: true);

    /// <summary>{0}: the type; {1}: the member; {2}: what the serializer in use does with it.</summary>
    public static readonly RuleDefinition IgnoredBySerializer = new(
        id: "CKPT803",
        category: AuditCategory.Models,
        auditSeverity: AuditSeverity.High,
        title: "Member the serializer in use ignores",
        messageFormat: "'{0}.{1}' {2}",
        remediation: "Use what the serializer in use reads: [JsonInclude] or IncludeFields for System.Text.Json fields; the System.Text.Json attribute ([JsonPropertyName], [JsonIgnore], [JsonInclude]) on models it stores, the Newtonsoft.Json one ([JsonProperty], [JsonIgnore]) on models Newtonsoft.Json stores.",
        fixTitle: "Use the attribute the serializer reads",
        isCompilationEnd: true);

    /// <summary>{0}: the type; {1}: the collection property.</summary>
    public static readonly RuleDefinition CollectionNotPopulated = new(
        id: "CKPT804",
        category: AuditCategory.Models,
        auditSeverity: AuditSeverity.High,
        title: "Get-only collection not populated on load",
        messageFormat: "'{0}.{1}' is a get-only collection: System.Text.Json writes its items but, on load, cannot replace it and does not add to it, so every stored item is dropped and the next save writes it empty",
        remediation: "Let System.Text.Json fill it: [JsonObjectCreationHandling(JsonObjectCreationHandling.Populate)] on the property (.NET 8 and later), or an init accessor.",
        fixTitle: "Populate it on load",
        isCompilationEnd: true);

    /// <summary>{0}: the type; {1}: the member; {2}: its declared type; {3}: what it comes back as.</summary>
    public static readonly RuleDefinition LooselyTypedMember = new(
        id: "CKPT805",
        category: AuditCategory.Models,
        auditSeverity: AuditSeverity.Monitor,
        title: "Loosely typed member changes type on the round trip",
        messageFormat: "'{0}.{1}' is declared as {2}: whatever it held when saved comes back as {3}, so code that casts it to the type it stored fails or takes another branch after a restart",
        remediation: "Give the member the concrete type it stores (or a polymorphic base with [JsonDerivedType]); keep loosely typed members for data the program never interprets.",
        fixTitle: null,
        isCompilationEnd: true);

    /// <summary>Every rule, ordered by ID.</summary>
    public static ImmutableArray<RuleDefinition> All { get; } = ImmutableArray.Create(
        MissingSchemaVersion,
        VersionNeverChecked,
        VersionStartsAtCurrent,
        RequiredOnLoad,
        EnumWithoutExplicitValues,
        SchemaBaselineChange,
        ValidationRejectsOldData,
        NonAtomicOverwrite,
        UnflushedTempPromotion,
        TempInOtherDirectory,
        UnsafeReplacement,
        StaleTailWrite,
        SharedTempName,
        DirectoryNotSynced,
        TornTailAppend,
        OutputOverwrite,
        UnguardedDeserialization,
        NullDeserializationResult,
        UnverifiedLoad,
        CorruptionSwallowed,
        NoPreviousVersion,
        TempFileLeftOnFailure,
        FilesOutliveRecord,
        UnsweptTempFiles,
        UnprunedStageFiles,
        UnstableHashPersisted,
        LocalClockPersisted,
        SqliteWithoutWal,
        SqliteBusyHandling,
        SqliteSharedCache,
        StatusCheckThenAct,
        DoneBeforeData,
        SharedConnection,
        TransactionAcrossIo,
        ExistsThenAct,
        DatabaseFileSwappedUnderPool,
        SqliteObjectLeftOpen,
        ForeignKeysNotEnforced,
        UnversionedUpdate,
        ClientStateUnvalidated,
        StateChangeNotBroadcast,
        NeverRestored,
        DerivedDataLost,
        IgnoredBySerializer,
        CollectionNotPopulated,
        LooselyTypedMember);
}
