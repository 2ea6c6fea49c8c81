using System.CommandLine;
using GraphRag.Hosting;
using GraphRag.Hosting.Export;

namespace GraphRag.Api.Cli;

/// <summary><c>export neo4j --out DIR</c>: the store as CSV files for <c>neo4j-admin import</c>.</summary>
internal static class ExportCommand
{
    public static Command Create(Func<ConsoleUi> ui)
    {
        var output = new Option<string>("--out", "-o") { Description = "Folder for the CSV files (created when missing; files of the same names are replaced).", Required = true };
        var neo4j = new Command("neo4j", "Write node and relationship CSV files in the graph model of cypher/MODEL.md, and print the neo4j-admin import command.")
        {
            output,
        };
        neo4j.SetAction(async (parse, cancellationToken) =>
        {
            var console = ui();
            var settings = CliOptions.LoadSettings(parse, parse.GetValue(CliOptions.Database), StoreUse.Existing);
            // Stored vectors are exported as they are; no model is needed to read them.
            settings.Embeddings.Enabled = false;
            settings.Store.CheckVectorModel = false;
            await using var engine = await Engine.OpenAsync(settings, cancellationToken);
            if (engine.Backend.Export is not { } source)
            {
                console.Fail($"the store at {engine.Location} cannot be exported (its backend offers no export)");
                return ExitCodes.Error;
            }

            var result = await Neo4jBulkExport.WriteAsync(source, parse.GetValue(output)!, cancellationToken);
            if (parse.GetValue(CliOptions.Json))
            {
                console.WriteJson(new
                {
                    result.Directory,
                    result.Generation,
                    ArrayDelimiter = result.ArrayDelimiter.ToString(),
                    Files = result.Files,
                    Import = new { Neo4j3 = result.ImportCommand3(), Neo4j5 = result.ImportCommand5() },
                });
                return ExitCodes.Success;
            }

            console.Line($"exported {engine.Location} (generation {result.Generation}) to {result.Directory}");
            foreach (var file in result.Files)
            {
                console.Line($"  {file.Name,-15} {file.Rows,10:N0} {(file.IsNode ? ":" + file.LabelOrType + " nodes" : file.LabelOrType + " relationships")}");
            }

            if (result.ArrayDelimiter != ';')
            {
                console.Line($"arrays are separated by {(result.ArrayDelimiter == '|' ? "'|'" : "U+001F")}: some array element contains ';'");
            }

            console.Line();
            console.Line("Import into Neo4j 3.x (server stopped, in its folder; on Java 9+ set JDK_JAVA_OPTIONS to the --add-opens flags .ci/neo4j uses):");
            console.Line("  " + result.ImportCommand3());
            console.Line("then set dbms.active_database=graphrag.db in conf/neo4j.conf and start the server.");
            console.Line("Neo4j 5.x (4.x: `neo4j-admin import` with the same options):");
            console.Line("  " + result.ImportCommand5());
            return ExitCodes.Success;
        });
        return new Command("export", "Export the store for another tool.") { neo4j };
    }
}
