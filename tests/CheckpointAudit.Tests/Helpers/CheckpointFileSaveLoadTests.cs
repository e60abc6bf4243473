using System.Text.Json;
using Xunit;

namespace CheckpointAudit.Tests.Helpers;

/// <summary>
/// CheckpointFile.Save/Load/TryLoad, as generated into this test assembly: checksummed envelope,
/// previous version kept, damaged files moved aside (never deleted), legacy files accepted, and
/// never a silent default.
/// </summary>
public sealed class CheckpointFileSaveLoadTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("ckpt-saveload-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string PathOf(string name) => Path.Combine(_directory, name);

    private string[] Files() => Directory.GetFiles(_directory).Select(Path.GetFileName).Order().ToArray()!;

    public sealed class Settings
    {
        public int SchemaVersion { get; set; }

        public string Theme { get; set; } = "";

        public List<string> Recent { get; set; } = [];
    }

    private static Settings Sample(int version) => new() { SchemaVersion = version, Theme = "dark \"quoted\" ✓", Recent = ["a", "b"] };

    [Fact]
    public void Round_trips_in_a_readable_envelope_and_keeps_the_previous_version()
    {
        var path = PathOf("settings.json");
        CheckpointFile.Save(path, Sample(1));
        CheckpointFile.Save(path, Sample(2));

        Assert.Equal(2, CheckpointFile.Load<Settings>(path).SchemaVersion);
        Assert.Equal(1, CheckpointFile.Load<Settings>(path + ".bak").SchemaVersion);
        Assert.Equal(["settings.json", "settings.json.bak"], Files());

        // The envelope is JSON with the payload embedded as is: readable, and parseable by any JSON tool.
        using var envelope = JsonDocument.Parse(File.ReadAllText(path));
        Assert.Equal(1, envelope.RootElement.GetProperty("schema_version").GetInt32());
        Assert.Equal(64, envelope.RootElement.GetProperty("sha256").GetString()!.Length);
        Assert.Equal("dark \"quoted\" ✓", envelope.RootElement.GetProperty("payload").GetProperty("Theme").GetString());
    }

    [Fact]
    public void A_tampered_file_is_moved_aside_and_the_backup_is_used()
    {
        var path = PathOf("settings.json");
        CheckpointFile.Save(path, Sample(1));
        CheckpointFile.Save(path, Sample(2));
        File.WriteAllText(path, File.ReadAllText(path).Replace("\"SchemaVersion\":2", "\"SchemaVersion\":7"));

        Assert.Equal(1, CheckpointFile.Load<Settings>(path).SchemaVersion);
        var files = Files();
        Assert.Contains("settings.json.bak", files);
        Assert.Single(files, f => f.StartsWith("settings.json.corrupt-", StringComparison.Ordinal));
        Assert.DoesNotContain("settings.json", files);
    }

    [Theory]
    [InlineData("tamper", "checksum")]
    [InlineData("truncate", "truncated")]
    [InlineData("null", "null")]
    [InlineData("garbage", "does not deserialize")]
    public void Without_a_valid_backup_load_throws_and_keeps_the_evidence(string damage, string reason)
    {
        var path = PathOf("state.json");
        CheckpointFile.Save(path, Sample(1));
        var text = File.ReadAllText(path);
        File.WriteAllText(path, damage switch
        {
            "tamper" => text.Replace("\"SchemaVersion\":1", "\"SchemaVersion\":9"),
            "truncate" => text[..(text.Length / 2)],
            "null" => "null",
            _ => "{ this is not json",
        });

        var error = Assert.Throws<CorruptCheckpointException>(() => CheckpointFile.Load<Settings>(path));
        Assert.Contains(reason, error.Reason);
        Assert.Equal(Path.GetFullPath(path), error.Path);
        Assert.Single(Files(), f => f.StartsWith("state.json.corrupt-", StringComparison.Ordinal));
    }

    [Fact]
    public void Files_written_before_adoption_load_as_they_are()
    {
        var path = PathOf("legacy.json");
        File.WriteAllText(path, JsonSerializer.Serialize(Sample(3)));

        Assert.Equal(3, CheckpointFile.Load<Settings>(path).SchemaVersion);

        // The first save keeps the legacy file as the backup.
        CheckpointFile.Save(path, Sample(4));
        Assert.Equal(3, JsonSerializer.Deserialize<Settings>(File.ReadAllText(path + ".bak"))!.SchemaVersion);
        Assert.Equal(4, CheckpointFile.Load<Settings>(path).SchemaVersion);
    }

    [Fact]
    public void QuarantineCorrupt_moves_the_file_aside_and_names_it_in_the_exception()
    {
        var path = PathOf("state.json");
        File.WriteAllText(path, "{\"SchemaVersion\": 1, \"Theme\": ");
        var parseError = Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize<Settings>(File.ReadAllText(path)));

        var error = CheckpointFile.QuarantineCorrupt(path, parseError);

        Assert.IsAssignableFrom<IOException>(error);
        Assert.Same(parseError, error.InnerException);
        Assert.Equal(Path.GetFullPath(path), error.Path);
        var kept = Assert.Single(Files());
        Assert.StartsWith("state.json.corrupt-", kept);
        Assert.Equal("{\"SchemaVersion\": 1, \"Theme\": ", File.ReadAllText(PathOf(kept)));
        Assert.Contains(kept, error.Message);
    }

    [Fact]
    public void QuarantineCorrupt_still_reports_when_the_file_is_gone()
    {
        var error = CheckpointFile.QuarantineCorrupt(PathOf("missing.json"), new JsonException("bad"));

        Assert.Contains("bad", error.Message);
        Assert.Empty(Files());
    }

    [Fact]
    public void Missing_files_are_not_corruption()
    {
        var path = PathOf("missing.json");
        Assert.False(CheckpointFile.TryLoad<Settings>(path, out var value));
        Assert.Null(value);
        Assert.Throws<FileNotFoundException>(() => CheckpointFile.Load<Settings>(path));
        Assert.Empty(Files());
    }

    [Fact]
    public void Any_serializer_keeps_its_format_inside_the_envelope()
    {
        var path = PathOf("notes.xml");
        var xml = "<notes>\n  <note say=\"hi\">tab\there, \\ backslash, é ✓</note>\n</notes>";
        CheckpointFile.Save(path, xml, text => text);

        Assert.Equal(xml, CheckpointFile.Load(path, text => text));
        Assert.Contains("\"payload_text\":", File.ReadAllText(path));
    }

    [Fact]
    public void Saving_over_a_damaged_file_moves_it_aside_and_keeps_the_good_backup()
    {
        var path = PathOf("settings.json");
        CheckpointFile.Save(path, Sample(1));
        CheckpointFile.Save(path, Sample(2));
        File.WriteAllText(path, "{\"schema_version\":1,\"sha256\":\"00\"");

        CheckpointFile.Save(path, Sample(3));

        Assert.Equal(3, CheckpointFile.Load<Settings>(path).SchemaVersion);
        Assert.Equal(1, CheckpointFile.Load<Settings>(path + ".bak").SchemaVersion);
        Assert.Single(Files(), f => f.StartsWith("settings.json.corrupt-", StringComparison.Ordinal));
    }
}
