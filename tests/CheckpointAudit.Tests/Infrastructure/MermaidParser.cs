using System.Diagnostics;
using System.Text.Json;

namespace CheckpointAudit.Tests.Infrastructure;

/// <summary>
/// Mermaid's own parser (tools/MermaidCheck, the versions its lock file pins, installed by `npm ci` on first use),
/// run by Node: a diagram it parses renders on GitHub and in IDE previews.
/// </summary>
internal static class MermaidParser
{
    private static readonly string Tool = RepositoryFiles.PathOf("tools", "MermaidCheck");

    private static readonly Lazy<string> Installed = new(Install, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>"ok" or "bad: …" for each diagram, in order.</summary>
    public static IReadOnlyList<string> Parse(IEnumerable<string> diagrams)
    {
        _ = Installed.Value;
        var list = diagrams.ToList();
        var (exit, output) = Run("node", ["check.mjs"], JsonSerializer.Serialize(list));
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l is "ok" || l.StartsWith("bad: ", StringComparison.Ordinal)).ToList();
        // One answer per diagram, or the checker itself failed (Mermaid did not load): never an empty pass.
        return exit is 0 or 1 && lines.Count == list.Count ? lines : throw new InvalidOperationException($"node check.mjs failed (exit {exit}, {lines.Count} answers for {list.Count} diagrams):\n{output}");
    }

    private static string Install()
    {
        if (!File.Exists(Path.Combine(Tool, "node_modules", "mermaid", "package.json")))
        {
            var (exit, output) = Run("npm", ["ci", "--no-audit", "--no-fund"], null);
            if (exit != 0)
            {
                throw new InvalidOperationException($"npm ci in tools/MermaidCheck failed (exit {exit}):\n{output}");
            }
        }

        return Tool;
    }

    private static (int Exit, string Output) Run(string program, string[] arguments, string? input)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = Tool,
            RedirectStandardInput = input is not null,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} could not be started: Node.js and npm must be on PATH for the diagram tests.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (input is not null)
        {
            process.StandardInput.Write(input);
            process.StandardInput.Close();
        }

        process.WaitForExit();
        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}
