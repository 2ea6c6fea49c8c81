using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Security.Cryptography;
using System.Text;

namespace GraphRag.Embeddings;

/// <summary>
/// The int8 model <see cref="OnnxInt8Quantizer"/> made from a shipped model, kept in the user's local data folder
/// (<c>~/.local/share/graphrag/models</c> on Linux) so the next process loads it instead of reading the fp32 model and
/// quantising it again — about a quarter of a CPU-second of every one-off <c>graphrag query</c>. A file is named after
/// the model assembly's build id (MVID), the resource and the quantiser's version, so a new model or quantiser never
/// reads an old file; its content is checked against the SHA-256 it carries. It is only a cache: a missing, unreadable
/// or damaged file means quantising as before, and a folder that cannot be written means no cache.
/// </summary>
internal static class QuantizedModelCache
{
    /// <summary>Changes whenever <see cref="OnnxInt8Quantizer"/> would produce other bytes.</summary>
    private const string QuantizerVersion = "1";

    private static ReadOnlySpan<byte> Magic => "GRAPHRAG-INT8-1\n"u8;

    /// <summary>The cache file for a model resource; null when there is no per-user folder to keep it in.</summary>
    public static string? PathFor(string assemblyPath, string resourceName)
    {
        var root = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify);
        if (string.IsNullOrEmpty(root) || !Path.IsPathRooted(root))
        {
            return null;
        }

        Guid mvid;
        try
        {
            using var stream = File.OpenRead(assemblyPath);
            using var pe = new PEReader(stream);
            var metadata = pe.GetMetadataReader();
            mvid = metadata.GetGuid(metadata.GetModuleDefinition().Mvid);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or BadImageFormatException or InvalidOperationException)
        {
            return null;
        }

        var key = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{mvid:N}|{resourceName}|{QuantizerVersion}")))[..32];
        return Path.Combine(root, "graphrag", "models", key + ".int8.onnx");
    }

    /// <summary>The cached model and its count of quantised MatMuls; null when absent or damaged.</summary>
    public static (byte[] Model, int QuantisedMatMuls)? TryRead(string path)
    {
        try
        {
            var bytes = File.ReadAllBytes(path);
            var header = Magic.Length + 4 + 32;
            if (bytes.Length <= header || !bytes.AsSpan(0, Magic.Length).SequenceEqual(Magic))
            {
                return null;
            }

            var count = BitConverter.ToInt32(bytes, Magic.Length);
            var model = bytes[header..];
            return SHA256.HashData(model).AsSpan().SequenceEqual(bytes.AsSpan(Magic.Length + 4, 32)) ? (model, count) : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Writes the file whole (a temporary file renamed over it), or not at all.</summary>
    public static void TryWrite(string path, byte[] model, int quantisedMatMuls)
    {
        var temporary = $"{path}.{Environment.ProcessId}.{Path.GetRandomFileName()}.tmp";
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                stream.Write(Magic);
                stream.Write(BitConverter.GetBytes(quantisedMatMuls));
                stream.Write(SHA256.HashData(model));
                stream.Write(model);
            }

            File.Move(temporary, path, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // No cache: the next process quantises again.
        }
        finally
        {
            try
            {
                File.Delete(temporary);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
            }
        }
    }
}
