using GraphRag.Api.Cli;

return await GraphRagCli.RunAsync(args, Console.Out, Console.Error);
