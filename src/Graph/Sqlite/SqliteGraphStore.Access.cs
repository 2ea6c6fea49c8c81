using System.Text.Json;
using GraphRag.Graph.Abstractions;
using GraphRag.Graph.Model;

namespace GraphRag.Graph.Sqlite;

public sealed partial class SqliteGraphStore : IAccessIndex
{
    public async Task<DocumentAccessList> GetAccessListAsync(CancellationToken cancellationToken = default)
    {
        using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        using var transaction = connection.BeginTransaction(deferred: true);
        var generation = await ReadGenerationAsync(connection, cancellationToken, transaction).ConfigureAwait(false);
        using var command = Command(
            connection, transaction, "SELECT id, acl, json_extract(metadata, '$.\"pii.policy\"'), sensitive FROM documents ORDER BY id");
        var documents = new List<DocumentAccess>();
        using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                documents.Add(new DocumentAccess(
                    reader.GetString(0),
                    JsonSerializer.Deserialize<List<string>>(reader.GetString(1), Json) ?? [],
                    reader.IsDBNull(2) ? null : reader.GetString(2),
                    reader.IsDBNull(3) ? null : ReadSensitive(reader.GetString(3))));
            }
        }

        return new DocumentAccessList(generation, documents);
    }

    /// <summary>Personal-data spans as stored; most documents have none, and share one empty list.</summary>
    private static IReadOnlyList<SensitiveSpan> ReadSensitive(string json) =>
        json == "[]" ? [] : JsonSerializer.Deserialize<List<SensitiveSpan>>(json, Json) ?? [];

    public async Task<long> GetGenerationAsync(CancellationToken cancellationToken = default)
    {
        using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await ReadGenerationAsync(connection, cancellationToken).ConfigureAwait(false);
    }
}
