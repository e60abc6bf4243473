using System.Collections.Immutable;
using CheckpointAudit.Helpers;
using CheckpointAudit.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace CheckpointAudit.Tests.Helpers;

/// <summary>The generated helper compiles in every consumer the package supports, and only when it should exist.</summary>
public class CheckpointFileGeneratorTests
{
    // Calls every overload a consumer of that framework can have, in C# 7.3.
    private const string Usage = """
        using System.Collections.Generic;
        using System.Text;
        using System.Threading;
        using System.Threading.Tasks;
        using CheckpointAudit;

        public static class Consumer
        {
            public static async Task Run(string path, CancellationToken token)
            {
                CheckpointFile.WriteAllText(path, "a");
                CheckpointFile.WriteAllText(path, "a", Encoding.UTF8);
                CheckpointFile.WriteAllText(path, null);
                CheckpointFile.WriteAllBytes(path, new byte[] { 1 });
                CheckpointFile.WriteAllLines(path, new[] { "a" });
                CheckpointFile.WriteAllLines(path, new List<string> { "a" });
                CheckpointFile.WriteAllLines(path, new[] { "a" }, Encoding.UTF8);
                CheckpointFile.WriteAllLines(path, new List<string> { "a" }, Encoding.UTF8);
                await CheckpointFile.WriteAllTextAsync(path, "a");
                await CheckpointFile.WriteAllTextAsync(path, "a", token);
                await CheckpointFile.WriteAllTextAsync(path, "a", Encoding.UTF8, token);
                await CheckpointFile.WriteAllBytesAsync(path, new byte[] { 1 }, token);
                await CheckpointFile.WriteAllLinesAsync(path, new[] { "a" }, token);
                await CheckpointFile.WriteAllLinesAsync(path, new[] { "a" }, Encoding.UTF8, token);
                CheckpointFile.Save(path, 42, value => value.ToString());
                int loaded = CheckpointFile.Load(path, text => int.Parse(text));
                string text2;
                bool found = CheckpointFile.TryLoad(path, text => text, out text2);
                try { CheckpointFile.Load(path, text => text); }
                catch (CorruptCheckpointException ex) { System.Console.WriteLine(ex.Path + ex.Reason); }
            }
        }
        """;

    public static TheoryData<string, string> Consumers => new()
    {
        { "net472", "7.3" },
        { "netstandard2.0", "7.3" },
        { "net8.0", "7.3" },
        { "net8.0", "latest" },
        { "net10.0", "7.3" },
        { "net10.0", "latest" },
    };

    [Theory]
    [MemberData(nameof(Consumers))]
    public void Helper_compiles_without_errors_or_warnings(string framework, string languageVersion)
    {
        var (output, generated) = Run(framework, languageVersion, Usage);

        Assert.Single(generated);
        var problems = output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void Uses_the_apis_each_framework_has()
    {
        var net472 = Run("net472", "7.3", Usage).Generated.Single();
        var net80 = Run("net8.0", "latest", Usage).Generated.Single();
        var net100 = Run("net10.0", "latest", Usage).Generated.Single();

        Assert.Contains("File.Replace(temp, target, null, true)", net472);
        Assert.Contains("public static global::System.IO.FileStream CreateAutoCommit(string path)", net472);
        Assert.DoesNotContain("File.Move(temp, target, true)", net472);
        Assert.Contains("File.Move(temp, target, true)", net80);
        Assert.DoesNotContain("WriteAllText(string path, global::System.ReadOnlySpan<char> contents)", net80);
        Assert.Contains("WriteAllText(string path, global::System.ReadOnlySpan<char> contents)", net100);
        Assert.Contains("WriteAllBytesAsync(string path, global::System.ReadOnlyMemory<byte> bytes", net100);
    }

    [Fact]
    public void Span_and_memory_overloads_compile_where_File_has_them()
    {
        const string spans = """
            using System;
            using System.Threading.Tasks;
            using CheckpointAudit;
            static class SpanConsumer
            {
                static async Task Run(string path)
                {
                    CheckpointFile.WriteAllText(path, "abc".AsSpan());
                    CheckpointFile.WriteAllBytes(path, new ReadOnlySpan<byte>(new byte[] { 1 }));
                    await CheckpointFile.WriteAllTextAsync(path, "abc".AsMemory());
                    await CheckpointFile.WriteAllBytesAsync(path, new ReadOnlyMemory<byte>(new byte[] { 1 }));
                }
            }
            """;
        var (output, _) = Run("net10.0", "latest", Usage, spans);
        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning));
    }

    [Theory]
    [InlineData("7.3")]
    [InlineData("latest")]
    public void The_wal_interceptor_is_emitted_and_compiles_where_ef_core_is_referenced(string languageVersion)
    {
        const string registration = """
            using Microsoft.EntityFrameworkCore;
            using CheckpointAudit;
            static class Options
            {
                static DbContextOptionsBuilder Configure(DbContextOptionsBuilder options)
                {
                    return options.UseSqlite("Data Source=app.db").AddInterceptors(SqliteWalInterceptor.Instance);
                }
            }
            """;
        var (withEf, generated) = Run("net10.0", languageVersion, Usage, registration, extraReferences: [.. TestReferences.Sqlite, .. TestReferences.EfCoreSqlite]);
        Assert.Contains("class SqliteWalInterceptor", generated.Single());
        var problems = withEf.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));

        Assert.DoesNotContain("SqliteWalInterceptor", Run("net10.0", languageVersion, Usage).Generated.Single());
    }

    [Fact]
    public void Not_emitted_when_turned_off()
    {
        var (_, generated) = Run("net8.0", "latest", "class C { }", options: new() { [CheckpointFileGenerator.EmitHelpersProperty] = "false" });
        Assert.Empty(generated);

        var (_, on) = Run("net8.0", "latest", "class C { }", options: new() { [CheckpointFileGenerator.EmitHelpersProperty] = "true" });
        Assert.Single(on);
    }

    [Fact]
    public void Not_emitted_when_the_consumer_declares_its_own()
    {
        var (output, generated) = Run("net8.0", "latest", "namespace CheckpointAudit { internal static class CheckpointFile { } }");
        Assert.Empty(generated);
        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning));
    }

    [Fact]
    public void Not_emitted_when_a_reference_exposes_its_copy_through_InternalsVisibleTo()
    {
        // The library gets its own helper and lets the consumer see its internals.
        var (library, libraryGenerated) = Run("net8.0", "latest", "[assembly: System.Runtime.CompilerServices.InternalsVisibleTo(\"Consumer\")]", assemblyName: "Library");
        Assert.Single(libraryGenerated);
        var libraryReference = library.ToMetadataReference();

        var (consumer, consumerGenerated) = Run("net8.0", "latest", Usage, extraReferences: [libraryReference]);
        Assert.Empty(consumerGenerated);
        Assert.Empty(consumer.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning));

        // Without InternalsVisibleTo the consumer cannot see it and gets its own copy.
        var (plain, _) = Run("net8.0", "latest", "class L { }", assemblyName: "Library2");
        var (consumer2, consumer2Generated) = Run("net8.0", "latest", Usage, extraReferences: [plain.ToMetadataReference()]);
        Assert.Single(consumer2Generated);
        Assert.Empty(consumer2.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning));
    }

    [Fact]
    public void Generator_output_is_cached_between_edits()
    {
        var compilation = Compilation("net8.0", "latest", "Consumer", [], "class C { }");
        GeneratorDriver driver = CSharpGeneratorDriver.Create(
            [new CheckpointFileGenerator().AsSourceGenerator()],
            parseOptions: (CSharpParseOptions)compilation.SyntaxTrees.First().Options,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));
        driver = driver.RunGenerators(compilation);
        var edited = compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText("class D { }", (CSharpParseOptions)compilation.SyntaxTrees.First().Options));
        driver = driver.RunGenerators(edited);

        var outputs = driver.GetRunResult().Results.Single().TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs);
        Assert.All(outputs, o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));
    }

    private static (Compilation Output, ImmutableArray<string> Generated) Run(
        string framework,
        string languageVersion,
        string source,
        string? extraSource = null,
        Dictionary<string, string>? options = null,
        string assemblyName = "Consumer",
        MetadataReference[]? extraReferences = null)
    {
        var sources = extraSource is null ? new[] { source } : new[] { source, extraSource };
        var compilation = Compilation(framework, languageVersion, assemblyName, extraReferences ?? [], sources);
        var driver = CSharpGeneratorDriver.Create(
            [new CheckpointFileGenerator().AsSourceGenerator()],
            parseOptions: (CSharpParseOptions)compilation.SyntaxTrees.First().Options,
            optionsProvider: new TestAnalyzerConfigOptionsProvider((options ?? new()).ToImmutableDictionary()));
        driver.RunGeneratorsAndUpdateCompilation(compilation, out var output, out var generatorDiagnostics);
        Assert.Empty(generatorDiagnostics);
        var generated = output.SyntaxTrees.Skip(compilation.SyntaxTrees.Count()).Select(t => t.ToString()).ToImmutableArray();
        return (output, generated);
    }

    private static CSharpCompilation Compilation(string framework, string languageVersion, string assemblyName, MetadataReference[] extraReferences, params string[] sources)
    {
        LanguageVersionFacts.TryParse(languageVersion, out var version);
        var parseOptions = new CSharpParseOptions(version);
        IEnumerable<MetadataReference> references = framework switch
        {
            "net472" => TestReferences.Net472,
            "netstandard2.0" => TestReferences.NetStandard20,
            "net8.0" => TestReferences.Net80,
            "net10.0" => TestReferences.Net100,
            _ => throw new ArgumentOutOfRangeException(nameof(framework)),
        };
        return CSharpCompilation.Create(
            assemblyName,
            sources.Select(s => CSharpSyntaxTree.ParseText(s, parseOptions)),
            references.Concat(extraReferences),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: version >= LanguageVersion.CSharp8 ? NullableContextOptions.Enable : NullableContextOptions.Disable));
    }
}
