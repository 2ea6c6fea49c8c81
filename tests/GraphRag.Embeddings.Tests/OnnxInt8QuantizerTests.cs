using Google.Protobuf;
using GraphRag.Embeddings;
using Microsoft.ML.OnnxRuntime;
using Onnx;

namespace GraphRag.Embeddings.Tests;

public sealed class OnnxInt8QuantizerTests
{
    private const int Rows = 16;
    private const int Columns = 8;

    [Fact]
    public void Quantize_MatMulWithConstantWeights_BecomesDynamicQuantizeMatMulWithCloseOutputs()
    {
        var model = TinyModel(sharedWeights: false);

        var (quantised, count) = OnnxInt8Quantizer.Quantize(model);

        count.Should().Be(1);
        var graph = ModelProto.Parser.ParseFrom(quantised).Graph;
        graph.Node.Select(n => n.OpType).Should().Equal("DynamicQuantizeMatMul", "Transpose", "MatMul", "MatMul");
        graph.Initializer.Should().NotContain(t => t.Name == "W", "the fp32 weights are replaced");
        graph.Initializer.Single(t => t.Name == "W_int8").DataType.Should().Be((int)TensorProto.Types.DataType.Int8);

        var expected = Run(model);
        var actual = Run(quantised);
        var scale = expected.Max(MathF.Abs);
        for (var i = 0; i < expected.Length; i++)
        {
            actual[i].Should().BeApproximately(expected[i], 0.03f * scale);
        }
    }

    [Fact]
    public void Quantize_WeightsSharedByTwoMatMuls_AreQuantisedOnce()
    {
        var (quantised, count) = OnnxInt8Quantizer.Quantize(TinyModel(sharedWeights: true));

        count.Should().Be(3);
        var graph = ModelProto.Parser.ParseFrom(quantised).Graph;
        graph.Initializer.Count(t => t.Name == "W_int8").Should().Be(1);
        ModelProto.Parser.ParseFrom(quantised).OpsetImport.Should().Contain(o => o.Domain == "com.microsoft");
    }

    [Fact]
    public void Quantize_NotAnOnnxModel_ThrowsEmbeddingException()
    {
        var act = () => OnnxInt8Quantizer.Quantize([0xFF, 0xFF, 0xFF, 0x01]);

        act.Should().Throw<EmbeddingException>().WithMessage("*not a valid ONNX*");
    }

    private static float[] Run(byte[] model)
    {
        using var session = new InferenceSession(model);
        var input = Enumerable.Range(0, 2 * Rows).Select(i => MathF.Sin(i * 0.7f) * 3f).ToArray();
        using var value = OrtValue.CreateTensorValueFromMemory(input, [2, Rows]);
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, ["X"], [value], ["Y"]);
        return outputs[0].GetTensorDataAsSpan<float>().ToArray();
    }

    /// <summary>
    /// H = X · W, then either activation-only MatMuls (H · Hᵀ) · H, which must stay fp32, or H · P · W, where the
    /// constant W is used twice.
    /// </summary>
    private static byte[] TinyModel(bool sharedWeights)
    {
        var graph = new GraphProto { Name = "tiny" };
        graph.Input.Add(Value("X", 2, Rows));
        graph.Output.Add(Value("Y", 2, Columns));
        graph.Initializer.Add(Weights("W", Rows, Columns, seed: 1));
        if (sharedWeights)
        {
            // X · W · P · W: W feeds two MatMuls.
            graph.Initializer.Add(Weights("P", Columns, Rows, seed: 2));
            graph.Node.Add(Node("MatMul", ["X", "W"], "H"));
            graph.Node.Add(Node("MatMul", ["H", "P"], "H2"));
            graph.Node.Add(Node("MatMul", ["H2", "W"], "Y"));
        }
        else
        {
            graph.Node.Add(Node("MatMul", ["X", "W"], "H"));
            graph.Node.Add(Node("Transpose", ["H"], "HT"));
            graph.Node.Add(Node("MatMul", ["H", "HT"], "S"));
            graph.Node.Add(Node("MatMul", ["S", "H"], "Y"));
        }

        var model = new ModelProto { IrVersion = 7, Graph = graph, ProducerName = "test" };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = string.Empty, Version = 13 });
        return model.ToByteArray();
    }

    private static NodeProto Node(string op, string[] inputs, string output)
    {
        var node = new NodeProto { OpType = op, Name = output + "_node" };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        return node;
    }

    private static TensorProto Weights(string name, int rows, int columns, int seed)
    {
        var random = new Random(seed);
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
        tensor.Dims.Add(rows);
        tensor.Dims.Add(columns);
        tensor.FloatData.AddRange(Enumerable.Range(0, rows * columns).Select(_ => (float)((random.NextDouble() * 2) - 1)));
        return tensor;
    }

    private static ValueInfoProto Value(string name, params long[] shape)
    {
        var tensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = new TensorShapeProto() };
        foreach (var d in shape)
        {
            tensorType.Shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = d });
        }

        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = tensorType } };
    }
}
