using CheckpointAudit.Catalog;
using CheckpointAudit.Knowledge;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace CheckpointAudit.StateSync;

/// <summary>
/// CKPT701 (live): a PUT or PATCH handler (<see cref="UpdateHandlers"/>) that changes stored state, itself or through
/// the project methods it calls (<see cref="StateUpdates"/>), by writing back a copy the client edited (a whole entity,
/// a file, two or more fields from the request: <see cref="UpdateFacts.Copies"/>), with nothing that makes the change conditional on the
/// version the client saw. Also the form where the entity has a concurrency token but the handler loads the row and
/// saves it again without telling EF Core the client's token: the check then covers only the time between the load
/// and the save. Reported where the handler changes the state (the save, or the call that leads to it), or at the
/// MapPut of a handler given as a method.
/// </summary>
public sealed class UnversionedUpdateCheck : UpdateHandlerCheck
{
    public UnversionedUpdateCheck()
        : base(RuleCatalog.UnversionedUpdate)
    {
    }

    private protected override bool Report(OperationAnalysisContext context, UpdateHandler handler)
    {
        var facts = StateUpdates.Of(context.Compilation).OfHandler(handler.Body, handler.Declaration, context.CancellationToken);
        if (facts.StaleEditRisk is not { } problem || (handler.Reported ?? facts.Location) is not { } site)
        {
            return false;
        }

        context.ReportDiagnostic(Diagnostic.Create(Rule.Descriptor, site.Syntax.GetLocation(), handler.Name, What(facts), problem));
        return true;
    }

    private static string What(UpdateFacts facts)
        => facts.Rows ?? facts.File ?? "saves changes to '" + facts.Entity + "' with EF Core";
}
