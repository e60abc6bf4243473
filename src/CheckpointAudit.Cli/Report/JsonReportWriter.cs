using System.Text.Json;
using System.Text.Json.Serialization;

namespace CheckpointAudit.Cli.Report;

/// <summary>The report's full content as JSON (camelCase, stable field names) for scripts and dashboards.</summary>
internal static class JsonReportWriter
{
    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string Write(AuditReport report) => JsonSerializer.Serialize(report, Options) + "\n";
}
