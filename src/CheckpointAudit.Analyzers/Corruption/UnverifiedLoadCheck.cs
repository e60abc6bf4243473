using CheckpointAudit.Catalog;
using CheckpointAudit.Checks;
using CheckpointAudit.Knowledge;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace CheckpointAudit.Corruption;

/// <summary>
/// CKPT303 (MEDIUM): the program's own state (read from a file or the database, and saved again by the
/// same source file: see <see cref="SavedState"/>) is parsed with no integrity check in the load path — no hash computed in the body or in a method of the same file it calls (HashAlgorithm
/// and its SHA*/MD5 types, System.IO.Hashing's CRC/xxHash) — and not through CheckpointFile.Load. Damage
/// that still parses is then indistinguishable from real state.
/// </summary>
public sealed class UnverifiedLoadCheck : LoadRuleCheck
{
    public UnverifiedLoadCheck()
        : base(RuleCatalog.UnverifiedLoad, OperationKind.Invocation)
    {
    }

    private protected override void Analyze(OperationAnalysisContext context, LoadSymbols symbols, RuleScope scope)
    {
        var invocation = (IInvocationOperation)context.Operation;
        if (MatchStoredLoad(invocation, context, symbols, scope) is not { } load
            || ComputesHash(load.Root, symbols.Hashes, depth: 0)
            || SavedState.LoadedPath(invocation, load.Input, load.Root, symbols.Apis) is var path && !SavedState.IsSavedAgain(invocation, path, load.Root, symbols.Apis))
        {
            return;
        }

        // A cache read back is regenerable output: damage costs a recomputation.
        var location = invocation.Syntax.GetLocation();
        context.ReportDiagnostic(path is not null && LoadedData.ClassifyPath(invocation, path, load.Root) is { } output
            ? DataHeldDiagnostic.Create(Rule, location, output, load.Api, load.Input.Syntax.ToString(), load.Source)
            : Diagnostic.Create(Rule.Descriptor, location, load.Api, load.Input.Syntax.ToString(), load.Source));
    }

    /// <summary>A call on a hash algorithm type (or its static HashData) in the body or in a same-file method it calls.</summary>
    private static bool ComputesHash(IOperation body, IntegrityHashes hashes, int depth)
    {
        foreach (var operation in body.Descendants())
        {
            if (operation is not IInvocationOperation call)
            {
                continue;
            }

            if (hashes.IsHashType(call.TargetMethod.ContainingType))
            {
                return true;
            }

            if (depth == 0 && SameFileBody.Of(call) is { } callee && ComputesHash(callee, hashes, depth + 1))
            {
                return true;
            }
        }

        return false;
    }
}
