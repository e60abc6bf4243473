using System.Diagnostics;
using System.Text.Json;
using CheckpointAudit.Tests.Infrastructure;
using Xunit;

namespace CheckpointAudit.Tests.Packaging;

/// <summary>checkpoint-audit as a user gets it: packed as a .NET tool, installed with dotnet tool install, run by its command name.</summary>
[Collection(DotnetCliCollection.Name)]
public sealed class ToolPackageTests
{
    [Fact]
    public void The_packed_tool_installs_and_audits_the_sample()
    {
        var root = Directory.CreateTempSubdirectory("ckpt-tool-").FullName;
        try
        {
            var feed = Path.Combine(root, "feed");
            var tools = Path.Combine(root, "tools");
            var version = "0.1.0-e2e." + DateTime.UtcNow.ToString("yyyyMMddHHmmss");
            // The machine's package cache: the tool's dependencies are already there from the test build's restore.
            var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } cache
                ? cache
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

            var pack = DotnetCli.Run(RepositoryFiles.Root, packages, "pack", RepositoryFiles.PathOf("src", "CheckpointAudit.Cli", "CheckpointAudit.Cli.csproj"), "-c", "Release", "-o", feed, "-p:Version=" + version);
            Assert.True(pack.ExitCode == 0, pack.ToString());
            Assert.True(File.Exists(Path.Combine(feed, $"CheckpointAudit.Cli.{version}.nupkg")), pack.ToString());

            var install = DotnetCli.Run(root, packages, "tool", "install", "CheckpointAudit.Cli", "--tool-path", tools, "--add-source", feed, "--version", version);
            Assert.True(install.ExitCode == 0, install.ToString());

            var command = Path.Combine(tools, OperatingSystem.IsWindows() ? "checkpoint-audit.exe" : "checkpoint-audit");
            var audit = Run(command, RepositoryFiles.PathOf("samples"), "--format", "json");
            Assert.True(audit.ExitCode == 0, audit.Stderr);
            using var report = JsonDocument.Parse(audit.Stdout);
            Assert.Equal("checkpoint-audit", report.RootElement.GetProperty("tool").GetString());
            Assert.True(report.RootElement.GetProperty("findings").GetArrayLength() > 0);

            var bad = Run(command, Path.Combine(root, "missing"));
            Assert.Equal(2, bad.ExitCode);
            Assert.Equal($"checkpoint-audit: '{Path.Combine(root, "missing")}' does not exist.", bad.Stderr.Trim());
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static (int ExitCode, string Stdout, string Stderr) Run(string command, params string[] arguments)
    {
        var start = new ProcessStartInfo(command) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(3)), "checkpoint-audit did not finish in 3 minutes");
        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}
