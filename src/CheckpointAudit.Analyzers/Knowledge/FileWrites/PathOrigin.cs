using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace CheckpointAudit.Knowledge;

/// <summary>Where a path value comes from, as far as one method body (and the helpers it calls in the same file) shows.</summary>
internal static class PathOrigin
{
    private const int MaxDepth = 4;

    /// <summary>
    /// True when the path is fresh or scratch: made unique (Path.GetTempFileName, GetRandomFileName,
    /// Guid.NewGuid, a DateTime.Now/UtcNow timestamp in the name) or placed in the system temp
    /// directory (Path.GetTempPath). Nothing durable lives there, so overwriting it loses no state.
    /// Locals are followed to their declared value, and methods declared in the same file to
    /// the values they return.
    /// </summary>
    public static bool IsFreshOrScratch(IOperation path, IOperation root, FileApiSymbols apis)
    {
        var visited = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        return Contains(PathKey.Unwrap(path), root, apis, visited, 0, uniqueOnly: false);
    }

    /// <summary>
    /// True when every evaluation yields a different path: a part of it is GetTempFileName,
    /// GetRandomFileName, Guid.NewGuid, an Interlocked counter in a static field, or a timestamp. Unlike <see cref="IsFreshOrScratch"/>, a
    /// fixed name in the system temp directory (Path.Combine(Path.GetTempPath(), "app.tmp")) is not unique.
    /// </summary>
    public static bool IsUnique(IOperation path, IOperation root, FileApiSymbols apis)
    {
        var visited = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        return Contains(PathKey.Unwrap(path), root, apis, visited, 0, uniqueOnly: true);
    }

    private static bool Contains(IOperation? value, IOperation root, FileApiSymbols apis, HashSet<ISymbol> visited, int depth, bool uniqueOnly)
    {
        if (value is null || depth > MaxDepth)
        {
            return false;
        }

        switch (value)
        {
            // A choice is fresh only when every branch is: "args[0] ?? temp" may be the real file.
            case IConditionalOperation conditional:
                return conditional.WhenFalse is not null
                    && Contains(conditional.WhenTrue, root, apis, visited, depth, uniqueOnly)
                    && Contains(conditional.WhenFalse, root, apis, visited, depth, uniqueOnly);
            case ICoalesceOperation coalesce:
                return Contains(coalesce.Value, root, apis, visited, depth, uniqueOnly) && Contains(coalesce.WhenNull, root, apis, visited, depth, uniqueOnly);
            case ISwitchExpressionOperation switchExpression:
                return switchExpression.Arms.Length > 0 && switchExpression.Arms.All(arm => Contains(arm.Value, root, apis, visited, depth, uniqueOnly));

            case IInvocationOperation invocation:
                var method = invocation.TargetMethod;
                if ((apis.Is(method.ContainingType, apis.Path) && (method.Name is "GetTempFileName" or "GetRandomFileName" || (!uniqueOnly && method.Name == "GetTempPath")))
                    || (apis.Is(method.ContainingType, apis.Guid) && method.Name == "NewGuid")
                    || (uniqueOnly && IsCounter(invocation)))
                {
                    return true;
                }

                if (visited.Add(method.OriginalDefinition) && ReturnsFresh(invocation, apis, visited, depth, uniqueOnly))
                {
                    return true;
                }

                break;
            case IPropertyReferenceOperation { Property: { Name: "Now" or "UtcNow", IsStatic: true } property }
                when apis.Is(property.ContainingType, apis.DateTime) || apis.Is(property.ContainingType, apis.DateTimeOffset):
                return true;
            case ILocalReferenceOperation local:
                return visited.Add(local.Local)
                    && Contains(PathKey.Unwrap(OperationTree.StoredValue(local.Local, root)), root, apis, visited, depth + 1, uniqueOnly);
            case IFieldReferenceOperation or IPropertyReferenceOperation when AssignedJustBefore((IMemberReferenceOperation)value) is { } assigned:
                // _current = Path.Combine(folder, $"{Guid.NewGuid()}.png"); File.Copy(work, _current, true);
                return Contains(PathKey.Unwrap(assigned), root, apis, visited, depth + 1, uniqueOnly);
            case IObjectCreationOperation { Constructor: { } constructor } creation when IsScratchWrapper(constructor.ContainingType):
                // The project's own temp-file type (new TempFile(), used through an implicit conversion to string):
                // fresh when the constructor it runs builds a fresh path.
                if (visited.Add(constructor.OriginalDefinition) && ConstructorBuildsFresh(constructor, creation, apis, visited, depth, uniqueOnly))
                {
                    return true;
                }

                break;
        }

        // Anything else (concatenation, interpolation, Path.Combine, ToString) is fresh when a part is.
        foreach (var child in value.ChildOperations)
        {
            if (Contains(child, root, apis, visited, depth, uniqueOnly))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Interlocked.Increment of a static field: a counter of the process, a different number on every call while it runs
    /// (not a scratch name: it starts again with the next run, so it names the same files again).
    /// </summary>
    private static bool IsCounter(IInvocationOperation invocation)
        => invocation.TargetMethod is { Name: "Increment", ContainingType: { Name: "Interlocked" } type } && SymbolNames.IsNamespace(type.ContainingNamespace, "System.Threading")
            && PathKey.Unwrap(OperationTree.ArgumentFor(invocation.Arguments, 0)) is IFieldReferenceOperation { Field.IsStatic: true };

    /// <summary>
    /// The value a field or property of this object (or a static one) was given by an earlier statement of a block
    /// around the reference, when no statement in between assigns it again: what it holds at the reference.
    /// </summary>
    private static IOperation? AssignedJustBefore(IMemberReferenceOperation reference)
    {
        if (reference.Instance is not (null or IInstanceReferenceOperation))
        {
            return null;
        }

        foreach (var statement in OperationTree.EarlierStatements(reference))
        {
            if (statement is IExpressionStatementOperation { Operation: ISimpleAssignmentOperation { Target: IMemberReferenceOperation target } assignment }
                && SymbolEqualityComparer.Default.Equals(target.Member, reference.Member) && target.Instance is null or IInstanceReferenceOperation)
            {
                return assignment.Value;
            }

            if (statement.DescendantsAndSelf().Any(o => o is IAssignmentOperation { Target: IMemberReferenceOperation other } && SymbolEqualityComparer.Default.Equals(other.Member, reference.Member)))
            {
                return null;
            }
        }

        return null;
    }

    /// <summary>A disposable class of the project (deleted when disposed, as temp-file wrappers are).</summary>
    private static bool IsScratchWrapper(INamedTypeSymbol type)
        => type.TypeKind == TypeKind.Class && type.Locations.Length > 0 && type.Locations[0].IsInSource
            && type.AllInterfaces.Any(i => i.SpecialType == SpecialType.System_IDisposable);

    /// <summary>
    /// The constructor's own body or its <c>: this(...)</c>/<c>: base(...)</c> call makes a fresh path (GetTempFileName,
    /// a Guid, a same-file helper that returns one). Bound from the constructor's file: asked only for a site already found.
    /// </summary>
    private static bool ConstructorBuildsFresh(IMethodSymbol constructor, IObjectCreationOperation creation, FileApiSymbols apis, HashSet<ISymbol> visited, int depth, bool uniqueOnly)
    {
        for (var current = constructor; current is not null && depth <= MaxDepth; depth++)
        {
            if (current.DeclaringSyntaxReferences.Length != 1 || creation.SemanticModel is not { } model)
            {
                return false;
            }

            var syntax = current.DeclaringSyntaxReferences[0].GetSyntax();
            if (model.SyntaxTree != syntax.SyntaxTree)
            {
                // The type may be declared in a referenced project (a compilation reference in a solution and the IDE).
                if (DeclaringCompilation.Of(syntax.SyntaxTree, model.Compilation) is not { } declaring)
                {
                    return false;
                }

#pragma warning disable RS1030 // Only for a write already found to risk a file; the driver's model covers the current file only.
                model = declaring.GetSemanticModel(syntax.SyntaxTree);
#pragma warning restore RS1030

                // Symbols of another compilation are compared with that compilation's own System.IO and System types.
                apis = FileApiSymbols.Create(declaring) ?? apis;
            }

            if (model.GetOperation(syntax) is not IConstructorBodyOperation body)
            {
                return false;
            }

            foreach (var operation in body.Descendants())
            {
                if (operation is IInvocationOperation or IPropertyReferenceOperation && Contains(operation, body, apis, visited, depth + 1, uniqueOnly))
                {
                    return true;
                }
            }

            // : this(...) chains to another constructor of the type; its arguments were searched above.
            current = body.Initializer is IExpressionStatementOperation { Operation: IInvocationOperation { TargetMethod: { MethodKind: MethodKind.Constructor } next } }
                && SymbolEqualityComparer.Default.Equals(next.ContainingType, constructor.ContainingType) && visited.Add(next.OriginalDefinition)
                ? next
                : null;
        }

        return false;
    }

    /// <summary>
    /// A project method whose every returned value is fresh (ShareX's <c>FileHelpers.GetTempFilePath(ext)</c>, in another
    /// file or a referenced project): followed only for a write already found.
    /// </summary>
    private static bool ReturnsFresh(IInvocationOperation invocation, FileApiSymbols apis, HashSet<ISymbol> visited, int depth, bool uniqueOnly)
    {
        var method = invocation.TargetMethod;
        if (invocation.SemanticModel is not { } model || method.MethodKind is not (MethodKind.Ordinary or MethodKind.LocalFunction)
            || SourceBodies.IsAbstract(method) || method.IsVirtual || method.IsOverride)
        {
            return false;
        }

        var returns = 0;
        foreach (var (_, body) in SourceBodies.Of(method, model.Compilation, default))
        {
            foreach (var operation in body.Descendants())
            {
                if (operation is IReturnOperation { ReturnedValue: { } returned })
                {
                    if (!Contains(PathKey.Unwrap(returned), body, apis, visited, depth + 1, uniqueOnly))
                    {
                        return false;
                    }

                    returns++;
                }
            }
        }

        return returns > 0;
    }
}
