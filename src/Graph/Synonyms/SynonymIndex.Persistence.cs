using GraphRag.Graph.Persistence;

namespace GraphRag.Graph.Synonyms;

/// <summary>Saving and loading the name vectors and edges, so a new process embeds no name twice.</summary>
internal sealed partial class SynonymIndex
{
    internal void Write(IndexWriter writer)
    {
        writer.String(ModelId);
        writer.String(Settings);
        writer.Long(Current.Generation);
        writer.Int(_names.Count);
        foreach (var (id, name) in _names.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            writer.String(id);
            writer.String(name.Key);
            writer.Float(name.Scale);
            writer.Int(name.Values.Length);
            writer.Bytes(System.Runtime.InteropServices.MemoryMarshal.AsBytes(name.Values.AsSpan()));
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
        var names = reader.Count();
        for (var i = 0; i < names; i++)
        {
            var id = reader.String();
            var key = reader.String();
            var scale = reader.Float();
            var values = new sbyte[reader.Count()];
            reader.Bytes(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()));
            index._names[id] = new NameVector(key, values, scale);
            foreach (var word in Words(key))
            {
                if (!index._words.TryGetValue(word, out var ids))
                {
                    index._words[word] = ids = new HashSet<string>(StringComparer.Ordinal);
                }

                ids.Add(id);
            }
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
