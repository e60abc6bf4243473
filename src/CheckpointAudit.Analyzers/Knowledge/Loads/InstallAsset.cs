using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace CheckpointAudit.Knowledge;

/// <summary>
/// A file the program ships and only reads: its path is built from the directory the program runs from
/// (<c>AppContext.BaseDirectory</c>, <c>AppDomain.CurrentDomain.BaseDirectory</c>, <c>Application.StartupPath</c>, an
/// assembly's <c>Location</c>, <c>Environment.ProcessPath</c>) and a file name no other source file of the
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
        if (!UnderRunDirectory(PathKey.Unwrap(path), root, model.Compilation, found, new HashSet<ISymbol>(SymbolEqualityComparer.Default), 0)
            || found.Directory is null || found.FileNames.Count == 0 || SavedState.IsSavedAgain(load, path, root, apis))
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

    /// <summary>
    /// Whether every value the path can have starts at the program's directory: <c>Path.Combine(dir, …)</c>,
    /// <c>dir + …</c> or <c>$"{dir}…"</c> with <c>dir</c> the program's directory (itself, or through locals, a private
    /// method's parameter or a private field, every value of each), and both branches of a conditional or coalesce.
    /// The file names its constant parts spell are collected.
    /// </summary>
    private static bool UnderRunDirectory(IOperation? value, IOperation root, Compilation compilation, Origins found, HashSet<ISymbol> visited, int depth)
    {
        if (value is null || depth > MaxDepth)
        {
            return false;
        }

        switch (value)
        {
            case IPropertyReferenceOperation property when RunDirectory(property.Property) is { } directory:
                found.Directory ??= directory;
                return true;
            case ILocalReferenceOperation local when visited.Add(local.Local):
                return UnderRunDirectory(PathKey.Unwrap(OperationTree.StoredValue(local.Local, root)), root, compilation, found, visited, depth + 1);
            case IParameterReferenceOperation parameter when visited.Add(parameter.Parameter) && value.SemanticModel is { } model:
                // A private method's parameter is what its callers in the file pass: every one of them.
                var any = false;
                foreach (var (passed, callerRoot) in PrivateCallers.ArgumentsFor(parameter.Parameter, model))
                {
                    if (!UnderRunDirectory(PathKey.Unwrap(passed), callerRoot, compilation, found, visited, depth + 1))
                    {
                        return false;
                    }

                    any = true;
                }

                return any;
            case IFieldReferenceOperation { Field: { DeclaredAccessibility: Accessibility.Private } field } when visited.Add(field):
                var assigned = false;
                foreach (var (fieldValue, fieldRoot) in AssignedValues(field, compilation))
                {
                    if (!UnderRunDirectory(PathKey.Unwrap(fieldValue), fieldRoot, compilation, found, visited, depth + 1))
                    {
                        return false;
                    }

                    assigned = true;
                }

                return assigned;
            case IConditionalAccessOperation access:
                // Assembly.GetEntryAssembly()?.Location: the property read when the assembly is there.
                return UnderRunDirectory(PathKey.Unwrap(access.WhenNotNull), root, compilation, found, visited, depth + 1);
            case IConditionalOperation { WhenFalse: { } whenFalse } conditional:
                return UnderRunDirectory(PathKey.Unwrap(conditional.WhenTrue), root, compilation, found, visited, depth + 1)
                    && UnderRunDirectory(PathKey.Unwrap(whenFalse), root, compilation, found, visited, depth + 1);
            case ICoalesceOperation coalesce:
                return UnderRunDirectory(PathKey.Unwrap(coalesce.Value), root, compilation, found, visited, depth + 1)
                    && UnderRunDirectory(PathKey.Unwrap(coalesce.WhenNull), root, compilation, found, visited, depth + 1);
            case IInvocationOperation { Arguments.Length: > 0 } call when SymbolNames.IsType(call.TargetMethod.ContainingType, "System.IO.Path")
                && call.TargetMethod.Name is "Combine" or "Join" or "GetDirectoryName" or "GetFullPath":
                // The first part is the base (a params array's first element for Combine(params string[])).
                var parts = call.Arguments.Length == 1 && PathKey.Unwrap(call.Arguments[0].Value) is IArrayCreationOperation { Initializer: { } array }
                    ? array.ElementValues
                    : call.Arguments.Select(a => a.Value).ToImmutableArray();
                CollectNames(parts.Skip(1), found);
                return !parts.IsEmpty && UnderRunDirectory(PathKey.Unwrap(parts[0]), root, compilation, found, visited, depth + 1);
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Add } concatenation:
                CollectNames([concatenation.RightOperand], found);
                return UnderRunDirectory(PathKey.Unwrap(concatenation.LeftOperand), root, compilation, found, visited, depth + 1);
            case IInterpolatedStringOperation { Parts: { Length: > 0 } interpolationParts } when interpolationParts[0] is IInterpolationOperation first:
                CollectNames(interpolationParts.Skip(1).Select(p => p is IInterpolatedStringTextOperation text ? text.Text : p), found);
                return UnderRunDirectory(PathKey.Unwrap(first.Expression), root, compilation, found, visited, depth + 1);
            default:
                return false;
        }
    }

    /// <summary>The file names spelled by constant parts of a path (<c>"Schemas\\defaults.json"</c> → <c>defaults.json</c>).</summary>
    private static void CollectNames(IEnumerable<IOperation> parts, Origins found)
    {
        foreach (var part in parts)
        {
            foreach (var operation in part.DescendantsAndSelf())
            {
                if (operation.ConstantValue is { HasValue: true, Value: string text } && FileName(text) is { } name && !found.FileNames.Contains(name))
                {
                    found.FileNames.Add(name);
                }
            }
        }
    }

    /// <summary>A private field's initializer and the values its type's constructors assign it.</summary>
    private static IEnumerable<(IOperation Value, IOperation Root)> AssignedValues(IFieldSymbol field, Compilation compilation)
    {
        if (OperationTree.FieldInitializer(field, compilation) is { } initial)
        {
            yield return (initial, initial);
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

    /// <summary>Whether a tree other than <paramref name="loading"/> spells the name; the trees that spell it are found once per name.</summary>
    private static bool NamedElsewhere(Compilation compilation, SyntaxTree loading, string name)
        => Named.GetValue(compilation, _ => new ConcurrentDictionary<string, ImmutableArray<SyntaxTree>>(System.StringComparer.OrdinalIgnoreCase))
            .GetOrAdd(name, n => compilation.SyntaxTrees.Where(t => SourceSearch.Names(t.GetText(), n, ignoreCase: true)).ToImmutableArray())
            .Any(t => t != loading);

    private static readonly ConditionalWeakTable<Compilation, ConcurrentDictionary<string, ImmutableArray<SyntaxTree>>> Named = new();
}
