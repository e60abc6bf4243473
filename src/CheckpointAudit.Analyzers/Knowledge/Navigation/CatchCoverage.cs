using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace CheckpointAudit.Knowledge;

/// <summary>
/// Whether an exception thrown by an operation is caught around it: by an enclosing try in the same
/// function (a lambda's body is its own function), or — for a method only this compilation can call —
/// around every call of it, or of the methods calling it, as far as <see cref="CompilationCallers"/> looks.
/// </summary>
internal static class CatchCoverage
{
    /// <summary>True when one of <paramref name="thrown"/> (or all of them, through a common base) is caught.</summary>
    public static bool IsCaught(IOperation operation, ISymbol? containingSymbol, ImmutableArray<INamedTypeSymbol> thrown, Compilation compilation, CancellationToken cancellationToken)
    {
        if (IsCaughtInFunction(operation, thrown))
        {
            return true;
        }

        var function = OperationTree.InnermostFunction(operation) ?? containingSymbol as IMethodSymbol;
        return function is not null
            && CompilationCallers.EveryCall(function, compilation, operation.SemanticModel, call => IsCaughtInFunction(call, thrown), cancellationToken);
    }

    /// <summary>Caught by an enclosing try of the same function only: the cheap half of <see cref="IsCaught"/>.</summary>
    public static bool IsCaughtInFunction(IOperation operation, ImmutableArray<INamedTypeSymbol> thrown)
        => AnyEnclosingCatch(operation, clause => Handles(clause, thrown, everyCase: true));

    /// <summary>
    /// Caught and kept by an enclosing try of the same function: a clause that takes one of <paramref name="thrown"/>
    /// with no filter (a filter may let it through) and throws nothing from its handler (<c>catch (Exception) { Log(); throw; }</c>
    /// only logs the failure on its way up).
    /// </summary>
    public static bool IsKeptInFunction(IOperation operation, ImmutableArray<INamedTypeSymbol> thrown)
        => AnyEnclosingCatch(operation, clause => clause.Filter is null && Handles(clause, thrown) && Keeps(clause));

    /// <summary>A catch of the same function takes one of <paramref name="thrown"/> (not necessarily every case of a family).</summary>
    public static bool IsPartlyCaughtInFunction(IOperation operation, ImmutableArray<INamedTypeSymbol> thrown)
        => AnyEnclosingCatch(operation, clause => Handles(clause, thrown));

    /// <summary>
    /// A catch of the same function names an exception type that passes <paramref name="test"/> and keeps it (throws
    /// nothing from its handler: a catch that wraps and rethrows recovers nothing). A filter's types are not read.
    /// </summary>
    public static bool TakesAnyInFunction(IOperation operation, System.Func<ITypeSymbol?, bool> test)
        => AnyEnclosingCatch(operation, clause => clause.ExceptionType is { SpecialType: not SpecialType.System_Object } type && test(type) && Keeps(clause));

    /// <summary>The handler throws nothing: the exception ends here (a catch that logs and rethrows, or wraps, passes it on).</summary>
    private static bool Keeps(ICatchClauseOperation clause) => !clause.Handler.Descendants().Any(o => o is IThrowOperation);

    /// <summary>Whether a catch clause of a try whose body holds the operation, in the same function, passes <paramref name="test"/>.</summary>
    private static bool AnyEnclosingCatch(IOperation operation, System.Func<ICatchClauseOperation, bool> test)
    {
        IOperation child = operation;
        for (var parent = operation.Parent; parent is not null; child = parent, parent = parent.Parent)
        {
            switch (parent)
            {
                case IAnonymousFunctionOperation or ILocalFunctionOperation:
                    return false;
                case ITryOperation tryOperation when ReferenceEquals(tryOperation.Body, child) && tryOperation.Catches.Any(test):
                    return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Whether the clause catches what <paramref name="thrown"/> lists. With <paramref name="everyCase"/>, a list of a
    /// base exception and its subtypes must be caught through the base (the parse is guarded against every kind of
    /// damage); without, catching one subtype is enough (the clause deals with some damaged input).
    /// </summary>
    public static bool Handles(ICatchClauseOperation clause, ImmutableArray<INamedTypeSymbol> thrown, bool everyCase = false)
    {
        if (!Covers(clause.ExceptionType, thrown, everyCase))
        {
            return false;
        }

        if (clause.Filter is null)
        {
            return true;
        }

        // catch (Exception ex) when (ex is IOException): only the types the filter tests count.
        // A negated test (ex is not OperationCanceledException) lets everything else through.
        var testsTypes = false;
        foreach (var part in clause.Filter.DescendantsAndSelf())
        {
            if (part is INegatedPatternOperation or IUnaryOperation { OperatorKind: UnaryOperatorKind.Not })
            {
                return true;
            }

            var tested = part switch
            {
                IIsTypeOperation isType => isType.TypeOperand,
                ITypePatternOperation typePattern => typePattern.MatchedType,
                IDeclarationPatternOperation declaration => declaration.MatchedType,
                _ => null,
            };
            if (tested is null)
            {
                continue;
            }

            testsTypes = true;
            if (Covers(tested, thrown, everyCase))
            {
                return true;
            }
        }

        return !testsTypes;
    }

    /// <summary>The caught type is one of the thrown types or a base of one (object for a bare catch).</summary>
    private static bool Covers(ITypeSymbol? caught, ImmutableArray<INamedTypeSymbol> thrown, bool everyCase)
    {
        // Half-typed code: a catch whose type does not bind yet gets the benefit of the doubt.
        if (caught is null || caught.SpecialType == SpecialType.System_Object || caught.TypeKind == TypeKind.Error)
        {
            return true;
        }

        // A list that names a base exception and its subtypes (Newtonsoft: JsonException, JsonReaderException,
        // JsonSerializationException) is covered only through the base: catching one subtype lets the others' cases
        // (garbled text, a torn object) through.
        if (everyCase && thrown.Length > 1 && thrown.Skip(1).Any(t => TypeRelations.InheritsFrom(t, thrown[0])))
        {
            thrown = ImmutableArray.Create(thrown[0]);
        }

        foreach (var type in thrown)
        {
            for (var current = (ITypeSymbol?)type; current is not null; current = current.BaseType)
            {
                if (SymbolEqualityComparer.Default.Equals(current, caught.OriginalDefinition))
                {
                    return true;
                }
            }
        }

        return false;
    }
}
