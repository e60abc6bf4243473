using System.Diagnostics.CodeAnalysis;
using CheckpointAudit.Knowledge;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace CheckpointAudit.Cli.Analysis;

/// <summary>The project's analyzer options with <c>checkpoint_audit.analyze_test_projects = true</c> on top (--include-tests).</summary>
internal sealed class ForcedOption(AnalyzerConfigOptionsProvider inner) : AnalyzerConfigOptionsProvider
{
    public static AnalyzerOptions AnalyzeTests(AnalyzerOptions options)
        => new(options.AdditionalFiles, new ForcedOption(options.AnalyzerConfigOptionsProvider));

    public override AnalyzerConfigOptions GlobalOptions => new WithAnalyzeTests(inner.GlobalOptions);

    public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => new WithAnalyzeTests(inner.GetOptions(tree));

    public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => new WithAnalyzeTests(inner.GetOptions(textFile));

    private sealed class WithAnalyzeTests(AnalyzerConfigOptions inner) : AnalyzerConfigOptions
    {
        public override bool TryGetValue(string key, [NotNullWhen(true)] out string? value)
        {
            if (key == CheckpointAuditOptions.AnalyzeTestProjectsKey)
            {
                value = "true";
                return true;
            }

            return inner.TryGetValue(key, out value);
        }
    }
}
