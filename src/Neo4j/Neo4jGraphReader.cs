using System.Text.Json;
using GraphRag.Graph;
using GraphRag.Graph.Abstractions;
using GraphRag.Graph.Model;

namespace GraphRag.Neo4j;

/// <summary>Entities, mentions and relations with their evidence, as stored: the graph reads that need the rows themselves.</summary>
public sealed class Neo4jGraphReader : IGraphReader
{
    private const int MaxAliases = 25;
    private readonly Neo4jHttp _http;
    private readonly string _store;
    private readonly RelationSources _sources;

    internal Neo4jGraphReader(Neo4jHttp http, string store, RelationSources sources)
    {
        _http = http;
        _store = store;
        _sources = sources;
    }

    private Statement Q(string name, params (string Name, object? Value)[] parameters) => Cypher.Statement(name, _store, parameters);

    private async Task<IReadOnlyList<JsonElement[]>> RowsAsync(Statement statement, CancellationToken cancellationToken) =>
        (await _http.RunAsync([statement], cancellationToken).ConfigureAwait(false))[0].Rows;

    public async Task<IReadOnlyList<Entity>> GetEntitiesAsync(IReadOnlyCollection<string> entityIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entityIds);
        if (entityIds.Count == 0)
        {
            return [];
        }

        var rows = await RowsAsync(Q("entity-get", ("ids", entityIds.Distinct(StringComparer.Ordinal).ToList())), cancellationToken).ConfigureAwait(false);
        return await WithAliasesAsync(Ordered(rows.Select(ReadEntity)), cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<Entity>> FindEntitiesAsync(EntitySearch search, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(search);
        var limit = Math.Clamp(search.Limit, 1, 10_000);
        (string, object?) type = ("type", search.Type);
        (string, object?) key = ("key", EntityKey.Normalize(search.Name ?? string.Empty));
        var statement = string.IsNullOrWhiteSpace(search.Name) ? Q("entity-top", type, ("limit", limit))
            : search.Prefix ? Q("entity-prefix", key, type, ("limit", limit))
            : Q("entity-by-name", key, type);
        var rows = await RowsAsync(statement, cancellationToken).ConfigureAwait(false);
        return await WithAliasesAsync(Ordered(rows.Select(ReadEntity)).Take(limit).ToList(), cancellationToken).ConfigureAwait(false);
    }

    private static List<Entity> Ordered(IEnumerable<Entity> entities) =>
        entities.DistinctBy(e => e.Id).OrderByDescending(e => e.MentionCount).ThenBy(e => e.Id, StringComparer.Ordinal).ToList();

    private static Entity ReadEntity(JsonElement[] r) => new()
    {
        Id = r[0].GetString()!,
        Key = r[1].GetString()!,
        Name = r[2].GetString()!,
        Type = r[3].GetString()!,
        MentionCount = r[4].GetInt32(),
        DocumentCount = r[5].GetInt32(),
    };

    /// <summary>Aliases: every distinct surface form other than the name, most frequent first.</summary>
    private async Task<IReadOnlyList<Entity>> WithAliasesAsync(List<Entity> entities, CancellationToken cancellationToken)
    {
        if (entities.Count == 0)
        {
            return entities;
        }

        var rows = await RowsAsync(Q("entity-aliases", ("ids", entities.Select(e => e.Id).ToList())), cancellationToken).ConfigureAwait(false);
        var aliases = rows
            .Select(r => (Id: r[0].GetString()!, Text: r[1].GetString()!, Count: r[2].GetInt32()))
            .GroupBy(a => a.Id, StringComparer.Ordinal)
            .ToDictionary(
                g => g.Key,
                g => g.OrderByDescending(a => a.Count).ThenBy(a => a.Text, StringComparer.Ordinal).Take(MaxAliases).Select(a => a.Text).ToList(),
                StringComparer.Ordinal);
        return entities
            .Select(e => e with { Aliases = (aliases.GetValueOrDefault(e.Id) ?? []).Where(a => a != e.Name).ToList() })
            .ToList();
    }

    public async Task<IReadOnlyList<Mention>> GetMentionsAsync(MentionQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.EntityIds is null && query.ChunkIds is null)
        {
            throw new ArgumentException("Give entity ids, chunk ids or both.", nameof(query));
        }

        var statement = query.EntityIds is not null
            ? Q("mention-by-entity", ("entities", query.EntityIds.Distinct(StringComparer.Ordinal).ToList()), ("chunks", query.ChunkIds?.ToList()))
            : Q("mention-by-chunk", ("chunks", query.ChunkIds!.Distinct(StringComparer.Ordinal).ToList()));
        var rows = await RowsAsync(statement, cancellationToken).ConfigureAwait(false);
        return rows
            .Select(r => new Mention
            {
                Id = r[0].GetString()!,
                EntityId = r[1].GetString()!,
                Span = new TextSpan(r[2].GetString()!, r[3].GetString()!, r[4].GetInt32(), r[5].GetInt32()),
                Text = r[6].GetString()!,
                Type = r[7].GetString()!,
                Resolution = r[8].GetString()!,
                Extractor = r.Length > 9 ? r[9].GetString() ?? Extractors.Rules : Extractors.Rules,
            })
            .OrderBy(m => m.Span.DocumentId, StringComparer.Ordinal)
            .ThenBy(m => m.Span.Start)
            .ThenBy(m => m.Id, StringComparer.Ordinal)
            .Take(Math.Clamp(query.Limit, 1, 1_000_000))
            .ToList();
    }

    public async Task<IReadOnlyList<Relation>> GetRelationsAsync(RelationQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.EntityIds is null && query.RelationIds is null)
        {
            throw new ArgumentException("Give entity ids, relation ids or both.", nameof(query));
        }

        (string, object?) relations = ("relations", query.RelationIds?.Distinct(StringComparer.Ordinal).ToList());
        (string, object?) labelled = ("labelled", query.LabelledOnly);
        (string, object?) limit = ("limit", Math.Clamp(query.Limit, 1, 1_000_000));
        List<JsonElement[]> rows;
        if (query.EntityIds is not null)
        {
            rows = [.. await RowsAsync(Q("relation-by-entity", ("entities", query.EntityIds.Distinct(StringComparer.Ordinal).ToList()), relations, labelled, limit), cancellationToken)
                .ConfigureAwait(false)];
        }
        else
        {
            // A relationship property has no index on 3.x: ids whose source entity is known are looked up from it.
            var (known, unknown) = _sources.Split(query.RelationIds!);
            rows = [];
            if (known.Count > 0)
            {
                rows.AddRange(await RowsAsync(Q("relation-by-source", ("rows", known), labelled, limit), cancellationToken).ConfigureAwait(false));
            }

            if (unknown.Count > 0)
            {
                rows.AddRange(await RowsAsync(Q("relation-by-id", ("relations", unknown), labelled, limit), cancellationToken).ConfigureAwait(false));
            }
        }

        foreach (var r in rows)
        {
            _sources.Add(r[0].GetString()!, r[1].GetString()!);
        }

        return rows
            .Select(r => new Relation
            {
                Id = r[0].GetString()!,
                SourceId = r[1].GetString()!,
                TargetId = r[2].GetString()!,
                Label = r[3].GetString()!,
                Weight = r[4].GetDouble(),
                Evidence = RelationState.Evidence(r, 5),
            })
            .OrderBy(r => r.Label == RelationLabels.CoOccurs ? 1 : 0)
            .ThenByDescending(r => r.Weight)
            .ThenBy(r => r.Id, StringComparer.Ordinal)
            .Take(Math.Clamp(query.Limit, 1, 1_000_000))
            .ToList();
    }
}
