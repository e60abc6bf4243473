using CheckpointAudit.Knowledge;
using Xunit;

namespace CheckpointAudit.Tests.Knowledge;

/// <summary><see cref="TempNamePattern"/>: the name shape a path expression builds, and whether a sweep's search pattern finds it.</summary>
public class TempNamePatternTests
{
    private const string Source = """
        using System;
        using System.IO;

        class Store
        {
            void Save(string path, string dir)
            {
                var unique = path + "." + Guid.NewGuid() + ".tmp";
                Use(unique);
                Use(Path.Combine(dir, "state.json.tmp"));
                Use(path + ".tmp");
            }

            static void Use(string value) { }
        }
        """;

    private static string ShapeOf(string expression)
    {
        var probe = new Probe(Source);
        var path = probe.Expression(expression);
        return TempNamePattern.FileNameShape(path, probe.Body("Save"), FileApiSymbols.Create(probe.Compilation)!);
    }

    [Fact]
    public void Parts_that_are_not_constant_become_any_text_and_the_folder_is_dropped()
    {
        const char any = TempNamePattern.AnyText;
        Assert.Equal($"{any}.{any}.tmp", ShapeOf("unique"));
        Assert.Equal("state.json.tmp", ShapeOf("Path.Combine(dir, \"state.json.tmp\")"));
        Assert.Equal($"{any}.tmp", ShapeOf("path + \".tmp\""));
    }

    [Fact]
    public void A_shape_is_shown_as_a_search_pattern()
    {
        const char any = TempNamePattern.AnyText;
        Assert.Equal("*.*.tmp", TempNamePattern.Display($"{any}.{any}.tmp"));
        Assert.Equal("*.tmp", TempNamePattern.Display($"{any}{any}.tmp"));
        Assert.Equal("state.json.tmp", TempNamePattern.Display("state.json.tmp"));
    }

    [Theory]
    [InlineData("*.tmp", true)]
    [InlineData("*.TMP", true)]
    [InlineData("*", true)]
    [InlineData("*.?.tmp", true)]
    [InlineData("*.bak", false)]
    [InlineData("*.json", false)]
    public void A_search_pattern_finds_the_shape_when_some_name_fits_both(string pattern, bool overlaps)
        => Assert.Equal(overlaps, TempNamePattern.Overlaps(pattern, $"{TempNamePattern.AnyText}.{TempNamePattern.AnyText}.tmp"));
}
