using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using CheckpointAudit.Catalog;
using CheckpointAudit.Checks;
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
/// Serialized uses (<see cref="MutualExclusion"/>, the test CKPT206 applies to saves) do not count;
/// [ThreadStatic] fields are per thread. Reported on the member; for a member declared in a referenced project, at a
/// concurrent use of it in this project.
/// </summary>
public sealed class SharedConnectionCheck : SqliteRuleCheck
{
    public SharedConnectionCheck()
        : base(RuleCatalog.SharedConnection)
    {
    }

    private protected override void Register(CheckStart start, SqliteSymbols sqlite, CheckpointAuditOptions options)
    {
        var isServer = KnownTypes.Get(start.Compilation, "Microsoft.Extensions.Hosting.IHost") is not null
            || KnownTypes.Get(start.Compilation, "Microsoft.AspNetCore.Builder.WebApplication") is not null;
        var uses = new ConcurrentBag<ConnectionUse>();
        var asyncUses = new ConcurrentDictionary<ISymbol, (string Method, Location Use)>(SymbolEqualityComparer.Default);
        var singletons = new ConcurrentDictionary<ITypeSymbol, string>(SymbolEqualityComparer.Default);

        // Methods handed as method groups to Task.Run and the like: what they call (three levels) runs on another thread.
        var startedMethods = new ConcurrentDictionary<IMethodSymbol, string>(SymbolEqualityComparer.Default);
        // What every method calls, for following started methods at the end without binding their bodies again.
        var calls = new MethodCalls();
        start.RegisterOperationAction(c => calls.Record((IInvocationOperation)c.Operation, c.ContainingSymbol), OperationKind.Invocation);
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
                    || KnownAttributes.Has(member, KnownAttributes.ThreadStatic)
                    || MutualExclusion.IsSerialized(c.Operation, c.ContainingSymbol))
                {
                    return;
                }

                var lambda = ParallelWork(c.Operation);
                var method = OperationTree.InnermostFunction(c.Operation) is null ? c.ContainingSymbol as IMethodSymbol : null;
                var startedBy = lambda is { } work ? "work started with " + work.Starter + " in '" + c.ContainingSymbol.Name + "'" : null;
                uses.Add(new ConnectionUse(member, method, startedBy, lambda?.SelfConcurrent ?? false, c.Operation.Syntax.GetLocation()));
                if (isServer && (OperationTree.InnermostFunction(c.Operation) ?? c.ContainingSymbol as IMethodSymbol) is { IsAsync: true } asyncMethod)
                {
                    asyncUses.TryAdd(member, (asyncMethod.Name, c.Operation.Syntax.GetLocation()));
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
            var reached = startedMethods.IsEmpty ? new Dictionary<IMethodSymbol, string>(SymbolEqualityComparer.Default) : Reachable(startedMethods, calls, end.Compilation, end.CancellationToken);
            var reported = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
            foreach (var group in uses.GroupBy(u => u.Member, SymbolEqualityComparer.Default))
            {
                var resolved = group.Select(u => u.StartedBy is null && u.Method is not null && StartedThrough(u.Method, reached) is { } startedBy
                    ? new ConnectionUse(u.Member, u.Method, "'" + u.Method.Name + "', reached from " + startedBy, selfConcurrent: false, u.Use)
                    : u).ToList();

                // Shared when work started elsewhere runs beside other uses, or runs beside itself (Parallel, a per-item
                // async lambda, a timer); a connection used only by the one thread it was started on is that thread's own.
                var started = resolved.FirstOrDefault(u => u.StartedBy is not null && (u.SelfConcurrent || resolved.Any(other => other.StartedBy is null)));
                if (started is not null && group.Key is { } member && reported.Add(member))
                {
                    Report(end, member, started.StartedBy!, started.Use);
                }
            }

            foreach (var pair in asyncUses.Where(p => !reported.Contains(p.Key)))
            {
                var member = pair.Key;
                if (member.IsStatic)
                {
                    Report(end, member, "concurrent requests through async methods such as '" + pair.Value.Method + "' (it is static)", pair.Value.Use);
                }
                else if (singletons.TryGetValue(member.ContainingType, out var registeredIn))
                {
                    Report(end, member, "concurrent requests through async methods such as '" + pair.Value.Method + "' (its type is a singleton, registered in '" + registeredIn + "')", pair.Value.Use);
                }
            }
        });
    }

    /// <summary>One use of a connection member: in which method (when not in a lambda), and what started the lambda it is in.</summary>
    private sealed class ConnectionUse(ISymbol member, IMethodSymbol? method, string? startedBy, bool selfConcurrent, Location use)
    {
        /// <summary>Where it is used: reported there when the member is declared in a referenced project.</summary>
        public Location Use { get; } = use;

        public ISymbol Member { get; } = member;

        public IMethodSymbol? Method { get; } = method;

        /// <summary>What runs this use on another thread, as the message says it; null when it runs on the caller's thread.</summary>
        public string? StartedBy { get; } = startedBy;

        /// <summary>Started by an API that runs the work beside itself (Parallel.*, a per-item async lambda, a timer).</summary>
        public bool SelfConcurrent { get; } = selfConcurrent;
    }

    /// <summary>The started method this one is, overrides, or is called from (as far as <see cref="Reachable"/> went).</summary>
    private static string? StartedThrough(IMethodSymbol method, Dictionary<IMethodSymbol, string> reached)
    {
        for (var candidate = method.OriginalDefinition; candidate is not null; candidate = candidate.OverriddenMethod?.OriginalDefinition)
        {
            if (reached.TryGetValue(candidate, out var startedBy))
            {
                return startedBy;
            }
        }

        return null;
    }

    /// <summary>
    /// The methods started as method groups and what they call, three levels deep, a virtual or abstract method through
    /// its overrides in the compilation. Binds only the bodies of those methods.
    /// </summary>
    private static Dictionary<IMethodSymbol, string> Reachable(ConcurrentDictionary<IMethodSymbol, string> started, MethodCalls calls, Compilation compilation, System.Threading.CancellationToken cancellationToken)
    {
        var reached = new Dictionary<IMethodSymbol, string>(started, SymbolEqualityComparer.Default);
        var frontier = started.Keys.ToList();
        for (var depth = 0; depth < 3 && frontier.Count > 0; depth++)
        {
            var next = new List<IMethodSymbol>();
            // A virtual or abstract method runs as one of its overrides: follow those too (found by name in the declarations).
            foreach (var method in frontier.Where(m => m.IsVirtual || m.IsAbstract || m.IsOverride).ToList())
            {
                foreach (var candidate in SourceMethodsByName.Of(compilation).Named(method.Name, cancellationToken))
                {
                    for (var overridden = candidate.OverriddenMethod; overridden is not null; overridden = overridden.OverriddenMethod)
                    {
                        if (SymbolEqualityComparer.Default.Equals(overridden.OriginalDefinition, method) && !reached.ContainsKey(candidate.OriginalDefinition))
                        {
                            reached[candidate.OriginalDefinition] = reached[method];
                            frontier.Add(candidate.OriginalDefinition);
                            break;
                        }
                    }
                }
            }

            foreach (var method in frontier)
            {
                if (method.DeclaringSyntaxReferences.Length != 1 || !compilation.ContainsSyntaxTree(method.DeclaringSyntaxReferences[0].SyntaxTree))
                {
                    continue;
                }

                foreach (var callee in calls.CalleesOf(method) ?? BoundCallees(method, compilation, cancellationToken))
                {
                    if (!reached.ContainsKey(callee))
                    {
                        reached[callee] = reached[method];
                        next.Add(callee);
                    }
                }
            }

            frontier = next;
        }

        return reached;
    }

    /// <summary>The source methods a body calls, bound here: for a method whose calls were not recorded (none to a source method, generated code).</summary>
    private static IEnumerable<IMethodSymbol> BoundCallees(IMethodSymbol method, Compilation compilation, System.Threading.CancellationToken cancellationToken)
    {
        var syntax = method.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken);
#pragma warning disable RS1030 // At compilation end, for the few reached methods whose calls no invocation action recorded.
        var body = compilation.GetSemanticModel(syntax.SyntaxTree).GetOperation(syntax, cancellationToken);
#pragma warning restore RS1030
        return (body?.Descendants().OfType<IInvocationOperation>() ?? Enumerable.Empty<IInvocationOperation>())
            .Select(call => call.TargetMethod.OriginalDefinition)
            .Where(callee => !callee.DeclaringSyntaxReferences.IsEmpty);
    }

    private void Report(CompilationAnalysisContext context, ISymbol member, string sharedBy, Location use)
    {
        if (InCompilationLocation.Of(member, context.Compilation, use) is { } location)
        {
            context.ReportDiagnostic(Diagnostic.Create(Rule.Descriptor, location, member.Name, sharedBy));
        }
    }

    /// <summary>What starts the lambda this use sits in on other threads ("Task.Run"), and whether it runs beside itself; null when nothing does.</summary>
    private static (string Starter, bool SelfConcurrent)? ParallelWork(IOperation use)
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
                    return ("an async lambda per item (Select)", true);
                case "Enumerable.Select":
                    break;
                case { } started:
                    return (started, started is "Timer" || started.StartsWith("Parallel.", System.StringComparison.Ordinal));
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
}
