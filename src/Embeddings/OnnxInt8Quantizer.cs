namespace GraphRag.Embeddings;

internal static class OnnxInt8Quantizer
{
    public static (byte[] Model, int QuantisedMatMuls) Quantize(byte[] model) => (model, 0);
}
