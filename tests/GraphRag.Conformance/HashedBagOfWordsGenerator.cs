using Microsoft.Extensions.AI;

namespace GraphRag.Conformance;

/// <summary>
/// A deterministic stand-in for an embedding model (test-only): each lower-cased word adds one to the dimension its
/// FNV-1a hash picks, and the vector is L2-normalised. Texts sharing words are near; it counts calls and keeps every
/// text it was asked to embed, so tests can assert what was (and was not) embedded.
/// </summary>
public sealed class HashedBagOfWordsGenerator(int dimensions = 64) : IEmbeddingGenerator<string, Embedding<float>>
{
    private readonly Lock _lock = new();
    private readonly List<string> _texts = [];
    private int _calls;

    public Graph.Model.VectorModel Model { get; } = new("hashed-bag-of-words", dimensions);

    public int Calls => Volatile.Read(ref _calls);

    public IReadOnlyList<string> Texts
    {
        get
        {
            lock (_lock)
            {
                return [.. _texts];
            }
        }
    }

    public static float[] Embed(string text, int dimensions)
    {
        var vector = new float[dimensions];
        foreach (var word in text.ToLowerInvariant().Split(Separators, StringSplitOptions.RemoveEmptyEntries))
        {
            var hash = 2166136261u;
            foreach (var c in word)
            {
                hash = (hash ^ c) * 16777619u;
            }

            vector[(int)(hash % (uint)dimensions)] += 1;
        }

        var norm = MathF.Sqrt(vector.Sum(v => v * v));
        if (norm > 0)
        {
            for (var i = 0; i < vector.Length; i++)
            {
                vector[i] /= norm;
            }
        }

        return vector;
    }

    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        cancellationToken.ThrowIfCancellationRequested();
        Interlocked.Increment(ref _calls);
        var result = new GeneratedEmbeddings<Embedding<float>>();
        foreach (var value in values)
        {
            lock (_lock)
            {
                _texts.Add(value);
            }

            result.Add(new Embedding<float>(Embed(value, Model.Dimensions)));
        }

        return Task.FromResult(result);
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }

    private static readonly char[] Separators = [' ', '\n', '\t', ',', '.', '?', '!', ':', ';', '-', '(', ')', '"', '\''];
}
