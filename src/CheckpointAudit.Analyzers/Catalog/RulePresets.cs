using System;
using System.Collections.Immutable;
using System.Text;

namespace CheckpointAudit.Catalog;

/// <summary>
/// The <c>CheckpointAuditMode</c> presets, shipped as global analyzer config files in the
/// package's build/presets folder. Their content is generated from the catalog; a test keeps
/// the files in the repository identical to <see cref="GlobalConfig"/>.
/// </summary>
public static class RulePresets
{
    public static ImmutableArray<string> Modes { get; } = ImmutableArray.Create("default", "strict", "minimal");

    /// <summary>The .editorconfig severity word a rule gets in a mode.</summary>
    public static string SeverityIn(RuleDefinition rule, string mode) => (mode, rule.AuditSeverity) switch
    {
        // default: what the descriptors say.
        ("default", AuditSeverity.Critical) => "warning",
        ("default", AuditSeverity.High) => "warning",
        ("default", AuditSeverity.Medium) => "suggestion",
        ("default", AuditSeverity.Monitor) => "none",

        // strict: data-loss findings fail the build; everything else, MONITOR included, warns.
        ("strict", AuditSeverity.Critical) => "error",
        ("strict", AuditSeverity.High) => "error",
        ("strict", AuditSeverity.Medium) => "warning",
        ("strict", AuditSeverity.Monitor) => "warning",

        // minimal: only the findings that lose data on an ordinary crash.
        ("minimal", AuditSeverity.Critical) => "warning",
        ("minimal", _) => "none",

        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown CheckpointAuditMode"),
    };

    public static string FileName(string mode) => "CheckpointAudit." + mode + ".globalconfig";

    public static string GlobalConfig(string mode)
    {
        var text = new StringBuilder();
        text.Append("# CheckpointAudit preset '").Append(mode).Append("' (generated from the rule catalog; do not edit).\n");
        text.Append("# Chosen with <CheckpointAuditMode>").Append(mode).Append("</CheckpointAuditMode>; .editorconfig entries override it.\n");
        text.Append("is_global = true\n");
        // Below a project's own .globalconfig (100), so users always win.
        text.Append("global_level = -1\n\n");
        foreach (var rule in RuleCatalog.All)
        {
            text.Append("# ").Append(rule.Id).Append(": ").Append(rule.Title).Append(" (").Append(rule.AuditSeverity.ToString().ToUpperInvariant()).Append(")\n");
            text.Append("dotnet_diagnostic.").Append(rule.Id).Append(".severity = ").Append(SeverityIn(rule, mode)).Append('\n');
        }

        return text.ToString();
    }
}
