namespace CheckpointAudit.Cli.Report;

/// <summary>The small English helpers every part of the report uses.</summary>
internal static class Wording
{
    /// <summary>"s" for a plural count, "" for one.</summary>
    public static string S(int count) => count == 1 ? string.Empty : "s";

    public static string Capitalize(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}
