namespace GraphRag.Graph.Persistence;

/// <summary>
/// Writes the in-memory indexes compactly: integers 7-bit encoded, and each distinct string written once, at its first
/// use, then referred to by number.
/// </summary>
internal sealed class IndexWriter(BinaryWriter writer)
{
    private readonly Dictionary<string, int> _strings = new(StringComparer.Ordinal);

    public void Int(int value) => writer.Write7BitEncodedInt(value);

    public void Long(long value) => writer.Write7BitEncodedInt64(value);

    public void Double(double value) => writer.Write(value);

    public void Bool(bool value) => writer.Write(value);

    public void Float(float value) => writer.Write(value);

    /// <summary>Raw bytes, without a length (the reader knows it).</summary>
    public void Bytes(ReadOnlySpan<byte> values) => writer.Write(values);

    /// <summary>
    /// A string written whole and not remembered, for values that never repeat (ids): keeping millions of them in the
    /// table of <see cref="String"/> held a few hundred megabytes for the length of a save. Read with
    /// <see cref="IndexReader.Text"/>.
    /// </summary>
    public void Text(string value) => writer.Write(value);

    public void String(string value)
    {
        if (_strings.TryGetValue(value, out var index))
        {
            writer.Write7BitEncodedInt(index + 1);
            return;
        }

        _strings[value] = _strings.Count;
        writer.Write7BitEncodedInt(0);
        writer.Write(value);
    }

    public void Ints(ReadOnlySpan<int> values)
    {
        Int(values.Length);
        foreach (var value in values)
        {
            Int(value);
        }
    }
}

/// <summary>
/// Reads what <see cref="IndexWriter"/> wrote, from its own buffer (a file of a few hundred megabytes is mostly small
/// integers, and a stream's per-byte reads would dominate); a damaged or truncated file throws.
/// </summary>
internal sealed class IndexReader(Stream stream)
{
    private readonly List<string> _strings = [];
    private readonly byte[] _buffer = new byte[1 << 20];
    private int _position;
    private int _length;

    public int Int() => checked((int)Long());

    public long Long()
    {
        long value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            var b = Byte();
            value |= (long)(b & 0x7f) << shift;
            if ((b & 0x80) == 0)
            {
                return value;
            }
        }

        throw new InvalidDataException("The index file is damaged (a malformed number).");
    }

    public double Double()
    {
        Span<byte> bytes = stackalloc byte[8];
        for (var i = 0; i < 8; i++)
        {
            bytes[i] = Byte();
        }

        return BitConverter.ToDouble(bytes);
    }

    public bool Bool() => Byte() != 0;

    public float Float()
    {
        Span<byte> bytes = stackalloc byte[4];
        Bytes(bytes);
        return BitConverter.ToSingle(bytes);
    }

    /// <summary>Fills <paramref name="destination"/> with the next bytes.</summary>
    public void Bytes(Span<byte> destination)
    {
        while (destination.Length > 0)
        {
            if (_position == _length)
            {
                _length = stream.Read(_buffer, 0, _buffer.Length);
                _position = 0;
                if (_length == 0)
                {
                    throw new EndOfStreamException();
                }
            }

            var take = Math.Min(destination.Length, _length - _position);
            _buffer.AsSpan(_position, take).CopyTo(destination);
            _position += take;
            destination = destination[take..];
        }
    }

    public string String()
    {
        var index = Int();
        if (index > 0)
        {
            return _strings[index - 1];
        }

        var value = Text();
        _strings.Add(value);
        return value;
    }

    /// <summary>A string as <see cref="BinaryWriter.Write(string)"/> writes it: a 7-bit length, then UTF-8.</summary>
    public string Text()
    {
        var length = Count();
        if (_length - _position >= length)
        {
            var text = System.Text.Encoding.UTF8.GetString(_buffer, _position, length);
            _position += length;
            return text;
        }

        var bytes = new byte[length];
        for (var i = 0; i < length; i++)
        {
            bytes[i] = Byte();
        }

        return System.Text.Encoding.UTF8.GetString(bytes);
    }

    public int[] Ints()
    {
        var values = new int[Count()];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = Int();
        }

        return values;
    }

    /// <summary>A length, checked to be plausible before anything is allocated for it.</summary>
    public int Count()
    {
        var count = Int();
        if (count < 0 || count > 100_000_000)
        {
            throw new InvalidDataException("The index file is damaged (an impossible length).");
        }

        return count;
    }

    private byte Byte()
    {
        if (_position == _length)
        {
            _length = stream.Read(_buffer, 0, _buffer.Length);
            _position = 0;
            if (_length == 0)
            {
                throw new EndOfStreamException();
            }
        }

        return _buffer[_position++];
    }
}
