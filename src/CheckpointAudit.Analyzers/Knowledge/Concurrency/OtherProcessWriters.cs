using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace CheckpointAudit.Knowledge;

/// <summary>
/// Whether a file is also saved by other running instances of the program: the type that saves it watches that very
/// file with a FileSystemWatcher (its <c>Filter</c>, a filter added to <c>Filters</c>, or the filter given to the
/// constructor is built from the member that names the file), to reload what another process wrote. A lock in one
/// process does not order their saves; a system-wide one (a Mutex, Semaphore or EventWaitHandle the type creates) may,
/// and then nothing is claimed. Only the type's declaration in the file being analyzed is read.
/// </summary>
internal static class OtherProcessWriters
{
    /// <summary>Why other processes save <paramref name="target"/> too, or null.</summary>
    public static string? Reason(IOperation target, ISymbol? containingSymbol, FileApiSymbols apis)
    {
        if (PathKey.Unwrap(target) is not IMemberReferenceOperation { Instance: null or IInstanceReferenceOperation } member
            || containingSymbol?.ContainingType is not { } type || target.SemanticModel is not { } model)
        {
            return null; // a member of the type names the file in its watcher: a local of one save cannot
        }

        var watched = PerCompilation<WatchedMembers>.Get(model.Compilation, _ => new WatchedMembers())!.Of(type, model);
        return watched.Contains(member.Member.OriginalDefinition)
            ? $"another instance of the program ({type.Name} watches '{target.Syntax}' for changes made outside this process)"
            : null;
    }

    /// <summary>Whether the temp's name holds the process id (Environment.ProcessId, Process.Id), through locals and fields: unique to each writer process.</summary>
    public static bool NamesProcess(IOperation name, IOperation root)
    {
        var pending = new Stack<IOperation>([name]);
        var visited = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        while (pending.Count > 0)
        {
            foreach (var part in pending.Pop().DescendantsAndSelf())
            {
                switch (part)
                {
                    case IPropertyReferenceOperation { Property: var property } when IsProcessId(property):
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
                    case IFieldReferenceOperation { Field: { IsReadOnly: true } field } when visited.Add(field) && part.SemanticModel is { } model
                        && OperationTree.FieldInitializer(field, model.Compilation) is { } initial:
                        pending.Push(initial);
                        break;
                }
            }
        }

        return false;
    }

    private static bool IsProcessId(IPropertySymbol property)
        => (property.Name == "ProcessId" && property.ContainingType.Name == "Environment" && SymbolNames.IsNamespace(property.ContainingType.ContainingNamespace, "System"))
            || (property.Name == "Id" && property.ContainingType.Name == "Process" && SymbolNames.IsNamespace(property.ContainingType.ContainingNamespace, "System.Diagnostics"));

    /// <summary>The members each type's watchers filter on, per compilation: read from the type's syntax in a file once.</summary>
    private sealed class WatchedMembers
    {
        private readonly ConcurrentDictionary<(INamedTypeSymbol Type, SyntaxTree Tree), HashSet<ISymbol>> _members = new();

        public HashSet<ISymbol> Of(INamedTypeSymbol type, SemanticModel model) => _members.GetOrAdd((type.OriginalDefinition, model.SyntaxTree), key => Find(key.Type, model));

        private static HashSet<ISymbol> Find(INamedTypeSymbol type, SemanticModel model)
        {
            var members = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
            foreach (var reference in type.DeclaringSyntaxReferences.Where(r => r.SyntaxTree == model.SyntaxTree))
            {
                var nodes = reference.GetSyntax().DescendantNodes().ToList();
                if (nodes.Any(n => n is BaseObjectCreationExpressionSyntax creation && MayName(creation, "Mutex", "Semaphore", "EventWaitHandle") && IsSystemWideLock(model.GetTypeInfo(n).Type)))
                {
                    return []; // saves may be ordered across processes
                }

                foreach (var filter in nodes.Select(n => WatcherFilter(n, model)).OfType<ExpressionSyntax>())
                {
                    foreach (var name in filter.DescendantNodesAndSelf().OfType<SimpleNameSyntax>())
                    {
                        if (model.GetSymbolInfo(name).Symbol is { Kind: SymbolKind.Field or SymbolKind.Property } symbol)
                        {
                            members.Add(symbol.OriginalDefinition);
                        }
                    }
                }
            }

            return members;
        }

        /// <summary>The filter a watcher is given: <c>w.Filter = …</c>, <c>{ Filter = … }</c>, <c>w.Filters.Add(…)</c>, <c>new FileSystemWatcher(dir, …)</c>.</summary>
        private static ExpressionSyntax? WatcherFilter(SyntaxNode node, SemanticModel model)
        {
            switch (node)
            {
                case AssignmentExpressionSyntax { Left: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Filter" } access } assignment
                    when IsWatcher(model.GetTypeInfo(access.Expression).Type):
                    return assignment.Right;
                case AssignmentExpressionSyntax { Left: IdentifierNameSyntax { Identifier.ValueText: "Filter" }, Parent: InitializerExpressionSyntax { Parent: BaseObjectCreationExpressionSyntax creation } } assignment
                    when IsWatcher(model.GetTypeInfo(creation).Type):
                    return assignment.Right;
                case InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Add", Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Filters" } filters }, ArgumentList.Arguments.Count: 1 } add
                    when IsWatcher(model.GetTypeInfo(filters.Expression).Type):
                    return add.ArgumentList.Arguments[0].Expression;
                case BaseObjectCreationExpressionSyntax { ArgumentList.Arguments.Count: 2 } creation when MayName(creation, "FileSystemWatcher") && IsWatcher(model.GetTypeInfo(creation).Type):
                    return creation.ArgumentList!.Arguments[1].Expression;
                default:
                    return null;
            }
        }

        /// <summary>The creation names one of the types (bound only then), or is a target-typed <c>new(…)</c>, which must be bound.</summary>
        private static bool MayName(BaseObjectCreationExpressionSyntax creation, params string[] names)
            => creation is not ObjectCreationExpressionSyntax { Type: var type }
                || names.Any(name => (type is QualifiedNameSyntax qualified ? qualified.Right : type) is SimpleNameSyntax { Identifier.ValueText: var text } && text == name);

        private static bool IsWatcher(ITypeSymbol? type)
            => type is { Name: "FileSystemWatcher" } && SymbolNames.IsNamespace(type.ContainingNamespace, "System.IO");

        private static bool IsSystemWideLock(ITypeSymbol? type)
            => type is { Name: "Mutex" or "Semaphore" or "EventWaitHandle" } && SymbolNames.IsNamespace(type.ContainingNamespace, "System.Threading");
    }
}
