using System.CommandLine;
using System.Globalization;
using GraphRag.Embeddings;
using GraphRag.Hosting;
using GraphRag.Ingest.Pipeline;

namespace GraphRag.Api.Cli;

internal static class ReembedCommand
{
    public static Command Create(Func<ConsoleUi> ui)
    {
        var batch = new Option<int?>("--batch")
        {
            Description = "Chunks per embedding call (1-2048; default GraphRag:Ingest:EmbeddingBatchSize).",
        };
        var force = new Option<bool>("--force")
        {
            Description = "Re-embed every chunk even when the store already records the configured model.",
        };
        var command = new Command(
            "reembed",
            "Give every chunk a vector of the configured embedding model. A store of another model (the error a normal open "
            + "gives) has all its vectors deleted and re-made; a store of the same model only gets the vectors it lacks "
            + "(documents ingested with --no-embeddings, or a run that was interrupted: run it again). Each document's "
            + "vectors are written in a transaction of their own; chunks whose text already has a vector are not embedded again.")
        {
            batch, force,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var console = ui();
            var settings = CliOptions.LoadSettings(parse, parse.GetValue(CliOptions.Database), StoreUse.Existing);
            if (!settings.Embeddings.Enabled || settings.Embeddings.Provider == EmbeddingProvider.None)
            {
                console.Fail("embeddings are off (--no-embeddings, GraphRag:Embeddings:Enabled=false or Provider None): there is no model to re-embed with");
                return ExitCodes.Error;
            }

            var size = parse.GetValue(batch) ?? settings.Ingest.EmbeddingBatchSize;
            if (size is < 1 or > 2048)
            {
                console.Fail("--batch must be 1-2048");
                return ExitCodes.Error;
            }

            // The one command that may open a store of another model: it resets the recorded model before writing.
            settings.Store.CheckVectorModel = false;
            await using var engine = await Engine.OpenAsync(settings, cancellationToken);
            var load = await IngestCommand.LoadEmbeddingModelAsync(engine, cancellationToken);
            console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"reembed: model {engine.VectorModel} loaded in {load.TotalSeconds:F1} s"));
            var last = TimeSpan.Zero;
            var progress = new InlineProgress(p =>
            {
                if (p.DocumentsDone == p.DocumentsTotal || p.Elapsed - last >= TimeSpan.FromSeconds(2))
                {
                    last = p.Elapsed;
                    console.Error.WriteLine(string.Create(
                        CultureInfo.InvariantCulture,
                        $"reembed: {p.DocumentsDone}/{p.DocumentsTotal} documents, {p.Chunks} chunks ({p.Embedded} embedded, {p.Reused} reused), {p.Chunks / Math.Max(p.Elapsed.TotalSeconds, 1e-6):F1} chunks/s"));
                }
            });
            var summary = await engine.ReembedAsync(new ReembedRequest(size, parse.GetValue(force)), progress, cancellationToken);

            // Catch the in-memory indexes up once, so the index file written on dispose holds the new vectors and the
            // next process starts from it instead of replaying (or, past the change log, rebuilding) every document.
            await engine.Backend.Indexes.EnsureCurrentAsync(cancellationToken);
            if (parse.GetValue(CliOptions.Json))
            {
                console.WriteJson(new
                {
                    Model = summary.Model.Id,
                    summary.Model.Dimensions,
                    PreviousModel = summary.PreviousModel?.Id,
                    summary.Reset,
                    summary.Documents,
                    summary.Chunks,
                    summary.Embedded,
                    summary.Reused,
                    EmbeddingSeconds = Math.Round(summary.EmbeddingTime.TotalSeconds, 3),
                    VectorsPerSecond = Math.Round(summary.VectorsPerSecond, 1),
                    Seconds = Math.Round(summary.Elapsed.TotalSeconds, 3),
                });
            }
            else
            {
                var before = summary.PreviousModel is null ? "none" : summary.PreviousModel.ToString();
                console.Line(string.Create(
                    CultureInfo.InvariantCulture,
                    $"re-embedded {summary.Documents} documents, {summary.Chunks} chunks with {summary.Model} (was {before}{(summary.Reset ? ", vectors reset" : string.Empty)}): "
                    + $"{summary.Embedded} embedded, {summary.Reused} reused in {summary.Elapsed.TotalSeconds:F1} s ({summary.VectorsPerSecond:F1} vectors/s)"));
            }

            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Reports on the caller's thread, so progress lines keep their order.</summary>
    private sealed class InlineProgress(Action<ReembedProgress> report) : IProgress<ReembedProgress>
    {
        public void Report(ReembedProgress value) => report(value);
    }
}
