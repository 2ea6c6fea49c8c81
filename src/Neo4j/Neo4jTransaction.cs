namespace GraphRag.Neo4j;

/// <summary>
/// One explicit transaction: statements run in it until it is committed or rolled back. On the transactional endpoint
/// a request carries any number of statements (begin: <c>POST …/transaction</c>, then the <c>Location</c> it names, then
/// <c>…/commit</c>); on the Query API one (begin: <c>POST …/query/v2/tx</c>, then <c>…/tx/{id}</c>, then
/// <c>…/tx/{id}/commit</c>, every request echoing the <c>neo4j-cluster-affinity</c> header it was given).
/// </summary>
public sealed class Neo4jTransaction
{
    private readonly Neo4jHttp _http;
    private readonly Uri _begin;
    private Uri? _location;
    private Uri? _commit;
    private string? _affinity;
    private List<Statement>? _pending;

    internal Neo4jTransaction(Neo4jHttp http, Uri begin)
    {
        _http = http;
        _begin = begin;
    }

    private bool QueryApi => _http.QueryApi is not null;

    /// <summary>Statements whose results are not needed: sent with the next <see cref="RunAsync"/> or the commit.</summary>
    public void Defer(Statement statement) => (_pending ??= []).Add(statement);

    /// <summary>Runs statements (after any deferred ones) and returns their results.</summary>
    public async Task<IReadOnlyList<StatementResult>> RunAsync(IReadOnlyList<Statement> statements, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(statements);
        var all = Take(statements);
        if (QueryApi)
        {
            var results = new List<StatementResult>(all.Count);
            foreach (var statement in all)
            {
                results.Add(await RunOneAsync(statement, cancellationToken).ConfigureAwait(false));
            }

            return results.Skip(all.Count - statements.Count).ToList();
        }

        if (_location is null)
        {
            var (location, results, commit) = await _http.PostForLocationAsync(_begin, all, cancellationToken).ConfigureAwait(false);
            _location = location ?? throw new Graph.StoreException("Neo4j: the server opened a transaction without naming it (no Location header).");
            _commit = commit is null ? new Uri(_location + "/commit") : new Uri(_location, new Uri(commit).AbsolutePath);
            return results.Skip(all.Count - statements.Count).ToList();
        }

        var more = await _http.PostAsync(_location, all, cancellationToken).ConfigureAwait(false);
        return more.Skip(all.Count - statements.Count).ToList();
    }

    /// <summary>One statement on the Query API, opening the transaction with the first.</summary>
    private async Task<StatementResult> RunOneAsync(Statement statement, CancellationToken cancellationToken)
    {
        if (_location is null)
        {
            var (result, id, affinity) = await _http.PostQueryForTransactionAsync(new Uri(_begin + "/tx"), statement, null, cancellationToken).ConfigureAwait(false);
            _location = new Uri(_begin + "/tx/" + Uri.EscapeDataString(id ?? throw new Graph.StoreException("Neo4j: the Query API opened a transaction without an id.")));
            _commit = new Uri(_location + "/commit");
            _affinity = affinity;
            return result;
        }

        return await _http.PostQueryAsync(_location, statement, _affinity, cancellationToken).ConfigureAwait(false);
    }

    internal async Task CommitAsync(CancellationToken cancellationToken)
    {
        if (QueryApi)
        {
            foreach (var statement in Take([]))
            {
                await RunOneAsync(statement, cancellationToken).ConfigureAwait(false);
            }

            if (_location is not null)
            {
                await _http.PostQueryAsync(_commit!, null, _affinity, cancellationToken).ConfigureAwait(false);
                _location = null;
            }

            return;
        }

        var all = Take([]);
        if (_location is null)
        {
            if (all.Count > 0)
            {
                await _http.PostAsync(new Uri(_begin + "/commit"), all, cancellationToken).ConfigureAwait(false);
            }

            return;
        }

        await _http.PostAsync(_commit!, all, cancellationToken).ConfigureAwait(false);
        _location = null;
    }

    internal async Task RollbackAsync()
    {
        if (_location is { } location)
        {
            _location = null;
            await _http.DeleteAsync(location, _affinity).ConfigureAwait(false);
        }
    }

    private List<Statement> Take(IReadOnlyList<Statement> statements)
    {
        var all = _pending ?? [];
        _pending = null;
        all.AddRange(statements);
        return all;
    }
}
