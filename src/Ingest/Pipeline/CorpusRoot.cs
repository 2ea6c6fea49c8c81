using System.Text;
using GraphRag.Graph.Abstractions;
using GraphRag.Ingest.Readers;

namespace GraphRag.Ingest.Pipeline;

/// <summary>
/// The rule that names documents read from files, in one place. A store records its corpus root once: the folder of
/// the first file it ingests from a path (the folder given, or a single file's folder). From then on a file under the
/// root is named by its path from the root however it is reached — <c>ingest world</c>, <c>ingest world/people</c> and
/// <c>ingest world/people/x.md</c> all name <c>world/people/x.md</c> <c>people/x.md</c> when the root is <c>world</c> —
/// so the same file is never stored twice under two ids. A file outside the root keeps the name it is reached by
/// (relative to the folder given, or its file name), as every file was named before stores recorded a root; so
/// re-running an ingest as before changes no stored id.
/// </summary>
public static class CorpusRoot
{
    /// <summary>The name the root is kept under in the store (<see cref="IStoreSecrets"/>).</summary>
    public const string Key = "corpus-root";

    /// <summary>
    /// The store's root: the recorded one, or — for a store that has none yet — the folder of the first of
    /// <paramref name="files"/> found through a path, recorded now. Null when the store records nothing or no file
    /// came from a path.
    /// </summary>
    /// <param name="record">False for a dry run: the root a real run would use, recording nothing.</param>
    public static async Task<string?> ResolveAsync(IStoreSecrets? store, IReadOnlyList<SourceFile> files, bool record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(files);
        if (store is null || files.FirstOrDefault(f => f.Folder is not null)?.Folder is not { } folder)
        {
            return null;
        }

        var candidate = Encoding.UTF8.GetBytes(Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder)));
        var root = record
            ? await store.GetOrAddAsync(Key, candidate, cancellationToken).ConfigureAwait(false)
            : await store.GetValueAsync(Key, cancellationToken).ConfigureAwait(false) ?? candidate;
        return Encoding.UTF8.GetString(root.Span);
    }

    /// <summary>The file as a store with this root names it: from the root when under it, otherwise as it was reached.</summary>
    public static SourceFile Name(SourceFile file, string? root)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (root is null || file.Folder is null)
        {
            return file;
        }

        var relative = Path.GetRelativePath(root, file.FullPath);
        var outside = Path.IsPathRooted(relative) || relative == ".."
            || relative.StartsWith(".." + Path.DirectorySeparatorChar, StringComparison.Ordinal)
            || relative.StartsWith("../", StringComparison.Ordinal);
        return outside ? file : file with { RelativePath = relative.Replace('\\', '/') };
    }
}
