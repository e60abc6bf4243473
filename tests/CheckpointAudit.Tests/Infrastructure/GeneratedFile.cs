using Xunit;

namespace CheckpointAudit.Tests.Infrastructure;

/// <summary>
/// Files (or marked regions of files) whose content is generated from the catalog. A test fails
/// when they differ; run the tests with CHECKPOINTAUDIT_UPDATE=1 to rewrite them.
/// </summary>
internal static class GeneratedFile
{
    private static bool Update => Environment.GetEnvironmentVariable("CHECKPOINTAUDIT_UPDATE") == "1";

    public static void AssertWhole(string path, string expected)
    {
        if (Update)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, expected);
        }

        Assert.True(File.Exists(path), $"{path} is missing; run the tests with CHECKPOINTAUDIT_UPDATE=1 to create it.");
        Assert.Equal(expected, File.ReadAllText(path).Replace("\r\n", "\n"));
    }

    public static void AssertRegion(string path, string startMarker, string endMarker, string expected)
    {
        var text = File.ReadAllText(path).Replace("\r\n", "\n");
        var start = text.IndexOf(startMarker, StringComparison.Ordinal);
        var end = text.IndexOf(endMarker, StringComparison.Ordinal);
        Assert.True(start >= 0 && end > start, $"{path} needs the markers {startMarker} and {endMarker}.");
        var contentStart = start + startMarker.Length + 1;
        var actual = text[contentStart..end];
        if (Update && actual != expected)
        {
            File.WriteAllText(path, text[..contentStart] + expected + text[end..]);
            actual = expected;
        }

        Assert.Equal(expected, actual);
    }
}
