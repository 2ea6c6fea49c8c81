using System.Buffers;
using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using GraphRag.Graph;
using GraphRag.Graph.Abstractions;
using GraphRag.Graph.Security;

namespace GraphRag.Api.Security;

/// <summary>A key just created: its stored record and the plaintext key, which exists only here and is shown once.</summary>
public sealed record CreatedApiKey(ApiKeyRecord Record, string Key);

/// <summary>
/// Creates, revokes and checks API keys of the form <c>grk_&lt;id&gt;_&lt;secret&gt;</c>: <c>id</c> is 12 lowercase hex
/// characters (the lookup key, safe to show and log), <c>secret</c> is 32 random bytes in base64url (43 characters).
/// Only SHA-256 of the secret is stored. Thread-safe; build one per store.
/// </summary>
public sealed class ApiKeyService
{
    public const string Prefix = "grk_";

    private const int IdBytes = 6;
    private const int IdLength = IdBytes * 2;
    private const int SecretBytes = 32;
    private const int SecretLength = 43; // base64url of 32 bytes, unpadded
    private const int KeyLength = 4 + IdLength + 1 + SecretLength;
    private const int MaxCachedKeys = 10_000;

    private static readonly SearchValues<char> LowerHex = SearchValues.Create("0123456789abcdef");
    private static readonly SearchValues<char> Base64UrlCharacters =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

    private readonly IApiKeyStore _store;
    private readonly TimeProvider _time;
    private readonly TimeSpan _cacheDuration;
    private readonly ConcurrentDictionary<string, CachedKey> _cache = new(StringComparer.Ordinal);

    /// <param name="store">Where keys live.</param>
    /// <param name="timeProvider">The clock for creation and revocation times and cache expiry.</param>
    /// <param name="cacheDuration">
    /// How long a successful lookup is reused without reading the store (default 5 s; zero turns caching off).
    /// Revoking through this service takes effect at once; a revocation made elsewhere (another process running
    /// <c>graphrag keys revoke</c>) takes effect within this time.
    /// </param>
    public ApiKeyService(IApiKeyStore store, TimeProvider? timeProvider = null, TimeSpan? cacheDuration = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
        _time = timeProvider ?? TimeProvider.System;
        _cacheDuration = cacheDuration ?? TimeSpan.FromSeconds(5);
        ArgumentOutOfRangeException.ThrowIfLessThan(_cacheDuration, TimeSpan.Zero, nameof(cacheDuration));
    }

    /// <summary>Creates and stores a key. Names must pass <see cref="AccessControl.IsName"/>; grants must be in <see cref="Grants.All"/>.</summary>
    /// <exception cref="InvalidInputException">A name or grant is not valid.</exception>
    public async Task<CreatedApiKey> CreateAsync(
        string principal, IReadOnlyList<string> groups, IReadOnlyList<string> grants, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(principal);
        ArgumentNullException.ThrowIfNull(groups);
        ArgumentNullException.ThrowIfNull(grants);
        Validate(principal, groups, grants);

        // The first group is where the principal's uploads go, so order is kept; repeats are dropped.
        var distinctGroups = groups.Distinct(StringComparer.Ordinal).ToList();
        var distinctGrants = grants.Distinct(StringComparer.Ordinal).ToList();
        var secretBytes = new byte[SecretBytes];
        var idBytes = new byte[IdBytes];
        try
        {
            RandomNumberGenerator.Fill(secretBytes);
            var secret = Base64Url.EncodeToString(secretBytes);

            // 48 random bits make a clash unlikely; a clash is refused by the store and simply retried.
            for (var attempt = 0; attempt < 5; attempt++)
            {
                RandomNumberGenerator.Fill(idBytes);
                var id = Convert.ToHexStringLower(idBytes);
                var record = new ApiKeyRecord(id, Hash(secret), principal, distinctGroups, distinctGrants, _time.GetUtcNow());
                if (await _store.AddAsync(record, cancellationToken))
                {
                    return new CreatedApiKey(record, Prefix + id + "_" + secret);
                }
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secretBytes);
        }

        throw new GraphRagException("Could not find an unused API key id; try again.");
    }

    /// <summary>
    /// The caller a presented key stands for, or null when the key is malformed, unknown, revoked or wrong. Never
    /// throws for bad input, and answers a wrong secret in time independent of how much of it matched.
    /// </summary>
    public async Task<Caller?> AuthenticateAsync(string? presentedKey, CancellationToken cancellationToken = default)
    {
        if (!TryParse(presentedKey, out var id, out var secret))
        {
            return null;
        }

        var hash = Hash(secret);
        var now = _time.GetUtcNow();
        if (_cache.TryGetValue(id, out var cached) && cached.Expires > now)
        {
            return Matches(hash, cached.SecretHash) ? cached.Caller : null;
        }

        var record = await _store.GetAsync(id, cancellationToken);
        if (record is null || record.IsRevoked || !Matches(hash, record.SecretHash))
        {
            _cache.TryRemove(id, out _);
            return null;
        }

        var caller = new Caller(record.Principal, record.Groups, record.Grants);
        if (_cacheDuration > TimeSpan.Zero)
        {
            if (_cache.Count >= MaxCachedKeys)
            {
                // Crude but bounded: many distinct valid keys in a few seconds is rare; start again.
                _cache.Clear();
            }

            _cache[id] = new CachedKey(record.SecretHash, caller, now + _cacheDuration);
        }

        return caller;
    }

    /// <summary>Revokes a key; it stops authenticating through this service at once. False when there is no such key.</summary>
    public async Task<bool> RevokeAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        _cache.TryRemove(id, out _);
        var revoked = await _store.RevokeAsync(id, _time.GetUtcNow(), cancellationToken);
        // A lookup that raced the revocation may have cached the key again.
        _cache.TryRemove(id, out _);
        return revoked;
    }

    /// <summary>Every key, oldest first. Records carry hashes only, never secrets.</summary>
    public Task<IReadOnlyList<ApiKeyRecord>> ListAsync(CancellationToken cancellationToken = default) => _store.ListAsync(cancellationToken);

    /// <summary>Splits <c>grk_&lt;id&gt;_&lt;secret&gt;</c>, checking every character, without throwing.</summary>
    internal static bool TryParse(string? key, out string id, out string secret)
    {
        id = secret = string.Empty;
        if (key is null || key.Length != KeyLength || !key.StartsWith(Prefix, StringComparison.Ordinal) || key[4 + IdLength] != '_')
        {
            return false;
        }

        var idPart = key.AsSpan(4, IdLength);
        var secretPart = key.AsSpan(4 + IdLength + 1);
        // The secret is compared by hash, so any 43 base64url characters are well-formed here.
        if (idPart.ContainsAnyExcept(LowerHex) || secretPart.ContainsAnyExcept(Base64UrlCharacters))
        {
            return false;
        }

        id = idPart.ToString();
        secret = secretPart.ToString();
        return true;
    }

    /// <summary>Checks names and grants, naming every problem at once.</summary>
    /// <exception cref="InvalidInputException">Something is not valid.</exception>
    public static void Validate(string principal, IReadOnlyList<string> groups, IReadOnlyList<string> grants)
    {
        ArgumentNullException.ThrowIfNull(principal);
        ArgumentNullException.ThrowIfNull(groups);
        ArgumentNullException.ThrowIfNull(grants);
        var problems = new List<string>();
        if (!AccessControl.IsName(principal))
        {
            problems.Add($"principal '{principal}' is not a valid name");
        }

        problems.AddRange(groups.Where(g => g is null || !AccessControl.IsName(g)).Select(g => $"group '{g}' is not a valid name"));
        problems.AddRange(grants.Where(g => g is null || !Grants.All.Contains(g, StringComparer.Ordinal))
            .Select(g => $"grant '{g}' is unknown (use {string.Join(", ", Grants.All)})"));
        if (problems.Count > 0)
        {
            throw new InvalidInputException(
                string.Join("; ", problems) + ". Names are 1-128 letters, digits, '.', '_', '@' or '-'.");
        }
    }

    // The secret is 256 random bits, so nothing can be guessed from its hash and a slow password hash (PBKDF2,
    // Argon2) would add cost to every request without adding safety; one SHA-256 is the right tool here.
    private static ImmutableArray<byte> Hash(string secret) =>
        ImmutableArray.Create(SHA256.HashData(Encoding.ASCII.GetBytes(secret)));

    private static bool Matches(ImmutableArray<byte> presented, ImmutableArray<byte> stored) =>
        CryptographicOperations.FixedTimeEquals(presented.AsSpan(), stored.AsSpan());

    private sealed record CachedKey(ImmutableArray<byte> SecretHash, Caller Caller, DateTimeOffset Expires);
}
