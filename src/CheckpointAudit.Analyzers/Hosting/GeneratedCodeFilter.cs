using System;
using System.Collections.Concurrent;
using System.IO;
using System.Linq;
using System.Threading;
using CheckpointAudit.Knowledge;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace CheckpointAudit.Hosting;

/// <summary>
/// Whether a finding points into generated code, decided the way the compiler decides it: the <c>generated_code</c>
/// option of the file, the file's name (<c>.g.cs</c>, <c>.designer.cs</c>, …), an <c>&lt;auto-generated&gt;</c> header,
/// or a <c>[GeneratedCode]</c> attribute on the declaration around it.
/// </summary>
/// <remarks>
/// The category analyzers do not let Roslyn filter their findings: to find <c>[GeneratedCode]</c> declarations, Roslyn
/// walks every token of each file the first time a finding is reported in it, a cost charged to the analyzer that
/// reports (an eighth of the analyzers' time on a file-heavy product). Roslyn still skips generated code when it calls
/// the checks, so a finding reported while analysing a method body is in non-generated code already; this filter is
/// for the findings that can point anywhere: those of compilation-end and symbol actions.
/// </remarks>
internal sealed class GeneratedCodeFilter(Compilation compilation, AnalyzerOptions options)
{
    private readonly ConcurrentDictionary<SyntaxTree, bool> _generatedFiles = new();
    private readonly INamedTypeSymbol? _generatedCodeAttribute = KnownTypes.Get(compilation, "System.CodeDom.Compiler.GeneratedCodeAttribute");

    public bool IsGenerated(Location location, CancellationToken cancellationToken)
    {
        if (location.SourceTree is not { } tree || !location.IsInSource)
        {
            return false;
        }

        if (_generatedFiles.GetOrAdd(tree, t => IsGeneratedFile(t, cancellationToken)))
        {
            return true;
        }

        if (_generatedCodeAttribute is null || !compilation.ContainsSyntaxTree(tree))
        {
            return false;
        }

        // The declarations around the finding, innermost first (the enum a finding names, then its containing types).
        var model = compilation.GetSemanticModel(tree);
        for (var node = tree.GetRoot(cancellationToken).FindNode(location.SourceSpan, getInnermostNodeForTie: true); node is not null; node = node.Parent)
        {
            if (model.GetDeclaredSymbol(node, cancellationToken) is { } declared
                && declared.GetAttributes().Any(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, _generatedCodeAttribute)))
            {
                return true;
            }
        }

        return false;
    }

    // Roslyn marks the public constructors of its contexts obsolete to steer tests towards CompilationWithAnalyzers; they
    // are the one way to hand a check a context whose ReportDiagnostic filters. The checks use nothing else the
    // constructed contexts lack (value providers, filter spans).
#pragma warning disable CS0618
    /// <summary>A compilation-end action whose findings in generated code are dropped.</summary>
    public Action<CompilationAnalysisContext> Filtering(Action<CompilationAnalysisContext> action)
        => context => action(new CompilationAnalysisContext(
            context.Compilation, context.Options, DroppingGenerated(context.ReportDiagnostic, context.CancellationToken), _ => true, context.CancellationToken));

    /// <summary>A symbol action whose findings in generated code (another part of a partial type) are dropped.</summary>
    public Action<SymbolAnalysisContext> Filtering(Action<SymbolAnalysisContext> action)
        => context => action(new SymbolAnalysisContext(
            context.Symbol, context.Compilation, context.Options, DroppingGenerated(context.ReportDiagnostic, context.CancellationToken), _ => true, context.CancellationToken));
#pragma warning restore CS0618

    private Action<Diagnostic> DroppingGenerated(Action<Diagnostic> report, CancellationToken cancellationToken)
        => diagnostic =>
        {
            if (!IsGenerated(diagnostic.Location, cancellationToken))
            {
                report(diagnostic);
            }
        };

    private bool IsGeneratedFile(SyntaxTree tree, CancellationToken cancellationToken)
    {
        if (options.AnalyzerConfigOptionsProvider.GetOptions(tree).TryGetValue("generated_code", out var configured)
            && bool.TryParse(configured, out var generated))
        {
            return generated;
        }

        return HasGeneratedName(tree.FilePath) || HasGeneratedHeader(tree, cancellationToken);
    }

    private static bool HasGeneratedName(string path)
    {
        if (string.IsNullOrEmpty(path))
        {
            return false;
        }

        var name = Path.GetFileName(path);
        if (name.StartsWith("TemporaryGeneratedFile_", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        var stem = Path.GetFileNameWithoutExtension(name);
        return stem.EndsWith(".designer", StringComparison.OrdinalIgnoreCase)
            || stem.EndsWith(".generated", StringComparison.OrdinalIgnoreCase)
            || stem.EndsWith(".g", StringComparison.OrdinalIgnoreCase)
            || stem.EndsWith(".g.i", StringComparison.OrdinalIgnoreCase);
    }

    // The comments before the first token: where generators write "<auto-generated>".
    private static bool HasGeneratedHeader(SyntaxTree tree, CancellationToken cancellationToken)
    {
        foreach (var trivia in tree.GetRoot(cancellationToken).GetLeadingTrivia())
        {
            var text = trivia.ToString();
            if (text.IndexOf("<autogenerated", StringComparison.OrdinalIgnoreCase) >= 0
                || text.IndexOf("<auto-generated", StringComparison.OrdinalIgnoreCase) >= 0)
            {
                return true;
            }
        }

        return false;
    }
}
