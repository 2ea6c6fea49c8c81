using System.Buffers.Binary;
using Google.Protobuf;
using Onnx;

namespace GraphRag.Embeddings;

/// <summary>
/// Dynamic int8 quantisation done in process, at load: every MatMul whose right-hand side is a constant fp32
/// weight matrix becomes ONNX Runtime's <c>com.microsoft.DynamicQuantizeMatMul</c>, with the weights stored as
/// int8 (symmetric, one scale per output column) and the activations quantised per call by the runtime. This is
/// what onnxruntime's Python <c>quantize_dynamic</c> produces once the runtime has fused it, without Python.
/// Embedding tables (Gather) and activation-by-activation MatMuls (attention scores) stay fp32.
/// </summary>
internal static class OnnxInt8Quantizer
{
    private const string MicrosoftDomain = "com.microsoft";

    public static (byte[] Model, int QuantisedMatMuls) Quantize(byte[] model)
    {
        ModelProto proto;
        try
        {
            proto = ModelProto.Parser.ParseFrom(model);
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new EmbeddingException("The local embedding model is not a valid ONNX file.", ex);
        }

        var graph = proto.Graph;
        var initializers = graph.Initializer.ToDictionary(t => t.Name, StringComparer.Ordinal);
        var quantised = new Dictionary<string, (string Weights, string Scales)>(StringComparer.Ordinal);
        var count = 0;
        for (var i = 0; i < graph.Node.Count; i++)
        {
            var node = graph.Node[i];
            if (node.OpType != "MatMul" || node.Domain.Length != 0 || node.Input.Count != 2
                || !initializers.TryGetValue(node.Input[1], out var weight)
                || weight.DataType != (int)TensorProto.Types.DataType.Float || weight.Dims.Count != 2)
            {
                continue;
            }

            if (!quantised.TryGetValue(weight.Name, out var names))
            {
                names = (weight.Name + "_int8", weight.Name + "_scale");
                var (int8, scales) = QuantizeColumns(weight);
                graph.Initializer.Add(int8);
                graph.Initializer.Add(scales);
                quantised[weight.Name] = names;
            }

            var replacement = new NodeProto
            {
                Name = node.Name.Length == 0 ? $"DynamicQuantizeMatMul_{i}" : node.Name + "_int8",
                OpType = "DynamicQuantizeMatMul",
                Domain = MicrosoftDomain,
                DocString = node.DocString,
            };
            replacement.Input.Add(node.Input[0]);
            replacement.Input.Add(names.Weights);
            replacement.Input.Add(names.Scales);
            replacement.Output.AddRange(node.Output);
            graph.Node[i] = replacement;
            count++;
        }

        if (count == 0)
        {
            return (model, 0);
        }

        // The fp32 originals go unless something else still reads them.
        var stillUsed = graph.Node.SelectMany(n => n.Input).ToHashSet(StringComparer.Ordinal);
        foreach (var name in quantised.Keys.Where(n => !stillUsed.Contains(n)))
        {
            graph.Initializer.Remove(initializers[name]);
        }

        if (!proto.OpsetImport.Any(o => o.Domain == MicrosoftDomain))
        {
            proto.OpsetImport.Add(new OperatorSetIdProto { Domain = MicrosoftDomain, Version = 1 });
        }

        return (proto.ToByteArray(), count);
    }

    private static (TensorProto Weights, TensorProto Scales) QuantizeColumns(TensorProto weight)
    {
        var rows = checked((int)weight.Dims[0]);
        var columns = checked((int)weight.Dims[1]);
        var values = ReadFloats(weight, rows * columns);

        var scales = new float[columns];
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < columns; c++)
            {
                scales[c] = MathF.Max(scales[c], MathF.Abs(values[(r * columns) + c]));
            }
        }

        for (var c = 0; c < columns; c++)
        {
            scales[c] = scales[c] == 0 ? 1f : scales[c] / 127f;
        }

        var int8 = new byte[rows * columns];
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < columns; c++)
            {
                var q = MathF.Round(values[(r * columns) + c] / scales[c], MidpointRounding.ToEven);
                int8[(r * columns) + c] = unchecked((byte)(sbyte)Math.Clamp(q, -127f, 127f));
            }
        }

        var weights = new TensorProto
        {
            Name = weight.Name + "_int8",
            DataType = (int)TensorProto.Types.DataType.Int8,
            RawData = ByteString.CopyFrom(int8),
        };
        weights.Dims.Add(rows);
        weights.Dims.Add(columns);

        var scaleBytes = new byte[columns * sizeof(float)];
        for (var c = 0; c < columns; c++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(scaleBytes.AsSpan(c * sizeof(float)), scales[c]);
        }

        var scaleTensor = new TensorProto
        {
            Name = weight.Name + "_scale",
            DataType = (int)TensorProto.Types.DataType.Float,
            RawData = ByteString.CopyFrom(scaleBytes),
        };
        scaleTensor.Dims.Add(columns);
        return (weights, scaleTensor);
    }

    private static float[] ReadFloats(TensorProto tensor, int count)
    {
        if (tensor.FloatData.Count == count)
        {
            return [.. tensor.FloatData];
        }

        var raw = tensor.RawData.Span;
        if (raw.Length != count * sizeof(float))
        {
            throw new EmbeddingException($"The ONNX weight {tensor.Name} holds {raw.Length} bytes, not {count} floats.");
        }

        var values = new float[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = BinaryPrimitives.ReadSingleLittleEndian(raw.Slice(i * sizeof(float)));
        }

        return values;
    }
}
