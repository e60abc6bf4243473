using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CheckpointAudit.Benchmarks;

/// <summary>
/// Every *.cs file under the input folders (outside bin/, obj/, .git/), parsed once, and a fresh compilation of
/// them on demand: each sample binds from scratch, since a compilation caches what it has bound.
/// </summary>
internal sealed class SourceCompilation
{
    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    // The SDK's implicit global usings: most modern projects turn them on, and without them little binds.
    private const string ImplicitUsings =
        "global using System; global using System.Collections.Generic; global using System.IO; global using System.Linq; " +
        "global using System.Net.Http; global using System.Threading; global using System.Threading.Tasks;";

    private readonly CSharpCompilationOptions _options;

    private SourceCompilation(ImmutableArray<SyntaxTree> trees, ImmutableArray<MetadataReference> references, CSharpCompilationOptions options)
    {
        Trees = trees;
        References = references;
        _options = options;
    }

    public ImmutableArray<SyntaxTree> Trees { get; }

    public ImmutableArray<MetadataReference> References { get; }

    /// <summary>Source files read (the implicit-usings file not counted).</summary>
    public int FileCount => Trees.Length - 1;

    public static SourceCompilation Load(IReadOnlyList<string> folders)
    {
        var files = folders
            .SelectMany(folder => Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories)
                .Where(f => !Excluded(Path.GetRelativePath(folder, f))))
            .Distinct()
            .Order(StringComparer.Ordinal)
            .ToList();
        if (files.Count == 0)
        {
            throw new InputException("no *.cs files under " + string.Join(", ", folders));
        }

        var trees = files.Select(f => CSharpSyntaxTree.ParseText(File.ReadAllText(f), ParseOptions, f))
            .Append(CSharpSyntaxTree.ParseText(ImplicitUsings, ParseOptions, "ImplicitUsings.g.cs"))
            .ToImmutableArray();
        // A library's reference only where the sources name it, as a project has the package only when it uses it:
        // with a SQLite provider referenced, the SQLite rules register their actions; without one, nothing.
        var texts = trees.Select(t => t.GetText().ToString()).ToList();
        bool Uses(string name) => texts.Any(t => t.Contains(name, StringComparison.Ordinal));
        var libraries = new (string Namespace, Type Type)[]
        {
            ("Newtonsoft.Json", typeof(Newtonsoft.Json.JsonConvert)),
            ("Microsoft.Data.Sqlite", typeof(Microsoft.Data.Sqlite.SqliteConnection)),
            ("System.Data.SQLite", typeof(System.Data.SQLite.SQLiteConnection)),
            ("Dapper", typeof(Dapper.SqlMapper)),
            ("Microsoft.CodeAnalysis", typeof(Compilation)),
            ("Microsoft.CodeAnalysis", typeof(CSharpCompilation)),
            ("Microsoft.CodeAnalysis", typeof(Microsoft.CodeAnalysis.Workspace)),
            ("Microsoft.CodeAnalysis", typeof(Microsoft.CodeAnalysis.CSharp.Formatting.CSharpFormattingOptions)),
            ("System.Composition", typeof(System.Composition.ExportAttribute)),
        };
        ImmutableArray<MetadataReference> references =
        [
            .. Basic.Reference.Assemblies.Net100.References.All,
            .. libraries.Where(l => Uses(l.Namespace)).Select(l => MetadataReference.CreateFromFile(l.Type.Assembly.Location)),
            .. Uses("Microsoft.AspNetCore") || Uses("WebApplication") ? AspNetCoreReferences() : [],
        ];
        var options = new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: true, nullableContextOptions: NullableContextOptions.Enable);
        return new SourceCompilation(trees, references, options);
    }

    private static IEnumerable<MetadataReference> AspNetCoreReferences()
        => CheckpointAudit.Cli.Loading.AspNetCoreReferencePack.Assemblies().Select(f => (MetadataReference)MetadataReference.CreateFromFile(f));

    /// <summary>A new compilation of the same trees, with <paramref name="diagnosticOptions"/> (rule ID → severity).</summary>
    public CSharpCompilation Create(IEnumerable<KeyValuePair<string, ReportDiagnostic>>? diagnosticOptions = null)
        => CSharpCompilation.Create("Benchmark", Trees, References, diagnosticOptions is null ? _options : _options.WithSpecificDiagnosticOptions(diagnosticOptions));

    /// <summary>How well the sources bind: compiler errors, and the share of invocations whose target does not resolve.</summary>
    public BindingQuality MeasureBinding()
    {
        var compilation = Create();
        var errors = compilation.GetDiagnostics().Count(d => d.Severity == DiagnosticSeverity.Error);
        var invocations = 0;
        var unresolved = 0;
        foreach (var tree in Trees)
        {
            var model = compilation.GetSemanticModel(tree);
            foreach (var invocation in tree.GetRoot().DescendantNodes().OfType<InvocationExpressionSyntax>())
            {
                invocations++;
                if (model.GetSymbolInfo(invocation).Symbol is null)
                {
                    unresolved++;
                }
            }
        }

        return new BindingQuality(FileCount, errors, invocations, unresolved);
    }

    private static bool Excluded(string relativePath)
        => relativePath.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj" or ".git" or "node_modules");
}

internal sealed record BindingQuality(int Files, int CompileErrors, int Invocations, int UnresolvedInvocations)
{
    public double UnresolvedShare => Invocations == 0 ? 0 : (double)UnresolvedInvocations / Invocations;
}

/// <summary>Bad input: reported as one line, exit code 2.</summary>
internal sealed class InputException(string message) : Exception(message);
