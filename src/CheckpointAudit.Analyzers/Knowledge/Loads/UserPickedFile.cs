using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace CheckpointAudit.Knowledge;

/// <summary>
/// Whether a path read by a load is one the user picks each time: a file or folder dialog's choice
/// (<c>dialog.FileName</c>, <c>FileNames</c>, <c>SelectedPath</c>), files dropped on a window
/// (<c>e.Data.GetData(DataFormats.FileDrop)</c>, <c>GetFileDropList()</c>), or the files of such a folder, followed
/// through locals, <c>foreach</c>, LINQ filters, <c>Path.Combine</c>, <c>Directory.GetFiles</c> and the project's own
/// helpers that return one (<c>FileHelpers.BrowseFolder()</c>). Such a file is input to import, not the program's
/// state: a corrupt one fails that import, and the next start does not read it again.
/// </summary>
internal static class UserPickedFile
{
    private const int MaxDepth = 8;

    public const string Evidence = "the file is picked by the user (a dialog or files dropped on the window): input to import, not state the program keeps";

    public static bool Is(IOperation? path, IOperation root) => Is(path, root, new HashSet<ISymbol>(SymbolEqualityComparer.Default), 0);

    private static bool Is(IOperation? value, IOperation root, HashSet<ISymbol> visited, int depth)
    {
        value = PathKey.Unwrap(value);
        if (value is null || depth > MaxDepth)
        {
            return false;
        }

        switch (value)
        {
            case ILocalReferenceOperation local when visited.Add(local.Local):
                return Is(OperationTree.DeclaredValue(local.Local, root) ?? IteratedOrMatched(local.Local, root), root, visited, depth + 1);
            case IPropertyReferenceOperation { Property.Name: "FileName" or "FileNames" or "SelectedPath" or "SelectedPaths", Instance.Type: { } dialog }
                when IsDialog(dialog):
                return true;
            case IPropertyReferenceOperation { Instance: { } instance }:
                return Is(instance, root, visited, depth + 1); // dialog.FileNames.Length, file.FullName
            case IArrayElementReferenceOperation element:
                return Is(element.ArrayReference, root, visited, depth + 1);
            case IInvocationOperation { TargetMethod.Name: "GetFileDropList" }:
                return true;
            case IInvocationOperation { TargetMethod.Name: "GetData" } getData
                when getData.Arguments.FirstOrDefault()?.Value is { } format && PathKey.Unwrap(format) is IFieldReferenceOperation { Field.Name: "FileDrop" } or IPropertyReferenceOperation { Property.Name: "FileDrop" }:
                return true;
            case IInvocationOperation call when IsDirectoryOrPath(call.TargetMethod.ContainingType) && call.Arguments.Length > 0:
                // Directory.GetFiles(folder, …), Path.Combine(folder, name): the folder decides.
                return Is(call.Arguments[0].Value, root, visited, depth + 1);
            case IInvocationOperation { TargetMethod.IsExtensionMethod: true } linq when IsEnumerable(linq.TargetMethod.ContainingType) && linq.Arguments.Length > 0:
                return Is(linq.Arguments[0].Value, root, visited, depth + 1); // files.Where(…), names.Select(…)
            case IInvocationOperation helper when helper.SemanticModel is { } model && visited.Add(helper.TargetMethod.OriginalDefinition)
                && MethodSummaries.IsProjectMethod(helper.TargetMethod) && !SourceBodies.IsAbstract(helper.TargetMethod):
                // The project's own picker (FileHelpers.BrowseFolder()): what it returns.
                foreach (var (_, body) in SourceBodies.Of(helper.TargetMethod, model.Compilation, default))
                {
                    if (body.Descendants().OfType<IReturnOperation>().Any(r => Is(r.ReturnedValue, body, visited, depth + 1)))
                    {
                        return true;
                    }
                }

                return false;
            default:
                return false;
        }
    }

    /// <summary>The collection a foreach variable walks, or the value a pattern (<c>x is string[] files</c>) matched.</summary>
    private static IOperation? IteratedOrMatched(ILocalSymbol local, IOperation root)
        => OperationTree.IteratedCollection(local, root)
            ?? (root.Descendants().OfType<IDeclarationPatternOperation>()
                .FirstOrDefault(p => SymbolEqualityComparer.Default.Equals(p.DeclaredSymbol, local))?.Parent as IIsPatternOperation)?.Value;

    /// <summary>A WinForms or WPF common dialog (OpenFileDialog, FolderBrowserDialog…), by its type or a base type's name.</summary>
    private static bool IsDialog(ITypeSymbol type)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            if (current.Name is "CommonDialog" or "FileDialog" or "OpenFileDialog" or "FolderBrowserDialog" or "OpenFolderDialog" or "CommonOpenFileDialog")
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsDirectoryOrPath(INamedTypeSymbol? type)
        => SymbolNames.IsType(type, "System.IO.Directory") || SymbolNames.IsType(type, "System.IO.Path");

    private static bool IsEnumerable(INamedTypeSymbol? type)
        => SymbolNames.IsType(type, "System.Linq.Enumerable");
}
