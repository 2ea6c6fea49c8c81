namespace GraphRag.Embeddings.Tests;

public sealed class QuantizedModelCacheTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "graphrag-int8-cache-" + Path.GetRandomFileName());

    [Fact]
    public void TryWrite_ThenTryRead_ReturnsTheSameModelAndCount()
    {
        var path = Path.Combine(_folder, "m.int8.onnx");
        byte[] model = [1, 2, 3, 4, 5, 250];

        QuantizedModelCache.TryWrite(path, model, 42);

        var read = QuantizedModelCache.TryRead(path);
        read.Should().NotBeNull();
        read!.Value.Model.Should().Equal(model);
        read.Value.QuantisedMatMuls.Should().Be(42);
        Directory.GetFiles(_folder).Should().ContainSingle("the temporary file is renamed, not left behind");
    }

    [Fact]
    public void TryRead_DamagedOrTruncatedFile_IsAMiss()
    {
        var path = Path.Combine(_folder, "m.int8.onnx");
        QuantizedModelCache.TryWrite(path, [.. Enumerable.Range(0, 100).Select(i => (byte)i)], 3);
        var bytes = File.ReadAllBytes(path);

        bytes[^1] ^= 0xFF;
        File.WriteAllBytes(path, bytes);
        QuantizedModelCache.TryRead(path).Should().BeNull("a changed byte fails the checksum");

        File.WriteAllBytes(path, bytes[..20]);
        QuantizedModelCache.TryRead(path).Should().BeNull("a truncated file is no model");

        QuantizedModelCache.TryRead(Path.Combine(_folder, "absent.int8.onnx")).Should().BeNull();
    }

    [Fact]
    public void PathFor_DependsOnTheResource_AndIsStableForTheSameOne()
    {
        var assembly = typeof(QuantizedModelCache).Assembly.Location;

        var first = QuantizedModelCache.PathFor(assembly, "a.onnx");

        first.Should().NotBeNull();
        QuantizedModelCache.PathFor(assembly, "a.onnx").Should().Be(first);
        QuantizedModelCache.PathFor(assembly, "b.onnx").Should().NotBe(first);
        Path.GetFileName(first).Should().EndWith(".int8.onnx");
    }

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }
}
