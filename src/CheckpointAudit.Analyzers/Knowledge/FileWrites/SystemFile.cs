using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace CheckpointAudit.Knowledge;

/// <summary>
/// A file of the operating system that the program edits for the user: its path starts at the system's own folders
/// (<c>Environment.SystemDirectory</c>, or <c>Environment.GetFolderPath</c> of System, SystemX86, Windows, Fonts, the
/// Start menu, its Programs or the Startup folder), directly or through locals, <c>Path.Combine</c>, string building and
/// the project's fields and properties that hold one (<c>HostsFilePath =&gt; Path.Combine(HostsFolderPath, "hosts")</c>).
/// The hosts file or an autostart shortcut is the system's configuration, not state this program keeps.
/// </summary>
internal static class SystemFile
{
    private const int MaxDepth = 8;

    /// <summary>The evidence in words, or null when the path is not provably under a system folder.</summary>
    public static string? Evidence(IOperation path, IOperation root)
        => path.SemanticModel is { } model && Folder(PathKey.Unwrap(path), root, model.Compilation, new HashSet<ISymbol>(SymbolEqualityComparer.Default), 0) is { } folder
            ? $"the file belongs to the operating system: its path is under {folder}"
            : null;

    private static string? Folder(IOperation? value, IOperation root, Compilation compilation, HashSet<ISymbol> visited, int depth)
    {
        if (value is null || depth > MaxDepth)
        {
            return null;
        }

        switch (value)
        {
            case IPropertyReferenceOperation { Property: { Name: "SystemDirectory", IsStatic: true } property } when SymbolNames.IsType(property.ContainingType, "System.Environment"):
                return "Environment.SystemDirectory";
            case IInvocationOperation { TargetMethod: { Name: "GetFolderPath", IsStatic: true } method, Arguments.Length: > 0 } call
                when SymbolNames.IsType(method.ContainingType, "System.Environment"):
                return PathKey.Unwrap(call.Arguments[0].Value) is IFieldReferenceOperation { Field: { Name: var name } } && IsSystemFolder(name)
                    ? $"Environment.SpecialFolder.{name}"
                    : null;
            case IInvocationOperation { Arguments.Length: > 0 } call when SymbolNames.IsType(call.TargetMethod.ContainingType, "System.IO.Path")
                && call.TargetMethod.Name is "Combine" or "Join" or "GetFullPath":
                // The first part is the base (a params array's first element for Combine(params string[])).
                var first = call.Arguments.Length == 1 && PathKey.Unwrap(call.Arguments[0].Value) is IArrayCreationOperation { Initializer.ElementValues: { Length: > 0 } parts }
                    ? parts[0]
                    : call.Arguments[0].Value;
                return Folder(PathKey.Unwrap(first), root, compilation, visited, depth + 1);
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Add } concatenation:
                return Folder(PathKey.Unwrap(concatenation.LeftOperand), root, compilation, visited, depth + 1);
            case IInterpolatedStringOperation { Parts.Length: > 0 } interpolated when interpolated.Parts[0] is IInterpolationOperation head:
                return Folder(PathKey.Unwrap(head.Expression), root, compilation, visited, depth + 1);
            default:
                return MemberValue.Step(value, root, compilation, visited) is { } next ? Folder(PathKey.Unwrap(next.Value), next.Root, compilation, visited, depth + 1) : null;
        }
    }

    /// <summary>Special folders whose files belong to the system or to the shell: not an application's data folders.</summary>
    private static bool IsSystemFolder(string name)
        => name is "System" or "SystemX86" or "Windows" or "Fonts" or "Startup" or "CommonStartup"
            or "StartMenu" or "CommonStartMenu" or "Programs" or "CommonPrograms";
}
