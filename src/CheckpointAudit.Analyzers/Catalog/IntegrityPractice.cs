namespace CheckpointAudit.Catalog;

/// <summary>
/// A project-wide practice that keeps saved state safe. A rule names the practice its remediation puts in place: the
/// audit's score deducts for a practice missing everywhere, and its action plan ranks that rule's fix higher and asks
/// for the infrastructure that practice needs.
/// </summary>
public enum IntegrityPractice
{
    /// <summary>The rule's fix is local: it establishes no project-wide practice.</summary>
    None,

    /// <summary>Persisted models carry a schema version, so old data can be told apart and migrated.</summary>
    SchemaVersioning,

    /// <summary>State files are replaced atomically (temp file, flush, rename).</summary>
    AtomicWrites,

    /// <summary>Stored data is checksummed and verified on load.</summary>
    IntegrityChecks,

    /// <summary>Corrupt stored data is detected, kept aside and recovered from (a backup, a previous version).</summary>
    CorruptionRecovery,

    /// <summary>Temp files of interrupted writes are removed.</summary>
    TempCleanup,

    /// <summary>Concurrent saves, claims and updates are serialized or made conditional.</summary>
    ConcurrencyControl,
}
