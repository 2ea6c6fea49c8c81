using System.Security.Cryptography;
using System.Text;

namespace GraphRag.Graph;

/// <summary>Content-derived identifiers: the same inputs give the same id on every machine and every run.</summary>
public static class StableId
{
    /// <summary>Returns <c>prefix_</c> followed by 24 hex digits of the SHA-256 of the parts (separated by NUL).</summary>
    public static string Create(string prefix, params ReadOnlySpan<string> parts)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(prefix);
        var hash = Hash(parts);
        return string.Concat(prefix, "_", hash.AsSpan(0, 24));
    }

    /// <summary>Full lower-case hex SHA-256 of the parts, separated by NUL so that ("ab","c") and ("a","bc") differ.</summary>
    public static string Hash(params ReadOnlySpan<string> parts)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> separator = [0];
        var first = true;
        foreach (var part in parts)
        {
            if (!first)
            {
                sha.AppendData(separator);
            }

            first = false;
            sha.AppendData(Encoding.UTF8.GetBytes(part));
        }

        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }
}
