using GraphRag.Graph.Persistence;

namespace GraphRag.Graph.Lexical;

/// <summary>Saving and loading the index's partitions as they are, postings included, so no text is analysed again.</summary>
public sealed partial class LexicalIndex
{
    internal void Write(IndexWriter writer)
    {
        _lock.EnterReadLock();
        try
        {
            writer.Long(Generation);
            writer.Int(_partitions.Count);
            foreach (var partition in _partitions.Values)
            {
                partition.Write(writer);
            }
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    internal static LexicalIndex Read(IndexReader reader)
    {
        var index = new LexicalIndex { Generation = reader.Long() };
        var partitions = reader.Count();
        for (var p = 0; p < partitions; p++)
        {
            var partition = Partition.Read(reader);
            index._partitions[partition.AclKey] = partition;
            foreach (var document in partition.Documents)
            {
                index._documents[document] = partition;
            }
        }

        return index;
    }

    private sealed partial class Partition
    {
        public IEnumerable<string> Documents => _documentRows.Keys;

        public void Write(IndexWriter writer)
        {
            writer.Int(Acl.Count);
            foreach (var entry in Acl)
            {
                writer.String(entry);
            }

            writer.Int(_rows.Count);
            foreach (var row in _rows)
            {
                writer.String(row.ChunkId);
                writer.String(row.DocumentId);
                writer.String(row.Title);
                writer.Int(row.Length);
                writer.Bool(row.Dead);
            }

            writer.Int(_documentRows.Count);
            foreach (var (document, rows) in _documentRows)
            {
                writer.String(document);
                writer.Ints(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(rows));
            }

            writer.Int(_terms.Count);
            foreach (var (term, postings) in _terms)
            {
                writer.String(term);
                postings.Write(writer);
            }

            writer.Long(LiveRows);
            writer.Long(LiveTokens);
            writer.Int(_deadRows);
        }

        public static Partition Read(IndexReader reader)
        {
            var acl = new string[reader.Count()];
            for (var i = 0; i < acl.Length; i++)
            {
                acl[i] = reader.String();
            }

            var partition = new Partition(acl);
            var rows = reader.Count();
            for (var i = 0; i < rows; i++)
            {
                partition._rows.Add(new RowInfo(reader.String(), reader.String(), reader.String(), reader.Int()) { Dead = reader.Bool() });
            }

            var documents = reader.Count();
            for (var i = 0; i < documents; i++)
            {
                partition._documentRows[reader.String()] = [.. reader.Ints()];
            }

            var terms = reader.Count();
            partition._terms.EnsureCapacity(terms);
            for (var i = 0; i < terms; i++)
            {
                partition._terms[reader.String()] = Postings.Read(reader);
            }

            partition.LiveRows = reader.Long();
            partition.LiveTokens = reader.Long();
            partition._deadRows = reader.Int();
            return partition;
        }
    }

    private sealed partial class Postings
    {
        public void Write(IndexWriter writer) => writer.Ints(_data.AsSpan(0, Length));

        public static Postings Read(IndexReader reader)
        {
            var data = reader.Ints();
            return new Postings { _data = data.Length == 0 ? new int[4] : data, Length = data.Length };
        }
    }
}
