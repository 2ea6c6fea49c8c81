using Microsoft.Data.Sqlite;

namespace GraphRag.Api.Tests.Export;

/// <summary>Row counts the store's statistics do not report, read straight from the SQLite file.</summary>
internal static class StoreRows
{
    public static Task<long> MentionsAsync(string db) => CountAsync(db, "SELECT count(*) FROM mentions");

    public static Task<long> DescriptionsAsync(string db) => CountAsync(db, "SELECT count(*) FROM document_entities");

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA2100", Justification = "[ConstantExpected]: every caller passes a constant.")]
    private static async Task<long> CountAsync(string db, [System.Diagnostics.CodeAnalysis.ConstantExpected] string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={db};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = new SqliteCommand(sql, connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
