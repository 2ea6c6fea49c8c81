using GraphRag.Ingest.Readers;
using Microsoft.Extensions.FileSystemGlobbing;

namespace GraphRag.Ingest.Pipeline;

/// <summary>Expands file and folder arguments into input files, in a stable order.</summary>
public static class InputEnumerator
{
    /// <summary>
    /// A file argument is taken as it is (relative path = its file name). A folder is walked recursively; its files
    /// are kept when their extension is supported and they pass the include/exclude globs; relative paths are taken
    /// from the folder. Missing paths are reported through <paramref name="missing"/>.
    /// </summary>
    public static IReadOnlyList<SourceFile> Enumerate(
        IEnumerable<string> paths,
        IReadOnlyCollection<string> supportedExtensions,
        IEnumerable<string> include,
        IEnumerable<string> exclude,
        ICollection<string> missing)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var files = new List<SourceFile>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var includes = include.ToList();
        var excludes = exclude.ToList();
        foreach (var path in paths)
        {
            var full = Path.GetFullPath(path);
            if (File.Exists(full))
            {
                if (seen.Add(full))
                {
                    files.Add(new SourceFile(full, Path.GetFileName(full)));
                }

                continue;
            }

            if (!Directory.Exists(full))
            {
                missing.Add(path);
                continue;
            }

            var matcher = new Matcher(StringComparison.Ordinal);
            matcher.AddIncludePatterns(includes.Count > 0 ? includes : ["**/*"]);
            matcher.AddExcludePatterns(excludes);
            var found = matcher.GetResultsInFullPath(full)
                .Where(f => supportedExtensions.Contains(Path.GetExtension(f).ToLowerInvariant()))
                .Select(f => new SourceFile(f, Path.GetRelativePath(full, f).Replace('\\', '/')))
                .OrderBy(f => f.RelativePath, StringComparer.Ordinal);
            foreach (var file in found)
            {
                if (seen.Add(file.FullPath))
                {
                    files.Add(file);
                }
            }
        }

        return files;
    }
}
