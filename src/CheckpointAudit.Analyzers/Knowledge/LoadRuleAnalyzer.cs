using System.Collections.Immutable;
using CheckpointAudit.Catalog;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace CheckpointAudit.Knowledge;

/// <summary>
/// Base of the analyzers that look at loads of stored data (the Corruption family): one rule,
/// operation actions of one kind, nothing registered when neither System.IO.File nor a known
/// deserializer is in the compilation, generated code skipped.
/// </summary>
public abstract class LoadRuleAnalyzer : DiagnosticAnalyzer
{
    private readonly OperationKind _kind;

    private protected LoadRuleAnalyzer(RuleDefinition rule, OperationKind kind)
    {
        Rule = rule;
        _kind = kind;
        SupportedDiagnostics = ImmutableArray.Create(rule.Descriptor);
    }

    private protected RuleDefinition Rule { get; }

    public sealed override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; }

    public sealed override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            var apis = FileApiSymbols.Create(start.Compilation);
            var deserializers = apis is null ? null : Deserializers.Create(start.Compilation);
            if (apis is null || deserializers is null)
            {
                return;
            }

            var symbols = new LoadSymbols(apis, deserializers, start.Compilation);
            var scope = new RuleScope(new CheckpointAuditOptions(start.Options.AnalyzerConfigOptionsProvider, start.Compilation));
            start.RegisterOperationAction(c => Analyze(c, symbols, scope), _kind);
        });
    }

    /// <summary>Called for every operation of the registered kind; check <see cref="RuleScope.Includes"/> after the cheap match.</summary>
    private protected abstract void Analyze(OperationAnalysisContext context, LoadSymbols symbols, RuleScope scope);
}

/// <summary>What the load rules resolve once per compilation.</summary>
internal sealed class LoadSymbols(FileApiSymbols apis, Deserializers deserializers, Compilation compilation)
{
    public FileApiSymbols Apis { get; } = apis;

    public Deserializers Deserializers { get; } = deserializers;

    /// <summary>System.Security.Cryptography.HashAlgorithm (SHA*, MD5, HMAC*).</summary>
    public INamedTypeSymbol? HashAlgorithm { get; } = compilation.GetTypeByMetadataName("System.Security.Cryptography.HashAlgorithm");

    /// <summary>System.IO.Hashing.NonCryptographicHashAlgorithm (CRC32, xxHash).</summary>
    public INamedTypeSymbol? NonCryptographicHash { get; } = compilation.GetTypeByMetadataName("System.IO.Hashing.NonCryptographicHashAlgorithm");
}
