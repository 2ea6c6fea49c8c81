using GraphRag.Graph.Model;

namespace GraphRag.Graph.Traversal;

/// <summary>
/// The keys an entity can be looked up by, chunk by chunk, and who may use each hit. A key from the stored (voted)
/// name is the administrator's only, since that name may come from mentions a caller cannot read; a caller's hits come
/// from the surface texts of mentions, so a caller finds an entity only by names its readable chunks use.
/// </summary>
internal static class SurfaceKeys
{
    public const byte AdminUse = 1;
    public const byte ScopedUse = 2;
    public const byte BothUses = AdminUse | ScopedUse;

    /// <summary>A scoped hit that counts only while the entity's type, as the caller sees it, is Person.</summary>
    public const byte PersonOnly = 4;

    public static KeyHits[] Of(
        string name, string type, bool typeDisputed, EntityChunk[] chunks, EntitySurface[] surfaces, DocumentVote[] votes, StringPool strings)
    {
        var keys = new Dictionary<string, List<KeyHit>>(StringComparer.Ordinal);
        foreach (var surface in surfaces)
        {
            var list = List(keys, surface.Key);
            // The same key from two texts of one chunk ("Keller", "KELLER") is one hit.
            if (list.Count == 0 || list[^1].Chunk != surface.Chunk)
            {
                list.Add(new KeyHit(surface.Chunk, BothUses));
            }
        }

        // A person's full name is also found without its middle names: "Jonathan Douglass Reid" as "Jonathan Reid".
        // Where documents disagree on the type, the administrator goes by the stored type and a caller by the type its
        // readable documents vote for (checked at lookup).
        var votesPerson = typeDisputed && votes.Any(v => v.Type == EntityTypes.Person);
        // Only keys of three words or more have middle names; most keys have fewer, and are passed over without a split.
        List<(string Key, List<KeyHit> Hits)>? longKeys = null;
        foreach (var (key, hits) in keys)
        {
            if (key.AsSpan().Count(' ') >= 2)
            {
                (longKeys ??= []).Add((key, hits));
            }
        }

        foreach (var (key, hits) in longKeys ?? [])
        {
            var words = key.Split(' ');
            if (words.Length < 3 || words.Skip(1).SkipLast(1).Any(w => w.Length <= 3))
            {
                continue;
            }

            var shortKey = words[0] + " " + words[^1];
            if (!typeDisputed && type == EntityTypes.Person)
            {
                List(keys, shortKey).AddRange(hits);
            }

            if (typeDisputed && type == EntityTypes.Person)
            {
                List(keys, shortKey).AddRange(hits.Select(h => h with { Use = AdminUse }));
            }

            if (votesPerson)
            {
                List(keys, shortKey).AddRange(hits.Select(h => h with { Use = ScopedUse | PersonOnly }));
            }
        }

        // A name with a disambiguating parenthesis ("David Jones (rugby)", "Brand (play)") is also found by its base.
        // The administrator takes the base of the stored name in every chunk; a caller the base of each chunk's own
        // surface text, so a caller finds the base only where it reads the parenthesised form.
        if (BaseKey(name) is { } baseKey)
        {
            List(keys, baseKey).AddRange(chunks.Select(c => new KeyHit(c.Chunk, AdminUse)));
        }

        foreach (var surface in surfaces)
        {
            if (BaseKey(surface.Text) is { } surfaceBase)
            {
                List(keys, surfaceBase).Add(new KeyHit(surface.Chunk, ScopedUse));
            }
        }

        return [.. keys.Select(p => new KeyHits(strings.Intern(p.Key), [.. p.Value]))];
    }

    private static List<KeyHit> List(Dictionary<string, List<KeyHit>> keys, string key)
    {
        if (!keys.TryGetValue(key, out var list))
        {
            keys[key] = list = [];
        }

        return list;
    }

    private static string? BaseKey(string name)
    {
        var open = name.IndexOf(" (", StringComparison.Ordinal);
        if (open > 0 && name.EndsWith(')'))
        {
            var baseKey = EntityKey.Normalize(name[..open]);
            return baseKey.Length > 0 ? baseKey : null;
        }

        return null;
    }
}
