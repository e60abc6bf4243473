using DocumentPipeline.Storage;
using DocumentPipeline.Web;

namespace DocumentPipeline.Processing;

/// <summary>Command-line mode used by the crash harness: register inputs, process everything, exit.</summary>
public static class BatchMode
{
    public static async Task<int> RunAsync(string[] args)
    {
        string? input = null;
        var options = new PipelineOptions { ProcessSamplesOnStart = false };
        for (var i = 1; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--data" when i + 1 < args.Length:
                    options.DataDirectory = args[++i];
                    break;
                case "--stage-delay-ms" when i + 1 < args.Length && int.TryParse(args[i + 1], out var delay):
                    options.StageDelayMs = delay;
                    i++;
                    break;
                case "--claim-lease-ms" when i + 1 < args.Length && int.TryParse(args[i + 1], out var lease):
                    options.ClaimLeaseMs = lease;
                    i++;
                    break;
                default:
                    if (input is null && !args[i].StartsWith("--", StringComparison.Ordinal))
                    {
                        input = args[i];
                        break;
                    }

                    Console.Error.WriteLine($"error: unknown argument '{args[i]}'. Usage: --batch <input-dir> [--data <dir>] [--stage-delay-ms N] [--claim-lease-ms N]");
                    return 2;
            }
        }

        if (input is null || !Directory.Exists(input))
        {
            Console.Error.WriteLine($"error: input directory '{input}' does not exist. Usage: --batch <input-dir> [--data <dir>]");
            return 2;
        }

        Directory.CreateDirectory(options.DataDirectory);
        var store = new CheckpointStore(options.DataDirectory);
        var database = new PipelineDatabase(options.DatabasePath);
        database.EnsureCreated();
        var runner = new PipelineRunner(store, database, new ProgressBroadcaster(), options);

        foreach (var file in Directory.GetFiles(input, "*.txt").Order())
        {
            var name = Path.GetFileName(file);
            if (database.FindByName(name) is null)
            {
                runner.Upload(name, File.ReadAllText(file));
            }
        }

        Console.WriteLine("started");
        var stuck = await runner.RunAllAsync(TimeSpan.FromMinutes(2), CancellationToken.None);
        Console.WriteLine(stuck == 0 ? "all documents done" : $"{stuck} document(s) not finished");
        return stuck == 0 ? 0 : 3;
    }
}
