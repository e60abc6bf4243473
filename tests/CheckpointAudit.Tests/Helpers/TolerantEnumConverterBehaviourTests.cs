using System.Text.Json;
using System.Text.Json.Serialization;
using Xunit;

namespace CheckpointAudit.Tests.Helpers;

/// <summary>
/// The generated TolerantStringEnumConverter (CKPT105's second fix): the same JSON as JsonStringEnumConverter, known
/// names and numbers read as before, and a name this build does not know read as the enum's default value with the
/// rest of the document still loaded.
/// </summary>
public class TolerantEnumConverterBehaviourTests
{
    public enum Theme
    {
        Light,
        Dark,
    }

    public sealed class Strict
    {
        [JsonConverter(typeof(JsonStringEnumConverter))]
        public Theme Theme { get; set; }

        [JsonConverter(typeof(JsonStringEnumConverter))]
        public Theme? Previous { get; set; }

        public int Columns { get; set; }
    }

    public sealed class Tolerant
    {
        [JsonConverter(typeof(TolerantStringEnumConverter))]
        public Theme Theme { get; set; }

        [JsonConverter(typeof(TolerantStringEnumConverter))]
        public Theme? Previous { get; set; }

        public int Columns { get; set; }
    }

    [Theory]
    [InlineData(Theme.Dark, null)]
    [InlineData(Theme.Light, Theme.Dark)]
    [InlineData((Theme)7, Theme.Light)]
    public void Writes_what_JsonStringEnumConverter_writes(Theme theme, Theme? previous)
    {
        var strict = JsonSerializer.Serialize(new Strict { Theme = theme, Previous = previous, Columns = 3 });
        var tolerant = JsonSerializer.Serialize(new Tolerant { Theme = theme, Previous = previous, Columns = 3 });
        Assert.Equal(strict, tolerant);
    }

    [Fact]
    public void Reads_known_names_and_numbers_as_before()
    {
        var loaded = JsonSerializer.Deserialize<Tolerant>("""{"Theme":"Dark","Previous":1,"Columns":3}""")!;
        Assert.Equal(Theme.Dark, loaded.Theme);
        Assert.Equal(Theme.Dark, loaded.Previous);
        Assert.Equal(3, loaded.Columns);
        Assert.Null(JsonSerializer.Deserialize<Tolerant>("""{"Previous":null}""")!.Previous);
    }

    [Fact]
    public void An_unknown_name_reads_as_the_default_and_the_rest_still_loads()
    {
        const string FromANewerBuild = """{"Theme":"Sepia","Previous":"HighContrast","Columns":3}""";
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<Strict>(FromANewerBuild));

        var loaded = JsonSerializer.Deserialize<Tolerant>(FromANewerBuild)!;
        Assert.Equal(Theme.Light, loaded.Theme);
        Assert.Equal(Theme.Light, loaded.Previous);
        Assert.Equal(3, loaded.Columns);
    }

    [Fact]
    public void Malformed_json_still_fails()
    {
        Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize<Tolerant>("""{"Theme":{"nested":1}}"""));
    }
}
