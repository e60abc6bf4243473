using CheckpointAudit.Catalog;
using CheckpointAudit.Checks;
using CheckpointAudit.Knowledge;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace CheckpointAudit.StateSync;

/// <summary>
/// CKPT703 (live): a PUT or PATCH handler (<see cref="UpdateHandlers"/>) that changes stored state through a project
/// method (<see cref="StateUpdates"/>) and sends nothing to connected clients, where another function of the project
/// calls the same method and does send (SignalR, a WebSocket, a MediatR notification, directly or through a project
/// method): the project's own convention says this change is one clients are told about. Quiet in projects that never
/// broadcast, and for state no broadcasting code saves. Reported where the handler changes state (its first write or
/// save, or the call of the handler's body that leads to it).
/// </summary>
public sealed class StateChangeNotBroadcastCheck : RuleCheck
{
    public StateChangeNotBroadcastCheck()
        : base(RuleCatalog.StateChangeNotBroadcast)
    {
    }

    private protected override void OnCompilationStart(CheckStart start)
    {
        var handlers = UpdateHandlers.Of(start.Compilation);
        if (handlers.HasActions)
        {
            start.RegisterOperationAction(
                context =>
                {
                    if (handlers.OfAction(context) is { } handler)
                    {
                        Report(context, handler);
                    }
                },
                OperationKind.MethodBody);
        }

        if (handlers.HasMaps)
        {
            start.RegisterOperationAction(
                context =>
                {
                    if (!UpdateHandlers.MayRegister((IInvocationOperation)context.Operation))
                    {
                        return;
                    }

                    foreach (var handler in handlers.OfMap((IInvocationOperation)context.Operation, context.Compilation, context.CancellationToken))
                    {
                        if (Report(context, handler))
                        {
                            return;
                        }
                    }
                },
                OperationKind.Invocation);
        }
    }

    private bool Report(OperationAnalysisContext context, UpdateHandler handler)
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
                var member = MemberName(caller);
                context.ReportDiagnostic(Diagnostic.Create(Rule.Descriptor, site.Syntax.GetLocation(), handler.Name, method.ContainingType.Name + "." + method.Name, member));
                return true;
            }
        }

        return false;
    }

    /// <summary>The member that holds the call ("PipelineRunner.RunAsync"), seen through lambdas and local functions.</summary>
    private static string MemberName(IOperation call)
    {
        var symbol = call.SemanticModel?.GetEnclosingSymbol(call.Syntax.SpanStart);
        while (symbol is IMethodSymbol { MethodKind: MethodKind.AnonymousFunction or MethodKind.LocalFunction })
        {
            symbol = symbol.ContainingSymbol;
        }

        return symbol switch
        {
            IMethodSymbol { Name: WellKnownMemberNames.TopLevelStatementsEntryPointMethodName } => "the program's top-level code",
            IMethodSymbol or IPropertySymbol => symbol.ContainingType.Name + "." + symbol.Name,
            _ => "another method",
        };
    }
}
