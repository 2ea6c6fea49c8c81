using System.Text;
using System.Text.Json;
using GraphRag.Graph.Abstractions;
using GraphRag.Graph.Model;

namespace GraphRag.Hosting.Export;

/// <summary>
/// Exports a store as node and relationship CSV files for <c>neo4j-admin import</c>, in the graph model of
/// <c>cypher/MODEL.md</c>: <c>Document</c>, <c>Chunk</c> and <c>Entity</c> nodes; <c>HAS_CHUNK</c>, <c>MENTIONS</c>,
/// <c>DESCRIBES</c> and <c>RELATES</c> relationships. Reads through <see cref="IGraphExportSource"/> only (any backend),
/// streaming row by row within one consistent read.
/// </summary>
public static class Neo4jBulkExport
{
    /// <summary>Array delimiters tried in order: the first that no exported string element contains is used.</summary>
    public static readonly IReadOnlyList<char> ArrayDelimiters = [';', '|', '\u001F'];

    internal static readonly string[] DocumentHeader =
        ["id:ID(Document)", ":LABEL", "title", "source", "mediaType", "contentHash", "pipeline", "acl:string[]", "metadata", "regions", "text"];

    internal static readonly string[] ChunkHeader =
    [
        "id:ID(Chunk)", ":LABEL", "documentId", "ordinal:int", "start:int", "end:int", "tokenCount:int", "page:int", "section", "text", "preview",
        "embedding:float[]", "embeddingTextHash",
    ];

    internal static readonly string[] EntityHeader =
        ["id:ID(Entity)", ":LABEL", "key", "name", "type", "mentionCount:int", "documentCount:int"];

    internal static readonly string[] HasChunkHeader = [":START_ID(Document)", ":END_ID(Chunk)", ":TYPE", "ordinal:int"];

    internal static readonly string[] MentionsHeader =
        [":START_ID(Chunk)", ":END_ID(Entity)", ":TYPE", "id", "documentId", "start:int", "end:int", "text", "surfaceKey", "type", "resolution", "extractor"];

    internal static readonly string[] DescribesHeader = [":START_ID(Document)", ":END_ID(Entity)", ":TYPE", "key", "name", "type", "mentions:int"];

    internal static readonly string[] RelatesHeader =
    [
        ":START_ID(Entity)", ":END_ID(Entity)", ":TYPE", "id", "type", "weight:double", "evidenceCount:int",
        "evidenceDocumentIds:string[]", "evidenceChunkIds:string[]", "evidenceStarts:int[]", "evidenceEnds:int[]", "evidencePhrases:string[]",
        "evidenceWeights:double[]", "evidenceExtractors:string[]",
    ];

    /// <summary>The Browser caption of a chunk: its first characters.</summary>
    internal const int PreviewLength = 60;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Writes the files into <paramref name="directory"/> (created when missing; files of the same names are replaced).</summary>
    public static async Task<Neo4jExportResult> WriteAsync(IGraphExportSource source, string directory, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        var full = Path.GetFullPath(directory);
        Directory.CreateDirectory(full);
        var reader = await source.OpenExportAsync(cancellationToken).ConfigureAwait(false);
        await using var _ = reader.ConfigureAwait(false);
        var delimiter = await ChooseArrayDelimiterAsync(reader, cancellationToken).ConfigureAwait(false);
        string File(string name) => Path.Combine(full, name);

        long documents, chunks, entities, hasChunk, mentions, describes, relates;
        var documentFile = Open(File("documents.csv"), delimiter);
        await using (documentFile.ConfigureAwait(false))
        {
            await documentFile.WriteHeaderAsync(DocumentHeader, cancellationToken).ConfigureAwait(false);
            await foreach (var row in reader.ReadDocumentsAsync(cancellationToken).ConfigureAwait(false))
            {
                var d = row.Document;
                documentFile.String(d.Id).String("Document").String(d.Title).String(d.Source).String(d.MediaType).String(d.ContentHash).String(row.Pipeline)
                    .Strings(d.Acl).String(JsonSerializer.Serialize(d.Metadata, Json)).String(JsonSerializer.Serialize(d.Regions, Json)).String(d.Text);
                await documentFile.EndRowAsync(cancellationToken).ConfigureAwait(false);
            }

            documents = documentFile.Rows;
        }

        var chunkFile = Open(File("chunks.csv"), delimiter);
        var hasChunkFile = Open(File("has_chunk.csv"), delimiter);
        await using (chunkFile.ConfigureAwait(false))
        await using (hasChunkFile.ConfigureAwait(false))
        {
            await chunkFile.WriteHeaderAsync(ChunkHeader, cancellationToken).ConfigureAwait(false);
            await hasChunkFile.WriteHeaderAsync(HasChunkHeader, cancellationToken).ConfigureAwait(false);
            await foreach (var row in reader.ReadChunksAsync(cancellationToken).ConfigureAwait(false))
            {
                var c = row.Chunk;
                chunkFile.String(c.Id).String("Chunk").String(c.DocumentId).Int(c.Ordinal).Int(c.Start).Int(c.End).Int(c.TokenCount).Int(c.Page).String(c.Section)
                    .String(c.Text).String(Preview(c.Text)).Floats(row.Vector?.ToFloats()).String(row.Vector?.TextHash);
                await chunkFile.EndRowAsync(cancellationToken).ConfigureAwait(false);
                hasChunkFile.String(c.DocumentId).String(c.Id).String("HAS_CHUNK").Int(c.Ordinal);
                await hasChunkFile.EndRowAsync(cancellationToken).ConfigureAwait(false);
            }

            chunks = chunkFile.Rows;
            hasChunk = hasChunkFile.Rows;
        }

        var entityFile = Open(File("entities.csv"), delimiter);
        var describesFile = Open(File("describes.csv"), delimiter);
        await using (entityFile.ConfigureAwait(false))
        await using (describesFile.ConfigureAwait(false))
        {
            await entityFile.WriteHeaderAsync(EntityHeader, cancellationToken).ConfigureAwait(false);
            await describesFile.WriteHeaderAsync(DescribesHeader, cancellationToken).ConfigureAwait(false);
            await foreach (var row in reader.ReadEntitiesAsync(cancellationToken).ConfigureAwait(false))
            {
                var e = row.Entity;
                entityFile.String(e.Id).String("Entity").String(e.Key).String(e.Name).String(e.Type).Int(e.MentionCount).Int(e.DocumentCount);
                await entityFile.EndRowAsync(cancellationToken).ConfigureAwait(false);
                foreach (var description in row.Descriptions)
                {
                    describesFile.String(description.DocumentId).String(e.Id).String("DESCRIBES")
                        .String(description.Key).String(description.Name).String(description.Type).Int(description.Mentions);
                    await describesFile.EndRowAsync(cancellationToken).ConfigureAwait(false);
                }
            }

            entities = entityFile.Rows;
            describes = describesFile.Rows;
        }

        var mentionsFile = Open(File("mentions.csv"), delimiter);
        await using (mentionsFile.ConfigureAwait(false))
        {
            await mentionsFile.WriteHeaderAsync(MentionsHeader, cancellationToken).ConfigureAwait(false);
            await foreach (var row in reader.ReadMentionsAsync(cancellationToken).ConfigureAwait(false))
            {
                var m = row.Mention;
                mentionsFile.String(m.Span.ChunkId).String(m.EntityId).String("MENTIONS").String(m.Id).String(m.Span.DocumentId).Int(m.Span.Start).Int(m.Span.End)
                    .String(m.Text).String(row.SurfaceKey).String(m.Type).String(m.Resolution).String(m.Extractor);
                await mentionsFile.EndRowAsync(cancellationToken).ConfigureAwait(false);
            }

            mentions = mentionsFile.Rows;
        }

        var relatesFile = Open(File("relates.csv"), delimiter);
        await using (relatesFile.ConfigureAwait(false))
        {
            await relatesFile.WriteHeaderAsync(RelatesHeader, cancellationToken).ConfigureAwait(false);
            await foreach (var r in reader.ReadRelationsAsync(cancellationToken).ConfigureAwait(false))
            {
                var evidence = r.Evidence;
                relatesFile.String(r.SourceId).String(r.TargetId).String("RELATES").String(r.Id).String(r.Label).Double(r.Weight).Int(evidence.Count)
                    .Strings(evidence.Select(e => e.Span.DocumentId).ToList())
                    .Strings(evidence.Select(e => e.Span.ChunkId).ToList())
                    .Ints(evidence.Select(e => e.Span.Start).ToList())
                    .Ints(evidence.Select(e => e.Span.End).ToList())
                    .Strings(evidence.Select(e => e.Phrase).ToList())
                    .Doubles(evidence.Select(e => e.Weight).ToList())
                    .Strings(evidence.Select(e => e.Extractor).ToList());
                await relatesFile.EndRowAsync(cancellationToken).ConfigureAwait(false);
            }

            relates = relatesFile.Rows;
        }

        return new Neo4jExportResult(
            full,
            reader.Generation,
            delimiter,
            [
                new Neo4jExportFile("documents.csv", "Document", documents, IsNode: true),
                new Neo4jExportFile("chunks.csv", "Chunk", chunks, IsNode: true),
                new Neo4jExportFile("entities.csv", "Entity", entities, IsNode: true),
                new Neo4jExportFile("has_chunk.csv", "HAS_CHUNK", hasChunk, IsNode: false),
                new Neo4jExportFile("mentions.csv", "MENTIONS", mentions, IsNode: false),
                new Neo4jExportFile("describes.csv", "DESCRIBES", describes, IsNode: false),
                new Neo4jExportFile("relates.csv", "RELATES", relates, IsNode: false),
            ]);
    }

    /// <summary>
    /// The first of <see cref="ArrayDelimiters"/> that no string array element contains (ACL names, evidence ids and
    /// phrases; relation phrases often hold a <c>;</c>), found by a first pass in the same read.
    /// </summary>
    private static async Task<char> ChooseArrayDelimiterAsync(IGraphExportReader reader, CancellationToken cancellationToken)
    {
        var candidates = ArrayDelimiters.ToList();
        void Check(string value) => candidates.RemoveAll(c => value.Contains(c, StringComparison.Ordinal));
        await foreach (var row in reader.ReadDocumentsAsync(cancellationToken).ConfigureAwait(false))
        {
            row.Document.Acl.ToList().ForEach(Check);
            Check(row.Document.Id);
        }

        await foreach (var relation in reader.ReadRelationsAsync(cancellationToken).ConfigureAwait(false))
        {
            foreach (var evidence in relation.Evidence)
            {
                Check(evidence.Phrase);
                Check(evidence.Span.ChunkId);
                Check(evidence.Extractor);
            }

            if (candidates.Count == 0)
            {
                break;
            }
        }

        return candidates.Count > 0
            ? candidates[0]
            : throw new InvalidDataException(
                "Every array delimiter the export can use (; | U+001F) occurs in some ACL name, id or relation phrase, so no array would survive the import.");
    }

    private static Neo4jCsvWriter Open(string path, char delimiter) => new(Neo4jCsvWriter.CreateFile(path), delimiter);

    internal static string Preview(string text)
    {
        if (text.Length <= PreviewLength)
        {
            return text;
        }

        var length = char.IsHighSurrogate(text[PreviewLength - 1]) ? PreviewLength - 1 : PreviewLength;
        return text[..length];
    }
}

/// <summary>One exported file: the label or relationship type it holds and how many rows.</summary>
public sealed record Neo4jExportFile(string Name, string LabelOrType, long Rows, bool IsNode);

/// <summary>What an export wrote, and the commands that import it.</summary>
/// <param name="Directory">The folder holding the files.</param>
/// <param name="Generation">The store generation exported.</param>
/// <param name="ArrayDelimiter">The array delimiter the files use (pass it to the importer when it is not <c>;</c>).</param>
/// <param name="Files">The files, nodes first.</param>
public sealed record Neo4jExportResult(string Directory, long Generation, char ArrayDelimiter, IReadOnlyList<Neo4jExportFile> Files)
{
    /// <summary>Rows per label (nodes) or type (relationships).</summary>
    public IReadOnlyDictionary<string, long> Counts => Files.ToDictionary(f => f.LabelOrType, f => f.Rows, StringComparer.Ordinal);

    /// <summary>The import command for Neo4j 3.x, run in the server's folder while it is stopped.</summary>
    public string ImportCommand3(string database = "graphrag.db") =>
        $"bin/neo4j-admin import --mode=csv --database={database} {Sources("--nodes=", "--relationships=")} {Options()} --id-type=STRING";

    /// <summary>The import command for Neo4j 5.x (4.x: <c>neo4j-admin import</c> with the same options), on a stopped database.</summary>
    public string ImportCommand5(string database = "neo4j") =>
        $"bin/neo4j-admin database import full {Sources("--nodes=", "--relationships=")} {Options()} --legacy-style-quoting=true --id-type=STRING --overwrite-destination=true {database}";

    private string Sources(string nodes, string relationships)
    {
        var text = new StringBuilder();
        foreach (var file in Files)
        {
            if (text.Length > 0)
            {
                text.Append(' ');
            }

            text.Append(file.IsNode ? nodes : relationships).Append(Quote(Path.Combine(Directory, file.Name)));
        }

        return text.ToString();
    }

    private string Options() =>
        "--multiline-fields=true" + (ArrayDelimiter == ';' ? string.Empty : " --array-delimiter=" + DelimiterArgument(ArrayDelimiter));

    private static string DelimiterArgument(char delimiter) => delimiter switch
    {
        '\u001F' => "$'\\x1f'",
        _ => "'" + delimiter + "'",
    };

    private static string Quote(string path) =>
        path.All(c => char.IsLetterOrDigit(c) || c is '/' or '.' or '-' or '_') ? path : "'" + path.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
