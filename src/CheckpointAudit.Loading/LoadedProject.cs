using Microsoft.CodeAnalysis;

namespace CheckpointAudit.Loading;

/// <summary>How a project's compilation was built.</summary>
public enum LoadMode
{
    /// <summary>Evaluated and design-time built by MSBuild: the project's own references and options.</summary>
    MSBuild,

    /// <summary>Its *.cs files compiled against the bundled .NET 10 reference assemblies.</summary>
    Sources,
}

/// <summary>
/// One project ready to analyze, with the workspace that owns it. Disposed after its analysis so
/// that only one project's compilation is alive at a time.
/// </summary>
public sealed class LoadedProject(string name, string? projectFile, LoadMode mode, Project project, Workspace workspace, string? note) : IDisposable
{
    public string Name { get; } = name;

    /// <summary>The .csproj, or null for loose source files.</summary>
    public string? ProjectFile { get; } = projectFile;

    public LoadMode Mode { get; } = mode;

    public Project Project { get; set; } = project;

    public Workspace Workspace { get; } = workspace;

    /// <summary>Why the mode differs from what was asked (for example: not restored, so sources only).</summary>
    public string? Note { get; } = note;

    public void Dispose() => Workspace.Dispose();
}

/// <summary>A project that could not be loaded at all: reported, and the rest goes on.</summary>
public sealed record LoadFailure(string Name, string Path, string Reason);
