namespace GraphRag.Llm.Tests;

/// <summary>A fact skipped, saying why, when the shared evaluation datasets are not beside the repository.</summary>
public sealed class DatasetFactAttribute : FactAttribute
{
    public DatasetFactAttribute()
    {
        if (DatasetsFolder is null)
        {
            Skip = "shared/datasets was not found beside any ancestor of the test binaries; the musique-100 dry run is skipped.";
        }
    }

    public static string? DatasetsFolder { get; } = Find();

    private static string? Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "shared", "datasets");
            if (Directory.Exists(Path.Combine(candidate, "musique-100")))
            {
                return candidate;
            }
        }

        return null;
    }
}
