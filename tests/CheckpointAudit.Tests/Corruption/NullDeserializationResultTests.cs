using CheckpointAudit.CodeFixes.Corruption;
using CheckpointAudit.Corruption;
using CheckpointAudit.Tests.Infrastructure;
using Xunit;

namespace CheckpointAudit.Tests.Corruption;

public class NullDeserializationResultTests
{
    private static string Wrap(string body, string nullable = "disable") => $$"""
        #nullable {{nullable}}
        using System;
        using System.Collections.Generic;
        using System.IO;
        using System.Text.Json;
        using System.Threading.Tasks;

        public class Settings { public int SchemaVersion { get; set; } public List<string> Recent { get; set; } }

        class Store
        {
            private Settings _settings;

        {{body}}
        }
        """;

    private static Task Verify302(string body, string nullable = "disable") => Verify.AnalyzerAsync<NullDeserializationResultAnalyzer>(Wrap(body, nullable));

    [Fact]
    public async Task Flags_results_dereferenced_or_stored_without_a_check()
    {
        await Verify302("""
                int A(string path)
                {
                    var settings = {|CKPT302:JsonSerializer.Deserialize<Settings>(File.ReadAllText(path))|};
                    return settings.SchemaVersion;
                }

                void B(string path) => _settings = {|CKPT302:JsonSerializer.Deserialize<Settings>(File.ReadAllText(path))|};

                async Task<int> C(string path)
                {
                    await using var stream = File.OpenRead(path);
                    var recent = {|CKPT302:await JsonSerializer.DeserializeAsync<List<string>>(stream)|};
                    var count = 0;
                    foreach (var item in recent)
                    {
                        count++;
                    }

                    return count;
                }

                // The catch does not help: nothing is thrown at the load.
                int D(string path)
                {
                    try
                    {
                        return {|CKPT302:JsonSerializer.Deserialize<Settings>(File.ReadAllText(path))|}.SchemaVersion;
                    }
                    catch (JsonException)
                    {
                        return 0;
                    }
                }

                void E(string path)
                {
                    var loaded = {|CKPT302:JsonSerializer.Deserialize<Settings>(File.ReadAllText(path))|};
                    _settings = loaded;
                }
            """);
    }

    [Fact]
    public async Task Quiet_when_checked_not_nullable_not_stored_or_left_to_the_compiler()
    {
        await Verify302("""
                Settings Coalesce(string path) => JsonSerializer.Deserialize<Settings>(File.ReadAllText(path)) ?? new Settings();

                int Checked(string path)
                {
                    var settings = JsonSerializer.Deserialize<Settings>(File.ReadAllText(path));
                    if (settings == null)
                    {
                        return 0;
                    }

                    return settings.SchemaVersion;
                }

                int? Conditional(string path) => JsonSerializer.Deserialize<Settings>(File.ReadAllText(path))?.SchemaVersion;

                int Pattern(string path) => JsonSerializer.Deserialize<Settings>(File.ReadAllText(path)) is { } s ? s.SchemaVersion : 0;

                int ValueType(string path) => JsonSerializer.Deserialize<int>(File.ReadAllText(path)) + 1;

                int FromText(string json) => JsonSerializer.Deserialize<Settings>(json).SchemaVersion;

                Settings Returned(string path) => JsonSerializer.Deserialize<Settings>(File.ReadAllText(path));
            """);

        // Nullable warnings on: CS8602 already reports the dereference.
        await Verify302("""
                int Annotated(string path) => JsonSerializer.Deserialize<Settings>(File.ReadAllText(path))!.SchemaVersion + Other(path);

                int Other(string path)
                {
                    var settings = JsonSerializer.Deserialize<Settings>(File.ReadAllText(path));
                    return settings.SchemaVersion;
                }
            """,
            "enable");
    }

    [Fact]
    public async Task Newtonsoft_results_are_judged_too()
    {
        var test = Verify.AnalyzerTest<NullDeserializationResultAnalyzer>(Wrap("""
                int A(string path) => {|CKPT302:Newtonsoft.Json.JsonConvert.DeserializeObject<Settings>(File.ReadAllText(path))|}.SchemaVersion;
            """));
        test.TestState.AdditionalReferences.AddRange(TestReferences.Newtonsoft);
        await test.RunAsync();
    }

    [Fact]
    public async Task Fix_throws_a_clear_exception_at_the_load()
    {
        await Verify.CodeFix<NullDeserializationResultAnalyzer, ThrowOnNullResultCodeFixProvider>(
            Wrap("""
                    int A(string path)
                    {
                        var settings = {|CKPT302:JsonSerializer.Deserialize<Settings>(File.ReadAllText(path))|};
                        return settings.SchemaVersion;
                    }

                    int B(string path) => {|CKPT302:JsonSerializer.Deserialize<Settings>(File.ReadAllText(path))|}.SchemaVersion;

                    async Task C(string path)
                    {
                        await using var stream = File.OpenRead(path);
                        _settings = {|CKPT302:await JsonSerializer.DeserializeAsync<Settings>(stream)|};
                    }
                """),
            Wrap("""
                    int A(string path)
                    {
                        var settings = JsonSerializer.Deserialize<Settings>(File.ReadAllText(path)) ?? throw new InvalidDataException("The stored Settings is null.");
                        return settings.SchemaVersion;
                    }

                    int B(string path) => (JsonSerializer.Deserialize<Settings>(File.ReadAllText(path)) ?? throw new InvalidDataException("The stored Settings is null.")).SchemaVersion;

                    async Task C(string path)
                    {
                        await using var stream = File.OpenRead(path);
                        _settings = await JsonSerializer.DeserializeAsync<Settings>(stream) ?? throw new InvalidDataException("The stored Settings is null.");
                    }
                """)).RunAsync();
    }
}
