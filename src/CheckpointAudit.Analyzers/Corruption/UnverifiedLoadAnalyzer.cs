using System.Collections.Immutable;
using CheckpointAudit.Catalog;
using CheckpointAudit.Knowledge;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace CheckpointAudit.Corruption;

/// <summary>
/// CKPT303 (MEDIUM): state read from a file or the database is parsed with no integrity check in the
/// load path — no hash computed in the body or in a method of the same file it calls (HashAlgorithm
/// and its SHA*/MD5 types, System.IO.Hashing's CRC/xxHash) — and not through CheckpointFile.Load. Damage
/// that still parses is then indistinguishable from real state.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class UnverifiedLoadAnalyzer : DiagnosticAnalyzer
{
    private static readonly RuleDefinition Rule = RuleCatalog.UnverifiedLoad;

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Rule.Descriptor);

    public override void Initialize(AnalysisContext context)
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

            var hashAlgorithm = start.Compilation.GetTypeByMetadataName("System.Security.Cryptography.HashAlgorithm");
            var nonCryptographicHash = start.Compilation.GetTypeByMetadataName("System.IO.Hashing.NonCryptographicHashAlgorithm");
            var scope = new RuleScope(new CheckpointAuditOptions(start.Options.AnalyzerConfigOptionsProvider, start.Compilation));
            start.RegisterOperationAction(c => Analyze(c, apis, deserializers, hashAlgorithm, nonCryptographicHash, scope), OperationKind.Invocation);
        });
    }

    private static void Analyze(
        OperationAnalysisContext context,
        FileApiSymbols apis,
        Deserializers deserializers,
        INamedTypeSymbol? hashAlgorithm,
        INamedTypeSymbol? nonCryptographicHash,
        RuleScope scope)
    {
        var invocation = (IInvocationOperation)context.Operation;
        if (!deserializers.TryMatch(invocation, out var input, out _, out var api) || input is null || !scope.Includes(context))
        {
            return;
        }

        var root = OperationTree.Root(invocation);
        var source = StoredInput.Source(input, root, apis);
        if (source is null || ComputesHash(root, hashAlgorithm, nonCryptographicHash, depth: 0))
        {
            return;
        }

        context.ReportDiagnostic(Diagnostic.Create(Rule.Descriptor, invocation.Syntax.GetLocation(), api, input.Syntax.ToString(), source));
    }

    /// <summary>A call on a hash algorithm type (or its static HashData) in the body or in a same-file method it calls.</summary>
    private static bool ComputesHash(IOperation body, INamedTypeSymbol? hashAlgorithm, INamedTypeSymbol? nonCryptographicHash, int depth)
    {
        foreach (var operation in body.Descendants())
        {
            if (operation is not IInvocationOperation call)
            {
                continue;
            }

            if (InheritsFrom(call.TargetMethod.ContainingType, hashAlgorithm) || InheritsFrom(call.TargetMethod.ContainingType, nonCryptographicHash))
            {
                return true;
            }

            if (depth == 0 && SameFileBody.Of(call) is { } callee && ComputesHash(callee, hashAlgorithm, nonCryptographicHash, depth + 1))
            {
                return true;
            }
        }

        return false;
    }

    private static bool InheritsFrom(ITypeSymbol? type, INamedTypeSymbol? expected)
    {
        if (expected is null)
        {
            return false;
        }

        for (var current = type; current is not null; current = current.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(current.OriginalDefinition, expected))
            {
                return true;
            }
        }

        return false;
    }
}
