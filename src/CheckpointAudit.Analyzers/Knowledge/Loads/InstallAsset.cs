using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace CheckpointAudit.Knowledge;

/// <summary>
/// A file the program ships and only reads: its path is built from the directory the program runs from
/// (<c>AppContext.BaseDirectory</c>, <c>AppDomain.CurrentDomain.BaseDirectory</c>, <c>Application.StartupPath</c>, an
/// assembly's <c>Location</c>, <c>Environment.ProcessPath</c>, the web root) and a file name no other source file of the
/// project spells, and nothing in the loading file writes it. A damaged copy is a broken install, mended by reinstalling,
/// not the user's state. A portable program that keeps its settings beside the executable writes them, so its settings
/// file is not one of these.
/// </summary>
internal static class InstallAsset
{
    private const int MaxDepth = 6;

    /// <summary>The evidence in words, or null when the read file is not provably a shipped asset.</summary>
    public static string? Evidence(IInvocationOperation load, IOperation path, IOperation root)
    {
        if (load.SemanticModel is not { } model || FileApiSymbols.Create(model.Compilation) is not { } apis)
        {
            return null;
        }

        var found = new Origins();
        Walk(PathKey.Unwrap(path), root, model.Compilation, found, new HashSet<ISymbol>(SymbolEqualityComparer.Default), 0);
        if (found.Directory is null || found.FileNames.Count == 0 || SavedState.IsSavedAgain(load, path, root, apis))
        {
            return null;
        }

        // Another source file that spells the file's name may write it (a first-run copy, an installer step).
        var tree = load.Syntax.SyntaxTree;
        foreach (var name in found.FileNames)
        {
            if (NamedElsewhere(model.Compilation, tree, name))
            {
                return null;
            }
        }

        return $"the file ships with the program: its path is under {found.Directory}, and no other source file names '{found.FileNames[0]}'";
    }

    private sealed class Origins
    {
        public string? Directory { get; set; }

        public List<string> FileNames { get; } = new();
    }

    private static void Walk(IOperation? value, IOperation root, Compilation compilation, Origins found, HashSet<ISymbol> visited, int depth)
    {
        if (value is null || depth > MaxDepth)
        {
            return;
        }

        if (value.ConstantValue is { HasValue: true, Value: string text })
        {
            if (FileName(text) is { } name && !found.FileNames.Contains(name))
            {
                found.FileNames.Add(name);
            }

            return;
        }

        switch (value)
        {
            case IPropertyReferenceOperation property when RunDirectory(property.Property) is { } directory:
                found.Directory ??= directory;
                return;
            case ILocalReferenceOperation local when visited.Add(local.Local):
                Walk(PathKey.Unwrap(OperationTree.StoredValue(local.Local, root)), root, compilation, found, visited, depth + 1);
                return;
            case IParameterReferenceOperation parameter when visited.Add(parameter.Parameter) && value.SemanticModel is { } model:
                // A private method's parameter is what its callers in the file pass.
                foreach (var (passed, callerRoot) in PrivateCallers.ArgumentsFor(parameter.Parameter, model))
                {
                    Walk(PathKey.Unwrap(passed), callerRoot, compilation, found, visited, depth + 1);
                }

                return;
            case IFieldReferenceOperation { Field: { DeclaredAccessibility: Accessibility.Private } field } when visited.Add(field):
                foreach (var (assigned, fieldRoot) in AssignedValues(field, compilation))
                {
                    Walk(PathKey.Unwrap(assigned), fieldRoot, compilation, found, visited, depth + 1);
                }

                return;
        }

        foreach (var child in value.ChildOperations)
        {
            Walk(PathKey.Unwrap(child), root, compilation, found, visited, depth);
        }
    }

    /// <summary>A private field's initializer and the values its type's constructors assign it.</summary>
    private static IEnumerable<(IOperation Value, IOperation Root)> AssignedValues(IFieldSymbol field, Compilation compilation)
    {
        foreach (var reference in field.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax() is Microsoft.CodeAnalysis.CSharp.Syntax.VariableDeclaratorSyntax { Initializer.Value: { } initializer }
                && compilation.GetSemanticModel(initializer.SyntaxTree).GetOperation(initializer) is { } initial)
            {
                yield return (initial, initial);
            }
        }

        foreach (var constructor in field.ContainingType.InstanceConstructors)
        {
            foreach (var (_, body) in SourceBodies.Of(constructor, compilation, default))
            {
                foreach (var assignment in body.Descendants().OfType<ISimpleAssignmentOperation>())
                {
                    if (assignment.Target is IFieldReferenceOperation target && SymbolEqualityComparer.Default.Equals(target.Field, field))
                    {
                        yield return (assignment.Value, body);
                    }
                }
            }
        }
    }

    /// <summary>The directory the program runs from, named for the finding; null for any other property.</summary>
    private static string? RunDirectory(IPropertySymbol property)
    {
        var type = property.ContainingType;
        return property.Name switch
        {
            "BaseDirectory" when SymbolNames.IsType(type, "System.AppDomain") || SymbolNames.IsType(type, "System.AppContext") => "the program's directory ('" + type.Name + ".BaseDirectory')",
            "StartupPath" or "ExecutablePath" when SymbolNames.IsType(type, "System.Windows.Forms.Application") => "the program's directory ('Application." + property.Name + "')",
            "Location" when SymbolNames.IsType(type, "System.Reflection.Assembly") => "the program's directory ('Assembly.Location')",
            "ProcessPath" when SymbolNames.IsType(type, "System.Environment") => "the program's directory ('Environment.ProcessPath')",
            "WebRootPath" when SymbolNames.IsNamespace(type.ContainingNamespace, "Microsoft.AspNetCore.Hosting") => "the web root ('WebRootPath')",
            _ => null,
        };
    }

    /// <summary>The last segment of a path constant when it names a file (has an extension): "Schemas\\defaults.json" → "defaults.json".</summary>
    private static string? FileName(string text)
    {
        var name = text.Substring(text.LastIndexOfAny(['/', '\\']) + 1);
        var dot = name.LastIndexOf('.');
        return dot > 0 && dot < name.Length - 1 ? name : null;
    }

    private static bool NamedElsewhere(Compilation compilation, SyntaxTree loading, string name)
        => Named.GetValue(compilation, _ => new ConcurrentDictionary<(SyntaxTree, string), bool>())
            .GetOrAdd((loading, name), key => compilation.SyntaxTrees.Any(t => t != key.Item1 && SourceSearch.Names(t.GetText(), key.Item2, ignoreCase: true)));

    private static readonly ConditionalWeakTable<Compilation, ConcurrentDictionary<(SyntaxTree, string), bool>> Named = new();
}
