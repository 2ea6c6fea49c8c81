using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using GraphRag.Graph;

namespace GraphRag.Ingest.Extraction;

/// <summary>
/// <see cref="StableId.Create"/> without its per-call hash object: one-shot SHA-256 over a pooled buffer. Extraction
/// makes an id for every entity, mention and relation, and the incremental hash dominated its profile. The output is
/// byte-for-byte the same as <see cref="StableId.Create"/> (a test holds the two together).
/// </summary>
internal static class FastStableId
{
    public static string Create(string prefix, string a, string b, string c)
    {
        var length = Encoding.UTF8.GetMaxByteCount(a.Length + b.Length + c.Length) + 2;
        var rented = length <= 512 ? null : ArrayPool<byte>.Shared.Rent(length);
        Span<byte> buffer = rented ?? stackalloc byte[512];
        try
        {
            var n = Encoding.UTF8.GetBytes(a, buffer);
            buffer[n++] = 0;
            n += Encoding.UTF8.GetBytes(b, buffer[n..]);
            buffer[n++] = 0;
            n += Encoding.UTF8.GetBytes(c, buffer[n..]);
            return Finish(prefix, buffer[..n]);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    public static string Create(string prefix, string a)
    {
        var length = Encoding.UTF8.GetMaxByteCount(a.Length);
        var rented = length <= 512 ? null : ArrayPool<byte>.Shared.Rent(length);
        Span<byte> buffer = rented ?? stackalloc byte[512];
        try
        {
            var n = Encoding.UTF8.GetBytes(a, buffer);
            return Finish(prefix, buffer[..n]);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private static string Finish(string prefix, ReadOnlySpan<byte> data)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(data, hash);
        return string.Concat(prefix, "_", Convert.ToHexStringLower(hash[..12]));
    }
}
