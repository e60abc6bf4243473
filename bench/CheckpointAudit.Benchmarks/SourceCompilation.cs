using System.Collections.Immutable;
using CheckpointAudit.Loading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CheckpointAudit.Benchmarks;

/// <summary>
/// Every *.cs file under the input folders, read by the shared loader as one project (SourceProjectBuilder.BuildMerged:
/// the references, implicit usings and file set checkpoint-audit uses), parsed once, and a fresh compilation of them
/// on demand: each sample binds from scratch, since a compilation caches what it has bound.
/// </summary>
internal sealed class SourceCompilation
{
    private readonly CSharpCompilationOptions _options;

    private SourceCompilation(ImmutableArray<SyntaxTree> trees, ImmutableArray<MetadataReference> references, CSharpCompilationOptions options, int fileCount)
    {
        FileCount = fileCount;
        Trees = trees;
        References = references;
        _options = options;
    }

    public ImmutableArray<SyntaxTree> Trees { get; }

    public ImmutableArray<MetadataReference> References { get; }

    /// <summary>Source files read (the generated implicit-usings file not counted).</summary>
    public int FileCount { get; }

    public static SourceCompilation Load(IReadOnlyList<string> folders)
    {
        using var loaded = SourceProjectBuilder.BuildMerged("Benchmark", folders);
        var documents = loaded.Project.Documents.Where(d => d.FilePath is not null && !d.Name.EndsWith(".g.cs", StringComparison.Ordinal)).Count();
        if (documents == 0)
        {
            throw new InputException("no *.cs files under " + string.Join(", ", folders));
        }

        var compilation = (CSharpCompilation)loaded.Project.GetCompilationAsync().GetAwaiter().GetResult()!;
        return new SourceCompilation([.. compilation.SyntaxTrees], [.. compilation.References], compilation.Options, documents);
    }

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

}

internal sealed record BindingQuality(int Files, int CompileErrors, int Invocations, int UnresolvedInvocations)
{
    public double UnresolvedShare => Invocations == 0 ? 0 : (double)UnresolvedInvocations / Invocations;
}

/// <summary>Bad input: reported as one line, exit code 2.</summary>
internal sealed class InputException(string message) : Exception(message);
