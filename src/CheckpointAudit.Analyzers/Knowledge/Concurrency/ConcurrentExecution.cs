using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace CheckpointAudit.Knowledge;

/// <summary>
/// Whether the code around an operation can run twice at the same time, as far as one file shows:
/// an async method or lambda (a second call starts while the first awaits), a callback handed to
/// the thread pool (Task.Run, TaskFactory.StartNew, Parallel, ThreadPool, new Thread, a
/// System.Threading.Timer), or a handler of an event raised on pool threads (System.Timers.Timer,
/// FileSystemWatcher). Synchronous UI event handlers are not counted: the UI thread runs them one
/// at a time.
/// </summary>
internal static class ConcurrentExecution
{
    /// <summary>Why the code containing <paramref name="operation"/> can overlap with itself, or null.</summary>
    public static string? Reason(IOperation operation, ISymbol? containingSymbol)
    {
        // A synchronous lambda or local function runs inside its container: keep walking out.
        for (var parent = operation.Parent; parent is not null; parent = parent.Parent)
        {
            switch (parent)
            {
                case IAnonymousFunctionOperation lambda:
                    if (lambda.Symbol.IsAsync)
                    {
                        return "this async lambda";
                    }

                    if (CallbackReason(lambda.Parent) is { } callback)
                    {
                        return "this lambda (" + callback + ")";
                    }

                    break;
                case ILocalFunctionOperation localFunction:
                    if (localFunction.Symbol.IsAsync)
                    {
                        return $"async local function '{localFunction.Symbol.Name}'";
                    }

                    if (ReferencedAsCallback(localFunction.Symbol, operation.SemanticModel) is { } reason)
                    {
                        return reason;
                    }

                    break;
            }
        }

        if (containingSymbol is not IMethodSymbol method)
        {
            return null;
        }

        return method.IsAsync ? $"async method '{method.Name}'" : ReferencedAsCallback(method, operation.SemanticModel);
    }

    /// <summary>
    /// A method passed as a callback in its own file: a method group given to a pool starter or a
    /// pool event, or called from a lambda that is.
    /// </summary>
    private static string? ReferencedAsCallback(IMethodSymbol method, SemanticModel? model)
    {
        foreach (var reference in SameFileReferences.Of(method, model))
        {
            switch (reference)
            {
                case IMethodReferenceOperation methodReference:
                    if (CallbackReason(methodReference.Parent) is { } reason)
                    {
                        return $"'{method.Name}' ({reason})";
                    }

                    break;
                case IInvocationOperation invocation:
                    var lambda = invocation.Parent;
                    while (lambda is not null and not IAnonymousFunctionOperation)
                    {
                        lambda = lambda.Parent;
                    }

                    if (lambda is IAnonymousFunctionOperation && CallbackReason(lambda.Parent) is { } lambdaReason)
                    {
                        return $"'{method.Name}' (called from {lambdaReason})";
                    }

                    break;
            }
        }

        return null;
    }

    /// <summary>Whether a delegate (the parent of a lambda or method group) is handed to the pool.</summary>
    private static string? CallbackReason(IOperation? delegateOperation)
    {
        var current = delegateOperation;
        while (current is IDelegateCreationOperation or IConversionOperation)
        {
            current = current.Parent;
        }

        switch (current)
        {
            case IArgumentOperation { Parent: IInvocationOperation call } when IsPoolStarter(call.TargetMethod):
                return $"a {call.TargetMethod.ContainingType.Name}.{call.TargetMethod.Name} callback";
            case IArgumentOperation { Parent: IObjectCreationOperation { Type: { } type } } when IsPoolObject(type):
                return $"a {type.Name} callback";
            case IEventAssignmentOperation { Adds: true, EventReference: IEventReferenceOperation { Event: { } @event } } when IsPoolEvent(@event):
                return $"a {@event.ContainingType.Name}.{@event.Name} handler";
        }

        return null;
    }

    private static bool IsPoolStarter(IMethodSymbol method)
    {
        var type = method.ContainingType;
        return (SymbolNames.IsNamespace(type.ContainingNamespace, "System.Threading.Tasks") && (type.Name, method.Name) is ("Task", "Run") or ("TaskFactory", "StartNew") or ("Parallel", _) or ("Task", "ContinueWith"))
            || (SymbolNames.IsNamespace(type.ContainingNamespace, "System.Threading") && type.Name == "ThreadPool" && method.Name.Contains("QueueUserWorkItem"));
    }

    private static bool IsPoolObject(ITypeSymbol type)
        => SymbolNames.IsNamespace(type.ContainingNamespace, "System.Threading") && type.Name is "Thread" or "Timer";

    private static bool IsPoolEvent(IEventSymbol @event)
    {
        var type = @event.ContainingType;
        return (SymbolNames.IsNamespace(type.ContainingNamespace, "System.Timers") && type.Name == "Timer")
            || (SymbolNames.IsNamespace(type.ContainingNamespace, "System.IO") && type.Name == "FileSystemWatcher");
    }
}
