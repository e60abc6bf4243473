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
                ? $"[SuppressMessage] on {Target(attribute, compilation)}"
                : $"#pragma warning disable {id}";
        }

        // A project-level setting (<NoWarn>, <WarningsAsErrors>, a rule set) wins over every configuration file, as in the compiler.
        if (projectOptions.SpecificDiagnosticOptions.TryGetValue(id, out var specific) && specific != ReportDiagnostic.Default)
        {
            return specific == ReportDiagnostic.Suppress ? $"<NoWarn>{id}</NoWarn> in the project" : null;
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

        // Bulk settings apply to rules no setting names, and (as in the compiler) only to rules on by default: the
        // rule's category first, then every analyzer rule; a value that is not a severity is passed over.
        if (tree is not null && rule.IsEnabledByDefault)
        {
            var fileOptions = options.GetOptions(tree);
            foreach (var key in new[] { $"dotnet_analyzer_diagnostic.category-{rule.DiagnosticCategory}.severity", "dotnet_analyzer_diagnostic.severity" })
            {
                if ((fileOptions.TryGetValue(key, out var value) || options.GlobalOptions.TryGetValue(key, out value))
                    && value.Trim().ToLowerInvariant() is var severity && severity is "none" or "silent" or "suggestion" or "warning" or "error" or "default")
                {
                    return severity == "none" ? Setting(key, tree.FilePath) : null;
                }
            }
        }

        return null;
    }

    /// <summary>
    /// "`dir/.editorconfig`: key = none", naming the file that sets it to none for the source: the nearest .editorconfig,
    /// else a global config (which .editorconfig sections override); null when only a CheckpointAudit preset does (a
    /// default severity for the build, not a risk the project accepted).
    /// </summary>
    private string? Setting(string key, string sourcePath, string? ruleId = null)
    {
        var files = project.AnalyzerConfigDocuments
            .Where(d => d.FilePath is not null)
            .Select(d => (Path: d.FilePath!, Config: Parse(d)))
            .Where(f => f.Config is not null && SetsNone(f.Config, key, ruleId, sourcePath))
            .OrderBy(f => IsGlobal(f.Path) ? 1 : 0).ThenByDescending(f => Path.GetDirectoryName(f.Path)!.Length)
            .Select(f => f.Path)
            .ToList();
        if (files.Count > 0 && files.All(IsPreset))
        {
            return null;
        }

        var file = files.FirstOrDefault(f => !IsPreset(f));
        var where = file is null ? "the project's analyzer configuration" : $"`{ProjectAnalyzer.Relative(root, file)}`";
        return $"{where}: {key} = none";
    }

    private static bool IsGlobal(string path) => !Path.GetFileName(path).Equals(".editorconfig", StringComparison.OrdinalIgnoreCase);

    // The package's build/presets/CheckpointAudit.<mode>.globalconfig.
    private static bool IsPreset(string path)
        => Path.GetFileName(path).StartsWith("CheckpointAudit.", StringComparison.Ordinal) && path.EndsWith(".globalconfig", StringComparison.Ordinal)
           && Path.GetFileName(Path.GetDirectoryName(path)) == "presets";

    private static bool SetsNone(AnalyzerConfig config, string key, string? ruleId, string sourcePath)
    {
        // One file alone: a global config's settings, or an .editorconfig's sections matched against the source.
        var set = AnalyzerConfigSet.Create(ImmutableArray.Create(config));
        var global = set.GlobalConfigOptions;
        var local = set.GetOptionsForSourcePath(sourcePath);
        return ruleId is not null
            ? global.TreeOptions.Concat(local.TreeOptions).Any(o => o.Key.Equals(ruleId, StringComparison.OrdinalIgnoreCase) && o.Value == ReportDiagnostic.Suppress)
            : global.AnalyzerOptions.Concat(local.AnalyzerOptions).Any(o => o.Key.Equals(key, StringComparison.OrdinalIgnoreCase) && o.Value.Trim().Equals("none", StringComparison.OrdinalIgnoreCase));
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

    /// <summary>The member or type the attribute is on ("Store.Save", "type Store"), or "the assembly".</summary>
    private static string Target(AttributeData attribute, Compilation compilation)
    {
        var list = attribute.ApplicationSyntaxReference?.GetSyntax().Parent;
        var declaration = list?.Parent;
        if (declaration is null or CompilationUnitSyntax || list is not AttributeListSyntax)
        {
            return "the assembly";
        }

        var model = compilation.GetSemanticModel(declaration.SyntaxTree);
        var symbol = declaration switch
        {
            BaseFieldDeclarationSyntax field => model.GetDeclaredSymbol(field.Declaration.Variables[0]),
            _ => model.GetDeclaredSymbol(declaration),
        };
        return symbol switch
        {
            null => "the assembly",
            INamedTypeSymbol type => $"type {type.Name}",
            IMethodSymbol { MethodKind: MethodKind.Constructor } constructor => $"{constructor.ContainingType.Name} constructor",
            _ => symbol.ContainingType is null ? symbol.Name : $"{symbol.ContainingType.Name}.{symbol.Name}",
        };
    }
}
