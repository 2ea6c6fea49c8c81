using System.Numerics.Tensors;
using GraphRag.Embeddings;
using Microsoft.Extensions.AI;

namespace GraphRag.Embeddings.Tests;

[Collection(OnnxModelCollection.Name)]
public sealed class OnnxEmbeddingGeneratorTests(OnnxModelFixture models)
{
    private static readonly string[] Sentences =
    [
        "A cat sits on the mat.",
        "The Treaty of Westphalia was signed in 1648, ending the Thirty Years' War.",
        "Quarterly revenue rose 4% on stronger cloud demand.",
        "How do I reset my password?",
        "Photosynthesis converts light energy into chemical energy stored in glucose, releasing oxygen as a by-product.",
    ];

    [Fact]
    public async Task GenerateAsync_ArcticFp32_MatchesThePackagesOwnEncoder()
    {
        var reference = models.ArcticReference.Encode(Sentences);

        var ours = await models.ArcticFp32.GenerateAsync(Sentences);

        ours.Should().HaveCount(Sentences.Length);
        for (var i = 0; i < Sentences.Length; i++)
        {
            TensorPrimitives.CosineSimilarity(ours[i].Vector.Span, reference[i]).Should().BeGreaterThanOrEqualTo(0.999f, Sentences[i]);
        }
    }

    [Fact]
    public async Task GenerateAsync_ArcticInt8_StaysCloseToThePackagesOwnEncoder()
    {
        var reference = models.ArcticReference.Encode(Sentences);

        var ours = await models.ArcticInt8.GenerateAsync(Sentences);

        for (var i = 0; i < Sentences.Length; i++)
        {
            TensorPrimitives.CosineSimilarity(ours[i].Vector.Span, reference[i]).Should().BeGreaterThanOrEqualTo(0.99f, Sentences[i]);
        }
    }

    [Fact]
    public async Task GenerateAsync_MiniLm_MatchesThePackagesOwnEncoder()
    {
        var reference = models.MiniLmReference.Encode(Sentences);

        var ours = await models.MiniLm.GenerateAsync(Sentences);

        for (var i = 0; i < Sentences.Length; i++)
        {
            TensorPrimitives.CosineSimilarity(ours[i].Vector.Span, reference[i]).Should().BeGreaterThanOrEqualTo(0.999f, Sentences[i]);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task GenerateAsync_ParaphraseIsCloserThanUnrelatedText(bool quantised)
    {
        var generator = quantised ? models.ArcticInt8 : models.ArcticFp32;

        var v = await generator.GeneratePassageVectorsAsync(["A cat sits on the mat", "A kitten rests on a rug", "Quarterly revenue rose 4%"]);

        var paraphrase = TensorPrimitives.CosineSimilarity(v[0].Span, v[1].Span);
        var unrelated = TensorPrimitives.CosineSimilarity(v[0].Span, v[2].Span);
        paraphrase.Should().BeGreaterThan(unrelated + 0.05f);
    }

    [Fact]
    public async Task GenerateAsync_MixedLengthsAcrossBatches_ReturnsInputOrderAndUnitVectors()
    {
        var inputs = Enumerable.Range(0, 19)
            .Select(i => string.Join(' ', Enumerable.Repeat($"word{i}", (i * 7 % 13) + 1)))
            .ToArray();

        var together = await models.ArcticFp32.GenerateAsync(inputs);

        together.Should().HaveCount(inputs.Length);
        for (var i = 0; i < inputs.Length; i++)
        {
            var alone = await models.ArcticFp32.GenerateAsync([inputs[i]]);
            TensorPrimitives.CosineSimilarity(together[i].Vector.Span, alone[0].Vector.Span).Should().BeGreaterThan(0.9999f, $"input {i} keeps its place and padding does not change it");
            TensorPrimitives.Norm(together[i].Vector.Span).Should().BeApproximately(1f, 1e-4f);
        }
    }

    /// <summary>
    /// The packages' own tokenizer turns accented words into [UNK] ("caf [UNK]" for "Café"), so accented text is
    /// checked against what the models were trained with (Hugging Face's uncased BERT: lower-case, strip accents,
    /// CJK characters one by one) instead of against the package.
    /// </summary>
    [Fact]
    public void Tokenize_AccentsAndCjk_FollowUncasedBertNotThePackagesTokenizer()
    {
        // [CLS] cafe zurich naive resume [SEP]
        models.ArcticFp32.Tokenize("Café Zürich naïve résumé").Should().Equal(101, 7668, 10204, 15743, 13746, 102);

        // [CLS] [UNK] 京 is [SEP]: 东 is not in the vocabulary, 京 is, and each is its own word.
        models.ArcticFp32.Tokenize("东京 is").Should().Equal(101, 100, 1755, 2003, 102);
    }

    [Fact]
    public async Task GenerateAsync_InputLongerThanMaxTokens_IsTruncatedNotRejected()
    {
        var longText = string.Join(' ', Enumerable.Repeat("graph retrieval augmented generation", 400));

        models.ArcticFp32.Tokenize(longText).Should().HaveCount(256);
        var result = await models.ArcticFp32.GenerateAsync([longText, "short"]);

        result.Should().HaveCount(2);
        result[0].Vector.Length.Should().Be(384);
    }

    [Fact]
    public async Task GenerateAsync_Concurrently_GivesTheSameVectorsAsSequentially()
    {
        var expected = await models.ArcticFp32.GenerateAsync(Sentences);

        var runs = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => models.ArcticFp32.GenerateAsync(Sentences))));

        foreach (var run in runs)
        {
            for (var i = 0; i < Sentences.Length; i++)
            {
                TensorPrimitives.CosineSimilarity(run[i].Vector.Span, expected[i].Vector.Span).Should().BeGreaterThan(0.9999f);
            }
        }
    }

    [Fact]
    public async Task GenerateAsync_Empty_ReturnsNoVectors()
    {
        var result = await models.ArcticFp32.GenerateAsync([]);

        result.Should().BeEmpty();
    }

    [Fact]
    public async Task GenerateAsync_Cancelled_Throws()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        var act = () => models.ArcticFp32.GenerateAsync(Sentences, cancellationToken: cts.Token);

        await act.Should().ThrowAsync<OperationCanceledException>();
    }

    [Fact]
    public void GetService_ReportsModelIdDimensionsAndPrefix()
    {
        var fp32 = models.ArcticFp32.GetModelInfo();
        var int8 = models.ArcticInt8.GetModelInfo();
        var miniLm = models.MiniLm.GetModelInfo();

        fp32.Should().Be(new EmbeddingModelInfo("onnx/snowflake-arctic-embed-xs/256", 384, "Represent this sentence for searching relevant passages: "));
        int8.Id.Should().Be("onnx/snowflake-arctic-embed-xs/256/int8");
        miniLm.Should().Be(new EmbeddingModelInfo("onnx/all-MiniLM-L6-v2/256", 384, null));
        var metadata = (EmbeddingGeneratorMetadata)models.ArcticFp32.GetService(typeof(EmbeddingGeneratorMetadata))!;
        metadata.DefaultModelId.Should().Be("onnx/snowflake-arctic-embed-xs/256");
        metadata.DefaultModelDimensions.Should().Be(384);
    }

    [Fact]
    public async Task GenerateQueryVectorAsync_PrependsTheModelsQueryPrefix()
    {
        const string Question = "who signed the treaty of westphalia";
        var prefixed = await models.ArcticFp32.GenerateAsync([models.ArcticFp32.Info.QueryPrefix + Question]);
        var bare = await models.ArcticFp32.GenerateAsync([Question]);

        var query = await models.ArcticFp32.GenerateQueryVectorAsync(Question);

        TensorPrimitives.CosineSimilarity(query.Span, prefixed[0].Vector.Span).Should().BeGreaterThan(0.9999f);
        TensorPrimitives.CosineSimilarity(query.Span, bare[0].Vector.Span).Should().BeLessThan(0.99f);
    }

    [Fact]
    public void Constructor_ModelDllMissingFromModelDirectory_FallsBackToTheAppFolder()
    {
        using var generator = new OnnxEmbeddingGenerator(new OnnxEmbeddingOptions { ModelDirectory = Path.GetTempPath(), Quantize = false, Threads = 1 });

        generator.Info.Dimensions.Should().Be(384);
    }

    [Fact]
    public void Constructor_BadOptions_ThrowsEmbeddingException()
    {
        var act = () => new OnnxEmbeddingGenerator(new OnnxEmbeddingOptions { MaxTokens = 4096 });

        act.Should().Throw<EmbeddingException>().WithMessage("*MaxTokens*512*");
    }
}
