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
        // A partial type has other files; a method handed out as a delegate is called by whoever holds it: its callers
        // are not all here, and none are answered.
        if (parameter.ContainingSymbol is not IMethodSymbol { DeclaredAccessibility: Accessibility.Private, MethodKind: MethodKind.Ordinary } method
            || method.ContainingType.DeclaringSyntaxReferences.Length > 1)
        {
            yield break;
        }

        var found = new List<(IOperation, IOperation)>();
        foreach (var use in SourceSearch.Uses(method.Name, [model.SyntaxTree], model.Compilation, model, default))
        {
            if (use is IMethodReferenceOperation reference && SymbolEqualityComparer.Default.Equals(reference.Method.OriginalDefinition, method.OriginalDefinition))
            {
                yield break;
            }

            if (use is IInvocationOperation call
                && SymbolEqualityComparer.Default.Equals(call.TargetMethod.OriginalDefinition, method.OriginalDefinition)
                && OperationTree.ArgumentFor(call.Arguments, parameter.Ordinal) is { } passed)
            {
                found.Add((passed, OperationTree.Root(call)));
            }
        }

        foreach (var caller in found)
        {
            yield return caller;
        }
    }
}
