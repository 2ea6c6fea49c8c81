using System.Text;

namespace GraphRag.Api.Tests.Export;

/// <summary>
/// Reads CSV the way Neo4j 3.x's importer does with <c>--multiline-fields=true</c>: quoted fields may span lines, a
/// doubled quote is a quote, and a backslash escapes the next quote or backslash. Lets the fast tests check what an
/// import would store without a server (the live round trip checks the importer itself).
/// </summary>
internal static class ImportCsv
{
    public static List<string?[]> Read(string path)
    {
        var text = File.ReadAllText(path);
        var rows = new List<string?[]>();
        var fields = new List<string?>();
        var field = new StringBuilder();
        bool quoted = false, wasQuoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '\\' && i + 1 < text.Length && text[i + 1] is '"' or '\\')
                {
                    field.Append(text[++i]);
                }
                else if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = wasQuoted = true;
            }
            else if (c is ',' or '\n')
            {
                fields.Add(field.Length == 0 && !wasQuoted ? null : field.ToString());
                field.Clear();
                wasQuoted = false;
                if (c == '\n')
                {
                    rows.Add([.. fields]);
                    fields.Clear();
                }
            }
            else
            {
                field.Append(c);
            }
        }

        quoted.Should().BeFalse("every quoted field is closed");
        fields.Should().BeEmpty("the file ends with a line break");
        return rows;
    }
}
