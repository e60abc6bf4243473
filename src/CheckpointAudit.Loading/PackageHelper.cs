using CheckpointAudit.Helpers;
using Microsoft.CodeAnalysis;

namespace CheckpointAudit.Loading;

/// <summary>The CheckpointFile helper the package generates into a project that references it.</summary>
public static class PackageHelper
{
    /// <summary>
    /// The project with the helper added as the package's generator would add it (for what the compilation can
    /// emit), so that code already calling it binds, the rules see what a build with the package sees, and the fixes
    /// that rewrite calls to it can be previewed. The project unchanged when the helper cannot be emitted.
    /// </summary>
    public static Project AddTo(Project project, Compilation? compilation)
    {
        if (compilation is null)
        {
            return project;
        }

        var features = HelperFeatures.From(compilation);
        if (!features.CanEmit)
        {
            return project;
        }

        var directory = Path.GetDirectoryName(project.FilePath) ?? Path.GetTempPath();
        return project.AddDocument("CheckpointFile.g.cs", CheckpointFileSource.Generate(features), filePath: Path.Combine(directory, "obj", "CheckpointFile.g.cs")).Project;
    }
}
