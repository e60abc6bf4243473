using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace CheckpointAudit.Knowledge;

/// <summary>
/// What the callers of a private method pass for one of its parameters: every call in the method's own file (a
/// private method has no others), with the body the call sits in. Public methods are not followed: their callers are
/// unknown here.
/// </summary>
internal static class PrivateCallers
{
    public static IEnumerable<(IOperation Passed, IOperation Root)> ArgumentsFor(IParameterSymbol parameter, SemanticModel model)
    {
        if (parameter.ContainingSymbol is not IMethodSymbol { DeclaredAccessibility: Accessibility.Private, MethodKind: MethodKind.Ordinary } method)
        {
            yield break;
        }

        foreach (var caller in SourceSearch.Uses(method.Name, [model.SyntaxTree], model.Compilation, model, default))
        {
            if (caller is IInvocationOperation call
                && SymbolEqualityComparer.Default.Equals(call.TargetMethod.OriginalDefinition, method.OriginalDefinition)
                && OperationTree.ArgumentFor(call.Arguments, parameter.Ordinal) is { } passed)
            {
                yield return (passed, OperationTree.Root(call));
            }
        }
    }
}
