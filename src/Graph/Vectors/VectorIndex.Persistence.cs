using GraphRag.Graph.Model;
using GraphRag.Graph.Persistence;

namespace GraphRag.Graph.Vectors;

/// <summary>Saving and loading the partitions' live vectors as they are, so nothing is embedded or read again.</summary>
public sealed partial class VectorIndex
{
    internal void Write(IndexWriter writer)
    {
        _lock.EnterReadLock();
        try
        {
            writer.Long(Generation);
            writer.Int(Dimensions);
            var partitions = _partitions.Values.OrderBy(p => p.AclKey, StringComparer.Ordinal).ToList();
            writer.Int(partitions.Count);
            foreach (var partition in partitions)
            {
                writer.Int(partition.Acl.Count);
                foreach (var entry in partition.Acl)
                {
                    writer.String(entry);
                }

                var documents = partition.Live().GroupBy(r => r.DocumentId, StringComparer.Ordinal).ToList();
                writer.Int(documents.Count);
                foreach (var document in documents)
                {
                    writer.String(document.Key);
                    var vectors = document.Select(r => r.Vector).ToList();
                    writer.Int(vectors.Count);
                    foreach (var vector in vectors)
                    {
                        writer.String(vector.ChunkId);
                        writer.Float(vector.Scale);
                        writer.Bytes(System.Runtime.InteropServices.MemoryMarshal.AsBytes(vector.Values.AsSpan()));
                    }
                }
            }
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    internal static VectorIndex Read(IndexReader reader)
    {
        var index = new VectorIndex { Generation = reader.Long() };
        var dimensions = reader.Count();
        index.Dimensions = dimensions;
        var partitions = reader.Count();
        for (var p = 0; p < partitions; p++)
        {
            var acl = new string[reader.Count()];
            for (var i = 0; i < acl.Length; i++)
            {
                acl[i] = reader.String();
            }

            var partition = new Partition(acl, dimensions);
            var documents = reader.Count();
            for (var d = 0; d < documents; d++)
            {
                var documentId = reader.String();
                var vectors = new ChunkVector[reader.Count()];
                for (var v = 0; v < vectors.Length; v++)
                {
                    var chunkId = reader.String();
                    var scale = reader.Float();
                    var values = new sbyte[dimensions];
                    reader.Bytes(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()));
                    vectors[v] = new ChunkVector(chunkId, string.Empty, values, scale);
                }

                partition.Add(documentId, vectors);
                index._documents[documentId] = partition;
            }

            if (partition.LiveRows > 0)
            {
                index._partitions[partition.AclKey] = partition;
            }
        }

        if (index._documents.Count == 0)
        {
            index.Dimensions = 0;
        }

        return index;
    }
}
