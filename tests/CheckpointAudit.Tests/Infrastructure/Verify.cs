using CheckpointAudit.Checks;
using CheckpointAudit.Helpers;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;

namespace CheckpointAudit.Tests.Infrastructure;

/// <summary>Analyzer and code-fix verifiers over .NET 8 reference assemblies (markup: {|CKPT201:...|}).</summary>
internal static class Verify
{
    /// <summary>The helper source a .NET 8 consumer gets from the generator.</summary>
    public static string HelperSourceNet80 { get; } = CheckpointFileSource.Generate(new HelperFeatures(true, true, false, false, hasSystemTextJson: true));

    public const string HelperPath = "/0/CheckpointAudit.CheckpointFile.g.cs";

    /// <summary>An analyzer test over .NET 8 reference assemblies, for tests that add expectations or state.</summary>
    public static CSharpAnalyzerTest<Only<TCheck>, DefaultVerifier> AnalyzerTest<TCheck>(string source)
        where TCheck : RuleCheck, new()
    {
        var test = new CSharpAnalyzerTest<Only<TCheck>, DefaultVerifier>
        {
            TestCode = source,
            ReferenceAssemblies = TestReferences.None,
        };
        test.TestState.AdditionalReferences.AddRange(TestReferences.Net80);
        return test;
    }

    /// <summary>The name of the referenced project in <see cref="WithModelsProject"/>.</summary>
    public const string ModelsProject = "Models";

    /// <summary>
    /// Moves <paramref name="modelsSource"/> into a second project, "Models", that the test's project references (as a
    /// project reference in a solution or the IDE: its types keep their source declarations, in another compilation).
    /// </summary>
    public static TTest WithModelsProject<TTest>(TTest test, string modelsSource)
        where TTest : AnalyzerTest<DefaultVerifier>
    {
        var models = test.TestState.AdditionalProjects[ModelsProject];
        models.Sources.Add(modelsSource);
        models.AdditionalReferences.AddRange(TestReferences.Net80);
        test.TestState.AdditionalProjectReferences.Add(ModelsProject);
        return test;
    }

    public static Task AnalyzerAsync<TCheck>(string source, string? editorConfig = null, params string[] additionalSources)
        where TCheck : RuleCheck, new()
    {
        var test = AnalyzerTest<TCheck>(source);
        foreach (var extra in additionalSources)
        {
            test.TestState.Sources.Add(extra);
        }

        if (editorConfig is not null)
        {
            test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", "root = true\n[*]\n" + editorConfig));
        }

        return test.RunAsync();
    }

    public static CSharpCodeFixTest<Only<TCheck>, TCodeFix, DefaultVerifier> CodeFix<TCheck, TCodeFix>(string source, string fixedSource, bool withHelper = true)
        where TCheck : RuleCheck, new()
        where TCodeFix : CodeFixProvider, new()
    {
        var test = new CSharpCodeFixTest<Only<TCheck>, TCodeFix, DefaultVerifier>
        {
            ReferenceAssemblies = TestReferences.None,
        };
        test.TestState.Sources.Add(source);
        test.FixedState.Sources.Add(fixedSource);
        if (withHelper)
        {
            test.TestState.Sources.Add((HelperPath, HelperSourceNet80));
            test.FixedState.Sources.Add((HelperPath, HelperSourceNet80));
        }

        test.TestState.AdditionalReferences.AddRange(TestReferences.Net80);
        return test;
    }
}
