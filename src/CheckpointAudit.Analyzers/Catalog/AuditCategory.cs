namespace CheckpointAudit.Catalog;

/// <summary>The eight audit families; each owns one ID range and one analyzer folder.</summary>
public enum AuditCategory
{
    /// <summary>1xx: schema versioning and migration.</summary>
    Schema,

    /// <summary>2xx: atomic, durable writes.</summary>
    Atomicity,

    /// <summary>3xx: corruption detection and recovery.</summary>
    Corruption,

    /// <summary>4xx: orphaned files.</summary>
    Orphans,

    /// <summary>5xx: cross-stage consistency (stable IDs, clocks).</summary>
    Consistency,

    /// <summary>6xx: SQLite concurrency and DB/file ordering.</summary>
    Concurrency,

    /// <summary>7xx: server and UI state sync.</summary>
    StateSync,

    /// <summary>8xx: serializer model round-trip integrity.</summary>
    Models,
}
