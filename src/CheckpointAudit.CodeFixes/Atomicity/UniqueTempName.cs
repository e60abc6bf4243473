namespace CheckpointAudit.CodeFixes.Atomicity;

/// <summary>The expressions the fixes put into temp names to make them unique per save.</summary>
internal static class UniqueTempName
{
    /// <summary>32 hex digits: no separators, valid in file names on every platform.</summary>
    public const string Part = "global::System.Guid.NewGuid().ToString(\"N\")";

    /// <summary>A new GUID for an interpolation hole (formatted there with ":N", where "::" cannot appear).</summary>
    public const string GuidInInterpolation = "System.Guid.NewGuid()";
}
