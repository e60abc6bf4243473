using System.Collections.Immutable;
using CheckpointAudit.Catalog;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace CheckpointAudit.Cli.Analysis;

/// <summary>
/// Which findings the project itself turned off, and by what, as its build decides: <c>#pragma warning disable</c> and
/// <c>[SuppressMessage]</c> in the code; <c>severity = none</c> for the rule, its category or every analyzer rule in an
/// <c>.editorconfig</c> section for the file or a global config; the project's <c>&lt;NoWarn&gt;</c>. A severity other
/// than none does not hide a finding: the audit rates severity itself.
/// </summary>
internal sealed class ProjectSuppressions(Project project, CompilationOptions projectOptions, AnalyzerConfigOptionsProvider options, string root)
{
    private readonly Dictionary<string, AnalyzerConfig?> parsed = new(StringComparer.Ordinal);

    /// <summary>What suppressed the diagnostic ("#pragma warning disable CKPT201", "`.editorconfig`: …"), or null.</summary>
    public string? By(Diagnostic diagnostic, RuleDefinition rule, Compilation compilation)
    {
        var id = diagnostic.Id;
        if (diagnostic.IsSuppressed)
        {
            return diagnostic.GetSuppressionInfo(compilation)?.Attribute is { } attribute
                ? $"[SuppressMessage] on {Target(attribute)}"
                : $"#pragma warning disable {id}";
        }

        // <NoWarn> wins over every configuration file, as in the compiler.
        if (projectOptions.SpecificDiagnosticOptions.TryGetValue(id, out var specific) && specific == ReportDiagnostic.Suppress)
        {
            return $"<NoWarn>{id}</NoWarn> in the project";
        }

        var tree = diagnostic.Location.SourceTree;
        var treeOptions = projectOptions.SyntaxTreeOptionsProvider;
        if (tree is not null && treeOptions is not null)
        {
            if (treeOptions.TryGetDiagnosticValue(tree, id, CancellationToken.None, out var perFile))
            {
                return perFile == ReportDiagnostic.Suppress ? Setting($"dotnet_diagnostic.{id}.severity", tree.FilePath, id) : null;
            }

            if (treeOptions.TryGetGlobalDiagnosticValue(id, CancellationToken.None, out var global))
            {
                return global == ReportDiagnostic.Suppress ? Setting($"dotnet_diagnostic.{id}.severity", tree.FilePath, id) : null;
            }
        }

        // Bulk settings apply to rules no setting names: the rule's category first, then every analyzer rule.
        if (tree is not null)
        {
            var fileOptions = options.GetOptions(tree);
            foreach (var key in new[] { $"dotnet_analyzer_diagnostic.category-{rule.DiagnosticCategory}.severity", "dotnet_analyzer_diagnostic.severity" })
            {
                if (fileOptions.TryGetValue(key, out var value) || options.GlobalOptions.TryGetValue(key, out value))
                {
                    return value.Trim().Equals("none", StringComparison.OrdinalIgnoreCase) ? Setting(key, tree.FilePath) : null;
                }
            }
        }

        return null;
    }

    /// <summary>
    /// "`dir/.editorconfig`: key = none", naming the nearest file whose sections set the key for the source; null when
    /// only a CheckpointAudit preset sets it (a default severity for the build, not a risk the project accepted).
    /// </summary>
    private string? Setting(string key, string sourcePath, string? ruleId = null)
    {
        var files = project.AnalyzerConfigDocuments
            .Where(d => d.FilePath is not null)
            .OrderByDescending(d => Path.GetDirectoryName(d.FilePath)!.Length)
            .Where(d => Parse(d) is { } config && Sets(config, key, ruleId, sourcePath))
            .Select(d => d.FilePath!)
            .ToList();
        if (files.Count > 0 && files.All(IsPreset))
        {
            return null;
        }

        var file = files.FirstOrDefault(f => !IsPreset(f));
        var where = file is null ? "the project's analyzer configuration" : $"`{ProjectAnalyzer.Relative(root, file)}`";
        return $"{where}: {key} = none";
    }

    // The package's build/presets/CheckpointAudit.<mode>.globalconfig.
    private static bool IsPreset(string path)
        => Path.GetFileName(path).StartsWith("CheckpointAudit.", StringComparison.Ordinal) && path.EndsWith(".globalconfig", StringComparison.Ordinal)
           && Path.GetFileName(Path.GetDirectoryName(path)) == "presets";

    private static bool Sets(AnalyzerConfig config, string key, string? ruleId, string sourcePath)
    {
        // One file alone: a global config's settings, or an .editorconfig's sections matched against the source.
        var set = AnalyzerConfigSet.Create(ImmutableArray.Create(config));
        var global = set.GlobalConfigOptions;
        var local = set.GetOptionsForSourcePath(sourcePath);
        return ruleId is not null
            ? global.TreeOptions.Keys.Concat(local.TreeOptions.Keys).Any(k => k.Equals(ruleId, StringComparison.OrdinalIgnoreCase))
            : global.AnalyzerOptions.Keys.Concat(local.AnalyzerOptions.Keys).Any(k => k.Equals(key, StringComparison.OrdinalIgnoreCase));
    }

    private AnalyzerConfig? Parse(TextDocument document)
    {
        if (!parsed.TryGetValue(document.FilePath!, out var config))
        {
            config = document.TryGetText(out var text) || File.Exists(document.FilePath)
                ? AnalyzerConfig.Parse(text ?? Microsoft.CodeAnalysis.Text.SourceText.From(File.ReadAllText(document.FilePath!)), document.FilePath!)
                : null;
            parsed[document.FilePath!] = config;
        }

        return config;
    }

    private static string Target(AttributeData attribute)
    {
        var node = attribute.ApplicationSyntaxReference?.GetSyntax();
        var declaration = node?.Ancestors().FirstOrDefault(a => a is MemberDeclarationSyntax or CompilationUnitSyntax);
        return declaration switch
        {
            BaseTypeDeclarationSyntax type => $"type {type.Identifier.ValueText}",
            MethodDeclarationSyntax method => $"{method.Identifier.ValueText}",
            PropertyDeclarationSyntax property => $"{property.Identifier.ValueText}",
            _ => "the assembly",
        };
    }
}
