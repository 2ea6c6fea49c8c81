using GraphRag.Graph.Lexical;
using GraphRag.Graph.Synonyms;
using GraphRag.Graph.Traversal;
using GraphRag.Graph.Vectors;

namespace GraphRag.Graph.Persistence;

/// <summary>
/// The in-memory indexes saved to a file beside the store, so a new process loads them in seconds instead of reading
/// and analysing every row. It is a cache: written whole to a temporary file and renamed over the old one, checked
/// against the store's fingerprint when loaded, and ignored (then rewritten) when damaged, stale beyond the change log
/// or written for another store. Deleting it is always safe.
/// </summary>
internal static class IndexFile
{
    private const string Magic = "GRAPHRAG-INDEX";
    /// <summary>
    /// 4: the snapshot's ids are written whole (3 put them in the table of repeated strings); 3: the synonym index
    /// (entity name vectors and edges) follows the vector index; 2 had none. A file of another version is rebuilt from
    /// the rows, never read.
    /// </summary>
    private const int Version = 4;

    public static void Save(string path, string fingerprint, GraphSnapshot snapshot, LexicalIndex lexical, VectorIndex vectors, SynonymIndex synonyms)
    {
        // One temporary file per save, not per process: two indexes of one store in a process (a test, a host reopening
        // it) may save at once, and a shared name let one delete the other's file before its rename.
        var temporary = path + "." + Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture) + "." + Path.GetRandomFileName() + ".tmp";
        try
        {
            using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20))
            using (var binary = new BinaryWriter(stream))
            {
                var writer = new IndexWriter(binary);
                binary.Write(Magic);
                writer.Int(Version);
                writer.Long(snapshot.Generation);
                binary.Write(fingerprint);
                SnapshotCodec.Write(writer, snapshot);
                lexical.Write(writer);
                vectors.Write(writer);
                synonyms.Write(writer);
                binary.Write(Magic);
            }

            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>The generation and fingerprint a file was saved at, without reading the rest; null when unreadable.</summary>
    public static (long Generation, string Fingerprint)? Peek(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            using var binary = new BinaryReader(stream);
            if (binary.ReadString() != Magic || binary.Read7BitEncodedInt() != Version)
            {
                return null;
            }

            var generation = binary.Read7BitEncodedInt64();
            return (generation, binary.ReadString());
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            return null;
        }
    }

    /// <summary>The indexes saved in the file; throws <see cref="InvalidDataException"/> when it is damaged.</summary>
    public static (GraphSnapshot Snapshot, LexicalIndex Lexical, VectorIndex Vectors, SynonymIndex Synonyms) Load(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        var reader = new IndexReader(stream);
        try
        {
            if (reader.Text() != Magic || reader.Int() != Version)
            {
                throw new InvalidDataException("Not an index file of this version.");
            }

            reader.Long();
            reader.Text();
            var snapshot = SnapshotCodec.Read(reader);
            var lexical = LexicalIndex.Read(reader);
            var vectors = VectorIndex.Read(reader);
            var synonyms = SynonymIndex.Read(reader);
            if (reader.Text() != Magic)
            {
                throw new InvalidDataException("The index file is truncated.");
            }

            return (snapshot.WithSynonyms(synonyms.Current), lexical, vectors, synonyms);
        }
        catch (EndOfStreamException ex)
        {
            throw new InvalidDataException("The index file is truncated.", ex);
        }
    }
}
