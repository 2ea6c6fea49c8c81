using System.Text.Json;
using GraphRag.Graph.Abstractions;

using static GraphRag.Graph.Sqlite.SqliteDatabase;

namespace GraphRag.Graph.Sqlite;

/// <summary>
/// Cached language-model extraction replies, stored per document (see the write path: written with it, kept across a
/// replacement for the chunk text the new version still has, deleted with it) and found again by key from any document.
/// </summary>
public sealed partial class SqliteDocuments : IExtractionCache
{
    public async Task<IReadOnlyDictionary<string, string>> GetExtractionRepliesAsync(
        IReadOnlyCollection<string> keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (keys.Count == 0)
        {
            return new Dictionary<string, string>(StringComparer.Ordinal);
        }

        return await _db.ReadAsync(
            async connection =>
            {
                var found = new Dictionary<string, string>(StringComparer.Ordinal);
                using var command = Command(connection, null, """
                    SELECT cache_key, reply FROM extraction_cache
                    WHERE cache_key IN (SELECT value FROM json_each($keys))
                    ORDER BY cache_key, document_id
                    """);
                command.Parameters.AddWithValue("$keys", JsonSerializer.Serialize(keys, Json));
                using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    found.TryAdd(reader.GetString(0), reader.GetString(1));
                }

                return (IReadOnlyDictionary<string, string>)found;
            },
            cancellationToken).ConfigureAwait(false);
    }
}
