using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace CheckpointAudit.Knowledge;

/// <summary>
/// Whether a condition holds at every call of a method that only this compilation can call: a private
/// or internal method (in types no other assembly sees), a local function, or an override of such a
/// method, whose calls — to it or to the base method it overrides — are found in every source file.
/// A call where the condition does not hold is still fine when the method making it is, in turn, only
/// called where it holds, up to <see cref="MaxDepth"/> methods up. A delegate made from the method, a
/// call from a lambda, or any externally visible method on the way answers "no": their callers are unknown.
/// This reads every source file that mentions the method's name, so callers use it only after a
/// cheaper check has already found something to report.
/// </summary>
internal static class CompilationCallers
{
    public const int MaxDepth = 3;

    public static bool EveryCall(IMethodSymbol method, Compilation compilation, SemanticModel? knownModel, Func<IInvocationOperation, bool> holds, CancellationToken cancellationToken)
        => EveryCall(method, compilation, knownModel, holds, new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default), cancellationToken);

    private static bool EveryCall(IMethodSymbol method, Compilation compilation, SemanticModel? knownModel, Func<IInvocationOperation, bool> holds, HashSet<IMethodSymbol> path, CancellationToken cancellationToken)
    {
        var targets = Targets(method);
        if (targets is null || path.Count >= MaxDepth || !path.Add(method.OriginalDefinition))
        {
            return false;
        }

        try
        {
            var calls = 0;
            foreach (var reference in References(targets, compilation, knownModel, cancellationToken))
            {
                if (reference is not IInvocationOperation call)
                {
                    return false;
                }

                if (!holds(call)
                    && !(Caller(call) is { } caller && EveryCall(caller, compilation, call.SemanticModel, holds, path, cancellationToken)))
                {
                    return false;
                }

                calls++;
            }

            return calls > 0;
        }
        finally
        {
            path.Remove(method.OriginalDefinition);
        }
    }

    /// <summary>
    /// The externally visible methods through which an exception thrown in <paramref name="method"/> leaves this
    /// compilation, when every call path below them in this compilation either meets <paramref name="holds"/> (a catch)
    /// or reaches one of them: whether the exception is then handled is up to callers in other projects. Null when a
    /// path ends here uncaught (an entry point, a lambda, a delegate, an interface implementation, too deep) or when
    /// no visible method is reached.
    /// </summary>
    public static IReadOnlyList<IMethodSymbol>? Exits(IMethodSymbol method, Compilation compilation, SemanticModel? knownModel, Func<IInvocationOperation, bool> holds, CancellationToken cancellationToken)
    {
        var walk = new ExitWalk(compilation, holds, cancellationToken);
        return walk.Leaves(method, knownModel, 0) && walk.Exits.Count > 0 ? walk.Exits : null;
    }

    /// <summary>How many methods up <see cref="Exits"/> follows: a public entry is often a few private steps above the parse.</summary>
    private const int MaxExitDepth = 6;

    /// <summary>One search of <see cref="Exits"/>: each method is judged once.</summary>
    private sealed class ExitWalk(Compilation compilation, Func<IInvocationOperation, bool> holds, CancellationToken cancellationToken)
    {
        private readonly Dictionary<IMethodSymbol, bool> _known = new(SymbolEqualityComparer.Default);

        public List<IMethodSymbol> Exits { get; } = [];

        /// <summary>Whether every call path up from the method is caught or reaches a public method (added to <see cref="Exits"/>).</summary>
        public bool Leaves(IMethodSymbol method, SemanticModel? knownModel, int depth)
        {
            method = method.OriginalDefinition;
            if (_known.TryGetValue(method, out var known))
            {
                return known;
            }

            if (depth > MaxExitDepth)
            {
                return false;
            }

            // A recursive call (Load → Switch → Load) adds no way out: its exception reaches the callers being judged.
            // Any "no" found later ends the whole search, so answering "yes" for now is safe.
            _known[method] = true;
            return _known[method] = Judge(method, knownModel, depth);
        }

        private bool Judge(IMethodSymbol method, SemanticModel? knownModel, int depth)
        {
            // A public method called by name (not an override or an interface's: those are called through another method).
            var visible = method is { MethodKind: MethodKind.Ordinary, IsOverride: false, IsVirtual: false, IsAbstract: false }
                && !method.DeclaringSyntaxReferences.IsEmpty && IsVisibleOutside(method) && !TypeRelations.ImplementsInterfaceMember(method);
            var targets = visible ? new List<IMethodSymbol> { method } : Targets(method);
            if (targets is null)
            {
                return false;
            }

            var calls = 0;
            foreach (var reference in References(targets, compilation, knownModel, cancellationToken))
            {
                if (reference is not IInvocationOperation call
                    || !holds(call) && !(Caller(call) is { } caller && Leaves(caller, call.SemanticModel, depth + 1)))
                {
                    return false;
                }

                calls++;
            }

            if (visible && !Exits.Contains(method, SymbolEqualityComparer.Default))
            {
                Exits.Add(method);
            }

            // A method only this compilation sees that nothing here calls is an entry point (Main, a handler wired in
            // markup, a method run by reflection): the exception leaves it uncaught.
            return visible || calls > 0;
        }
    }

    /// <summary>The method and the base methods it overrides, or null when code outside the compilation could call one of them.</summary>
    private static List<IMethodSymbol>? Targets(IMethodSymbol method)
    {
        if (method.MethodKind is not (MethodKind.Ordinary or MethodKind.LocalFunction))
        {
            return null;
        }

        var targets = new List<IMethodSymbol>();
        for (var current = method.OriginalDefinition; current is not null; current = current.OverriddenMethod?.OriginalDefinition)
        {
            if (current.MethodKind != MethodKind.LocalFunction && IsVisibleOutside(current) || current.DeclaringSyntaxReferences.IsEmpty)
            {
                return null;
            }

            targets.Add(current);
        }

        // An interface implementation is called through the interface: its callers are not found by name here.
        return TypeRelations.ImplementsInterfaceMember(method) ? null : targets;
    }

    private static bool IsVisibleOutside(ISymbol symbol)
    {
        for (var current = symbol; current is not null and not INamespaceSymbol; current = current.ContainingSymbol)
        {
            if (current.DeclaredAccessibility is Accessibility.Private or Accessibility.Internal or Accessibility.ProtectedAndInternal)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The method whose body makes the call; null inside a lambda (whoever invokes the delegate is unknown).</summary>
    private static IMethodSymbol? Caller(IInvocationOperation call)
    {
        var function = OperationTree.InnermostFunction(call);
        if (function is { MethodKind: MethodKind.AnonymousFunction })
        {
            return null;
        }

        return function ?? call.SemanticModel?.GetEnclosingSymbol(call.Syntax.SpanStart) as IMethodSymbol;
    }

    /// <summary>Invocations and method references of any of <paramref name="targets"/> in the compilation's source.</summary>
    private static IEnumerable<IOperation> References(List<IMethodSymbol> targets, Compilation compilation, SemanticModel? knownModel, CancellationToken cancellationToken)
    {
        var trees = targets[0].MethodKind == MethodKind.LocalFunction
            ? new[] { targets[0].DeclaringSyntaxReferences[0].SyntaxTree }
            : (IEnumerable<SyntaxTree>)compilation.SyntaxTrees;
        foreach (var use in SourceSearch.Uses(targets[0].Name, trees, compilation, knownModel, cancellationToken))
        {
            var target = use switch
            {
                IInvocationOperation call => call.TargetMethod,
                IMethodReferenceOperation methodReference => methodReference.Method,
                _ => null,
            };
            if (target is not null && targets.Contains(target.OriginalDefinition, SymbolEqualityComparer.Default))
            {
                yield return use;
            }
        }
    }
}
