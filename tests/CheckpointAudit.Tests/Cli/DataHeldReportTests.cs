using Xunit;

namespace CheckpointAudit.Tests.Cli;

/// <summary>
/// Severity in the report follows what the file holds: the program's state keeps the rule's severity, regenerable output
/// is at most MONITOR, one-shot work (migration code, build and maintenance tools) at most MEDIUM, and each says why.
/// </summary>
public class DataHeldReportTests
{
    private const string Project = SourceFolder.SdkProject;

    private const string Product = """
        using System.IO;
        using System.Text.Json;

        public class Settings { public int SchemaVersion { get; set; } public string Theme { get; set; } = ""; }

        public class Store
        {
            public void Save(string path, Settings settings) => File.WriteAllText(path, JsonSerializer.Serialize(settings));

            public void SaveThumbnail(string thumbnailCachePath, byte[] png) => File.WriteAllBytes(thumbnailCachePath, png);
        }

        public static class Files
        {
            public static void WriteText(string path, string text) => File.WriteAllText(path, text);
        }

        public class SettingsMigration
        {
            public Settings ReadOld(string path) => JsonSerializer.Deserialize<Settings>(File.ReadAllText(path))!;

            public void Write(string path, Settings settings) => File.WriteAllText(path, JsonSerializer.Serialize(settings));
        }
        """;

    private const string Tool = """
        public static class Generator
        {
            public static void Main(string[] args) => System.IO.File.WriteAllText(args[0], args[1]);
        }
        """;

    [Fact]
    public async Task Severity_and_what_the_file_holds_per_site()
    {
        using var folder = new SourceFolder(
            ("src/App/App.csproj", Project), ("src/App/Store.cs", Product),
            ("tools/Generator/Generator.csproj", Project), ("tools/Generator/Program.cs", Tool));
        var report = await CliRun.ReportAsync(folder.Root);
        var all = report.Findings.Concat(report.Suspicious).ToList();

        var state = Assert.Single(all, f => f.RuleId == "CKPT201" && f.Member == "Store.Save");
        Assert.Equal("CRITICAL", state.Severity);
        Assert.Equal("the program's state (a serialized Settings, written by JsonSerializer.Serialize)", state.Holds);

        // Output is its own rule, CKPT209, and a MONITOR item.
        var output = Assert.Single(report.Suspicious, f => f.Member == "Store.SaveThumbnail");
        Assert.Equal(("CKPT209", "MONITOR"), (output.RuleId, output.Severity));
        Assert.Equal("regenerable output (the path names thumbnails ('thumbnailCachePath'))", output.Holds);

        // A general-purpose helper writes wherever its callers say: listed for review, not scored.
        var helper = Assert.Single(report.Suspicious, f => f.Member == "Files.WriteText");
        Assert.Equal(("CKPT201", "CRITICAL", "Low"), (helper.RuleId, helper.Severity, helper.Confidence));
        Assert.Equal("not known here", helper.Holds);
        Assert.Equal("the path is handed in ('path'): the callers decide what the file holds", helper.ConfidenceNote);
        Assert.Contains("the callers decide what the file holds", helper.WhatToCheck, StringComparison.Ordinal);
        Assert.DoesNotContain(report.Findings, f => f.Member == "Files.WriteText");

        // Migration code: the analyzer says so for writes, the report for every other rule.
        var migrationWrite = Assert.Single(report.Findings, f => f.RuleId == "CKPT201" && f.Member == "SettingsMigration.Write");
        Assert.Equal("MEDIUM", migrationWrite.Severity);
        Assert.Equal("data written or read once (migration code ('SettingsMigration'))", migrationWrite.Holds);
        var migrationRead = Assert.Single(report.Findings, f => f.RuleId == "CKPT301" && f.Member == "SettingsMigration.ReadOld");
        Assert.Equal("MEDIUM", migrationRead.Severity);
        Assert.Equal("data written or read once (migration code ('SettingsMigration'))", migrationRead.Holds);

        var tool = Assert.Single(report.Findings, f => f.RuleId == "CKPT201" && f.File.StartsWith("tools/", StringComparison.Ordinal));
        Assert.Equal("MEDIUM", tool.Severity);
        Assert.Equal("data written or read once (a build or maintenance tool ('Generator'))", tool.Holds);
    }
}
