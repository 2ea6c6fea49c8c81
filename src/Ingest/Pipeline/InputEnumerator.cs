using GraphRag.Ingest.Readers;
using Microsoft.Extensions.FileSystemGlobbing;

namespace GraphRag.Ingest.Pipeline;

/// <summary>Expands file and folder arguments into input files, in a stable order.</summary>
public static class InputEnumerator
{
    /// <summary>
    /// A file argument is taken as it is (relative path = its file name). A folder is walked recursively; its files
    /// are kept when their extension is supported and they pass the include/exclude globs; relative paths are taken
    /// from the folder (the pipeline then names files under the store's corpus root from the root: <see cref="CorpusRoot"/>). A glob without a slash matches file names at any depth, as in .gitignore (<c>*.md</c> is
    /// <c>**/*.md</c>); one with a slash is relative to the folder. Missing paths are reported through
    /// <paramref name="missing"/>, include globs that kept no file of any folder through <paramref name="unmatched"/>.
    /// </summary>
    public static IReadOnlyList<SourceFile> Enumerate(
        IEnumerable<string> paths,
        IReadOnlyCollection<string> supportedExtensions,
        IEnumerable<string> include,
        IEnumerable<string> exclude,
        ICollection<string> missing,
        ICollection<string>? unmatched = null)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var files = new List<SourceFile>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var includes = include.Select(p => (Given: p, Glob: Glob(p))).ToList();
        var excludes = exclude.Select(Glob).ToList();
        var used = new HashSet<string>(StringComparer.Ordinal);
        var folders = 0;
        foreach (var path in paths)
        {
            var full = Path.GetFullPath(path);
            if (File.Exists(full))
            {
                if (seen.Add(full))
                {
                    files.Add(new SourceFile(full, Path.GetFileName(full)) { Folder = Path.GetDirectoryName(full) });
                }

                continue;
            }

            if (!Directory.Exists(full))
            {
                missing.Add(path);
                continue;
            }

            folders++;
            var matcher = new Matcher(StringComparison.Ordinal);
            matcher.AddIncludePatterns(includes.Count > 0 ? includes.Select(i => i.Glob) : ["**/*"]);
            matcher.AddExcludePatterns(excludes);
            var found = matcher.GetResultsInFullPath(full)
                .Where(f => supportedExtensions.Contains(Path.GetExtension(f).ToLowerInvariant()))
                .Select(f => new SourceFile(f, Path.GetRelativePath(full, f).Replace('\\', '/')) { Folder = Path.TrimEndingDirectorySeparator(full) })
                .OrderBy(f => f.RelativePath, StringComparer.Ordinal)
                .ToList();
            foreach (var (given, glob) in includes)
            {
                if (!used.Contains(given) && found.Any(f => Matches(glob, f.RelativePath)))
                {
                    used.Add(given);
                }
            }

            foreach (var file in found)
            {
                if (seen.Add(file.FullPath))
                {
                    files.Add(file);
                }
            }
        }

        if (unmatched is not null && folders > 0)
        {
            foreach (var (given, _) in includes.Where(i => !used.Contains(i.Given)))
            {
                unmatched.Add(given);
            }
        }

        return files;
    }

    /// <summary>The glob as the matcher takes it: one without a slash matches names at any depth.</summary>
    public static string Glob(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        var glob = pattern.Replace('\\', '/');
        return glob.Contains('/', StringComparison.Ordinal) ? glob.TrimStart('/') : "**/" + glob;
    }

    private static bool Matches(string glob, string relativePath)
    {
        var matcher = new Matcher(StringComparison.Ordinal);
        matcher.AddInclude(glob);
        return matcher.Match(relativePath).HasMatches;
    }
}
