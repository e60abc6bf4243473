namespace CheckpointAudit.Benchmarks;

/// <summary>The command line: input folders (default: the repository's samples/ and src/), sample counts, outputs.</summary>
internal sealed record BenchmarkArguments(IReadOnlyList<string> Folders, int Samples, int Warmup, string? JsonPath, bool Peers, IReadOnlySet<string>? Rules, bool Collections = false, bool BodiesBound = false)
{
    public static BenchmarkArguments Parse(string[] args)
    {
        var folders = new List<string>();
        var samples = 5;
        var warmup = 1;
        string? json = null;
        var peers = true;
        var collections = false;
        var bodiesBound = false;
        HashSet<string>? rules = null;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--samples":
                    samples = Count(args, ++i, "--samples", minimum: 1);
                    break;
                case "--warmup":
                    warmup = Count(args, ++i, "--warmup", minimum: 0);
                    break;
                case "--json":
                    json = i + 1 < args.Length ? args[++i] : throw new InputException("--json needs a file name");
                    break;
                case "--no-peers":
                    peers = false;
                    break;
                case "--with-collections":
                    // Let the collector run during the measured runs (as the first and second passes in bench/README.md were measured).
                    collections = true;
                    break;
                case "--bodies-bound":
                    // Bind every method body before each analyzer run, as the driver does for any operation analyzer (see bench/README.md).
                    bodiesBound = true;
                    break;
                case "--rules":
                    // Only the analyzers of these rules (CKPT201,CKPT608): one rule's cost without the others', to profile it.
                    rules = i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal)
                        ? new HashSet<string>(args[++i].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), StringComparer.OrdinalIgnoreCase)
                        : throw new InputException("--rules needs rule IDs, such as CKPT201,CKPT608");
                    break;
                case var option when option.StartsWith("--", StringComparison.Ordinal):
                    throw new InputException("unknown option " + option + " (use --samples N, --warmup N, --json FILE, --no-peers, --rules IDS, --with-collections, --bodies-bound)");
                default:
                    folders.Add(Directory.Exists(args[i]) ? Path.GetFullPath(args[i]) : throw new InputException("no such folder: " + args[i]));
                    break;
            }
        }

        if (folders.Count == 0)
        {
            var repository = RepositoryRoot() ?? throw new InputException("give a folder of C# sources (the default input, the repository's samples/ and src/, was not found)");
            folders.Add(Path.Combine(repository, "samples"));
            folders.Add(Path.Combine(repository, "src"));
        }

        return new BenchmarkArguments(folders, samples, warmup, json, peers, rules, collections, bodiesBound);
    }

    private static int Count(string[] args, int index, string option, int minimum)
        => index < args.Length && int.TryParse(args[index], out var value) && value >= minimum
            ? value
            : throw new InputException($"{option} needs a whole number of at least {minimum}");

    /// <summary>The folder holding CheckpointAudit.sln, above the working directory or the program.</summary>
    private static string? RepositoryRoot()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var directory = start; directory is not null; directory = Path.GetDirectoryName(directory))
            {
                if (File.Exists(Path.Combine(directory, "CheckpointAudit.sln")))
                {
                    return directory;
                }
            }
        }

        return null;
    }
}
