using System.Collections.Concurrent;
using System.Linq;
using CheckpointAudit.Catalog;
using CheckpointAudit.Knowledge;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace CheckpointAudit.Concurrency;

/// <summary>
/// CKPT606 (compilation end: registrations and uses can be in any file): one SQLite connection object kept in a
/// field or auto-property and used from code that runs at the same time:
/// <list type="bullet">
/// <item>inside a lambda handed to Task.Run, Task.Factory.StartNew, Parallel.*, ThreadPool.QueueUserWorkItem,
/// a new Thread or a Timer, or an async lambda handed to Select/Task.WhenAll/Parallel.ForEachAsync, or in a method
/// (or an override of one) handed to those as a method group — for any member, static or not;</item>
/// <item>inside an async method, when the member is static or its type is registered with AddSingleton, and the
/// project is a server (it references Microsoft.Extensions.Hosting or ASP.NET Core): requests run concurrently.</item>
/// </list>
/// Uses inside a <c>lock</c>, or in a method that waits on a SemaphoreSlim, are serialized and do not count;
/// [ThreadStatic] fields are per thread.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class SharedConnectionAnalyzer : SqliteRuleAnalyzer
{
    public SharedConnectionAnalyzer()
        : base(RuleCatalog.SharedConnection)
    {
    }

    private protected override void Register(CompilationStartAnalysisContext start, SqliteSymbols sqlite, CheckpointAuditOptions options)
    {
        var isServer = start.Compilation.GetTypeByMetadataName("Microsoft.Extensions.Hosting.IHost") is not null
            || start.Compilation.GetTypeByMetadataName("Microsoft.AspNetCore.Builder.WebApplication") is not null;
        var parallelUses = new ConcurrentDictionary<ISymbol, string>(SymbolEqualityComparer.Default);
        var asyncUses = new ConcurrentDictionary<ISymbol, string>(SymbolEqualityComparer.Default);
        var singletons = new ConcurrentDictionary<ITypeSymbol, string>(SymbolEqualityComparer.Default);

        // Methods handed as method groups to Task.Run and the like, and the methods that use a connection member:
        // Task.Run(LoadItems) runs LoadItems' uses on another thread, or an override of it.
        var startedMethods = new ConcurrentDictionary<IMethodSymbol, string>(SymbolEqualityComparer.Default);
        var usesByMethod = new ConcurrentBag<(ISymbol Member, IMethodSymbol Method)>();
        start.RegisterOperationAction(
            c =>
            {
                var creation = (IDelegateCreationOperation)c.Operation;
                if (creation.Target is IMethodReferenceOperation { Method: var method } && Starter(creation) is { } started and not "Enumerable.Select")
                {
                    startedMethods.TryAdd(method.OriginalDefinition, started + " in '" + c.ContainingSymbol.Name + "'");
                }
            },
            OperationKind.DelegateCreation);

        start.RegisterOperationAction(
            c =>
            {
                var member = c.Operation switch
                {
                    IFieldReferenceOperation field => (ISymbol)field.Field,
                    IPropertyReferenceOperation property => property.Property,
                    _ => null,
                };
                if (member is null || !sqlite.IsConnection(member switch { IFieldSymbol f => f.Type, IPropertySymbol p => p.Type, _ => null })
                    || member.DeclaringSyntaxReferences.IsEmpty || (member is IPropertySymbol { IsIndexer: true })
                    || member.GetAttributes().Any(a => a.AttributeClass?.Name == "ThreadStaticAttribute")
                    || Serialized(c.Operation))
                {
                    return;
                }

                if (ParallelWork(c.Operation) is { } started)
                {
                    parallelUses.TryAdd(member, "work started with " + started + " in '" + c.ContainingSymbol.Name + "'");
                    return;
                }

                if (OperationTree.InnermostFunction(c.Operation) is null && c.ContainingSymbol is IMethodSymbol user)
                {
                    usesByMethod.Add((member, user));
                }

                if (isServer && (OperationTree.InnermostFunction(c.Operation) ?? c.ContainingSymbol as IMethodSymbol) is { IsAsync: true } method)
                {
                    asyncUses.TryAdd(member, method.Name);
                }
            },
            OperationKind.FieldReference,
            OperationKind.PropertyReference);

        if (isServer)
        {
            start.RegisterOperationAction(
                c =>
                {
                    var call = (IInvocationOperation)c.Operation;
                    if (call.TargetMethod.Name == "AddSingleton" && call.TargetMethod.IsGenericMethod)
                    {
                        foreach (var type in call.TargetMethod.TypeArguments)
                        {
                            singletons.TryAdd(type, c.ContainingSymbol.ContainingType?.Name ?? c.ContainingSymbol.Name);
                        }
                    }
                },
                OperationKind.Invocation);
        }

        start.RegisterCompilationEndAction(end =>
        {
            foreach (var (member, method) in usesByMethod)
            {
                for (var candidate = method.OriginalDefinition; candidate is not null; candidate = candidate.OverriddenMethod?.OriginalDefinition)
                {
                    if (startedMethods.TryGetValue(candidate, out var startedBy))
                    {
                        parallelUses.TryAdd(member, "'" + method.Name + "', started with " + startedBy);
                        break;
                    }
                }
            }

            foreach (var pair in parallelUses)
            {
                Report(end, pair.Key, pair.Value);
            }

            foreach (var pair in asyncUses.Where(p => !parallelUses.ContainsKey(p.Key)))
            {
                var member = pair.Key;
                if (member.IsStatic)
                {
                    Report(end, member, "concurrent requests through async methods such as '" + pair.Value + "' (it is static)");
                }
                else if (singletons.TryGetValue(member.ContainingType, out var registeredIn))
                {
                    Report(end, member, "concurrent requests through async methods such as '" + pair.Value + "' (its type is a singleton, registered in '" + registeredIn + "')");
                }
            }
        });
    }

    private void Report(CompilationAnalysisContext context, ISymbol member, string sharedBy)
    {
        context.ReportDiagnostic(Diagnostic.Create(Rule.Descriptor, member.Locations[0], member.Name, sharedBy));
    }

    /// <summary>The API that starts the lambda this use sits in on other threads ("Task.Run"), or null.</summary>
    private static string? ParallelWork(IOperation use)
    {
        for (var current = use.Parent; current is not null; current = current.Parent)
        {
            if (current is not IAnonymousFunctionOperation lambda)
            {
                continue;
            }

            switch (Starter(lambda.Parent is IDelegateCreationOperation creation ? creation : lambda))
            {
                case "Enumerable.Select" when lambda.Symbol.IsAsync:
                    return "an async lambda per item (Select)";
                case "Enumerable.Select":
                    break;
                case { } started:
                    return started;
            }
        }

        return null;
    }

    /// <summary>
    /// The API a delegate is handed to when that API runs it on other threads ("Task.Run", "Parallel.ForEach", "Thread",
    /// "Timer"); "Enumerable.Select" for a per-item projection (concurrent only when the lambda is async); else null.
    /// </summary>
    private static string? Starter(IOperation @delegate)
    {
        var started = (@delegate.Parent as IArgumentOperation)?.Parent switch
        {
            IInvocationOperation invocation => invocation.TargetMethod.ContainingType.Name + "." + invocation.TargetMethod.Name,
            IObjectCreationOperation threadOrTimer => threadOrTimer.Type?.Name,
            _ => null,
        };
        return started switch
        {
            "Task.Run" or "TaskFactory.StartNew" or "ThreadPool.QueueUserWorkItem" or "ThreadPool.UnsafeQueueUserWorkItem" or "Thread" or "Timer" or "Enumerable.Select" => started,
            not null when started.StartsWith("Parallel.", System.StringComparison.Ordinal) => started,
            _ => null,
        };
    }

    /// <summary>Inside a lock statement, or in a function that waits on a SemaphoreSlim.</summary>
    private static bool Serialized(IOperation use)
    {
        for (var current = use.Parent; current is not null; current = current.Parent)
        {
            if (current is ILockOperation)
            {
                return true;
            }

            if (current is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                break;
            }
        }

        return OperationTree.Root(use).Descendants().Any(o => o is IInvocationOperation { TargetMethod.Name: "Wait" or "WaitAsync" } wait
            && wait.TargetMethod.ContainingType.Name == "SemaphoreSlim");
    }
}
