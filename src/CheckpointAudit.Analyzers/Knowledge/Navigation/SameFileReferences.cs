using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace CheckpointAudit.Knowledge;

/// <summary>
/// The calls and method-group uses of a method in the file that declares it. Binds every use of its name in the
/// file, so callers use it only after a cheaper check has already found something to report.
/// </summary>
internal static class SameFileReferences
{
    /// <summary>Invocations and method references of <paramref name="method"/>; empty when it is declared elsewhere.</summary>
    public static IEnumerable<IOperation> Of(IMethodSymbol method, SemanticModel? model)
    {
        if (model is null || method.DeclaringSyntaxReferences.Length != 1 || method.DeclaringSyntaxReferences[0].SyntaxTree != model.SyntaxTree)
        {
            yield break;
        }

        foreach (var reference in SourceSearch.Uses(method.Name, [model.SyntaxTree], model.Compilation, model, default))
        {
            var target = reference switch
            {
                IInvocationOperation call => call.TargetMethod,
                IMethodReferenceOperation methodReference => methodReference.Method,
                _ => null,
            };
            if (target is not null && SymbolEqualityComparer.Default.Equals(target.OriginalDefinition, method.OriginalDefinition))
            {
                yield return reference;
            }
        }
    }

    /// <summary>
    /// True when the method is called at least once in its file and every call satisfies
    /// <paramref name="holds"/>; false when it is also used as a delegate (its callers are then unknown).
    /// </summary>
    public static bool EveryCall(IMethodSymbol method, SemanticModel? model, System.Func<IInvocationOperation, bool> holds)
    {
        var calls = 0;
        foreach (var reference in Of(method, model))
        {
            if (reference is not IInvocationOperation call || !holds(call))
            {
                return false;
            }

            calls++;
        }

        return calls > 0;
    }
}
