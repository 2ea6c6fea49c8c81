using System.Reflection;
using Microsoft.Data.Sqlite;

namespace GraphRag.Graph.Sqlite;

/// <summary>
/// Versioned schema scripts, embedded as resources, applied in order inside one transaction each. Each script ends
/// by setting <c>PRAGMA user_version</c> to its own number, so a script and its version commit together.
/// </summary>
internal static class Migrations
{
    private static readonly Lazy<IReadOnlyList<(int Version, string Sql)>> Scripts = new(Load);

    public static int Latest => Scripts.Value[^1].Version;

    [System.Diagnostics.CodeAnalysis.SuppressMessage(
        "Security", "CA2100", Justification = "The SQL comes from this assembly's own embedded migration scripts.")]
    public static async Task ApplyAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        var current = await GetVersionAsync(connection, cancellationToken).ConfigureAwait(false);
        if (current > Latest)
        {
            throw new StoreException(
                $"The store has schema version {current}, newer than this build's {Latest}. Upgrade graphrag to open it.");
        }

        foreach (var (version, sql) in Scripts.Value.Where(s => s.Version > current))
        {
            using var transaction = connection.BeginTransaction();
            using (var command = connection.CreateCommand())
            {
                command.Transaction = transaction;
                command.CommandText = sql;
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public static async Task<int> GetVersionAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA user_version";
        var value = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture);
    }

    private static IReadOnlyList<(int Version, string Sql)> Load()
    {
        var assembly = typeof(Migrations).Assembly;
        var scripts = new List<(int, string)>();
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.EndsWith(".sql", StringComparison.Ordinal)))
        {
            // Resource names look like GraphRag.Graph.Sqlite.Migrations.0001_initial.sql
            var file = name[(name.IndexOf(".Migrations.", StringComparison.Ordinal) + ".Migrations.".Length)..];
            var version = int.Parse(file.AsSpan(0, 4), System.Globalization.CultureInfo.InvariantCulture);
            using var stream = assembly.GetManifestResourceStream(name)
                ?? throw new StoreException($"Missing migration resource {name}.");
            using var reader = new StreamReader(stream);
            scripts.Add((version, reader.ReadToEnd()));
        }

        scripts.Sort((a, b) => a.Item1.CompareTo(b.Item1));
        return scripts;
    }
}
