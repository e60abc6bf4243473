using CheckpointAudit.Schema;
using CheckpointAudit.Tests.Infrastructure;
using Xunit;

namespace CheckpointAudit.Tests.Schema;

public class VersionNeverCheckedTests
{
    private static string Program(string body) => $$"""
        using System;
        using System.IO;
        using System.Text.Json;

        public class Settings { public int SchemaVersion { get; set; } public string Theme { get; set; } = ""; }
        public class Job { public int Version { get; set; } }
        public class Plain { public string Name { get; set; } = ""; }

        class Store
        {
        {{body}}
        }
        """;

    [Fact]
    public async Task Flags_loads_whose_version_nobody_compares()
    {
        var editorConfig = "dotnet_diagnostic.CKPT102.severity = warning\n";
        await Verify.AnalyzerAsync<VersionNeverCheckedCheck>(Program("""
                Settings? Load(string path) => {|CKPT102:JsonSerializer.Deserialize<Settings>(File.ReadAllText(path))|};

                void Show(Settings s) => Console.WriteLine(s.SchemaVersion);

                // Saved but never loaded here; no version; not stored.
                void Save(string path, Job job) => File.WriteAllText(path, JsonSerializer.Serialize(job));
                Plain? LoadPlain(string path) => JsonSerializer.Deserialize<Plain>(File.ReadAllText(path));
                Job? FromText(string json) => JsonSerializer.Deserialize<Job>(json);
            """), editorConfig);
    }

    [Theory]
    [InlineData("bool IsCurrent(Job j) => j.Version == 2;")]
    [InlineData("bool IsOld(Job j) => j.Version < 2;")]
    [InlineData("string Describe(Job j) => j.Version switch { 0 => \"legacy\", _ => \"current\" };")]
    [InlineData("bool IsLegacy(Job j) => j.Version is 0;")]
    [InlineData("void Upgrade(Job j) => Migrate(j.Version);")]
    [InlineData("void Upgrade(Job j) { var v = j.Version; if (v < 2) { } }")]
    public async Task Quiet_when_the_version_is_compared_anywhere(string check)
    {
        var editorConfig = "dotnet_diagnostic.CKPT102.severity = warning\n";
        await Verify.AnalyzerAsync<VersionNeverCheckedCheck>(Program($$"""
                Job? Load(string path) => JsonSerializer.Deserialize<Job>(File.ReadAllText(path));

                void Migrate(int from) { }

                {{check}}
            """), editorConfig);
    }
}
