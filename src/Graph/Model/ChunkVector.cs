namespace GraphRag.Graph.Model;

/// <summary>
/// A chunk's embedding as stored: int8 symmetric quantisation of the L2-normalised vector, so a component is
/// <c>Values[i] * Scale</c>. 384 dimensions take 384 bytes instead of 1,536, and the dot product of two quantised
/// vectors is an exact integer sum scaled once.
/// </summary>
/// <param name="ChunkId">The chunk embedded.</param>
/// <param name="TextHash">
/// <see cref="HashText"/> of the exact text the model embedded (title, newline, chunk text after the personal-data
/// policy): a chunk whose text hash is unchanged keeps its vector instead of being embedded again.
/// </param>
/// <param name="Values">The quantised components.</param>
/// <param name="Scale">What one step of <paramref name="Values"/> is worth.</param>
public sealed record ChunkVector(string ChunkId, string TextHash, sbyte[] Values, float Scale)
{
    /// <summary>The vector's length.</summary>
    public int Dimensions => Values.Length;

    /// <summary>
    /// Normalises <paramref name="vector"/> to unit length and quantises it: the largest component maps to ±127.
    /// A zero vector quantises to zeros with scale 0 (similar to nothing).
    /// </summary>
    public static (sbyte[] Values, float Scale) Quantise(ReadOnlySpan<float> vector)
    {
        double squares = 0, max = 0;
        foreach (var x in vector)
        {
            squares += (double)x * x;
            max = Math.Max(max, Math.Abs((double)x));
        }

        var values = new sbyte[vector.Length];
        var norm = Math.Sqrt(squares);
        if (!(norm > 0) || !double.IsFinite(norm))
        {
            return (values, 0f);
        }

        // Unit components lie in [-1, 1]; the largest in magnitude becomes ±127.
        var scale = (float)(max / norm / 127);
        var step = (float)(127 / max);
        for (var i = 0; i < vector.Length; i++)
        {
            values[i] = (sbyte)Math.Clamp(MathF.Round(vector[i] * step), -127, 127);
        }

        return (values, scale);
    }

    /// <summary>The vector of a chunk whose embedded text had this hash.</summary>
    public static ChunkVector Create(string chunkId, string textHash, ReadOnlySpan<float> vector)
    {
        ArgumentException.ThrowIfNullOrEmpty(chunkId);
        ArgumentException.ThrowIfNullOrEmpty(textHash);
        var (values, scale) = Quantise(vector);
        return new ChunkVector(chunkId, textHash, values, scale);
    }

    /// <summary>The hash that says whether a chunk's embedded text changed (SHA-256 of its UTF-8, hex).</summary>
    public static string HashText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return StableId.Hash(text);
    }

    /// <summary>The components as floats (for tests and re-ranking).</summary>
    public float[] ToFloats()
    {
        var floats = new float[Values.Length];
        for (var i = 0; i < floats.Length; i++)
        {
            floats[i] = Values[i] * Scale;
        }

        return floats;
    }
}

/// <summary>The embedding model a store's vectors were made with: vectors of different models never mix.</summary>
/// <param name="Id">The model's name as configured (e.g. <c>snowflake-arctic-embed-xs</c>).</param>
/// <param name="Dimensions">Its vectors' length.</param>
public sealed record VectorModel(string Id, int Dimensions)
{
    public override string ToString() => $"{Id} ({Dimensions} dimensions)";
}
