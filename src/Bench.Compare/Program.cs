using System.Text.Json;
using GraphRag.Bench.Compare;

// dotnet run -c Release --project src/Bench.Compare -- <dataset-dir>... [--json] [--no-embeddings]
var json = args.Contains("--json");
var withEmbeddings = !args.Contains("--no-embeddings");
var datasets = args.Where(a => !a.StartsWith("--", StringComparison.Ordinal)).ToList();
if (datasets.Count == 0 || args.Any(a => a.StartsWith("--", StringComparison.Ordinal) && a is not ("--json" or "--no-embeddings")))
{
    await Console.Error.WriteLineAsync("usage: GraphRag.Bench.Compare <dataset-dir>... [--json] [--no-embeddings]");
    await Console.Error.WriteLineAsync("  each dataset folder holds corpus.jsonl ({id,title,text}) and questions.jsonl");
    return 2;
}

var work = Path.Combine(Path.GetTempPath(), $"graphrag-compare-{Environment.ProcessId}");
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

var reports = new List<CompareReport>();
try
{
    foreach (var dataset in datasets)
    {
        reports.Add(await CompareBenchmark.RunAsync(dataset, new CompareOptions(work, withEmbeddings), Console.Error, cancel.Token));
    }
}
finally
{
    if (Directory.Exists(work))
    {
        Directory.Delete(work, recursive: true);
    }
}

if (json)
{
    Console.WriteLine(JsonSerializer.Serialize(reports, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase }));
}
else
{
    foreach (var line in CompareTable.Lines(reports))
    {
        Console.WriteLine(line);
    }
}

return 0;
