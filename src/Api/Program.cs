using GraphRag.Api.Cli;

// An exception on a thread of its own (not a command's) would end the process with SIGABRT (exit 134): it ends in the
// documented code for a bug instead, with the same one line GraphRagCli prints for a command's exceptions.
AppDomain.CurrentDomain.UnhandledException += (_, e) =>
{
    Console.Error.WriteLine($"error: unexpected {e.ExceptionObject.GetType().Name}: {(e.ExceptionObject as Exception)?.Message.ReplaceLineEndings(" ")} (this is a bug; run again with --verbose for the stack trace)");
    if (args.Contains("--verbose"))
    {
        Console.Error.WriteLine(e.ExceptionObject);
    }

    Environment.Exit(ExitCodes.InternalError);
};

return await GraphRagCli.RunAsync(args, Console.Out, Console.Error);
