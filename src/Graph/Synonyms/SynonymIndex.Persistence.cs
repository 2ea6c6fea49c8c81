using GraphRag.Graph.Persistence;
using GraphRag.Graph.Vectors;

namespace GraphRag.Graph.Synonyms;

/// <summary>Saving and loading the name vectors and edges, so a new process embeds no name twice.</summary>
internal sealed partial class SynonymIndex
{
    internal void Write(IndexWriter writer)
    {
        writer.String(ModelId);
        writer.String(Settings);
        writer.Long(Current.Generation);
        _names.Write(writer);
        writer.Int(_keys.Count);
        foreach (var (id, key) in _keys.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            writer.String(id);
            writer.String(key);
        }

        var edges = Current.All().ToList();
        writer.Int(edges.Count);
        foreach (var (id, similar) in edges)
        {
            writer.String(id);
            writer.Int(similar.Length);
            foreach (var entity in similar)
            {
                writer.String(entity.EntityId);
                writer.Double(entity.Similarity);
            }
        }
    }

    internal static SynonymIndex Read(IndexReader reader)
    {
        var index = new SynonymIndex { ModelId = reader.String(), Settings = reader.String() };
        var generation = reader.Long();
        index._names.Dispose();
        index._names = VectorIndex.Read(reader);
        var keys = reader.Count();
        for (var i = 0; i < keys; i++)
        {
            var id = reader.String();
            var key = reader.String();
            index._keys[id] = key;
            index._keyUses[key] = index._keyUses.GetValueOrDefault(key) + 1;
        }

        var entities = reader.Count();
        for (var i = 0; i < entities; i++)
        {
            var id = reader.String();
            var count = reader.Count();
            for (var j = 0; j < count; j++)
            {
                index.Link(id, reader.String(), reader.Double());
            }
        }

        index.Current = index.Publish(generation);
        return index;
    }
}
