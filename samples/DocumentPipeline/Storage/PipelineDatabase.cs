using Microsoft.Data.Sqlite;

namespace DocumentPipeline.Storage;

/// <summary>Documents, stage status and edit versions in SQLite.</summary>
public sealed class PipelineDatabase(string path)
{
    // Concurrency: default journal mode (no WAL): readers block the writer. (Busy handling is the provider's default: 30 s.)
    private readonly string _connectionString = $"Data Source={path}";

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        return connection;
    }

    public void EnsureCreated()
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            CREATE TABLE IF NOT EXISTS documents (
                id TEXT PRIMARY KEY,
                name TEXT NOT NULL,
                state TEXT NOT NULL,
                claimed_at TEXT,
                created_at TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS stage_status (
                document_id TEXT NOT NULL,
                stage INTEGER NOT NULL,
                status TEXT NOT NULL,
                updated_at TEXT NOT NULL,
                PRIMARY KEY (document_id, stage));
            CREATE TABLE IF NOT EXISTS edits (
                document_id TEXT NOT NULL,
                stage INTEGER NOT NULL,
                version INTEGER NOT NULL,
                edited_at TEXT NOT NULL);
            """;
        command.ExecuteNonQuery();
    }

    public void AddDocument(string id, string name)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO documents (id, name, state, created_at) VALUES ($id, $name, 'queued', $now)";
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$name", name);
        // Consistency: local-clock timestamp persisted.
        command.Parameters.AddWithValue("$now", DateTime.Now.ToString("O"));
        command.ExecuteNonQuery();
    }

    public string? FindByName(string name)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id FROM documents WHERE name = $name";
        command.Parameters.AddWithValue("$name", name);
        return command.ExecuteScalar() as string;
    }

    public IReadOnlyList<DocumentRow> ListDocuments()
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, name, state FROM documents ORDER BY created_at";
        using var reader = command.ExecuteReader();
        var rows = new List<DocumentRow>();
        while (reader.Read())
        {
            rows.Add(new DocumentRow(reader.GetString(0), reader.GetString(1), reader.GetString(2)));
        }

        return rows;
    }

    public DocumentRow? GetDocument(string id) => ListDocuments().FirstOrDefault(d => d.Id == id);

    /// <summary>Claims a document for processing; a claim older than the lease counts as abandoned.</summary>
    public bool TryClaim(string id, TimeSpan lease)
    {
        using var connection = Open();
        using var select = connection.CreateCommand();
        select.CommandText = "SELECT state, claimed_at FROM documents WHERE id = $id";
        select.Parameters.AddWithValue("$id", id);
        using (var reader = select.ExecuteReader())
        {
            if (!reader.Read() || reader.GetString(0) == "done")
            {
                return false;
            }

            if (reader.GetString(0) == "processing" && !reader.IsDBNull(1)
                && DateTime.Parse(reader.GetString(1)) > DateTime.Now - lease)
            {
                return false;
            }
        }

        // Concurrency: check-then-act; two workers can both pass the SELECT above and both claim the document.
        using var update = connection.CreateCommand();
        update.CommandText = "UPDATE documents SET state = 'processing', claimed_at = $now WHERE id = $id";
        update.Parameters.AddWithValue("$id", id);
        update.Parameters.AddWithValue("$now", DateTime.Now.ToString("O"));
        update.ExecuteNonQuery();
        return true;
    }

    public void SetDocumentState(string id, string state)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "UPDATE documents SET state = $state WHERE id = $id";
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$state", state);
        command.ExecuteNonQuery();
    }

    public Dictionary<int, string> GetStageStatuses(string id)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT stage, status FROM stage_status WHERE document_id = $id";
        command.Parameters.AddWithValue("$id", id);
        using var reader = command.ExecuteReader();
        var statuses = new Dictionary<int, string>();
        while (reader.Read())
        {
            statuses[reader.GetInt32(0)] = reader.GetString(1);
        }

        return statuses;
    }

    public void SetStageStatus(string id, int stage, string status)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO stage_status (document_id, stage, status, updated_at) VALUES ($id, $stage, $status, $now)
            ON CONFLICT (document_id, stage) DO UPDATE SET status = excluded.status, updated_at = excluded.updated_at
            """;
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$stage", stage);
        command.Parameters.AddWithValue("$status", status);
        command.Parameters.AddWithValue("$now", DateTime.Now.ToString("O"));
        command.ExecuteNonQuery();
    }

    /// <summary>Records a manual edit and returns its version number.</summary>
    public int RecordEdit(string id, int stage)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO edits (document_id, stage, version, edited_at)
            VALUES ($id, $stage, (SELECT COALESCE(MAX(version), 0) + 1 FROM edits WHERE document_id = $id AND stage = $stage), $now)
            RETURNING version
            """;
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$stage", stage);
        command.Parameters.AddWithValue("$now", DateTime.Now.ToString("O"));
        return Convert.ToInt32(command.ExecuteScalar());
    }

    public void DeleteDocument(string id)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        // Orphans: the rows go, the checkpoint directory on disk stays.
        command.CommandText = "DELETE FROM stage_status WHERE document_id = $id; DELETE FROM edits WHERE document_id = $id; DELETE FROM documents WHERE id = $id";
        command.Parameters.AddWithValue("$id", id);
        command.ExecuteNonQuery();
    }
}

public sealed record DocumentRow(string Id, string Name, string State);
