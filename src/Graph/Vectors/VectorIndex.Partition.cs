using GraphRag.Graph.Abstractions;
using GraphRag.Graph.Lexical;
using GraphRag.Graph.Model;

namespace GraphRag.Graph.Vectors;

public sealed partial class VectorIndex
{
    /// <summary>
    /// The vectors of the documents that share one ACL: one row-major int8 matrix with a scale, chunk id and document
    /// id per row. Rows are appended; a removed document's rows are marked dead and squeezed out once they outnumber
    /// the live ones.
    /// </summary>
    private sealed class Partition(string[] acl, int dimensions)
    {
        private readonly Dictionary<string, int[]> _documentRows = new(StringComparer.Ordinal);
        private readonly Dictionary<string, int> _chunkRows = new(StringComparer.Ordinal);
        private sbyte[] _matrix = [];
        private float[] _scales = [];
        private string[] _chunkIds = [];
        private string[] _documentIds = [];
        private bool[] _dead = [];
        private int _rows;
        private int _deadRows;

        public IReadOnlyList<string> Acl { get; } = acl;

        public string AclKey { get; } = IndexedDocument.AclKeyOf(acl);

        public int Dimensions { get; } = dimensions;

        public long LiveRows => _rows - _deadRows;

        public void Add(string documentId, IReadOnlyList<ChunkVector> vectors)
        {
            Reserve(_rows + vectors.Count);
            var rows = new int[vectors.Count];
            for (var i = 0; i < vectors.Count; i++)
            {
                var row = _rows++;
                var vector = vectors[i];
                vector.Values.CopyTo(_matrix.AsSpan(row * Dimensions, Dimensions));
                _scales[row] = vector.Scale;
                _chunkIds[row] = vector.ChunkId;
                _documentIds[row] = documentId;
                _dead[row] = false;
                _chunkRows[vector.ChunkId] = row;
                rows[i] = row;
            }

            _documentRows[documentId] = rows;
        }

        public void Remove(string documentId)
        {
            if (!_documentRows.Remove(documentId, out var rows))
            {
                return;
            }

            foreach (var row in rows)
            {
                _dead[row] = true;
                _chunkRows.Remove(_chunkIds[row]);
            }

            _deadRows += rows.Length;
            if (_deadRows > 1024 && _deadRows > LiveRows)
            {
                Compact();
            }
        }

        /// <summary>Scores every live row (of the filtered documents only, under a filter) into <paramref name="top"/>; returns how many.</summary>
        public long Score(sbyte[] probe, float probeScale, IReadOnlySet<string>? filter, TopK top)
        {
            if (filter is null)
            {
                long scored = 0;
                for (var row = 0; row < _rows; row++)
                {
                    if (!_dead[row])
                    {
                        ScoreRow(row, probe, probeScale, top);
                        scored++;
                    }
                }

                return scored;
            }

            long count = 0;
            if (filter.Count < _documentRows.Count)
            {
                foreach (var id in filter)
                {
                    if (_documentRows.TryGetValue(id, out var rows))
                    {
                        count += ScoreRows(rows, probe, probeScale, top);
                    }
                }
            }
            else
            {
                foreach (var (id, rows) in _documentRows)
                {
                    if (filter.Contains(id))
                    {
                        count += ScoreRows(rows, probe, probeScale, top);
                    }
                }
            }

            return count;
        }

        /// <summary>The stored vector of <paramref name="chunkId"/> as floats (unit length, up to quantisation); null when it holds none.</summary>
        public float[]? Vector(string chunkId)
        {
            if (!_chunkRows.TryGetValue(chunkId, out var row))
            {
                return null;
            }

            var values = _matrix.AsSpan(row * Dimensions, Dimensions);
            var scale = _scales[row];
            var vector = new float[Dimensions];
            for (var i = 0; i < vector.Length; i++)
            {
                vector[i] = values[i] * scale;
            }

            return vector;
        }

        /// <summary>The live rows, in row order: (chunk, document, vector).</summary>
        public IEnumerable<(string DocumentId, ChunkVector Vector)> Live()
        {
            for (var row = 0; row < _rows; row++)
            {
                if (!_dead[row])
                {
                    yield return (_documentIds[row], new ChunkVector(_chunkIds[row], string.Empty, _matrix.AsSpan(row * Dimensions, Dimensions).ToArray(), _scales[row]));
                }
            }
        }

        private int ScoreRows(int[] rows, sbyte[] probe, float probeScale, TopK top)
        {
            foreach (var row in rows)
            {
                ScoreRow(row, probe, probeScale, top);
            }

            return rows.Length;
        }

        private void ScoreRow(int row, sbyte[] probe, float probeScale, TopK top)
        {
            var dot = Int8Dot.Dot(probe, _matrix.AsSpan(row * Dimensions, Dimensions));
            var similarity = (double)dot * probeScale * _scales[row];
            if (top.Accepts(similarity))
            {
                top.Offer(new VectorHit(_chunkIds[row], _documentIds[row], similarity));
            }
        }

        private void Reserve(int rows)
        {
            if (rows <= _scales.Length)
            {
                return;
            }

            var capacity = Math.Max(rows, Math.Max(16, _scales.Length * 2));
            Array.Resize(ref _matrix, checked(capacity * Dimensions));
            Array.Resize(ref _scales, capacity);
            Array.Resize(ref _chunkIds, capacity);
            Array.Resize(ref _documentIds, capacity);
            Array.Resize(ref _dead, capacity);
        }

        /// <summary>Moves the live rows down over the dead ones, keeping their order.</summary>
        private void Compact()
        {
            var map = new int[_rows];
            var next = 0;
            for (var row = 0; row < _rows; row++)
            {
                if (_dead[row])
                {
                    map[row] = -1;
                    continue;
                }

                if (next != row)
                {
                    _matrix.AsSpan(row * Dimensions, Dimensions).CopyTo(_matrix.AsSpan(next * Dimensions, Dimensions));
                    _scales[next] = _scales[row];
                    _chunkIds[next] = _chunkIds[row];
                    _documentIds[next] = _documentIds[row];
                    _dead[next] = false;
                }

                map[row] = next++;
            }

            Array.Clear(_chunkIds, next, _rows - next);
            Array.Clear(_documentIds, next, _rows - next);
            _rows = next;
            _deadRows = 0;
            _chunkRows.Clear();
            for (var row = 0; row < _rows; row++)
            {
                _chunkRows[_chunkIds[row]] = row;
            }

            foreach (var id in _documentRows.Keys.ToList())
            {
                _documentRows[id] = Array.ConvertAll(_documentRows[id], r => map[r]);
            }
        }
    }
}
