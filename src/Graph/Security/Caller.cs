namespace GraphRag.Graph.Security;

/// <summary>
/// Who is asking: a principal, the groups it belongs to and what it is granted. Built by the host from an API key
/// (or the local administrator for the CLI); every read path decides visibility from it.
/// </summary>
/// <param name="Principal">The caller's own name (an ACL entry <c>user:&lt;principal&gt;</c> names it).</param>
/// <param name="Groups">Groups (ACL entries <c>group:&lt;name&gt;</c>); the first is where the caller's uploads go by default.</param>
/// <param name="Grants">Capabilities: <see cref="Grants.Pii"/>, <see cref="Grants.Write"/>, <see cref="Grants.Admin"/>.</param>
public sealed record Caller(string Principal, IReadOnlyList<string> Groups, IReadOnlyList<string> Grants)
{
    /// <summary>The local administrator: reads everything, sees personal data, may write.</summary>
    public static Caller LocalAdministrator { get; } = new("local-admin", [], [Security.Grants.Admin, Security.Grants.Pii, Security.Grants.Write]);

    public bool IsAdministrator => Has(Security.Grants.Admin);

    public bool Has(string grant) => Grants.Contains(grant, StringComparer.Ordinal);

    /// <summary>The ACL entries that name this caller: <c>user:principal</c> and <c>group:g</c> for each group.</summary>
    public IReadOnlyList<string> AclEntries => [AccessControl.User(Principal), .. Groups.Select(AccessControl.Group)];

    /// <summary>The ACL an upload gets when it names none: the caller's first group, or the caller alone.</summary>
    public IReadOnlyList<string> DefaultAcl => Groups.Count > 0 ? [AccessControl.Group(Groups[0])] : [AccessControl.User(Principal)];
}

/// <summary>The capabilities a key can carry.</summary>
public static class Grants
{
    /// <summary>Sees personal data unmasked.</summary>
    public const string Pii = "pii";

    /// <summary>Uploads and deletes documents it may read.</summary>
    public const string Write = "write";

    /// <summary>Reads every document and runs server-side ingest jobs.</summary>
    public const string Admin = "admin";

    public static IReadOnlyList<string> All { get; } = [Pii, Write, Admin];
}

/// <summary>
/// Document ACLs. An entry is <c>user:&lt;principal&gt;</c>, <c>group:&lt;group&gt;</c> or <c>*</c> (every
/// authenticated caller). A document with an empty ACL was stored by the local administrator without one and is
/// readable by every caller, as <c>*</c>.
/// </summary>
public static class AccessControl
{
    public const string Everyone = "*";

    public static string User(string principal) => "user:" + principal;

    public static string Group(string group) => "group:" + group;

    /// <summary>True when the caller may read a document with this ACL.</summary>
    public static bool CanRead(IReadOnlyCollection<string> acl, Caller caller)
    {
        ArgumentNullException.ThrowIfNull(acl);
        ArgumentNullException.ThrowIfNull(caller);
        if (caller.IsAdministrator || acl.Count == 0)
        {
            return true;
        }

        foreach (var entry in acl)
        {
            if (entry == Everyone
                || (entry.StartsWith("user:", StringComparison.Ordinal) && string.Equals(entry[5..], caller.Principal, StringComparison.Ordinal))
                || (entry.StartsWith("group:", StringComparison.Ordinal) && caller.Groups.Contains(entry[6..], StringComparer.Ordinal)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Checks an entry's form; names are 1-128 characters of letters, digits and <c>._@-</c>.</summary>
    public static void Validate(string entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (entry == Everyone)
        {
            return;
        }

        var name = entry.StartsWith("user:", StringComparison.Ordinal) ? entry[5..]
            : entry.StartsWith("group:", StringComparison.Ordinal) ? entry[6..]
            : null;
        if (name is null || !IsName(name))
        {
            throw new InvalidInputException(
                $"ACL entry '{entry}' is not valid: use user:<name>, group:<name> or *, names of 1-128 letters, digits, '.', '_', '@' or '-'.");
        }
    }

    /// <summary>True for a principal or group name: 1-128 letters, digits, '.', '_', '@' or '-'.</summary>
    public static bool IsName(string name) =>
        name.Length is > 0 and <= 128 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '@' or '-');
}
