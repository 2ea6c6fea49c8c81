using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using GraphRag.Hosting;
using GraphRag.Graph;
using GraphRag.Graph.Abstractions;
using GraphRag.Graph.Security;
using GraphRag.Ingest.Pipeline;
using GraphRag.Ingest.Privacy;
using GraphRag.Ingest.Readers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;

namespace GraphRag.Api.Http;

/// <summary>Uploading, listing, reading and deleting documents, each within what the caller may read.</summary>
internal static class DocumentEndpoints
{
    public static void Map(RouteGroupBuilder v1)
    {
        v1.MapPost("/documents", (HttpContext http, DocumentService service, CancellationToken cancellationToken) => service.UploadAsync(http, cancellationToken))
            .WithName("UploadDocument").WithTags("Documents")
            .WithSummary("Store one document: a multipart upload (field 'file', optional 'acl', 'metadata' as a JSON object, 'pii') or JSON text.")
            .Accepts<DocumentUpload>("application/json", "multipart/form-data")
            .Produces<UploadResult>(StatusCodes.Status201Created).Produces<UploadResult>()
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType).ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        v1.MapGet("/documents", (int? offset, int? limit, HttpContext http, DocumentService service, CancellationToken cancellationToken) =>
                service.ListAsync(http, offset ?? 0, limit ?? 100, cancellationToken))
            .WithName("ListDocuments").WithTags("Documents").WithSummary("The documents the caller may read, by id, a page at a time (limit 1-1000).")
            .Produces<DocumentPage>().ProducesProblem(StatusCodes.Status400BadRequest);

        v1.MapGet("/documents/{**id}", (string id, HttpContext http, DocumentService service, CancellationToken cancellationToken) =>
                service.GetAsync(http, DocumentRoute.Id(http, id), cancellationToken))
            .WithName("GetDocument").WithTags("Documents").WithSummary("One document with its metadata, ACL and text.")
            .Produces<DocumentView>().ProducesProblem(StatusCodes.Status404NotFound);

        v1.MapDelete("/documents/{**id}", (string id, HttpContext http, DocumentService service, CancellationToken cancellationToken) =>
                service.DeleteAsync(http, DocumentRoute.Id(http, id), cancellationToken))
            .WithName("DeleteDocument").WithTags("Documents")
            .WithSummary("Remove a document, its chunks and mentions, and graph facts only it supported (needs the write grant).")
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
    }
}

/// <summary>
/// The document id a <c>/v1/documents/{id}</c> request names. Ids hold slashes (<c>uploads/alice/note.txt</c>); a client
/// may send them as they are or URL-encoded (<c>uploads%2Falice%2Fnote.txt</c>, as most clients encode a path
/// parameter). The server decodes every escape in the path but <c>%2F</c>, so the id is decoded here, once, from the
/// request target as the client sent it: <c>%252F</c> stays a literal <c>%2F</c>.
/// </summary>
internal static class DocumentRoute
{
    private const string Prefix = "/v1/documents/";

    public static string Id(HttpContext http, string routeValue)
    {
        var target = http.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (target is not null)
        {
            var query = target.IndexOf('?', StringComparison.Ordinal);
            var path = query < 0 ? target : target[..query];
            var at = path.IndexOf(Prefix, StringComparison.OrdinalIgnoreCase);
            if (at >= 0)
            {
                return Uri.UnescapeDataString(path[(at + Prefix.Length)..]);
            }
        }

        // Without the raw target (another server), undo the one escape the server leaves.
        return routeValue.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase);
    }
}

/// <summary>A document sent as JSON.</summary>
/// <param name="Name">File name whose extension picks the reader: .txt (default), .md or .html.</param>
/// <param name="Text">The document's text.</param>
/// <param name="Metadata">Extra metadata (keys starting 'pii.' or 'uploaded.' are reserved).</param>
/// <param name="Acl">Who may read it: user:&lt;name&gt;, group:&lt;name&gt;; default the uploader's first group.</param>
/// <param name="Pii">Personal-data policy: keep, mask or redact (non-administrators may only choose one at least as strict as the server's).</param>
public sealed record DocumentUpload(
    string? Name, string? Text, IReadOnlyDictionary<string, string>? Metadata = null, IReadOnlyList<string>? Acl = null, string? Pii = null);

public sealed record UploadResult(string Id, string Status, int Chunks, long Characters);

public sealed record DocumentPage(int Offset, int Limit, int Total, IReadOnlyList<DocumentListItem> Documents);

public sealed record DocumentListItem(string Id, string Title, string Source, string MediaType, int Chunks);

public sealed record DocumentView(
    string Id, string Title, string Source, string MediaType, IReadOnlyDictionary<string, string> Metadata, IReadOnlyList<string> Acl, string Text);

internal sealed class DocumentService(Engine engine, Masking masking, IAuditSink audit, ApiOptions options)
{
    /// <summary>Single-document formats: a record file (csv, json, jsonl) holds many documents and goes through an ingest job.</summary>
    private static readonly HashSet<string> UploadExtensions = new(StringComparer.Ordinal) { ".txt", ".md", ".markdown", ".html", ".htm", ".pdf", ".docx" };

    private static readonly HashSet<string> TextExtensions = new(StringComparer.Ordinal) { ".txt", ".md", ".markdown", ".html", ".htm" };

    public async Task<IResult> UploadAsync(HttpContext http, CancellationToken cancellationToken)
    {
        var caller = CallerAuthentication.Of(http);
        if (!caller.Has(Grants.Write) && !caller.IsAdministrator)
        {
            return Problems.Forbidden("Uploading needs a key with the 'write' grant.");
        }

        var upload = await ReadUploadAsync(http.Request, cancellationToken);
        if (upload.Problem is not null)
        {
            return upload.Problem;
        }

        var name = upload.Name!;
        if (engine.PersonalData.Detect(name).Count > 0)
        {
            return Problems.BadRequest("The file name contains personal data; it becomes the document id, which is never masked. Rename the file.");
        }

        if (upload.Acl is { Count: 0 } && !caller.IsAdministrator)
        {
            return Problems.Forbidden("An empty ACL makes a document readable by every caller; only an administrator may store one.");
        }

        var acl = upload.Acl ?? caller.DefaultAcl;
        foreach (var entry in acl)
        {
            AccessControl.Validate(entry);
            if (!caller.IsAdministrator && !caller.AclEntries.Contains(entry, StringComparer.Ordinal))
            {
                return Problems.Forbidden($"ACL entry '{entry}' is not yours to grant: use your own user:<name> or group:<name> entries.");
            }
        }

        var metadata = new Dictionary<string, string>(upload.Metadata ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        if (metadata.Keys.FirstOrDefault(k => k.StartsWith("pii.", StringComparison.Ordinal) || k.StartsWith("uploaded.", StringComparison.Ordinal)) is { } reserved)
        {
            return Problems.BadRequest($"Metadata key '{reserved}' is reserved.");
        }

        var policy = engine.Settings.Ingest.Pii.Policy;
        if (upload.Pii is not null)
        {
            if (!PiiPolicies.TryParse(upload.Pii, out var requested))
            {
                return Problems.BadRequest("pii must be one of keep, mask, redact.");
            }

            if (requested < policy && !caller.IsAdministrator)
            {
                return Problems.Forbidden($"Only an administrator may store personal data less strictly than the server's policy ({policy.ToString().ToLowerInvariant()}).");
            }

            policy = requested;
        }

        metadata["uploaded.by"] = caller.Principal;
        // Each principal's uploads live under their own prefix, so no one can replace a document of someone else's.
        var relative = engine.UploadId(caller, name, policy);
        var exists = await engine.Scopes.CanReadAsync(Caller.LocalAdministrator, relative, cancellationToken);
        if (exists && !await engine.Scopes.CanReadAsync(caller, relative, cancellationToken))
        {
            return Problems.Result(StatusCodes.Status409Conflict, "A document of yours with this name is stored with an ACL that excludes you; an administrator must replace it.");
        }

        var folder = Path.Combine(Path.GetTempPath(), "graphrag-uploads", Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)));
        Directory.CreateDirectory(folder);
        try
        {
            var file = Path.Combine(folder, name);
            await File.WriteAllBytesAsync(file, upload.Content!, cancellationToken);
            IngestResult? result = null;
            var run = new IngestRun { Files = [new SourceFile(file, relative)], Acl = [.. acl], Metadata = metadata, PiiPolicy = policy };
            await foreach (var item in engine.Pipeline.RunAsync(run, null, cancellationToken))
            {
                result = item;
            }

            var status = result?.Status switch
            {
                IngestStatus.Added => StatusCodes.Status201Created,
                IngestStatus.Replaced or IngestStatus.Unchanged => StatusCodes.Status200OK,
                _ => StatusCodes.Status422UnprocessableEntity,
            };
            await audit.RecordAsync(
                new AuditRecord(caller.Principal, "document.upload", result?.DocumentId ?? relative, status, new Dictionary<string, string>(StringComparer.Ordinal)
                {
                    ["outcome"] = result?.Status.ToString().ToLowerInvariant() ?? "failed",
                    ["bytes"] = upload.Content!.Length.ToString(CultureInfo.InvariantCulture),
                    ["acl"] = string.Join(',', acl),
                }),
                CancellationToken.None);
            if (result is null || result.Status == IngestStatus.Failed)
            {
                return Problems.Result(StatusCodes.Status422UnprocessableEntity, $"{name}: {result?.Reason ?? "nothing could be read"}");
            }

            var body = new UploadResult(result.DocumentId!, result.Status.ToString().ToLowerInvariant(), result.Chunks, result.Characters);
            return status == StatusCodes.Status201Created
                ? TypedResults.Created($"/v1/documents/{Uri.EscapeDataString(body.Id).Replace("%2F", "/", StringComparison.Ordinal)}", body)
                : TypedResults.Ok(body);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    public async Task<IResult> ListAsync(HttpContext http, int offset, int limit, CancellationToken cancellationToken)
    {
        if (offset < 0 || limit is < 1 or > 1000)
        {
            return Problems.BadRequest("offset must be 0 or more and limit 1-1000.");
        }

        var caller = CallerAuthentication.Of(http);
        var access = await engine.Scopes.ResolveAsync(caller, cancellationToken);
        IReadOnlyList<DocumentSummary> page;
        int total;
        if (access.Scope?.ReadableDocuments is { } readable)
        {
            var ids = readable.Order(StringComparer.Ordinal).Skip(offset).Take(limit).ToList();
            page = ids.Count == 0 ? [] : await engine.Documents.ListDocumentsAsync(new DocumentListRequest(0, ids.Count) { Ids = ids }, cancellationToken);
            total = readable.Count;
        }
        else
        {
            page = await engine.Documents.ListDocumentsAsync(new DocumentListRequest(offset, limit), cancellationToken);
            total = (int)(await engine.Statistics.GetCountsAsync(cancellationToken)).Documents;
        }

        var filter = masking.For(caller, access);
        return TypedResults.Ok(new DocumentPage(
            offset,
            limit,
            total,
            page.Select(d => new DocumentListItem(d.Id, filter.Text(d.Id, d.Title), filter.Text(d.Id, d.Source), d.MediaType, d.ChunkCount)).ToList()));
    }

    public async Task<IResult> GetAsync(HttpContext http, string id, CancellationToken cancellationToken)
    {
        var caller = CallerAuthentication.Of(http);
        var access = await engine.Scopes.ResolveAsync(caller, cancellationToken);
        // The row is checked again: its ACL may have changed since the readable set was computed.
        if (access.Scope?.CanRead(id) == false
            || await engine.Documents.GetDocumentAsync(id, cancellationToken) is not { } document
            || !AccessControl.CanRead(document.Acl, caller))
        {
            return Problems.NotFound("document with this id");
        }

        var filter = masking.For(caller, access);
        return TypedResults.Ok(new DocumentView(
            document.Id,
            filter.Text(document.Id, document.Title),
            filter.Text(document.Id, document.Source),
            document.MediaType,
            document.Metadata.ToDictionary(p => p.Key, p => filter.Text(document.Id, p.Value), StringComparer.Ordinal),
            document.Acl,
            filter.Span(document.Id, 0, document.Text)));
    }

    public async Task<IResult> DeleteAsync(HttpContext http, string id, CancellationToken cancellationToken)
    {
        var caller = CallerAuthentication.Of(http);
        // Unreadable and absent answer alike; the write grant is checked after, so it reveals nothing either.
        if (!await engine.Scopes.CanReadAsync(caller, id, cancellationToken))
        {
            return Problems.NotFound("document with this id");
        }

        if (!caller.Has(Grants.Write) && !caller.IsAdministrator)
        {
            return Problems.Forbidden("Deleting needs a key with the 'write' grant.");
        }

        // Readable is not owned: a writer deletes its own uploads; shared and ingested documents need an administrator.
        if (!caller.IsAdministrator && !engine.IsOwnUpload(caller, id))
        {
            return Problems.Forbidden("Only your own uploads can be deleted with this key; ask an administrator for others.");
        }

        var deleted = await engine.Writer.DeleteAsync(id, cancellationToken);
        await audit.RecordAsync(new AuditRecord(caller.Principal, "document.delete", id, deleted ? 204 : 404), CancellationToken.None);
        return deleted ? TypedResults.NoContent() : Problems.NotFound("document with this id");
    }

    private async Task<Upload> ReadUploadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.HasFormContentType)
        {
            IFormCollection form;
            try
            {
                form = await request.ReadFormAsync(cancellationToken);
            }
            catch (Exception ex) when (ex is InvalidDataException or (IOException and not BadHttpRequestException) && !request.HttpContext.RequestAborted.IsCancellationRequested)
            {
                // A missing boundary, an unterminated quote in a part header, a body that never closes its boundary.
                return Upload.Failed(Problems.BadRequest("The multipart body is malformed: check the boundary and the part headers."));
            }

            if (form.Files.GetFile("file") is not { } file)
            {
                return Upload.Failed(Problems.BadRequest("A multipart upload needs a 'file' part."));
            }

            if (file.Length > options.MaxUploadBytes)
            {
                return Upload.Failed(Problems.Result(StatusCodes.Status413PayloadTooLarge, $"The file is over the limit of {options.MaxUploadBytes} bytes."));
            }

            var name = Path.GetFileName(file.FileName);
            if (CheckName(name, UploadExtensions) is { } badName)
            {
                return Upload.Failed(badName);
            }

            using var buffer = new MemoryStream();
            await file.CopyToAsync(buffer, cancellationToken);
            IReadOnlyList<string>? acl = form["acl"].Count > 0
                ? form["acl"].SelectMany(v => (v ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList()
                : null;
            Dictionary<string, string>? metadata = null;
            if (form["metadata"].ToString() is { Length: > 0 } json)
            {
                try
                {
                    metadata = JsonSerializer.Deserialize<Dictionary<string, string>>(json);
                }
                catch (JsonException)
                {
                    return Upload.Failed(Problems.BadRequest("'metadata' must be a JSON object of string values."));
                }
            }

            return new Upload(name, buffer.ToArray(), metadata, acl, form["pii"].ToString() is { Length: > 0 } pii ? pii : null, null);
        }

        if (request.HasJsonContentType())
        {
            // Uploads may be large as files; as JSON text they are held to MaxJsonBytes, declared or streamed.
            if (request.ContentLength > options.MaxJsonBytes)
            {
                return Upload.Failed(JsonTooLarge());
            }

            if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            {
                limit.MaxRequestBodySize = options.MaxJsonBytes;
            }

            DocumentUpload? body;
            try
            {
                body = await request.ReadFromJsonAsync<DocumentUpload>(cancellationToken);
            }
            catch (BadHttpRequestException tooLarge) when (tooLarge.StatusCode == StatusCodes.Status413PayloadTooLarge)
            {
                return Upload.Failed(JsonTooLarge());
            }

            if (body?.Text is not { Length: > 0 } text)
            {
                return Upload.Failed(Problems.BadRequest("'text' is required."));
            }

            var name = body.Name ?? "document.txt";
            if (CheckName(name, TextExtensions) is { } badName)
            {
                return Upload.Failed(badName);
            }

            return new Upload(name, System.Text.Encoding.UTF8.GetBytes(text), body.Metadata, body.Acl, body.Pii, null);
        }

        return Upload.Failed(Problems.Result(StatusCodes.Status415UnsupportedMediaType, "Send multipart/form-data (a file) or application/json (text)."));
    }

    private IResult JsonTooLarge() =>
        Problems.Result(StatusCodes.Status413PayloadTooLarge, $"A JSON body is limited to {options.MaxJsonBytes} bytes; upload larger documents as multipart files.");

    private static IResult? CheckName(string name, HashSet<string> extensions)
    {
        if (name.Length is 0 or > 128 || name.StartsWith('.') || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' or ' '))
        {
            return Problems.BadRequest("The file name must be 1-128 letters, digits, spaces, '.', '_' or '-'.");
        }

        var extension = Path.GetExtension(name).ToLowerInvariant();
        return extensions.Contains(extension)
            ? null
            : Problems.Result(
                StatusCodes.Status415UnsupportedMediaType,
                $"'{extension}' cannot be uploaded here; accepted: {string.Join(", ", extensions.Order(StringComparer.Ordinal))}. Record files (csv, json, jsonl) go through an ingest job.");
    }

    private sealed record Upload(
        string? Name, byte[]? Content, IReadOnlyDictionary<string, string>? Metadata, IReadOnlyList<string>? Acl, string? Pii, IResult? Problem)
    {
        public static Upload Failed(IResult problem) => new(null, null, null, null, null, problem);
    }
}
