using GraphRag.Samples.Generator;

// Generates the .docx and .pdf files of the sample corpus from plain texts in sources/.
// A source named "companies__seaborne-systems-group.docx.txt" becomes "companies/seaborne-systems-group.docx".
if (args.Length is < 1 or > 2)
{
    Console.Error.WriteLine("usage: dotnet run --project samples/generator -- <corpus-dir> [sources-dir]");
    return 2;
}

var corpusDirectory = Path.GetFullPath(args[0]);
var sourcesDirectory = args.Length == 2 ? Path.GetFullPath(args[1]) : SourceFiles.FindSourcesDirectory();
if (sourcesDirectory is null || !Directory.Exists(sourcesDirectory))
{
    Console.Error.WriteLine("cannot find the sources directory (samples/generator/sources); pass it as the second argument");
    return 2;
}

var written = 0;
foreach (var sourcePath in Directory.EnumerateFiles(sourcesDirectory, "*.txt").Order(StringComparer.Ordinal))
{
    var target = SourceFiles.TargetFor(Path.GetFileName(sourcePath));
    if (target is null)
    {
        Console.Error.WriteLine($"skipped {Path.GetFileName(sourcePath)}: name must end in .docx.txt or .pdf.txt");
        continue;
    }

    var source = SourceDocument.Parse(File.ReadAllText(sourcePath));
    var bytes = target.EndsWith(".docx", StringComparison.Ordinal) ? DocxWriter.Write(source) : PdfWriter.Write(source);
    var outputPath = Path.Combine(corpusDirectory, target.Replace('/', Path.DirectorySeparatorChar));
    Directory.CreateDirectory(Path.GetDirectoryName(outputPath)!);
    File.WriteAllBytes(outputPath, bytes);
    Console.WriteLine($"{target} ({bytes.Length:N0} bytes)");
    written++;
}

Console.WriteLine($"{written} files written to {corpusDirectory}");
return 0;
