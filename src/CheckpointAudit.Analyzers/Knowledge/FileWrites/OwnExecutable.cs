using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace CheckpointAudit.Knowledge;

/// <summary>
/// A path that names the running program's own executable: <c>Environment.ProcessPath</c>,
/// <c>Application.ExecutablePath</c>, the current process's <c>MainModule.FileName</c>, or the entry or executing
/// assembly's <c>Location</c>, directly or through locals and the project's fields and properties that hold one
/// (<c>Paths.Process =&gt; Environment.ProcessPath!</c>). A copy of it (an installer putting itself in place) is the
/// program, restored by installing it again, not state it keeps.
/// </summary>
internal static class OwnExecutable
{
    private const int MaxDepth = 6;

    public static bool Is(IOperation? path, IOperation root)
        => path?.SemanticModel is { } model && Is(PathKey.Unwrap(path), root, model.Compilation, new HashSet<ISymbol>(SymbolEqualityComparer.Default), 0);

    private static bool Is(IOperation? value, IOperation root, Compilation compilation, HashSet<ISymbol> visited, int depth)
    {
        if (value is null || depth > MaxDepth)
        {
            return false;
        }

        switch (value)
        {
            case IPropertyReferenceOperation { Property: { Name: "ProcessPath", IsStatic: true } property } when SymbolNames.IsType(property.ContainingType, "System.Environment"):
                return true;
            case IPropertyReferenceOperation { Property: { Name: "ExecutablePath", IsStatic: true } property } when SymbolNames.IsType(property.ContainingType, "System.Windows.Forms.Application"):
                return true;
            case IPropertyReferenceOperation { Property.Name: "FileName" } file when InstanceOf(file) is IPropertyReferenceOperation { Property.Name: "MainModule" } module
                && InstanceOf(module) is IInvocationOperation { TargetMethod.Name: "GetCurrentProcess" }:
                return true;
            case IPropertyReferenceOperation { Property.Name: "Location" } location when InstanceOf(location) is IInvocationOperation { TargetMethod.Name: "GetEntryAssembly" or "GetExecutingAssembly" }:
                return true;
            default:
                return MemberValue.Step(value, root, compilation, visited) is { } next && Is(PathKey.Unwrap(next.Value), next.Root, compilation, visited, depth + 1);
        }
    }

    /// <summary>What a property is read from, through <c>?.</c> (<c>GetEntryAssembly()?.Location</c>).</summary>
    private static IOperation? InstanceOf(IPropertyReferenceOperation property)
    {
        if (property.Instance is not IConditionalAccessInstanceOperation)
        {
            return PathKey.Unwrap(property.Instance);
        }

        for (var parent = property.Parent; parent is not null; parent = parent.Parent)
        {
            if (parent is IConditionalAccessOperation access)
            {
                return PathKey.Unwrap(access.Operation);
            }
        }

        return null;
    }
}
