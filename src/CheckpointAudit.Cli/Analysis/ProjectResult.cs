using CheckpointAudit.Loading;

namespace CheckpointAudit.Cli.Analysis;

/// <summary>What one project contributed to the audit.</summary>
internal sealed class ProjectResult
{
    public required string Name { get; init; }

    /// <summary>Relative to the audit root; null for loose files.</summary>
    public string? ProjectFile { get; init; }

    public required LoadMode Mode { get; init; }

    /// <summary>The audited projects this one references, relative to the audit root like <see cref="ProjectFile"/>.</summary>
    public IReadOnlyList<string> ReferencedProjects { get; init; } = [];

    /// <summary>The project file describes a NuGet package (<c>PackageId</c>, <c>PackageTags</c>, <c>IsPackable</c>…): its public API is for other programs.</summary>
    public bool PublishesPackage { get; init; }

    public string? Note { get; init; }

    public required int Files { get; init; }

    public required int CompileErrors { get; init; }

    /// <summary>The most frequent compile errors (id and message, at most three): what did not bind, and why.</summary>
    public IReadOnlyList<string> TopErrors { get; init; } = [];

    public required IReadOnlyList<SiteFinding> Findings { get; init; }

    /// <summary>Sites the project turned off itself, each with what did it (<see cref="SiteFinding.SuppressedBy"/>).</summary>
    public IReadOnlyList<SiteFinding> Suppressed { get; init; } = [];

    public required EnvironmentFacts Facts { get; init; }

    /// <summary>Analyzer exceptions (AD0001): the report says which rules may have missed something.</summary>
    public IReadOnlyList<string> AnalyzerFailures { get; init; } = [];
}
