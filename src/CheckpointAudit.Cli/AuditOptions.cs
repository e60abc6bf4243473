namespace CheckpointAudit.Cli;

/// <summary>Report formats: Markdown for people, SARIF for code-scanning services, JSON for scripts.</summary>
internal enum ReportFormat
{
    Markdown,
    Sarif,
    Json,
}

/// <summary>What the command line asked for; built only by <see cref="Parse"/>.</summary>
internal sealed class AuditOptions
{
    public const string Usage =
        "usage: checkpoint-audit <solution.sln|.slnx|project.csproj|folder> [--format md|sarif|json] [--output FILE] " +
        "[--fail-on critical|high|medium] [--baseline FILE] [--write-baseline FILE] [--no-build] [--include-tests] [--no-fix-preview] [--quiet | --progress]";

    public required string InputPath { get; init; }

    public ReportFormat Format { get; init; } = ReportFormat.Markdown;

    /// <summary>Null: the report goes to standard output.</summary>
    public string? OutputPath { get; init; }

    /// <summary>The lowest audit severity that makes the exit code 1; null: findings never fail the run.</summary>
    public Catalog.AuditSeverity? FailOn { get; init; }

    /// <summary>An earlier JSON or SARIF report: only sites it does not hold are reported and judged by --fail-on.</summary>
    public string? BaselinePath { get; init; }

    /// <summary>Where to write this run's findings (every site, the baseline ignored) as a JSON baseline; null: none.</summary>
    public string? WriteBaselinePath { get; init; }

    /// <summary>Skip MSBuild: every project's sources are compiled against the bundled reference assemblies.</summary>
    public bool NoBuild { get; init; }

    public bool IncludeTests { get; init; }

    /// <summary>Skip running the code fixes to show each site's before/after (faster on very large inputs).</summary>
    public bool NoFixPreview { get; init; }

    public bool Quiet { get; init; }

    /// <summary>Progress on stderr even when it is not a terminal (CI logs).</summary>
    public bool Progress { get; init; }

    /// <summary>The options, or a one-line reason they are wrong.</summary>
    public static AuditOptions Parse(IReadOnlyList<string> args)
    {
        string? input = null;
        var format = ReportFormat.Markdown;
        string? output = null, baseline = null, writeBaseline = null;
        Catalog.AuditSeverity? failOn = null;
        bool noBuild = false, includeTests = false, noFixPreview = false, quiet = false, progress = false;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            string Value()
            {
                if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
                {
                    throw new UsageException($"{arg} needs a value.");
                }

                return args[++i];
            }

            switch (arg)
            {
                case "--format" or "-f":
                    format = Value().ToLowerInvariant() switch
                    {
                        "md" or "markdown" => ReportFormat.Markdown,
                        "sarif" => ReportFormat.Sarif,
                        "json" => ReportFormat.Json,
                        var other => throw new UsageException($"unknown format '{other}': use md, sarif or json."),
                    };
                    break;
                case "--output" or "-o":
                    output = Value();
                    break;
                case "--fail-on":
                    failOn = Value().ToLowerInvariant() switch
                    {
                        "critical" => Catalog.AuditSeverity.Critical,
                        "high" => Catalog.AuditSeverity.High,
                        "medium" => Catalog.AuditSeverity.Medium,
                        var other => throw new UsageException($"unknown --fail-on level '{other}': use critical, high or medium."),
                    };
                    break;
                case "--baseline":
                    baseline = Value();
                    break;
                case "--write-baseline":
                    writeBaseline = Value();
                    break;
                case "--no-build":
                    noBuild = true;
                    break;
                case "--include-tests":
                    includeTests = true;
                    break;
                case "--no-fix-preview":
                    noFixPreview = true;
                    break;
                case "--quiet" or "-q":
                    quiet = true;
                    break;
                case "--progress":
                    progress = true;
                    break;
                default:
                    if (arg.StartsWith('-'))
                    {
                        throw new UsageException($"unknown option '{arg}'.");
                    }

                    if (input is not null)
                    {
                        throw new UsageException($"one input only: got '{input}' and '{arg}'.");
                    }

                    input = arg;
                    break;
            }
        }

        return new AuditOptions
        {
            InputPath = input ?? throw new UsageException("no input: give a solution, a project or a folder."),
            Format = format,
            OutputPath = output,
            FailOn = failOn,
            BaselinePath = baseline,
            WriteBaselinePath = writeBaseline,
            NoBuild = noBuild,
            IncludeTests = includeTests,
            NoFixPreview = noFixPreview,
            Quiet = quiet,
            Progress = progress,
        };
    }
}

/// <summary>Bad input: reported as one line on stderr with exit code 2, never as a stack trace.</summary>
internal sealed class UsageException(string message) : Exception(message);
