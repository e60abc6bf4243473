using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace CheckpointAudit.Knowledge;

/// <summary>
/// Whether a path lies in the system temp directory: Path.GetTempFileName(), or a path whose
/// directory part (first argument of Path.Combine/Join, left end of a concatenation or
/// interpolation) is Path.GetTempPath(). Only the directory part counts: a file name taken from a
/// temp path and combined with another directory is not in the temp directory.
/// </summary>
internal static class SystemTempPath
{
    private const int MaxDepth = 4;

    public static bool Contains(IOperation path, IOperation root, FileApiSymbols apis)
        => IsIn(PathKey.Unwrap(path), root, apis, new HashSet<ISymbol>(SymbolEqualityComparer.Default), 0);

    /// <summary>The expression that names the system temp location, for the code fix to replace.</summary>
    public static IOperation? DeclaredTempValue(IOperation path, IOperation root, FileApiSymbols apis)
    {
        var value = PathKey.Unwrap(path);
        if (value is ILocalReferenceOperation local)
        {
            value = PathKey.Unwrap(OperationTree.DeclaredValue(local.Local, root));
        }

        if (apis.FileInfoPath(value) is { } infoPath)
        {
            value = PathKey.Unwrap(infoPath);
        }

        return value is not null && IsIn(value, root, apis, new HashSet<ISymbol>(SymbolEqualityComparer.Default), 0) ? value : null;
    }

    private static bool IsIn(IOperation? value, IOperation root, FileApiSymbols apis, HashSet<ISymbol> visited, int depth)
    {
        value = PathKey.Unwrap(value);
        if (value is null || depth > MaxDepth)
        {
            return false;
        }

        switch (value)
        {
            case IInvocationOperation invocation when apis.Is(invocation.TargetMethod.ContainingType, apis.Path):
                return invocation.TargetMethod.Name switch
                {
                    "GetTempFileName" or "GetTempPath" => true,
                    "Combine" or "Join" or "ChangeExtension" => FirstPart(invocation, root, apis, visited, depth),
                    _ => false,
                };
            case IInvocationOperation invocation when invocation.TargetMethod.ContainingType.SpecialType == SpecialType.System_String
                && invocation.TargetMethod.Name == "Concat":
                return FirstPart(invocation, root, apis, visited, depth);
            case IInvocationOperation invocation:
                return visited.Add(invocation.TargetMethod.OriginalDefinition) && ReturnsTempPath(invocation, apis, visited, depth);
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Add } add:
                return IsIn(add.LeftOperand, root, apis, visited, depth);
            case IInterpolatedStringOperation interpolated:
                return interpolated.Parts.Length > 0
                    && interpolated.Parts[0] is IInterpolationOperation first
                    && IsIn(first.Expression, root, apis, visited, depth);
            case IConditionalOperation conditional:
                return conditional.WhenFalse is not null
                    && IsIn(conditional.WhenTrue, root, apis, visited, depth)
                    && IsIn(conditional.WhenFalse, root, apis, visited, depth);
            case ILocalReferenceOperation local:
                return visited.Add(local.Local) && IsIn(OperationTree.DeclaredValue(local.Local, root), root, apis, visited, depth + 1);
            case IPropertyReferenceOperation { Property.Name: "FullName" } property when apis.Is(property.Instance?.Type, apis.FileInfo):
                return IsIn(property.Instance, root, apis, visited, depth);
            case IObjectCreationOperation or IInvocationOperation when apis.FileInfoPath(value) is { } infoPath:
                return IsIn(infoPath, root, apis, visited, depth);
            default:
                return false;
        }
    }

    private static bool FirstPart(IInvocationOperation invocation, IOperation root, FileApiSymbols apis, HashSet<ISymbol> visited, int depth)
    {
        var first = OperationTree.ArgumentFor(invocation.Arguments, 0);
        if (PathKey.Unwrap(first) is IArrayCreationOperation { Initializer.ElementValues: { Length: > 0 } elements })
        {
            first = elements[0]; // params string[] overloads
        }

        return IsIn(first, root, apis, visited, depth);
    }

    /// <summary>A method declared in the same file that returns a temp-directory path on some path.</summary>
    private static bool ReturnsTempPath(IInvocationOperation invocation, FileApiSymbols apis, HashSet<ISymbol> visited, int depth)
    {
        if (SameFileBody.Of(invocation) is not { } body)
        {
            return false;
        }

        foreach (var operation in body.Descendants())
        {
            if (operation is IReturnOperation { ReturnedValue: { } returned } && IsIn(returned, body, apis, visited, depth + 1))
            {
                return true;
            }
        }

        return false;
    }
}
