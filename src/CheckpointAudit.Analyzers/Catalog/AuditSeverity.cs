namespace CheckpointAudit.Catalog;

/// <summary>How much data a finding can cost, in the audit report's terms.</summary>
public enum AuditSeverity
{
    /// <summary>Data loss or silent corruption on an ordinary crash or restart.</summary>
    Critical,

    /// <summary>Data loss under plausible conditions (power loss, concurrency, upgrade).</summary>
    High,

    /// <summary>Weakens recovery or detection; loss needs a second fault.</summary>
    Medium,

    /// <summary>Worth knowing; off by default, enabled by the strict preset.</summary>
    Monitor,
}
