using System.IO.Compression;

namespace GraphRag.Samples.Generator;

/// <summary>
/// Rewrites a zip container with entries in a fixed order and a fixed timestamp. System.IO.Packaging stamps every
/// entry with the current time, which would make each regeneration of a .docx a spurious change.
/// </summary>
internal static class DeterministicZip
{
    public static byte[] Normalize(byte[] zip)
    {
        using var input = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read);
        using var output = new MemoryStream();
        using (var archive = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            // [Content_Types].xml first, as Word writes it; the rest by name.
            var entries = input.Entries
                .OrderBy(e => e.FullName == "[Content_Types].xml" ? 0 : 1)
                .ThenBy(e => e.FullName, StringComparer.Ordinal);
            foreach (var entry in entries)
            {
                var copy = archive.CreateEntry(entry.FullName, CompressionLevel.Optimal);
                copy.LastWriteTime = SampleClock.Fixed;
                using var from = entry.Open();
                using var to = copy.Open();
                from.CopyTo(to);
            }
        }

        return output.ToArray();
    }
}
