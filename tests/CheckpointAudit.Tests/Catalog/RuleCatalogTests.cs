using System.Reflection;
using CheckpointAudit.Catalog;
using CheckpointAudit.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;

namespace CheckpointAudit.Tests.Catalog;

/// <summary>The catalog is the single source of truth: everything else is checked against it.</summary>
public class RuleCatalogTests
{
    private static readonly Assembly AnalyzerAssembly = typeof(RuleCatalog).Assembly;
    private static readonly Assembly CodeFixAssembly = typeof(CheckpointAudit.CodeFixes.Atomicity.WriteAtomicallyCodeFixProvider).Assembly;

    private static IEnumerable<DiagnosticAnalyzer> Analyzers() => AnalyzerAssembly.GetTypes()
        .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t))
        .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!);

    private static IEnumerable<CodeFixProvider> CodeFixes() => CodeFixAssembly.GetTypes()
        .Where(t => !t.IsAbstract && typeof(CodeFixProvider).IsAssignableFrom(t))
        .Select(t => (CodeFixProvider)Activator.CreateInstance(t)!);

    [Fact]
    public void Ids_are_unique_sorted_and_in_their_category_range()
    {
        var ids = RuleCatalog.All.Select(r => r.Id).ToList();
        Assert.Equal(ids.Distinct().Count(), ids.Count);
        Assert.Equal(ids.Order(StringComparer.Ordinal), ids);
        foreach (var rule in RuleCatalog.All)
        {
            Assert.Matches("^CKPT[1-8][0-9]{2}$", rule.Id);
            Assert.Equal((int)rule.Category + 1, rule.Id[4] - '0');
        }
    }

    [Fact]
    public void Every_public_catalog_field_is_listed_in_All()
    {
        var fields = typeof(RuleCatalog).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.FieldType == typeof(RuleDefinition))
            .Select(f => (RuleDefinition)f.GetValue(null)!);
        Assert.Equal(fields.OrderBy(r => r.Id), RuleCatalog.All.OrderBy(r => r.Id));
    }

    [Fact]
    public void Descriptors_follow_the_severity_policy()
    {
        foreach (var rule in RuleCatalog.All)
        {
            var descriptor = rule.Descriptor;
            Assert.Equal(rule.Id, descriptor.Id);
            Assert.Equal(rule.Title, descriptor.Title.ToString());
            Assert.Equal("CheckpointAudit." + rule.Category, descriptor.Category);
            Assert.Equal(RuleCatalog.DocsBaseUri + rule.Id + ".md", descriptor.HelpLinkUri);
            Assert.False(string.IsNullOrWhiteSpace(rule.Remediation));
            var (severity, enabled) = rule.AuditSeverity switch
            {
                AuditSeverity.Critical or AuditSeverity.High => (DiagnosticSeverity.Warning, true),
                AuditSeverity.Medium => (DiagnosticSeverity.Info, true),
                _ => (DiagnosticSeverity.Info, false),
            };
            Assert.Equal(severity, descriptor.DefaultSeverity);
            Assert.Equal(enabled, descriptor.IsEnabledByDefault);
        }
    }

    [Fact]
    public void Every_rule_has_exactly_one_category_analyzer_and_every_analyzer_descriptor_is_in_the_catalog()
    {
        var supported = Analyzers().SelectMany(a => a.SupportedDiagnostics).ToList();
        foreach (var descriptor in supported)
        {
            Assert.Same(RuleCatalog.All.Single(r => r.Id == descriptor.Id).Descriptor, descriptor);
        }

        foreach (var rule in RuleCatalog.All)
        {
            Assert.Single(supported, d => d.Id == rule.Id);
        }
    }

    [Fact]
    public void Every_analyzer_and_code_fix_carries_the_attributes_hosts_load_it_by()
    {
        // Build hosts, the IDE and the audit tool find analyzers by [DiagnosticAnalyzer] and fixes by
        // [ExportCodeFixProvider] + [Shared]; a class without them is silently never run.
        var analyzers = AnalyzerAssembly.GetTypes().Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t)).ToList();
        Assert.Equal(RuleCatalog.All.Select(r => r.Category).Distinct().Count(), analyzers.Count);
        Assert.All(analyzers, t => Assert.Equal([LanguageNames.CSharp], t.GetCustomAttribute<DiagnosticAnalyzerAttribute>()?.Languages ?? []));

        var fixes = CodeFixAssembly.GetTypes().Where(t => !t.IsAbstract && typeof(CodeFixProvider).IsAssignableFrom(t)).ToList();
        Assert.NotEmpty(fixes);
        Assert.All(fixes, t =>
        {
            Assert.True(t.GetCustomAttribute<ExportCodeFixProviderAttribute>() is { } export && export.Languages.SequenceEqual([LanguageNames.CSharp]), t.Name + " lacks [ExportCodeFixProvider(LanguageNames.CSharp)]");
            Assert.True(t.GetCustomAttribute<System.Composition.SharedAttribute>() is not null, t.Name + " lacks [Shared]");
        });
    }

    [Fact]
    public void Rules_with_a_fix_title_have_a_code_fix_and_the_reverse()
    {
        var fixable = CodeFixes().SelectMany(f => f.FixableDiagnosticIds).ToHashSet();
        foreach (var rule in RuleCatalog.All)
        {
            Assert.True(rule.HasFix == fixable.Contains(rule.Id), $"{rule.Id}: catalog says fix={rule.HasFix}, code fixes say {fixable.Contains(rule.Id)}");
        }

        Assert.Subset(RuleCatalog.All.Select(r => r.Id).ToHashSet(), fixable);
    }

    [Fact]
    public void No_descriptor_is_built_outside_the_factory()
    {
        // Bound, not searched as text: `new(...)` with a target type, an alias or a qualified name count too.
        var sources = Directory.GetFiles(RepositoryFiles.PathOf("src"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(f => Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText(File.ReadAllText(f), path: f))
            .ToList();
        var references = new[] { typeof(DiagnosticDescriptor), typeof(Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree), typeof(System.Collections.Immutable.ImmutableArray) }
            .Select(t => (MetadataReference)MetadataReference.CreateFromFile(t.Assembly.Location))
            .Concat(TestReferences.Net80);
        var compilation = Microsoft.CodeAnalysis.CSharp.CSharpCompilation.Create("Sources", sources, references);
        var descriptor = compilation.GetTypeByMetadataName(typeof(DiagnosticDescriptor).FullName!);
        Assert.NotNull(descriptor);

        var offenders = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var tree in sources)
        {
            var model = compilation.GetSemanticModel(tree);
            foreach (var creation in tree.GetRoot().DescendantNodes().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.BaseObjectCreationExpressionSyntax>())
            {
                if (SymbolEqualityComparer.Default.Equals(model.GetTypeInfo(creation).Type, descriptor))
                {
                    offenders.Add(Path.GetRelativePath(RepositoryFiles.Root, tree.FilePath).Replace('\\', '/'));
                }
            }
        }

        Assert.Equal(["src/CheckpointAudit.Analyzers/Catalog/DescriptorFactory.cs"], offenders);
    }

    [Fact]
    public void The_analyzers_build_bans_display_strings()
    {
        // A display string is built on every call and names a type only as this Roslyn version prints it: the analyzers'
        // build fails (RS0030) on a display-string call anywhere but SymbolNames.Display, which messages go through.
        var project = File.ReadAllText(RepositoryFiles.PathOf("src/CheckpointAudit.Analyzers/CheckpointAudit.Analyzers.csproj"));
        Assert.Contains("Microsoft.CodeAnalysis.BannedApiAnalyzers", project, StringComparison.Ordinal);
        Assert.Contains(@"<AdditionalFiles Include=""BannedSymbols.txt"" />", project, StringComparison.Ordinal);
        var banned = File.ReadAllLines(RepositoryFiles.PathOf("src/CheckpointAudit.Analyzers/BannedSymbols.txt")).Select(l => l.Split(';')[0]).ToList();
        Assert.Contains("M:Microsoft.CodeAnalysis.ISymbol.ToDisplayString(Microsoft.CodeAnalysis.SymbolDisplayFormat)", banned);
        Assert.Contains("M:Microsoft.CodeAnalysis.ITypeSymbol.ToDisplayString(Microsoft.CodeAnalysis.NullableFlowState,Microsoft.CodeAnalysis.SymbolDisplayFormat)", banned);
    }

    [Fact]
    public void Attributes_are_recognised_by_full_name()
    {
        // System.Text.Json and Newtonsoft.Json share attribute names, and a project may declare its own: a library's
        // attribute is recognised with its namespace (KnownAttributes). The opt-in markers are the exception on
        // purpose: any attribute named [Checkpoint] or [Persisted], the user's own, opts a type in.
        var offenders = new List<string>();
        foreach (var file in Directory.GetFiles(RepositoryFiles.PathOf("src/CheckpointAudit.Analyzers"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && Path.GetFileName(f) != "OptedInTypes.cs"))
        {
            var root = Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText(File.ReadAllText(file)).GetRoot();
            foreach (var name in root.DescendantNodes().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.MemberAccessExpressionSyntax>()
                .Where(a => a.Name.Identifier.Text == "Name" && a.Expression.ToString().EndsWith("AttributeClass", StringComparison.Ordinal))
                .Concat<SyntaxNode>(root.DescendantNodes().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.MemberBindingExpressionSyntax>()
                    .Where(b => b.Name.Identifier.Text == "Name"
                        && b.Ancestors().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.ConditionalAccessExpressionSyntax>().FirstOrDefault() is { } c
                        && c.Expression.ToString().EndsWith("AttributeClass", StringComparison.Ordinal))))
            {
                offenders.Add($"{Path.GetRelativePath(RepositoryFiles.Root, file).Replace('\\', '/')}:{name.GetLocation().GetLineSpan().StartLinePosition.Line + 1}");
            }
        }

        Assert.Empty(offenders);
    }

    [Fact]
    public void Rule_ids_are_written_only_in_the_catalog()
    {
        // Everything else asks the catalog (RuleCatalog.X.Id, RuleDefinition.Practice), so a rule added or renumbered
        // there is planned, fixed and reported without a hunt for its ID in strings. Comments may name rules.
        var offenders = new List<string>();
        var catalog = RepositoryFiles.PathOf("src/CheckpointAudit.Analyzers/Catalog") + Path.DirectorySeparatorChar;
        foreach (var file in Directory.GetFiles(RepositoryFiles.PathOf("src"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.StartsWith(catalog, StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)))
        {
            var root = Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText(File.ReadAllText(file)).GetRoot();
            foreach (var token in root.DescendantTokens().Where(t => t.IsKind(Microsoft.CodeAnalysis.CSharp.SyntaxKind.StringLiteralToken)
                || t.IsKind(Microsoft.CodeAnalysis.CSharp.SyntaxKind.InterpolatedStringTextToken)
                || t.IsKind(Microsoft.CodeAnalysis.CSharp.SyntaxKind.SingleLineRawStringLiteralToken)
                || t.IsKind(Microsoft.CodeAnalysis.CSharp.SyntaxKind.MultiLineRawStringLiteralToken)))
            {
                if (System.Text.RegularExpressions.Regex.IsMatch(token.ValueText, @"CKPT\d{3}"))
                {
                    offenders.Add($"{Path.GetRelativePath(RepositoryFiles.Root, file).Replace('\\', '/')}:{token.GetLocation().GetLineSpan().StartLinePosition.Line + 1}");
                }
            }
        }

        Assert.Empty(offenders);
    }
}
