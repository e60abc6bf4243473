using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace CheckpointAudit.Knowledge;

/// <summary>
/// Whether an operation runs under mutual exclusion, as far as its body and its callers in the same
/// file show: inside a lock statement; after a wait on a System.Threading primitive in the same
/// body (SemaphoreSlim.Wait/WaitAsync, Monitor.Enter, WaitHandle.WaitOne, ReaderWriterLockSlim.Enter*);
/// inside a using whose resource is never read (a scope guard such as using (await gate.LockAsync()));
/// in a [MethodImpl(Synchronized)] method; or in a private method every caller of which is one of these.
/// </summary>
internal static class MutualExclusion
{
    private const int MethodImplSynchronized = 0x20;

    public static bool IsSerialized(IOperation operation, ISymbol? containingSymbol)
    {
        if (IsGuardedInBody(operation))
        {
            return true;
        }

        var function = OperationTree.InnermostFunction(operation) ?? containingSymbol as IMethodSymbol;
        if (function is null)
        {
            return false;
        }

        if (IsSynchronized(function))
        {
            return true;
        }

        return (function.DeclaredAccessibility == Accessibility.Private || function.MethodKind == MethodKind.LocalFunction)
            && operation.SemanticModel is { } model
            && PerCompilation<GuardedCallers>.Get(model.Compilation, _ => new GuardedCallers())!
                .GetOrAdd(function, f => SameFileReferences.EveryCall(f, model, IsGuardedInBody));
    }

    /// <summary>
    /// Whether every caller of a private method guards the call, per compilation: asked for each use of a shared member
    /// in the method, and answered by walking the whole file.
    /// </summary>
    private sealed class GuardedCallers() : System.Collections.Concurrent.ConcurrentDictionary<IMethodSymbol, bool>(SymbolEqualityComparer.Default);

    private static bool IsGuardedInBody(IOperation operation)
    {
        for (var parent = operation.Parent; parent is not null; parent = parent.Parent)
        {
            switch (parent)
            {
                case ILockOperation:
                    return true;
                case IUsingOperation { Resources: { } resource, Body: { } body } when IsScopeGuard(resource, body):
                    return true;
                case IAnonymousFunctionOperation or ILocalFunctionOperation:
                    // A callback body is its own unit: waits in the enclosing method do not cover it.
                    return WaitsBefore(operation, parent);
            }
        }

        return WaitsBefore(operation, OperationTree.Root(operation));
    }

    // Per body (a method's root operation, or a lambda's), asked for every use of a shared member in it.
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<IOperation, System.Runtime.CompilerServices.StrongBox<int>> GuardReach = new();

    /// <summary>A wait on a System.Threading primitive earlier in the same body, or a using-declaration guard.</summary>
    private static bool WaitsBefore(IOperation operation, IOperation body)
        => operation.Syntax.SpanStart > GuardReach.GetValue(body, b => new System.Runtime.CompilerServices.StrongBox<int>(ReachOfFirstGuard(b))).Value;

    /// <summary>
    /// The furthest start among the operations a walk of the body meets up to and including its first guard (a wait, or
    /// a using declaration that only guards), or int.MaxValue without one: an operation starting after that reach comes
    /// after the guard, as a walk in tree order that stops at the operation's position would find. One walk per body
    /// instead of one per operation asked about.
    /// </summary>
    private static int ReachOfFirstGuard(IOperation body)
    {
        var reach = -1;
        foreach (var candidate in body.Descendants())
        {
            reach = System.Math.Max(reach, candidate.Syntax.SpanStart);
            if (candidate is IInvocationOperation invocation && IsWait(invocation.TargetMethod))
            {
                return reach;
            }

            if (candidate is IUsingDeclarationOperation { DeclarationGroup: { } group } && IsScopeGuard(group, body))
            {
                return reach;
            }
        }

        return int.MaxValue;
    }

    // Asked for every call before a use: the name first, then the namespace by its parts (no display string built).
    private static bool IsWait(IMethodSymbol method)
        => (method.Name.StartsWith("Wait", System.StringComparison.Ordinal)
                || method.Name.StartsWith("Enter", System.StringComparison.Ordinal)
                || method.Name.StartsWith("TryEnter", System.StringComparison.Ordinal))
            && method.ContainingType?.ContainingNamespace is { Name: "Threading", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } };

    /// <summary>A using resource created by a call and never read afterwards: it exists only to be disposed.</summary>
    private static bool IsScopeGuard(IOperation resource, IOperation body)
    {
        var created = false;
        foreach (var part in resource.DescendantsAndSelf())
        {
            if (part is IInvocationOperation)
            {
                created = true;
            }
        }

        if (!created)
        {
            return false;
        }

        foreach (var part in resource.DescendantsAndSelf())
        {
            if (part is IVariableDeclaratorOperation declarator && IsRead(declarator.Symbol, body))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsRead(ILocalSymbol local, IOperation body)
    {
        foreach (var operation in body.Descendants())
        {
            if (operation is ILocalReferenceOperation reference && SymbolEqualityComparer.Default.Equals(reference.Local, local))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsSynchronized(IMethodSymbol method)
    {
        foreach (var attribute in method.GetAttributes())
        {
            if (KnownAttributes.Is(attribute, KnownAttributes.MethodImpl)
                && attribute.ConstructorArguments.Length == 1
                && attribute.ConstructorArguments[0].Value is int options
                && (options & MethodImplSynchronized) != 0)
            {
                return true;
            }
        }

        return false;
    }
}
