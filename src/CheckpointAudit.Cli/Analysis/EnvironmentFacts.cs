namespace CheckpointAudit.Cli.Analysis;

/// <summary>A place in the audited code: relative file and 1-based line.</summary>
internal sealed record Spot(string File, int Line)
{
    public override string ToString() => $"{File}:{Line}";
}

/// <summary>How a file write replaces what was there.</summary>
internal enum WriteStyle
{
    /// <summary>Truncates and rewrites the target itself.</summary>
    InPlace,

    /// <summary>Writes a temp file and moves or replaces it over the target, or calls CheckpointFile.</summary>
    Atomic,

    /// <summary>Writes without truncating, or to a fresh/scratch path.</summary>
    Other,
}

/// <summary>One file write: the path template it writes and how.</summary>
internal sealed record WriteSite(string PathTemplate, WriteStyle Style, string Api, Spot Spot);

/// <summary>A persisted model: how it is stored and what version member and type hierarchy it has.</summary>
internal sealed record ModelFact(string Type, Spot Declared, string? VersionMember, string Serializer, IReadOnlyList<string> Storage, string? BaseType, IReadOnlyList<string> DerivedTypes, IReadOnlyList<string> NestedModels);

/// <summary>A stage of a pipeline: a method, or a call, that turns stored models it loads into ones that are saved.</summary>
internal sealed record StageFlow(string Method, Spot Spot, IReadOnlyList<string> Reads, IReadOnlyList<string> Writes)
{
    public override string ToString() => $"{Method}: {string.Join(", ", Reads)} -> {string.Join(", ", Writes)}";
}

/// <summary>A setting or mechanism found in the code, with where.</summary>
internal sealed record Evidence(string What, Spot Spot);

/// <summary>What the survey of one project found about how it stores state.</summary>
internal sealed class EnvironmentFacts
{
    public List<WriteSite> Writes { get; } = [];

    /// <summary>Reads of stored state (deserialization of files or database values).</summary>
    public List<Evidence> Loads { get; } = [];

    public List<ModelFact> Models { get; } = [];

    /// <summary>SQLite providers referenced by the code ("Microsoft.Data.Sqlite", "System.Data.SQLite").</summary>
    public SortedSet<string> SqliteProviders { get; } = new(StringComparer.Ordinal);

    /// <summary>Where connections are created, and whether they live in a field/property (long-lived) or a local.</summary>
    public List<Evidence> Connections { get; } = [];

    public List<Evidence> JournalModes { get; } = [];

    public List<Evidence> BusyTimeouts { get; } = [];

    public List<Evidence> Transactions { get; } = [];

    /// <summary>Handling of corrupt or missing stored data: catches, backups, verified loads, quarantine.</summary>
    public List<Evidence> Recovery { get; } = [];

    /// <summary>Previous versions kept beside stored data: File.Replace with a backup, .bak copies, CheckpointFile (also listed in <see cref="Recovery"/>).</summary>
    public List<Evidence> Backups { get; } = [];

    /// <summary>A versioned database schema: EF Core migrations, PRAGMA user_version.</summary>
    public List<Evidence> SchemaMigrations { get; } = [];

    /// <summary>EF Core: contexts, UseSqlite calls and connection interceptors (where pragmas are usually set).</summary>
    public List<Evidence> EfCore { get; } = [];

    /// <summary>Checksums or verified envelopes over stored data.</summary>
    public List<Evidence> IntegrityChecks { get; } = [];

    /// <summary>Startup sweeps of leftover temp files.</summary>
    public List<Evidence> Cleanup { get; } = [];

    /// <summary>Code that lists directories next to a lookup or deletion of records: a job matching records and folders.</summary>
    public List<Evidence> Reconciliation { get; } = [];

    /// <summary>Deletions of stored files by age or by folder: retention of data written per ID or stage.</summary>
    public List<Evidence> Retention { get; } = [];

    /// <summary>Methods that load two or more stored models: a stage consuming what earlier stages saved.</summary>
    public List<Evidence> StageInputs { get; } = [];

    /// <summary>Those of <see cref="StageInputs"/> that throw on a failed condition before using what they loaded.</summary>
    public List<Evidence> CrossStageChecks { get; } = [];

    /// <summary>Stages of a pipeline: what each loads and what it produces (for the report's stage diagram).</summary>
    public List<StageFlow> StageFlows { get; } = [];

    /// <summary>PUT/PATCH handlers that write back an edited copy of stored state, each saying whether it checks the client's version.</summary>
    public List<Evidence> UpdateEndpoints { get; } = [];

    /// <summary>Of <see cref="UpdateEndpoints"/>, those that make the change conditional on the version the client saw.</summary>
    public List<Evidence> VersionedUpdates { get; } = [];

    /// <summary>Pushes to connected clients: SignalR sends, WebSocket sends, MediatR notifications.</summary>
    public List<Evidence> Broadcasts { get; } = [];

    /// <summary>State kept in the browser: protected browser storage, Blazored storage, localStorage through JS interop.</summary>
    public List<Evidence> ClientStorage { get; } = [];

    public void Add(EnvironmentFacts other)
    {
        UpdateEndpoints.AddRange(other.UpdateEndpoints);
        VersionedUpdates.AddRange(other.VersionedUpdates);
        Broadcasts.AddRange(other.Broadcasts);
        ClientStorage.AddRange(other.ClientStorage);
        Writes.AddRange(other.Writes);
        Loads.AddRange(other.Loads);
        Models.AddRange(other.Models);
        SqliteProviders.UnionWith(other.SqliteProviders);
        Connections.AddRange(other.Connections);
        JournalModes.AddRange(other.JournalModes);
        BusyTimeouts.AddRange(other.BusyTimeouts);
        Transactions.AddRange(other.Transactions);
        Recovery.AddRange(other.Recovery);
        Backups.AddRange(other.Backups);
        SchemaMigrations.AddRange(other.SchemaMigrations);
        EfCore.AddRange(other.EfCore);
        IntegrityChecks.AddRange(other.IntegrityChecks);
        Cleanup.AddRange(other.Cleanup);
        Reconciliation.AddRange(other.Reconciliation);
        Retention.AddRange(other.Retention);
        StageInputs.AddRange(other.StageInputs);
        CrossStageChecks.AddRange(other.CrossStageChecks);
        StageFlows.AddRange(other.StageFlows);
    }
}
