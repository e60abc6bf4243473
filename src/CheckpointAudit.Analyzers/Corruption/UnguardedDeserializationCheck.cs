using CheckpointAudit.Catalog;
using CheckpointAudit.Checks;
using CheckpointAudit.Knowledge;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace CheckpointAudit.Corruption;

/// <summary>
/// CKPT301: a deserializer parses data read from a file or the database, and no catch around it (in
/// the same function, or around every call of a loader only this compilation calls) handles the
/// exception that parser throws for malformed input. A single torn write or manual edit then makes
/// every later load throw: the application stops starting, or the state is silently replaced.
/// </summary>
public sealed class UnguardedDeserializationCheck : LoadRuleCheck
{
    public UnguardedDeserializationCheck()
        : base(RuleCatalog.UnguardedDeserialization, OperationKind.Invocation)
    {
    }

    private protected override void Analyze(OperationAnalysisContext context, LoadSymbols symbols, RuleScope scope)
    {
        var invocation = (IInvocationOperation)context.Operation;
        if (MatchStoredLoad(invocation, context, symbols, scope) is not { } load
            || CatchCoverage.IsCaught(invocation, context.ContainingSymbol, load.Malformed, context.Compilation, context.CancellationToken))
        {
            return;
        }

        context.ReportDiagnostic(Diagnostic.Create(
            Rule.Descriptor,
            invocation.Syntax.GetLocation(),
            load.Api,
            load.Input.Syntax.ToString(),
            load.Source,
            load.Malformed[0].Name));
    }
}
