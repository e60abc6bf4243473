using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace CheckpointAudit.Knowledge;

/// <summary>
/// The calls each method of the compilation makes, recorded from the invocation actions that run over every body
/// anyway, so that a rule following calls at compilation end reads them here instead of binding the bodies a second
/// time (binding is what such a rule would spend most of its time on). Recording is one append; the calls are grouped
/// by method only when first asked for.
/// </summary>
internal sealed class MethodCalls
{
    private readonly ConcurrentBag<(IMethodSymbol Caller, IMethodSymbol Callee, int Start, int Length)> _recorded = new();
    private readonly ConcurrentDictionary<ISymbol, bool> _callers = new(SymbolEqualityComparer.Default);
    private Dictionary<ISymbol, List<(IMethodSymbol Callee, int Start, int Length)>>? _byCaller;

    // The caller of the last call recorded: the calls of one body come one after another, so most calls skip the set.
    private ISymbol? _lastCaller;

    /// <summary>
    /// Records a call made in the body of <paramref name="containing"/> (lambdas and local functions included) to a
    /// source method: most calls are to libraries, and grouping them all at the end was most of the cost.
    /// </summary>
    public void Record(IInvocationOperation call, ISymbol containing)
    {
        if (containing is not IMethodSymbol caller)
        {
            return;
        }

        // Every method whose calls were seen, library calls included: its source callees are known to be only those recorded.
        if (!ReferenceEquals(_lastCaller, caller))
        {
            _callers.TryAdd(caller.OriginalDefinition, true);
            _lastCaller = caller;
        }

        if (!call.TargetMethod.OriginalDefinition.DeclaringSyntaxReferences.IsEmpty)
        {
            _recorded.Add((caller, call.TargetMethod, call.Syntax.SpanStart, call.Syntax.Span.Length));
        }
    }

    /// <summary>
    /// The source methods <paramref name="method"/> calls, in the order a walk of its body meets the calls (an outer call
    /// before the calls in its arguments); empty when its body calls only libraries; null when no call in its body was seen
    /// (a body without calls, or generated code).
    /// Read at compilation end, after every call was recorded.
    /// </summary>
    public IEnumerable<IMethodSymbol>? CalleesOf(IMethodSymbol method)
    {
        _byCaller ??= _recorded
            .GroupBy(c => (ISymbol)c.Caller.OriginalDefinition, SymbolEqualityComparer.Default)
            .ToDictionary(g => g.Key, g => g.Select(c => (c.Callee, c.Start, c.Length)).ToList(), SymbolEqualityComparer.Default);
        if (_byCaller.TryGetValue(method.OriginalDefinition, out var calls))
        {
            return calls.OrderBy(c => c.Start).ThenByDescending(c => c.Length).Select(c => c.Callee.OriginalDefinition).Where(c => !c.DeclaringSyntaxReferences.IsEmpty);
        }

        return _callers.ContainsKey(method.OriginalDefinition) ? Enumerable.Empty<IMethodSymbol>() : null;
    }
}
