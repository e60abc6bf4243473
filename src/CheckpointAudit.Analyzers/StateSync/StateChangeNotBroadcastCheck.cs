using CheckpointAudit.Catalog;
using CheckpointAudit.Knowledge;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace CheckpointAudit.StateSync;

/// <summary>
/// CKPT703 (live): a PUT or PATCH handler (<see cref="UpdateHandlers"/>) that changes stored state through a project
/// method (<see cref="StateUpdates"/>) and sends nothing to connected clients, where another function of the project
/// calls the same method and does send (SignalR, a WebSocket, a MediatR notification, directly or through a project
/// method): the project's own convention says this change is one clients are told about. Quiet in projects that never
/// broadcast, and for state no broadcasting code saves. Reported where the handler changes state (its first write or
/// save, or the call of the handler's body that leads to it).
/// </summary>
public sealed class StateChangeNotBroadcastCheck : UpdateHandlerCheck
{
    public StateChangeNotBroadcastCheck()
        : base(RuleCatalog.StateChangeNotBroadcast)
    {
    }

    private protected override bool Report(OperationAnalysisContext context, UpdateHandler handler)
    {
        var updates = StateUpdates.Of(context.Compilation);
        var facts = updates.OfHandler(handler.Body, handler.Declaration, context.CancellationToken);
        if (facts.Broadcasts || (handler.Reported ?? facts.Location) is not { } site)
        {
            return false;
        }

        foreach (var method in facts.StateMethods)
        {
            if (updates.BroadcastingCaller(method, context.CancellationToken) is { } caller)
            {
                var member = OperationTree.MemberName(caller) ?? "another method";
                context.ReportDiagnostic(Diagnostic.Create(Rule.Descriptor, site.Syntax.GetLocation(), handler.Name, method.ContainingType.Name + "." + method.Name, member));
                return true;
            }
        }

        return false;
    }
}
