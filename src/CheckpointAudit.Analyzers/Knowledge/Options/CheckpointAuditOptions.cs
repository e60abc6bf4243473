using System;
using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Linq;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace CheckpointAudit.Knowledge;

/// <summary>
/// The <c>checkpoint_audit.*</c> options (see docs/configuration.md), read from
/// .editorconfig / global config per syntax tree and cached for the compilation: one instance is shared by
/// every analyzer of the compilation, so a tree's options are read and parsed once, not once per rule.
/// </summary>
internal sealed class CheckpointAuditOptions
{
    public const string AnalyzeTestProjectsKey = "checkpoint_audit.analyze_test_projects";
    public const string AtomicWriteMethodsKey = "checkpoint_audit.atomic_write_methods";
    public const string SchemaVersionMembersKey = "checkpoint_audit.schema_version_members";
    public const string PersistedTypesKey = "checkpoint_audit.persisted_types";

    // Assemblies whose presence marks a test project.
    private static readonly ImmutableHashSet<string> TestFrameworkAssemblies = ImmutableHashSet.Create(
        StringComparer.OrdinalIgnoreCase,
        "xunit.core",
        "xunit.v3.core",
        "nunit.framework",
        "Microsoft.VisualStudio.TestPlatform.TestFramework",
        "MSTest.TestFramework");

    private static readonly ConditionalWeakTable<Compilation, CheckpointAuditOptions> PerCompilation = new();

    private readonly AnalyzerConfigOptionsProvider _provider;
    private readonly bool _isTestProject;
    private readonly ConcurrentDictionary<SyntaxTree, TreeOptions> _perTree = new();

    public CheckpointAuditOptions(AnalyzerConfigOptionsProvider provider, Compilation compilation)
    {
        _provider = provider;
        _isTestProject = compilation.ReferencedAssemblyNames.Any(a => TestFrameworkAssemblies.Contains(a.Name));
    }

    /// <summary>
    /// The instance of the compilation, shared by its analyzers. The driver gives all of them the same options
    /// provider; a caller with another provider (a host that varies options per analyzer) gets its own instance.
    /// </summary>
    public static CheckpointAuditOptions For(Compilation compilation, AnalyzerConfigOptionsProvider provider)
    {
        var shared = PerCompilation.GetValue(compilation, c => new CheckpointAuditOptions(provider, c));
        return ReferenceEquals(shared._provider, provider) ? shared : new CheckpointAuditOptions(provider, compilation);
    }

    /// <summary>False for files of a test project unless analyze_test_projects is true.</summary>
    public bool IsAnalyzed(SyntaxTree tree) => !_isTestProject || For(tree).AnalyzeTestProjects;

    public MethodNamePatterns AtomicWriteMethods(SyntaxTree tree) => For(tree).AtomicWriteMethods;

    /// <summary>Names a schema version member may have (see <see cref="SchemaVersionMember"/>).</summary>
    public ImmutableArray<string> SchemaVersionMembers(SyntaxTree tree) => For(tree).SchemaVersionMembers;

    /// <summary>Globs on type names that mark types as persisted models.</summary>
    public TypeNamePatterns PersistedTypes(SyntaxTree tree) => For(tree).PersistedTypes;

    private TreeOptions For(SyntaxTree tree)
    {
        if (_perTree.TryGetValue(tree, out var known))
        {
            return known;
        }

        // Read once per file (most files set none of these options and share the default answer).
        return _perTree.GetOrAdd(tree, Read(_provider.GetOptions(tree)));
    }

    private static TreeOptions Read(AnalyzerConfigOptions options)
    {
        var analyzeTests = options.TryGetValue(AnalyzeTestProjectsKey, out var flag)
            && string.Equals(flag.Trim(), "true", StringComparison.OrdinalIgnoreCase);
        options.TryGetValue(AtomicWriteMethodsKey, out var methods);
        options.TryGetValue(SchemaVersionMembersKey, out var versionNames);
        options.TryGetValue(PersistedTypesKey, out var persistedTypes);
        if (!analyzeTests && string.IsNullOrWhiteSpace(methods) && string.IsNullOrWhiteSpace(versionNames) && string.IsNullOrWhiteSpace(persistedTypes))
        {
            return TreeOptions.Default;
        }

        return new TreeOptions(analyzeTests, MethodNamePatterns.Parse(methods), SchemaVersionMember.ParseNames(versionNames), TypeNamePatterns.Parse(persistedTypes));
    }

    private sealed class TreeOptions
    {
        public static readonly TreeOptions Default = new(false, MethodNamePatterns.Empty, SchemaVersionMember.DefaultNames, TypeNamePatterns.Empty);

        public TreeOptions(bool analyzeTestProjects, MethodNamePatterns atomicWriteMethods, ImmutableArray<string> schemaVersionMembers, TypeNamePatterns persistedTypes)
        {
            AnalyzeTestProjects = analyzeTestProjects;
            AtomicWriteMethods = atomicWriteMethods;
            SchemaVersionMembers = schemaVersionMembers;
            PersistedTypes = persistedTypes;
        }

        public bool AnalyzeTestProjects { get; }
        public MethodNamePatterns AtomicWriteMethods { get; }
        public ImmutableArray<string> SchemaVersionMembers { get; }
        public TypeNamePatterns PersistedTypes { get; }
    }
}
