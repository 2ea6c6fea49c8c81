using GraphRag.Graph.Sqlite;
using GraphRag.Hosting;

namespace GraphRag.Api.Tests;

/// <summary>Tests look at the embedded store behind an engine directly; the product reaches it only through its roles.</summary>
internal static class EngineExtensions
{
    public static SqliteGraphStore SqliteStore(this Engine engine) => (SqliteGraphStore)engine.Backend;
}
