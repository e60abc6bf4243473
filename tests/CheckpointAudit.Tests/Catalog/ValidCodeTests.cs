using System.Collections.Immutable;
using CheckpointAudit.Catalog;
using CheckpointAudit.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;

namespace CheckpointAudit.Tests.Catalog;

/// <summary>A corpus of correct persistence code (tests/.../ValidCode) on which no rule may fire.</summary>
public class ValidCodeTests
{
    public static TheoryData<string> Files => new(
        Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "ValidCode"), "*.cs").Select(Path.GetFileName)!);

    [Theory]
    [MemberData(nameof(Files))]
    public async Task No_rule_fires_on_correct_code(string file)
    {
        var parseOptions = new CSharpParseOptions(LanguageVersion.Latest);
        var trees = new[]
        {
            CSharpSyntaxTree.ParseText(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "ValidCode", file)), parseOptions, file),
            CSharpSyntaxTree.ParseText(Verify.HelperSourceNet80, parseOptions, "CheckpointFile.g.cs"),
        };
        // SQLite code compiles against .NET 10, like the provider package itself; web code with ASP.NET Core too.
        var references = file.StartsWith("Sqlite", StringComparison.Ordinal)
            ? TestReferences.Net100.Cast<MetadataReference>().Concat(TestReferences.Sqlite)
            : file.StartsWith("Web", StringComparison.Ordinal)
                ? TestReferences.Net100.Cast<MetadataReference>().Concat(TestReferences.AspNetCore)
                : TestReferences.Net80;
        var compilation = CSharpCompilation.Create("ValidCode", trees, references, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));

        var analyzers = typeof(RuleCatalog).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t))
            .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)
            .ToImmutableArray();
        Assert.NotEmpty(analyzers);

        // Every rule on, MONITOR included, as the strict preset would have it.
        var options = compilation.Options.WithSpecificDiagnosticOptions(RuleCatalog.All.ToDictionary(r => r.Id, _ => ReportDiagnostic.Warn));
        var diagnostics = await compilation.WithOptions(options).WithAnalyzers(analyzers).GetAnalyzerDiagnosticsAsync();
        Assert.True(diagnostics.IsEmpty, string.Join(Environment.NewLine, diagnostics));
    }
}
