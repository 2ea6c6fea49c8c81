namespace GraphRag.Samples.Generator;

internal static class SourceFiles
{
    private const string FolderSeparator = "__";

    /// <summary>Maps <c>folder__name.ext.txt</c> to <c>folder/name.ext</c>; null when the name is not a docx or pdf source.</summary>
    public static string? TargetFor(string sourceFileName)
    {
        if (!sourceFileName.EndsWith(".txt", StringComparison.Ordinal))
        {
            return null;
        }

        var target = sourceFileName[..^".txt".Length].Replace(FolderSeparator, "/", StringComparison.Ordinal);
        return target.EndsWith(".docx", StringComparison.Ordinal) || target.EndsWith(".pdf", StringComparison.Ordinal)
            ? target
            : null;
    }

    /// <summary>Looks for samples/generator/sources from the working directory upwards, so <c>dotnet run</c> works from anywhere in the repo.</summary>
    public static string? FindSourcesDirectory()
    {
        for (var directory = new DirectoryInfo(Environment.CurrentDirectory); directory is not null; directory = directory.Parent)
        {
            foreach (var candidate in new[] { Path.Combine(directory.FullName, "samples", "generator", "sources"), Path.Combine(directory.FullName, "sources") })
            {
                if (Directory.Exists(candidate) && File.Exists(Path.Combine(Path.GetDirectoryName(candidate)!, "GraphRag.Samples.Generator.csproj")))
                {
                    return candidate;
                }
            }
        }

        return null;
    }
}
