using System.Text.RegularExpressions;
using CheckpointAudit.Loading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.MSBuild;

namespace CheckpointAudit.Cli.Loading;

/// <summary>
/// Loads the input's projects one at a time. Project and solution files go through MSBuild when they are
/// restored; a project that is not restored, or that MSBuild cannot load, is read as sources instead, with
/// a note saying so. A folder is read as sources, one compilation per project file found in it.
/// </summary>
internal sealed partial class ProjectLoader(AuditInput input, AuditOptions options)
{
    private readonly List<LoadFailure> _failures = [];
    private readonly List<string> _skippedTestProjects = [];

    /// <summary>Projects that could not be analyzed, with the reason; filled while loading.</summary>
    public IReadOnlyList<LoadFailure> Failures => _failures;

    /// <summary>Test projects left out (without --include-tests); filled while loading.</summary>
    public IReadOnlyList<string> SkippedTestProjects => _skippedTestProjects;

    /// <summary>How many units <see cref="LoadAsync"/> will yield at most (for progress).</summary>
    public int PlannedCount { get; private set; }

    public async IAsyncEnumerable<LoadedProject> LoadAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (input.IsFolder)
        {
            foreach (var project in LoadFolder())
            {
                yield return project;
            }

            yield break;
        }

        PlannedCount = input.ProjectFiles.Count;
        foreach (var projectFile in input.ProjectFiles)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var name = Path.GetFileNameWithoutExtension(projectFile);
            if (!File.Exists(projectFile))
            {
                _failures.Add(new LoadFailure(name, projectFile, "the project file does not exist"));
                continue;
            }

            if (!options.IncludeTests && TestProjects.IsTestProject(input.Root, projectFile, File.ReadAllText(projectFile)))
            {
                _skippedTestProjects.Add(projectFile);
                continue;
            }

            var loaded = options.NoBuild ? null : await TryLoadWithMSBuildAsync(projectFile, cancellationToken);
            if (loaded is { Project: not null })
            {
                yield return loaded.Project;
                continue;
            }

            var files = SourceFiles.OfProject(projectFile);
            if (files.Count == 0)
            {
                _failures.Add(new LoadFailure(name, projectFile, loaded?.Reason ?? "the project has no C# files"));
                continue;
            }

            yield return SourceProjectBuilder.Build(name, projectFile, files, options.NoBuild ? null : loaded?.Reason);
        }
    }

    private IEnumerable<LoadedProject> LoadFolder()
    {
        var folder = SourceFolder.Read(input.Root);
        PlannedCount = folder.Count;
        return folder.Load(options.IncludeTests, _skippedTestProjects.Add);
    }

    private sealed record MSBuildLoad(LoadedProject? Project, string? Reason);

    private static async Task<MSBuildLoad> TryLoadWithMSBuildAsync(string projectFile, CancellationToken cancellationToken)
    {
        // An SDK project that was never restored loads without its package references; its sources bind
        // better against the bundled references.
        var assets = Path.Combine(Path.GetDirectoryName(projectFile)!, "obj", "project.assets.json");
        if (IsSdkProject(projectFile) && !File.Exists(assets))
        {
            return new MSBuildLoad(null, "not restored (run 'dotnet restore' for MSBuild loading), so its sources were compiled against the bundled .NET 10 references");
        }

        var workspace = MSBuildWorkspace.Create();
        var failures = new List<string>();
        workspace.WorkspaceFailed += (_, e) =>
        {
            if (e.Diagnostic.Kind == WorkspaceDiagnosticKind.Failure)
            {
                failures.Add(e.Diagnostic.Message);
            }
        };
        try
        {
            var project = await workspace.OpenProjectAsync(projectFile, cancellationToken: cancellationToken);
            if (project.Language != LanguageNames.CSharp || !project.Documents.Any())
            {
                workspace.Dispose();
                return new MSBuildLoad(null, "MSBuild loaded no C# documents for it, so its sources were compiled against the bundled .NET 10 references");
            }

            var note = failures.Count == 0 ? null : "MSBuild reported: " + OneLine(failures[0]);
            return new MSBuildLoad(new LoadedProject(project.Name, projectFile, LoadMode.MSBuild, project, workspace, note), null);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            workspace.Dispose();
            return new MSBuildLoad(null, $"MSBuild could not load it ({OneLine(e.Message)}), so its sources were compiled against the bundled .NET 10 references");
        }
    }

    private static string OneLine(string text) => Regex.Replace(text, @"\s+", " ").Trim();

    private static bool IsSdkProject(string projectFile)
    {
        using var reader = new StreamReader(projectFile);
        var head = new char[2048];
        var read = reader.Read(head, 0, head.Length);
        return new string(head, 0, read).Contains("Sdk=", StringComparison.OrdinalIgnoreCase);
    }
}
