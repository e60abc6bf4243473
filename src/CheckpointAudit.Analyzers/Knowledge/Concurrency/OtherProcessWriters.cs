using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace CheckpointAudit.Knowledge;

/// <summary>
/// Whether a file is also saved by other running instances of the program: the type that saves it watches that very
/// file with a FileSystemWatcher (its <c>Filter</c>, or the filter given to the constructor, is the file's name), to
/// reload what another process wrote. A lock in one process does not order their saves.
/// </summary>
internal static class OtherProcessWriters
{
    /// <summary>Why other processes save <paramref name="target"/> too, or null.</summary>
    public static string? Reason(IOperation target, ISymbol? containingSymbol, FileApiSymbols apis)
    {
        var key = PathKey.From(target, apis);
        if (!key.IsMember || containingSymbol?.ContainingType is not { } type || target.SemanticModel is not { } model)
        {
            return null; // a member of the type names the file in its watcher: a local of one save cannot
        }

        foreach (var reference in type.DeclaringSyntaxReferences)
        {
            if (reference.SyntaxTree != model.SyntaxTree)
            {
                continue; // the watcher is looked for in this file only
            }

            foreach (var node in reference.GetSyntax().DescendantNodes())
            {
                var filter = node switch
                {
                    AssignmentExpressionSyntax { Left: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Filter" } } assignment => assignment.Right,
                    ObjectCreationExpressionSyntax { ArgumentList.Arguments.Count: 2 } creation when creation.Type.ToString().EndsWith("FileSystemWatcher", System.StringComparison.Ordinal) => creation.ArgumentList.Arguments[1].Expression,
                    _ => null,
                };
                if (filter is not null && IsWatcherFilter(node, model) && Names(model.GetOperation(filter), key, apis))
                {
                    return $"another instance of the program ({type.Name} watches '{target.Syntax}' for changes made outside this process)";
                }
            }
        }

        return null;
    }

    /// <summary>Whether the temp's name holds the process id (Environment.ProcessId, Process.Id): unique to each writer process.</summary>
    public static bool NamesProcess(IOperation name, IOperation root)
    {
        var pending = new Stack<IOperation>([name]);
        var visited = new HashSet<ILocalSymbol>(SymbolEqualityComparer.Default);
        while (pending.Count > 0)
        {
            foreach (var part in pending.Pop().DescendantsAndSelf())
            {
                switch (part)
                {
                    case IPropertyReferenceOperation { Property: var property }
                        when (property.Name == "ProcessId" && property.ContainingType.Name == "Environment")
                            || (property.Name == "Id" && property.ContainingType.Name == "Process" && SymbolNames.IsNamespace(property.ContainingType.ContainingNamespace, "System.Diagnostics")):
                        return true;
                    case ILocalReferenceOperation local when visited.Add(local.Local):
                        if (OperationTree.DeclaredValue(local.Local, root) is { } declared)
                        {
                            pending.Push(declared);
                        }

                        foreach (var assignment in OperationTree.AssignmentsTo(local.Local, root))
                        {
                            pending.Push(assignment.Value);
                        }

                        break;
                }
            }
        }

        return false;
    }

    private static bool IsWatcherFilter(SyntaxNode node, SemanticModel model)
    {
        var watcher = node switch
        {
            AssignmentExpressionSyntax { Left: MemberAccessExpressionSyntax access } => model.GetTypeInfo(access.Expression).Type,
            _ => model.GetTypeInfo(node).Type,
        };
        return watcher is { Name: "FileSystemWatcher" } && SymbolNames.IsNamespace(watcher.ContainingNamespace, "System.IO");
    }

    /// <summary>The filter is the file's name: the member itself or a part of it (Path.GetFileName(SettingsFilePath)).</summary>
    private static bool Names(IOperation? filter, PathKey key, FileApiSymbols apis)
        => filter is not null && filter.DescendantsAndSelf().Any(part => part is IMemberReferenceOperation && PathKey.From(part, apis).Equals(key));
}
