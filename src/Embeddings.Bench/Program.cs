// Local embedding throughput: ms per ~100-word passage, int8 and fp32, at the given batch size and threads.
//   dotnet run -c Release --project src/Embeddings.Bench -- [passages=96] [batch=8] [threads=ProcessorCount]
// Query latency: each question of a dataset embedded alone, as a hybrid query does (int8, one thread, query prefix).
//   dotnet run -c Release --project src/Embeddings.Bench -- questions <questions.jsonl> [passes=5]
using System.Diagnostics;
using System.Globalization;
using System.Numerics.Tensors;
using System.Text.Json;
using GraphRag.Embeddings;
using Microsoft.Extensions.AI;

if (args.Length > 1 && args[0] == "questions")
{
    var questions = File.ReadLines(args[1])
        .Where(l => !string.IsNullOrWhiteSpace(l))
        .Select(l => JsonDocument.Parse(l).RootElement.GetProperty("question").GetString()!)
        .ToArray();
    var passes = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 5;
    using var model = new OnnxEmbeddingGenerator(new OnnxEmbeddingOptions());
    var prefix = model.Info.QueryPrefix ?? string.Empty;
    var tokens = 0L;
    foreach (var question in questions)
    {
        tokens += (await model.GenerateAsync([prefix + question]).ConfigureAwait(false)).Usage!.InputTokenCount!.Value;
    }

    // Per question, the best of the passes (the least disturbed by the machine's other work); then their median and mean.
    var best = Enumerable.Repeat(double.MaxValue, questions.Length).ToArray();
    for (var pass = 0; pass < passes; pass++)
    {
        for (var i = 0; i < questions.Length; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await model.GenerateAsync([prefix + questions[i]]).ConfigureAwait(false);
            best[i] = Math.Min(best[i], Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
    }

    Array.Sort(best);
    Console.WriteLine(
        $"{model.Info.Id}: {questions.Length} questions, {(double)tokens / questions.Length:F1} tokens each; " +
        $"best of {passes} per question: p50 {best[best.Length / 2]:F2} ms, mean {best.Average():F2} ms, max {best[^1]:F2} ms");
    return;
}

var passageCount = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 96;
var batchSize = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 8;
var threads = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : Environment.ProcessorCount;

// Fixed seed: every run embeds the same text.
var random = new Random(42);
var words = ("the of and to in is was for on that with as by at from his an were are which this be has or had first " +
    "one their its new after but who not they have her she two been other when there all during into school time may " +
    "years more most only over city some world would where later up such used many can state about national out known " +
    "university united then made treaty river council engine protein revenue quarterly signed").Split(' ');
var passages = Enumerable.Range(0, passageCount)
    .Select(_ => string.Join(' ', Enumerable.Range(0, 100).Select(_ => words[random.Next(words.Length)])) + ".")
    .ToArray();

Console.WriteLine($"{passageCount} passages of 100 words, batch {batchSize}, {threads} threads, {Environment.ProcessorCount} cores");
ReadOnlyMemory<float>[]? fp32Vectors = null;
foreach (var quantize in new[] { false, true })
{
    var loadStarted = Stopwatch.GetTimestamp();
    using var generator = new OnnxEmbeddingGenerator(new OnnxEmbeddingOptions { Quantize = quantize, BatchSize = batchSize, Threads = threads });
    var loadMs = Stopwatch.GetElapsedTime(loadStarted).TotalMilliseconds;
    var warmUp = await generator.GenerateAsync(passages.Take(batchSize)).ConfigureAwait(false);
    var best = double.MaxValue;
    GeneratedEmbeddings<Embedding<float>>? vectors = null;
    for (var run = 0; run < 3; run++)
    {
        var started = Stopwatch.GetTimestamp();
        vectors = await generator.GenerateAsync(passages).ConfigureAwait(false);
        best = Math.Min(best, Stopwatch.GetElapsedTime(started).TotalMilliseconds / passageCount);
    }

    var tokens = (double)warmUp.Usage!.InputTokenCount!.Value / batchSize;
    var line = $"{generator.Info.Id,-42} load {loadMs,6:F0} ms  {best,6:F2} ms/passage  ({tokens:F0} tokens each, best of 3)";
    if (quantize && fp32Vectors is not null)
    {
        var min = Enumerable.Range(0, passageCount).Min(i => TensorPrimitives.CosineSimilarity(vectors![i].Vector.Span, fp32Vectors[i].Span));
        line += $"  min cosine to fp32 {min:F4}";
    }
    else
    {
        fp32Vectors = [.. vectors!.Select(v => v.Vector)];
    }

    Console.WriteLine(line);
}
