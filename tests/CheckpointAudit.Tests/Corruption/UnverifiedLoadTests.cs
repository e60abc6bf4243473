using CheckpointAudit.CodeFixes.Corruption;
using CheckpointAudit.Corruption;
using CheckpointAudit.Tests.Infrastructure;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;

namespace CheckpointAudit.Tests.Corruption;

public class UnverifiedLoadTests
{
    private static string Wrap(string body) => $$"""
        using System;
        using System.Data.Common;
        using System.IO;
        using System.Security.Cryptography;
        using System.Text;
        using System.Text.Json;
        using CheckpointAudit;

        public class Settings { public int SchemaVersion { get; set; } }

        class Store
        {
            void Save(string path, Settings settings) => File.WriteAllText(path, JsonSerializer.Serialize(settings));

        {{body}}
        }
        """;

    private static Task Verify303(string body) => Verify.AnalyzerAsync<UnverifiedLoadCheck>(Wrap(body), null, Verify.HelperSourceNet80);

    [Fact]
    public async Task Flags_stored_state_parsed_without_a_checksum()
    {
        await Verify303("""
                Settings? A(string path)
                {
                    try { return {|CKPT303:JsonSerializer.Deserialize<Settings>(File.ReadAllText(path))|}; }
                    catch (JsonException) { return null; }
                }

                Settings? B(DbDataReader reader) => {|CKPT303:JsonSerializer.Deserialize<Settings>(reader.GetString(0))|};
            """);
    }

    [Fact]
    public async Task A_cache_read_back_is_output()
    {
        var source = Wrap("""
                private readonly string _cachePath = "cache/settings.json";

                Settings? Cached()
                {
                    try { return JsonSerializer.Deserialize<Settings>(File.ReadAllText(_cachePath)); }
                    catch (JsonException) { return null; }
                }

                void Keep(Settings settings) => File.WriteAllText(_cachePath, JsonSerializer.Serialize(settings));
            """);
        var diagnostics = await ProbeCompilation.Of(source).WithAnalyzers([new CorruptionAnalyzer()]).GetAnalyzerDiagnosticsAsync();
        var found = Assert.Single(diagnostics, d => d.Id == "CKPT303");
        Assert.Equal((CheckpointAudit.Knowledge.DataHeld.Output, "the path names a cache ('_cachePath')"), CheckpointAudit.Checks.DataHeldDiagnostic.Read(found));
        Assert.Equal(Microsoft.CodeAnalysis.DiagnosticSeverity.Hidden, found.Severity);
    }

    [Fact]
    public async Task Quiet_when_the_load_path_verifies_a_hash_or_uses_the_helper()
    {
        await Verify303("""
                Settings? Verified(string path, string expectedHash)
                {
                    var text = File.ReadAllText(path);
                    if (Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text))) != expectedHash)
                    {
                        throw new InvalidDataException("checksum mismatch");
                    }

                    return JsonSerializer.Deserialize<Settings>(text);
                }

                Settings? VerifiedByHelper(string path)
                {
                    var text = File.ReadAllText(path);
                    Check(text);
                    return JsonSerializer.Deserialize<Settings>(text);
                }

                static void Check(string text)
                {
                    using var sha = SHA256.Create();
                    _ = sha.ComputeHash(Encoding.UTF8.GetBytes(text));
                }

                Settings ThroughTheHelper(string path) => CheckpointFile.Load<Settings>(path);

                // Input the program never writes (another program's manifest): not its state.
                System.Xml.Linq.XDocument Manifest(string path) => System.Xml.Linq.XDocument.Load(path);

                Settings? FromText(string json) => JsonSerializer.Deserialize<Settings>(json);
            """);
    }

    [Fact]
    public async Task Fix_loads_through_the_checksummed_helper()
    {
        await Verify.CodeFix<UnverifiedLoadCheck, VerifiedLoadCodeFixProvider>(
            Wrap("""
                    Settings? A(string path)
                    {
                        try { return {|CKPT303:JsonSerializer.Deserialize<Settings>(File.ReadAllText(path))|}; }
                        catch (Exception) { return null; }
                    }
                """),
            Wrap("""
                    Settings? A(string path)
                    {
                        try { return CheckpointFile.Load<Settings>(path); }
                        catch (Exception) { return null; }
                    }
                """)).RunAsync();
    }

    [Fact]
    public async Task Handle_corrupt_input_is_not_offered_for_an_integrity_finding()
    {
        // The catch would not verify anything: CKPT303 offers only the checksummed load.
        var source = Wrap("""
                Settings? A(string path)
                {
                    try { return {|CKPT303:JsonSerializer.Deserialize<Settings>(File.ReadAllText(path))|}; }
                    catch (Exception) { return null; }
                }
            """);
        var test = Verify.CodeFix<UnverifiedLoadCheck, VerifiedLoadCodeFixProvider>(source, source);
        test.CodeActionEquivalenceKey = CheckpointAudit.CodeFixes.Corruption.LoadCheckpointCodeFixProvider.HandleCorruptInputEquivalenceKey;
        test.FixedState.MarkupHandling = Microsoft.CodeAnalysis.Testing.MarkupMode.Allow;
        await test.RunAsync();
    }

    [Fact]
    public async Task Fix_all_in_document()
    {
        var test = Verify.CodeFix<UnverifiedLoadCheck, VerifiedLoadCodeFixProvider>(
            Wrap("""
                    Settings? A(string path)
                    {
                        try { return {|CKPT303:JsonSerializer.Deserialize<Settings>(File.ReadAllText(path))|}; }
                        catch (Exception) { return null; }
                    }

                    Settings? B(string path)
                    {
                        try { return {|CKPT303:JsonSerializer.Deserialize<Settings>(File.ReadAllText(path + ".old"))|}; }
                        catch { return null; }
                    }
                """),
            Wrap("""
                    Settings? A(string path)
                    {
                        try { return CheckpointFile.Load<Settings>(path); }
                        catch (Exception) { return null; }
                    }

                    Settings? B(string path)
                    {
                        try { return CheckpointFile.Load<Settings>(path + ".old"); }
                        catch { return null; }
                    }
                """));
        test.NumberOfIncrementalIterations = 2;
        test.NumberOfFixAllIterations = 1;
        await test.RunAsync();
    }

    [Fact]
    public async Task No_fix_where_a_handler_catches_only_parser_errors()
    {
        // CheckpointFile.Load reports damage as CorruptCheckpointException (an IOException): this catch would miss it.
        var source = Wrap("""
                Settings? A(string path)
                {
                    try { return {|CKPT303:JsonSerializer.Deserialize<Settings>(File.ReadAllText(path))|}; }
                    catch (JsonException) { return null; }
                }
            """);
        var test = Verify.CodeFix<UnverifiedLoadCheck, VerifiedLoadCodeFixProvider>(source, source);
        test.FixedState.MarkupHandling = Microsoft.CodeAnalysis.Testing.MarkupMode.Allow;
        await test.RunAsync();
    }
}
