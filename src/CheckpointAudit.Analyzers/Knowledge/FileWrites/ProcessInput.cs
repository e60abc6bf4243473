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

        // Only bodies that start a process pay for the walk below.
        var starts = root.Descendants().Where(IsProcessStart).ToList();
        if (starts.Count == 0)
        {
            return null;
        }

        var carrying = OperationTree.LocalsBuiltFrom(path, root);
        return starts.Any(start => start.DescendantsAndSelf().Any(o => o is ILocalReferenceOperation reference && carrying.Contains(reference.Local)))
            ? $"the file is for another program: its path ('{path.Name}') is passed to a process started here"
            : null;
    }

    /// <summary>A ProcessStartInfo made or given arguments, or Process.Start with arguments.</summary>
    private static bool IsProcessStart(IOperation operation) => operation switch
    {
        IObjectCreationOperation creation => IsDiagnosticsType(creation.Type, "ProcessStartInfo"),
        IInvocationOperation { TargetMethod: { Name: "Start", IsStatic: true } method } => IsDiagnosticsType(method.ContainingType, "Process") && method.Parameters.Length > 1,
        IInvocationOperation { TargetMethod.Name: "Add", Instance: IPropertyReferenceOperation { Property: { Name: "ArgumentList" } list } } => IsDiagnosticsType(list.ContainingType, "ProcessStartInfo"),
        ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property: { Name: "Arguments" } arguments } } => IsDiagnosticsType(arguments.ContainingType, "ProcessStartInfo"),
        _ => false,
    };

    private static bool IsDiagnosticsType(ITypeSymbol? type, string name)
        => type is not null && type.Name == name && SymbolNames.IsNamespace(type.ContainingNamespace, "System.Diagnostics");
}
