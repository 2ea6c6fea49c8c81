using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;

namespace GraphRag.Ingest.Tests.KnowledgeGraph;

/// <summary>Reads a store's graph tables straight from its SQLite file, for before/after comparisons.</summary>
internal sealed class StoreDump : IDisposable
{
    private readonly SqliteConnection _connection;

    private StoreDump(SqliteConnection connection) => _connection = connection;

    public static async Task<StoreDump> OpenAsync(string path)
    {
        var builder = new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false };
        var connection = new SqliteConnection(builder.ToString());
        await connection.OpenAsync();
        return new StoreDump(connection);
    }

    /// <summary>Every entity as <c>id, name, type, mention_count, document_count</c>, one a line, ordered by id.</summary>
    public async Task<string> EntitiesAsync()
    {
        var command = Command(null);
        command.CommandText = "SELECT id, name, type, mention_count, document_count FROM entities ORDER BY id";
        return await LinesAsync(command);
    }

    /// <summary>Every relation as <c>id, label, weight, evidence_count</c>, one a line, ordered by id.</summary>
    public async Task<string> RelationsAsync()
    {
        var command = Command(null);
        command.CommandText = "SELECT id, label, weight, evidence_count FROM relations ORDER BY id";
        return await LinesAsync(command);
    }

    public async Task<Dictionary<string, EntityRow>> EntityRowsAsync()
    {
        var rows = new Dictionary<string, EntityRow>(StringComparer.Ordinal);
        var command = Command(null);
        command.CommandText = "SELECT id, name, type, mention_count, document_count FROM entities";
        await ReadAsync(command, r => rows[r.GetString(0)] = new EntityRow(r.GetString(1), r.GetString(2), r.GetInt32(3), r.GetInt32(4)));
        return rows;
    }

    public async Task<Dictionary<string, RelationRow>> RelationRowsAsync()
    {
        var rows = new Dictionary<string, RelationRow>(StringComparer.Ordinal);
        var command = Command(null);
        command.CommandText = "SELECT id, label, weight, evidence_count FROM relations";
        await ReadAsync(command, r => rows[r.GetString(0)] = new RelationRow(r.GetString(1), r.GetDouble(2), r.GetInt32(3)));
        return rows;
    }

    /// <summary>
    /// Every row of <paramref name="table"/> (its <paramref name="columns"/>), one a line, sorted ordinally: what two
    /// stores are compared by table by table, whatever order their rows were written in.
    /// </summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA2100", Justification = "Table and column names are the calling test's own constants.")]
    public async Task<string> TableAsync(string table, string columns)
    {
        var command = Command(null);
        command.CommandText = $"SELECT {columns} FROM {table}";
        var rows = await RowsAsync(command);
        rows.Sort(StringComparer.Ordinal);
        return string.Join('\n', rows);
    }

    /// <summary>Mentions per entity that the given documents hold: (mentions, documents).</summary>
    public async Task<Dictionary<string, (int Mentions, int Documents)>> MentionSharesAsync(IReadOnlyCollection<string> documentIds)
    {
        var shares = new Dictionary<string, (int Mentions, int Documents)>(StringComparer.Ordinal);
        var command = Command(System.Text.Json.JsonSerializer.Serialize(documentIds));
        command.CommandText = """
            SELECT entity_id, COUNT(*), COUNT(DISTINCT document_id) FROM mentions
            WHERE document_id IN (SELECT value FROM json_each($ids)) GROUP BY entity_id
            """;
        await ReadAsync(command, r => shares[r.GetString(0)] = (r.GetInt32(1), r.GetInt32(2)));
        return shares;
    }

    /// <summary>Evidence per relation that the given documents hold: (rows, summed weight).</summary>
    public async Task<Dictionary<string, (int Evidence, double Weight)>> EvidenceSharesAsync(IReadOnlyCollection<string> documentIds)
    {
        var shares = new Dictionary<string, (int Evidence, double Weight)>(StringComparer.Ordinal);
        var command = Command(System.Text.Json.JsonSerializer.Serialize(documentIds));
        command.CommandText = """
            SELECT relation_id, COUNT(*), SUM(weight) FROM relation_evidence
            WHERE document_id IN (SELECT value FROM json_each($ids)) GROUP BY relation_id
            """;
        await ReadAsync(command, r => shares[r.GetString(0)] = (r.GetInt32(1), r.GetDouble(2)));
        return shares;
    }

    /// <summary>Rows any document-derived table still holds for the given documents.</summary>
    public async Task<long> RowsOfDocumentsAsync(IReadOnlyCollection<string> documentIds)
    {
        long total = 0;
        var command = Command(System.Text.Json.JsonSerializer.Serialize(documentIds));
        command.CommandText = """
            SELECT (SELECT COUNT(*) FROM documents WHERE id IN (SELECT value FROM json_each($ids)))
                 + (SELECT COUNT(*) FROM chunks WHERE document_id IN (SELECT value FROM json_each($ids)))
                 + (SELECT COUNT(*) FROM mentions WHERE document_id IN (SELECT value FROM json_each($ids)))
                 + (SELECT COUNT(*) FROM document_entities WHERE document_id IN (SELECT value FROM json_each($ids)))
                 + (SELECT COUNT(*) FROM relation_evidence WHERE document_id IN (SELECT value FROM json_each($ids)))
            """;
        await ReadAsync(command, r => total = r.GetInt64(0));
        return total;
    }

    /// <summary>The result of <c>PRAGMA integrity_check</c>: "ok" for a sound file.</summary>
    public async Task<string> IntegrityCheckAsync()
    {
        var result = new StringBuilder();
        var command = Command(null);
        command.CommandText = "PRAGMA integrity_check";
        await ReadAsync(command, r => result.Append(r.GetString(0)));
        return result.ToString();
    }

    public async Task<IReadOnlyList<string>> TablesAsync()
    {
        var tables = new List<string>();
        var command = Command(null);
        command.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name";
        await ReadAsync(command, r => tables.Add(r.GetString(0)));
        return tables;
    }

    public void Dispose() => _connection.Dispose();

    private static async Task<string> LinesAsync(SqliteCommand command) =>
        string.Concat((await RowsAsync(command)).Select(row => row + "\n"));

    /// <summary>Each row's values, tab-separated and printed invariantly (reals round-trip, blobs in hex, NULL by name).</summary>
    private static async Task<List<string>> RowsAsync(SqliteCommand command)
    {
        var rows = new List<string>();
        var row = new StringBuilder();
        await ReadAsync(command, r =>
        {
            row.Clear();
            for (var i = 0; i < r.FieldCount; i++)
            {
                row.Append(i == 0 ? string.Empty : "\t").Append(r.GetValue(i) switch
                {
                    double d => d.ToString("R", CultureInfo.InvariantCulture),
                    byte[] b => Convert.ToHexString(b),
                    DBNull => "NULL",
                    var other => Convert.ToString(other, CultureInfo.InvariantCulture),
                });
            }

            rows.Add(row.ToString());
        });
        return rows;
    }

    /// <summary>A command over this store; the SQL is always one of this class's literals, data goes in as $ids.</summary>
    private SqliteCommand Command(string? ids)
    {
        var command = _connection.CreateCommand();
        if (ids is not null)
        {
            command.Parameters.AddWithValue("$ids", ids);
        }

        return command;
    }

    private static async Task ReadAsync(SqliteCommand command, Action<SqliteDataReader> row)
    {
        using (command)
        {
            using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                row(reader);
            }
        }
    }
}

internal sealed record EntityRow(string Name, string Type, int MentionCount, int DocumentCount);

internal sealed record RelationRow(string Label, double Weight, int EvidenceCount);
