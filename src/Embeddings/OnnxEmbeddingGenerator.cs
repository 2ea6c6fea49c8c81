using System.Collections.Concurrent;
using System.Diagnostics;
using System.Numerics.Tensors;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.Tokenizers;

namespace GraphRag.Embeddings;

/// <summary>
/// Offline embeddings from a small BERT model run by ONNX Runtime on the CPU. One session is loaded and shared:
/// the generator is thread-safe. Within a call, inputs are sorted by length and batched so each batch pads to
/// little more than its own longest input; results come back in input order.
/// </summary>
public sealed partial class OnnxEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    private readonly OnnxEmbeddingOptions _options;
    private readonly OnnxModelDescriptor _model;
    private static readonly ConcurrentDictionary<(OnnxEmbeddingModel, bool, int, string?), Lazy<LoadedModel>> Sessions = new();
    private readonly Lazy<LoadedModel> _loaded;
    private readonly ILogger _logger;

    public OnnxEmbeddingGenerator(OnnxEmbeddingOptions? options = null, ILogger<OnnxEmbeddingGenerator>? logger = null)
    {
        _options = options ?? new OnnxEmbeddingOptions();
        _options.Validate();
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _model = OnnxModelDescriptor.For(_options.Model);

        Info = new EmbeddingModelInfo(
            $"onnx/{_model.Name}/{_options.MaxTokens}" + (_options.Quantize ? "/int8" : string.Empty),
            _model.Dimensions,
            _options.QueryPrefix is null ? _model.QueryPrefix : _options.QueryPrefix.Length == 0 ? null : _options.QueryPrefix);
        Metadata = new EmbeddingGeneratorMetadata("onnx", null, Info.Id, Info.Dimensions);
        // The model is read, quantised and loaded on first use, so commands that embed nothing never pay for it, and
        // once per process: every generator with the same model settings shares the session (engines opened and closed
        // in one process, as tests and benchmarks do, would otherwise each hold a session and its buffers).
        _loaded = Sessions.GetOrAdd(
            (_options.Model, _options.Quantize, _options.Threads, _options.ModelDirectory),
            _ => new Lazy<LoadedModel>(Load, LazyThreadSafetyMode.ExecutionAndPublication));
    }

    /// <summary>What the vectors are: id, length, query prefix.</summary>
    public EmbeddingModelInfo Info { get; }

    public EmbeddingGeneratorMetadata Metadata { get; }

    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values,
        EmbeddingGenerationOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        cancellationToken.ThrowIfCancellationRequested();
        if (options?.Dimensions is { } dimensions && dimensions != _model.Dimensions)
        {
            throw new EmbeddingException($"{Info.Id} produces {_model.Dimensions} dimensions, not {dimensions}.");
        }

        var texts = values as IReadOnlyList<string> ?? [.. values];
        using var activity = EmbeddingsTelemetry.Start("embed local", Info, texts.Count);
        var tokens = new int[texts.Count][];
        for (var i = 0; i < texts.Count; i++)
        {
            tokens[i] = Tokenize(texts[i] ?? throw new ArgumentException("Inputs cannot be null.", nameof(values)));
        }

        // Longest first within the call, so each batch pads to a length close to all of its members.
        var order = Enumerable.Range(0, texts.Count).OrderByDescending(i => tokens[i].Length).ToArray();
        var results = new Embedding<float>[texts.Count];
        var totalTokens = 0;
        for (var start = 0; start < order.Length; start += _options.BatchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var batch = order.AsSpan(start, Math.Min(_options.BatchSize, order.Length - start));
            var vectors = RunBatch(batch, tokens, cancellationToken);
            for (var b = 0; b < batch.Length; b++)
            {
                totalTokens += tokens[batch[b]].Length;
                results[batch[b]] = new Embedding<float>(vectors[b]) { ModelId = Info.Id };
            }
        }

        activity?.SetTag("gen_ai.usage.input_tokens", totalTokens);
        var generated = new GeneratedEmbeddings<Embedding<float>>(results)
        {
            Usage = new UsageDetails { InputTokenCount = totalTokens, TotalTokenCount = totalTokens },
        };
        return Task.FromResult(generated);
    }

    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null)
        {
            return null;
        }

        if (serviceType == typeof(EmbeddingModelInfo))
        {
            return Info;
        }

        if (serviceType == typeof(EmbeddingGeneratorMetadata))
        {
            return Metadata;
        }

        return serviceType.IsInstanceOfType(this) ? this : null;
    }

    /// <summary>Nothing to release: the loaded model is shared by the process's generators and lives as long as it.</summary>
    public void Dispose()
    {
    }

    private LoadedModel Load()
    {
        var started = Stopwatch.GetTimestamp();
        var path = ModelResourceReader.Locate(_model, _options.ModelDirectory);
        byte[] modelBytes;
        var quantised = 0;
        if (!_options.Quantize)
        {
            modelBytes = ModelResourceReader.Read(path, _model.ModelResource);
        }
        else
        {
            var cache = QuantizedModelCache.PathFor(path, _model.ModelResource);
            if (cache is not null && QuantizedModelCache.TryRead(cache) is { } hit)
            {
                (modelBytes, quantised) = hit;
            }
            else
            {
                (modelBytes, quantised) = OnnxInt8Quantizer.Quantize(ModelResourceReader.Read(path, _model.ModelResource));
                if (cache is not null)
                {
                    QuantizedModelCache.TryWrite(cache, modelBytes, quantised);
                }
            }
        }

        BertTokenizer tokenizer;
        using (var vocab = new MemoryStream(ModelResourceReader.Read(path, _model.VocabResource), writable: false))
        {
            tokenizer = BertTokenizer.Create(vocab, new BertOptions { LowerCaseBeforeTokenization = true, RemoveNonSpacingMarks = true });
        }

        var sessionOptions = new SessionOptions
        {
            IntraOpNumThreads = _options.Threads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        InferenceSession session;
        try
        {
            session = new InferenceSession(modelBytes, sessionOptions);
        }
        catch (OnnxRuntimeException ex)
        {
            sessionOptions.Dispose();
            throw new EmbeddingException($"The local embedding model {_model.Name} could not be loaded: {ex.Message}", ex);
        }

        var outputName = session.OutputMetadata.FirstOrDefault(o => o.Value.Dimensions.Length == 3).Key;
        if (outputName is null)
        {
            session.Dispose();
            sessionOptions.Dispose();
            throw new EmbeddingException($"The local embedding model {_model.Name} has no token-level output.");
        }

        LogLoaded(_logger, Info.Id, path, quantised, _options.Threads, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        return new LoadedModel(session, sessionOptions, tokenizer, [.. session.InputMetadata.Keys], outputName);

    }

    /// <summary>The loaded session and tokenizer.</summary>
    private sealed record LoadedModel(InferenceSession Session, SessionOptions Options, BertTokenizer Tokenizer, string[] InputNames, string OutputName)
    {
        public bool HasTokenTypes { get; } = InputNames.Contains("token_type_ids");
    }


    internal int[] Tokenize(string text)
    {
        var tokenizer = _loaded.Value.Tokenizer;
        var ids = tokenizer.EncodeToIds(text, _options.MaxTokens - 2, addSpecialTokens: false, out _, out _);
        var withSpecial = new int[ids.Count + 2];
        withSpecial[0] = tokenizer.ClassificationTokenId;
        for (var i = 0; i < ids.Count; i++)
        {
            withSpecial[i + 1] = ids[i];
        }

        withSpecial[^1] = tokenizer.SeparatorTokenId;
        return withSpecial;
    }

    private float[][] RunBatch(ReadOnlySpan<int> batch, int[][] tokens, CancellationToken cancellationToken)
    {
        var model = _loaded.Value;
        var rows = batch.Length;
        var length = 0;
        foreach (var index in batch)
        {
            length = Math.Max(length, tokens[index].Length);
        }

        var ids = new long[rows * length];
        var mask = new long[rows * length];
        for (var r = 0; r < rows; r++)
        {
            var row = tokens[batch[r]];
            for (var t = 0; t < row.Length; t++)
            {
                ids[(r * length) + t] = row[t];
                mask[(r * length) + t] = 1;
            }
        }

        long[] shape = [rows, length];
        using var idsValue = OrtValue.CreateTensorValueFromMemory(ids, shape);
        using var maskValue = OrtValue.CreateTensorValueFromMemory(mask, shape);
        using var typesValue = model.HasTokenTypes ? OrtValue.CreateTensorValueFromMemory(new long[rows * length], shape) : null;
        var inputs = new OrtValue[model.InputNames.Length];
        for (var i = 0; i < model.InputNames.Length; i++)
        {
            inputs[i] = model.InputNames[i] switch
            {
                "input_ids" => idsValue,
                "attention_mask" => maskValue,
                "token_type_ids" => typesValue!,
                var other => throw new EmbeddingException($"The local embedding model {_model.Name} expects an unknown input '{other}'."),
            };
        }

        using var runOptions = new RunOptions();
        using var registration = cancellationToken.Register(static o => ((RunOptions)o!).Terminate = true, runOptions);
        IDisposableReadOnlyCollection<OrtValue> outputs;
        try
        {
            outputs = model.Session.Run(runOptions, model.InputNames, inputs, [model.OutputName]);
        }
        catch (OnnxRuntimeException ex)
        {
            cancellationToken.ThrowIfCancellationRequested();
            throw new EmbeddingException($"The local embedding model {_model.Name} failed: {ex.Message}", ex);
        }

        using (outputs)
        {
            var hidden = outputs[0].GetTensorDataAsSpan<float>();
            var width = _model.Dimensions;
            var vectors = new float[rows][];
            for (var r = 0; r < rows; r++)
            {
                var vector = new float[width];
                var sequence = hidden.Slice(r * length * width, length * width);
                if (_model.Pooling == Pooling.Cls)
                {
                    sequence[..width].CopyTo(vector);
                }
                else
                {
                    var count = tokens[batch[r]].Length;
                    for (var t = 0; t < count; t++)
                    {
                        TensorPrimitives.Add(vector, sequence.Slice(t * width, width), vector);
                    }

                    TensorPrimitives.Divide(vector, count, vector);
                }

                var norm = TensorPrimitives.Norm(vector);
                TensorPrimitives.Divide(vector, Math.Max(norm, 1e-12f), vector);
                vectors[r] = vector;
            }

            return vectors;
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information,
        Message = "Loaded local embedding model {ModelId} from {Path} ({QuantisedMatMuls} MatMuls quantised to int8, {Threads} threads) in {ElapsedMs:F0} ms")]
    private static partial void LogLoaded(ILogger logger, string modelId, string path, int quantisedMatMuls, int threads, double elapsedMs);
}
