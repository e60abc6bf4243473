using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace CheckpointAudit.Loading;

/// <summary>
/// Builds a project from source files alone, so the tools run on a machine where nothing is restored: the bundled
/// references (<see cref="BundledReferences"/>), the SDK's implicit usings, the project file's nullable setting and
/// output kind, and the Windows-only marking the SDK gives a -windows target framework.
/// </summary>
public static partial class SourceProjectBuilder
{
    // Microsoft.NET.Sdk.Web's implicit usings, on top of the SDK's.
    private const string WebImplicitUsings =
        "global using System.Net.Http.Json; global using Microsoft.AspNetCore.Builder; global using Microsoft.AspNetCore.Hosting; " +
        "global using Microsoft.AspNetCore.Http; global using Microsoft.AspNetCore.Routing; global using Microsoft.Extensions.Configuration; " +
        "global using Microsoft.Extensions.DependencyInjection; global using Microsoft.Extensions.Hosting; global using Microsoft.Extensions.Logging;";

    private const string ImplicitUsings =
        "global using System; global using System.Collections.Generic; global using System.IO; global using System.Linq; " +
        "global using System.Net.Http; global using System.Threading; global using System.Threading.Tasks;";

    /// <summary>
    /// The project with its sources, in a workspace of its own that also holds the projects it references
    /// (their &lt;ProjectReference&gt; items, transitively, read as sources too), so calls into them bind.
    /// </summary>
    public static LoadedProject Build(string name, string? projectFile, IReadOnlyCollection<string> files, string? note)
    {
        var projects = new List<ProjectInfo>();
        var ids = new Dictionary<string, ProjectId>(StringComparer.Ordinal);
        var unreadable = new List<string>();
        var main = Describe(name, projectFile, files, projects, ids, unreadable, new Dictionary<ProjectId, HashSet<ProjectId>>());
        var workspace = new AdhocWorkspace();
        var solution = workspace.AddSolution(SolutionInfo.Create(SolutionId.CreateNewId(), VersionStamp.Default, projects: projects));
        if (unreadable.Count > 0)
        {
            var listed = string.Join(", ", unreadable.Take(5)) + (unreadable.Count > 5 ? $" and {unreadable.Count - 5} more" : string.Empty);
            note = (note is null ? string.Empty : note + "; ") + $"{unreadable.Count} source file(s) could not be read and were left out: {listed}";
        }

        return new LoadedProject(name, projectFile, LoadMode.Sources, solution.GetProject(main)!, workspace, note);
    }

    /// <param name="closures">Each described project's references, transitive ones included: MSBuild passes a referenced
    /// project's own project references on, so their types bind here too.</param>
    private static ProjectId Describe(string name, string? projectFile, IReadOnlyCollection<string> files, List<ProjectInfo> projects, Dictionary<string, ProjectId> ids, List<string> unreadable, Dictionary<ProjectId, HashSet<ProjectId>> closures)
    {
        var id = ProjectId.CreateNewId(name);
        if (projectFile is not null)
        {
            ids[projectFile] = id;
        }

        var projectText = projectFile is not null && File.Exists(projectFile) ? File.ReadAllText(projectFile) : string.Empty;
        var closure = new HashSet<ProjectId>();
        closures[id] = closure;
        foreach (var referenced in ProjectReferences(projectFile, projectText))
        {
            if (!ids.TryGetValue(referenced, out var referencedId))
            {
                referencedId = Describe(Path.GetFileNameWithoutExtension(referenced), referenced, SourceFiles.OfProject(referenced), projects, ids, unreadable, closures);
            }

            closure.Add(referencedId);
            closure.UnionWith(closures.TryGetValue(referencedId, out var inner) ? inner : []);
        }

        closure.Remove(id);
        var projectReferences = closure.Select(r => new ProjectReference(r)).ToList();

        var isWeb = projectText.Contains("Microsoft.NET.Sdk.Web", StringComparison.OrdinalIgnoreCase);
        var documents = new List<DocumentInfo>();
        var texts = new List<SourceText>();
        foreach (var file in files)
        {
            if (ReadText(file) is not { } text)
            {
                unreadable.Add(Path.GetFileName(file));
                continue;
            }

            texts.Add(text);
            documents.Add(DocumentInfo.Create(
                DocumentId.CreateNewId(id, file),
                Path.GetFileName(file),
                loader: TextLoader.From(TextAndVersion.Create(text, VersionStamp.Default, file)),
                filePath: file));
        }

        var references = BundledReferences.For(texts, isWeb);
        // Implicit usings are on for SDK projects that ask for them, and for loose files (most modern code assumes them).
        // A project that does not say, yet none of whose files imports the System namespace itself (using System;), gets them from a package it
        // imports (a shared "project defaults" package): its code cannot compile without them.
        var implicitUsings = Setting(projectFile, projectText, ImplicitUsingsSetting()) is { } setting
            ? setting is "enable" or "true"
            : projectFile is null || (projectText.Contains("Sdk=\"", StringComparison.OrdinalIgnoreCase) && texts.Count > 0 && !texts.Any(t => SystemUsing().IsMatch(t.ToString())));
        if (implicitUsings)
        {
            var webUsings = isWeb && AspNetCoreReferencePack.Assemblies().Count > 0;
            documents.Add(Generated(id, projectFile, "ImplicitUsings.g.cs", webUsings ? ImplicitUsings + "\n" + WebImplicitUsings : ImplicitUsings));
        }

        // <Using Include="…"/> items of the project file and its Directory.Build.props: the SDK makes them global usings
        // whatever ImplicitUsings says.
        if (UsingItems(projectFile, projectText) is { Length: > 0 } usingItems)
        {
            documents.Add(Generated(id, projectFile, "UsingItems.g.cs", usingItems));
        }

        // The SDK marks the assembly of a -windows target framework as Windows-only; rules that differ by platform see it.
        if (Setting(projectFile, projectText, TargetFrameworksSetting())?.Contains("-windows", StringComparison.Ordinal) == true)
        {
            documents.Add(Generated(id, projectFile, "WindowsOnly.g.cs", "[assembly: System.Runtime.Versioning.SupportedOSPlatform(\"windows7.0\")]"));
        }

        var outputKind = isWeb || Setting(projectFile, projectText, OutputTypeSetting()) is "exe" or "winexe" ? OutputKind.ConsoleApplication : OutputKind.DynamicallyLinkedLibrary;
        var nullable = Setting(projectFile, projectText, NullableSetting()) switch
        {
            "enable" => NullableContextOptions.Enable,
            "warnings" => NullableContextOptions.Warnings,
            "annotations" => NullableContextOptions.Annotations,
            _ => NullableContextOptions.Disable,
        };
        // The project's own configuration, as its build reads it: .editorconfig/.globalconfig above the sources, <NoWarn>
        // and <WarningsAsErrors>.
        var projectSeverities = AnalyzerConfigFiles.ProjectSeverities(projectFile, projectText);
        projects.Add(ProjectInfo.Create(
            id,
            VersionStamp.Default,
            name,
            name,
            LanguageNames.CSharp,
            filePath: projectFile,
            compilationOptions: new CSharpCompilationOptions(outputKind, allowUnsafe: true, nullableContextOptions: nullable, specificDiagnosticOptions: projectSeverities),
            parseOptions: new CSharpParseOptions(LanguageVersion.Latest),
            documents: documents,
            projectReferences: projectReferences,
            metadataReferences: references).WithAnalyzerConfigDocuments(AnalyzerConfigFiles.Documents(id, files)));
        return id;
    }

    /// <summary>
    /// Every C# file under <paramref name="folders"/> as one project (implicit usings and nullable context on): the
    /// benchmark's input, one large compilation whose cost is measured as a whole.
    /// </summary>
    public static LoadedProject BuildMerged(string name, IReadOnlyList<string> folders)
    {
        var files = folders.SelectMany(SourceFiles.Under).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var id = ProjectId.CreateNewId(name);
        var texts = new List<SourceText>();
        var documents = new List<DocumentInfo>();
        foreach (var file in files)
        {
            if (ReadText(file) is { } text)
            {
                texts.Add(text);
                documents.Add(DocumentInfo.Create(DocumentId.CreateNewId(id, file), Path.GetFileName(file), loader: TextLoader.From(TextAndVersion.Create(text, VersionStamp.Default, file)), filePath: file));
            }
        }

        documents.Add(Generated(id, null, "ImplicitUsings.g.cs", ImplicitUsings));
        var workspace = new AdhocWorkspace();
        var solution = workspace.AddSolution(SolutionInfo.Create(SolutionId.CreateNewId(), VersionStamp.Default, projects:
        [
            ProjectInfo.Create(
                id,
                VersionStamp.Default,
                name,
                name,
                LanguageNames.CSharp,
                compilationOptions: new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: true, nullableContextOptions: NullableContextOptions.Enable),
                parseOptions: new CSharpParseOptions(LanguageVersion.Latest),
                documents: documents,
                metadataReferences: BundledReferences.For(texts, isWeb: texts.Any(t => t.ToString().Contains("WebApplication", StringComparison.Ordinal)))),
        ]));
        return new LoadedProject(name, null, LoadMode.Sources, solution.GetProject(id)!, workspace, null);
    }

    // A file the build would generate (under obj/), marked generated so that no rule reports in it.
    private static DocumentInfo Generated(ProjectId id, string? projectFile, string name, string text)
        => DocumentInfo.Create(
            DocumentId.CreateNewId(id, name),
            name,
            loader: TextLoader.From(TextAndVersion.Create(SourceText.From(text), VersionStamp.Default)),
            filePath: Path.Combine(Path.GetDirectoryName(projectFile) ?? Path.GetTempPath(), "obj", name),
            isGenerated: true);

    /// <summary>The C# projects a project file references that exist on disk.</summary>
    private static IEnumerable<string> ProjectReferences(string? projectFile, string projectText)
    {
        if (projectFile is null)
        {
            yield break;
        }

        var directory = Path.GetDirectoryName(projectFile)!;
        foreach (Match match in ProjectReferenceItem().Matches(projectText))
        {
            var path = Path.GetFullPath(Path.Combine(directory, match.Groups[1].Value.Replace('\\', Path.DirectorySeparatorChar)));
            if (path.EndsWith(".csproj", StringComparison.OrdinalIgnoreCase) && File.Exists(path))
            {
                yield return path;
            }
        }
    }

    private static readonly System.Text.Encoding StrictUtf8 = new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// The file's text as the compiler reads it: the encoding its byte order mark names, else UTF-8, else (bytes that
    /// are not UTF-8) Latin-1 rather than rejected; null when it cannot be read.
    /// </summary>
    private static SourceText? ReadText(string file)
    {
        try
        {
            using var stream = File.OpenRead(file);
            try
            {
                return SourceText.From(stream, StrictUtf8);
            }
            catch (System.Text.DecoderFallbackException)
            {
                stream.Position = 0;
                return SourceText.From(stream, System.Text.Encoding.Latin1);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            return null;
        }
    }

    /// <summary>
    /// An MSBuild property's value (lower case) from the project file or the nearest Directory.Build.props
    /// above it; null when neither sets it (the SDK default then applies: off).
    /// </summary>
    private static string? Setting(string? projectFile, string projectText, Regex property)
    {
        var texts = new List<string> { projectText };
        for (var d = Path.GetDirectoryName(projectFile); d is not null; d = Path.GetDirectoryName(d))
        {
            var props = Path.Combine(d, "Directory.Build.props");
            if (File.Exists(props))
            {
                texts.Add(File.ReadAllText(props));
            }
        }

        return texts.Select(t => property.Match(t)).FirstOrDefault(m => m.Success)?.Groups[1].Value.ToLowerInvariant();
    }

    /// <summary>
    /// The global usings the SDK generates from &lt;Using&gt; items (<c>Include</c>, with <c>Alias</c> or <c>Static="true"</c>)
    /// in the project file and the Directory.Build.props MSBuild imports (the nearest above it, and those it imports with
    /// GetPathOfFileAbove); empty for none. Conditions are not evaluated.
    /// </summary>
    private static string UsingItems(string? projectFile, string projectText)
    {
        if (projectFile is null)
        {
            return string.Empty;
        }

        var texts = DirectoryBuildProps.WithProject(projectFile, projectText);

        var lines = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var item in texts.SelectMany(t => UsingItem().Matches(t)))
        {
            var attributes = item.Groups[1].Value;
            var name = IncludeAttribute().Match(attributes) is { Success: true } include ? include.Groups[1].Value.Trim() : string.Empty;
            if (!NamespaceName().IsMatch(name))
            {
                continue; // an MSBuild expression or a list: not evaluated here
            }

            var alias = AliasAttribute().Match(attributes);
            lines.Add(alias.Success && NamespaceName().IsMatch(alias.Groups[1].Value) ? $"global using {alias.Groups[1].Value} = global::{name};"
                : StaticAttribute().IsMatch(attributes) ? $"global using static global::{name};"
                : $"global using global::{name};");
        }

        return string.Join("\n", lines);
    }

    // <Using> items with their attributes in any order; <Using Remove="…"/> (no Include) removes SDK usings, not read here.
    [GeneratedRegex(@"<Using\b([^>]*)>", RegexOptions.IgnoreCase)]
    private static partial Regex UsingItem();

    [GeneratedRegex(@"\bInclude\s*=\s*""([^""]+)""", RegexOptions.IgnoreCase)]
    private static partial Regex IncludeAttribute();

    [GeneratedRegex(@"\bAlias\s*=\s*""([^""]+)""", RegexOptions.IgnoreCase)]
    private static partial Regex AliasAttribute();

    [GeneratedRegex(@"\bStatic\s*=\s*""true""", RegexOptions.IgnoreCase)]
    private static partial Regex StaticAttribute();

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")]
    private static partial Regex NamespaceName();

    [GeneratedRegex(@"^\s*(global\s+)?using\s+System\s*;", RegexOptions.Multiline)]
    private static partial Regex SystemUsing();

    [GeneratedRegex(@"<ImplicitUsings>\s*(\w+)\s*</ImplicitUsings>", RegexOptions.IgnoreCase)]
    private static partial Regex ImplicitUsingsSetting();

    [GeneratedRegex(@"<ProjectReference\s+Include\s*=\s*""([^""]+)""", RegexOptions.IgnoreCase)]
    private static partial Regex ProjectReferenceItem();

    [GeneratedRegex(@"<OutputType>\s*(\w+)\s*</OutputType>", RegexOptions.IgnoreCase)]
    private static partial Regex OutputTypeSetting();

    [GeneratedRegex(@"<TargetFrameworks?>\s*([^<]+?)\s*</TargetFrameworks?>", RegexOptions.IgnoreCase)]
    private static partial Regex TargetFrameworksSetting();

    [GeneratedRegex(@"<Nullable>\s*(\w+)\s*</Nullable>", RegexOptions.IgnoreCase)]
    private static partial Regex NullableSetting();
}
