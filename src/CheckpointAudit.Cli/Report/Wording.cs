namespace CheckpointAudit.Cli.Report;

/// <summary>The small English helpers every part of the report uses.</summary>
internal static class Wording
{
    /// <summary>A category as the report names it: the state sync family is the report format's frontend category.</summary>
    public static string CategoryName(string category) => category == nameof(CheckpointAudit.Catalog.AuditCategory.StateSync) ? "Frontend / state sync" : category;

    /// <summary>"s" for a plural count, "" for one.</summary>
    public static string S(int count) => count == 1 ? string.Empty : "s";

    public static string Capitalize(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}
