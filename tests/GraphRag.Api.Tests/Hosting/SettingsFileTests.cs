using System.ComponentModel.DataAnnotations;
using GraphRag.Hosting;

namespace GraphRag.Api.Tests.Hosting;

/// <summary>graphrag.json mistakes end in one line naming the file, the setting and the problem (they crashed with exit 134).</summary>
public sealed class SettingsFileTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("graphrag-settings-").FullName;

    [Fact]
    public void Load_TypeErrorInGraphragJson_NamesFileSettingAndProblemInOneLine()
    {
        File.WriteAllText(Path.Combine(_folder, "graphrag.json"), """{ "GraphRag": { "Ingest": { "Parallelism": "two" } } }""");

        var load = () => GraphRagSettings.Load(null, _folder);

        load.Should().Throw<ValidationException>()
            .Which.Message.Should().Be("Invalid settings: graphrag.json: GraphRag:Ingest:Parallelism is 'two', not a whole number");
    }

    [Fact]
    public void Load_SeveralTypeErrors_NamesEveryOne()
    {
        File.WriteAllText(Path.Combine(_folder, "graphrag.json"), """
            { "GraphRag": { "Query": { "Restart": "high" }, "Ingest": { "Pii": { "Policy": "Maskk" }, "ExtractGraph": "yes please" } } }
            """);

        var load = () => GraphRagSettings.Load(null, _folder);

        var message = load.Should().Throw<ValidationException>().Which.Message;
        message.Should().Contain("graphrag.json: GraphRag:Query:Restart is 'high', not a number")
            .And.Contain("graphrag.json: GraphRag:Ingest:Pii:Policy is 'Maskk', not one of Keep, Mask, Redact")
            .And.Contain("graphrag.json: GraphRag:Ingest:ExtractGraph is 'yes please', not true or false")
            .And.NotContain("\n");
    }

    [Fact]
    public void Load_AppsettingsValueOverriddenByGraphragJson_NamesTheFileTheValueCameFrom()
    {
        File.WriteAllText(Path.Combine(_folder, "appsettings.json"), """{ "GraphRag": { "Store": { "BusyTimeoutMilliseconds": 100 } } }""");
        File.WriteAllText(Path.Combine(_folder, "graphrag.json"), """{ "GraphRag": { "Store": { "BusyTimeoutMilliseconds": "soon" } } }""");

        var load = () => GraphRagSettings.Load(null, _folder);

        load.Should().Throw<ValidationException>().WithMessage("Invalid settings: graphrag.json: GraphRag:Store:BusyTimeoutMilliseconds is 'soon', not a whole number");
    }

    [Fact]
    public void Load_GraphragJsonNotJson_NamesTheFileAndLine()
    {
        File.WriteAllText(Path.Combine(_folder, "graphrag.json"), "{\n  \"GraphRag\": {\n    \"Ingest\": { \"Parallelism\": 2, }\n");

        var load = () => GraphRagSettings.Load(null, _folder);

        load.Should().Throw<ValidationException>().WithMessage("Invalid settings: graphrag.json is not valid JSON at line *: *")
            .Which.Message.Should().NotContain("\n");
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
