using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace CheckpointAudit.Knowledge;

/// <summary>
/// What the callers of a private method pass for one of its parameters: every call in the method's own file (a
/// private method has no others), with the body the call sits in. Public methods are not followed: their callers are
/// unknown here; nor are methods of partial types or methods also used as a delegate (nothing is returned for them).
/// </summary>
internal static class PrivateCallers
{
    public static IEnumerable<(IOperation Passed, IOperation Root)> ArgumentsFor(IParameterSymbol parameter, SemanticModel model)
    {
        if (parameter.ContainingSymbol is not IMethodSymbol method)
        {
            yield break;
        }

        foreach (var call in Calls(method, model))
        {
            if (OperationTree.ArgumentFor(call.Arguments, parameter.Ordinal) is { } passed)
            {
                yield return (passed, OperationTree.Root(call));
            }
        }
    }

    /// <summary>
    /// Every call of a private method in its own file, or nothing when its callers cannot all be seen here (a partial
    /// type, a method handed out as a delegate, a method that is not private).
    /// </summary>
    public static IReadOnlyList<IInvocationOperation> Calls(IMethodSymbol method, SemanticModel model)
    {
        // A partial type has other files; a method handed out as a delegate is called by whoever holds it: its callers
        // are not all here, and none are answered.
        if (method is not { DeclaredAccessibility: Accessibility.Private, MethodKind: MethodKind.Ordinary }
            || method.ContainingType.DeclaringSyntaxReferences.Length > 1)
        {
            return [];
        }

        var found = new List<IInvocationOperation>();
        foreach (var use in SourceSearch.Uses(method.Name, [model.SyntaxTree], model.Compilation, model, default))
        {
            if (use is IMethodReferenceOperation reference && SymbolEqualityComparer.Default.Equals(reference.Method.OriginalDefinition, method.OriginalDefinition))
            {
                return [];
            }

            if (use is IInvocationOperation call && SymbolEqualityComparer.Default.Equals(call.TargetMethod.OriginalDefinition, method.OriginalDefinition))
            {
                found.Add(call);
            }
        }

        return found;
    }
}
