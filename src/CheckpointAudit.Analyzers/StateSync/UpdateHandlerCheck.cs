using CheckpointAudit.Catalog;
using CheckpointAudit.Checks;
using CheckpointAudit.Knowledge;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace CheckpointAudit.StateSync;

/// <summary>
/// A rule about PUT and PATCH handlers (<see cref="UpdateHandlers"/>): registers the MVC action and MapPut/MapPatch
/// actions when ASP.NET Core is referenced and hands each handler found to <see cref="Report"/>.
/// </summary>
public abstract class UpdateHandlerCheck : RuleCheck
{
    private protected UpdateHandlerCheck(RuleDefinition rule)
        : base(rule)
    {
    }

    private protected sealed override void OnCompilationStart(CheckStart start)
    {
        var handlers = UpdateHandlers.Of(start.Compilation);
        var options = OptionsOf(start.Compilation, start.Options);
        if (handlers.HasActions)
        {
            start.RegisterOperationAction(
                context =>
                {
                    // Test projects are skipped unless checkpoint_audit.analyze_test_projects says otherwise.
                    if (options.IsAnalyzed(context.Operation.Syntax.SyntaxTree) && handlers.OfAction(context) is { } handler)
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
                    if (!UpdateHandlers.MayRegister((IInvocationOperation)context.Operation) || !options.IsAnalyzed(context.Operation.Syntax.SyntaxTree))
                    {
                        return;
                    }

                    // A method group registered: one finding for the registration, whatever body it reaches.
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

    /// <summary>Reports the handler when the rule applies to it; true when it reported.</summary>
    private protected abstract bool Report(OperationAnalysisContext context, UpdateHandler handler);
}
