using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace CheckpointAudit.Knowledge;

/// <summary>
/// A file written for another program: its path, directly or inside text built from it (<c>$"-f concat -i {list}"</c>),
/// is passed to a process the same method starts (<c>new ProcessStartInfo(exe, args)</c>, <c>Arguments = args</c>,
/// <c>ArgumentList.Add(path)</c>, <c>Process.Start(exe, args)</c>). The program writes it for that run and rebuilds it for
/// the next: regenerable output, not its own state.
/// </summary>
internal static class ProcessInput
{
    /// <summary>The evidence in words, or null when the path is not a local handed to a process started in <paramref name="root"/>.</summary>
    public static string? Evidence(IOperation target, IOperation root)
    {
        if (PathKey.Unwrap(target) is not ILocalReferenceOperation { Local: var path })
        {
            return null;
        }

        // Only bodies that start a process pay for the walk below; only what becomes the process's arguments counts
        // (not its FileName or WorkingDirectory).
        var arguments = root.Descendants().SelectMany(ArgumentsGiven).ToList();
        if (arguments.Count == 0)
        {
            return null;
        }

        // Text built from the path (string locals), not facts about it (a bool from File.Exists(path)).
        var carrying = OperationTree.LocalsBuiltFrom(path, root);
        carrying.RemoveWhere(l => !SymbolEqualityComparer.Default.Equals(l, path) && l.Type.SpecialType != SpecialType.System_String);
        return arguments.Any(a => a.DescendantsAndSelf().Any(o => o is ILocalReferenceOperation reference && carrying.Contains(reference.Local)))
            ? $"the file is for another program: its path ('{path.Name}') is passed to a process started here"
            : null;
    }

    /// <summary>
    /// What a process is given as its arguments: <c>new ProcessStartInfo(exe, args)</c>'s second argument,
    /// <c>Arguments = …</c>, <c>ArgumentList.Add(…)</c>, <c>Process.Start(exe, args)</c>'s second argument.
    /// </summary>
    private static IEnumerable<IOperation> ArgumentsGiven(IOperation operation)
    {
        switch (operation)
        {
            case IObjectCreationOperation creation when IsDiagnosticsType(creation.Type, "ProcessStartInfo"):
                foreach (var argument in creation.Arguments)
                {
                    if (argument.Parameter?.Name == "arguments")
                    {
                        yield return argument.Value;
                    }
                }

                break;
            case IInvocationOperation { TargetMethod: { Name: "Start", IsStatic: true } method } start when IsDiagnosticsType(method.ContainingType, "Process"):
                foreach (var argument in start.Arguments)
                {
                    if (argument.Parameter?.Name == "arguments")
                    {
                        yield return argument.Value;
                    }
                }

                break;
            case IInvocationOperation { TargetMethod.Name: "Add", Instance: IPropertyReferenceOperation { Property: { Name: "ArgumentList" } list } } add
                when IsDiagnosticsType(list.ContainingType, "ProcessStartInfo"):
                foreach (var argument in add.Arguments)
                {
                    yield return argument.Value;
                }

                break;
            case ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property: { Name: "Arguments" } property } } assignment
                when IsDiagnosticsType(property.ContainingType, "ProcessStartInfo"):
                yield return assignment.Value;
                break;
        }
    }

    private static bool IsDiagnosticsType(ITypeSymbol? type, string name)
        => type is not null && type.Name == name && SymbolNames.IsNamespace(type.ContainingNamespace, "System.Diagnostics");
}
