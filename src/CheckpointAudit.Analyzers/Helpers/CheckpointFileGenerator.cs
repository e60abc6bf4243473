using System;
using Microsoft.CodeAnalysis;

namespace CheckpointAudit.Helpers;

/// <summary>
/// Adds <c>CheckpointAudit.CheckpointFile</c> to the consuming compilation: the helper the
/// code fixes call. Off with <c>&lt;CheckpointAuditEmitHelpers&gt;false&lt;/CheckpointAuditEmitHelpers&gt;</c>.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class CheckpointFileGenerator : IIncrementalGenerator
{
    public const string EmitHelpersProperty = "build_property.CheckpointAuditEmitHelpers";
    public const string HintName = "CheckpointAudit.CheckpointFile.g.cs";

    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var enabled = context.AnalyzerConfigOptionsProvider.Select(static (options, _) =>
            !(options.GlobalOptions.TryGetValue(EmitHelpersProperty, out var value)
              && string.Equals(value.Trim(), "false", StringComparison.OrdinalIgnoreCase)));
        var features = context.CompilationProvider.Select(static (compilation, _) => HelperFeatures.From(compilation));

        context.RegisterSourceOutput(features.Combine(enabled), static (output, pair) =>
        {
            if (pair.Right && pair.Left.CanEmit)
            {
                output.AddSource(HintName, CheckpointFileSource.Generate(pair.Left));
            }
        });
    }
}
