using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace CheckpointAudit.Knowledge;

/// <summary>
/// A method of the project (or of a referenced project) that loads a model of its own and hands it to its caller,
/// returned or through an <c>out</c> parameter (<c>Settings.TryDeserialize(file, out var settings)</c>): a call of it is
/// a load of that model where the call is made, as much as the deserializer call inside it.
/// </summary>
internal sealed class ProjectLoaders
{
    private readonly Compilation _compilation;
    private readonly ConcurrentDictionary<IMethodSymbol, IReadOnlyList<INamedTypeSymbol>> _loaded = new(SymbolEqualityComparer.Default);

    private ProjectLoaders(Compilation compilation) => _compilation = compilation;

    public static ProjectLoaders For(Compilation compilation) => PerCompilation<ProjectLoaders>.Get(compilation, c => new ProjectLoaders(c))!;

    /// <summary>The models of the project that the called method loads from storage and hands out (none for most calls).</summary>
    public IReadOnlyList<INamedTypeSymbol> Loaded(IInvocationOperation call, CancellationToken cancellationToken)
    {
        // The cheapest tests first, on the symbol as called: this runs for every call of the compilation, and most return
        // nothing, text, a number or a task, and take no out parameter.
        var method = call.TargetMethod;
        var returned = method.ReturnType is INamedTypeSymbol { Name: "Task" or "ValueTask", TypeArguments.Length: 1 } task ? task.TypeArguments[0] : method.ReturnType;
        if (method.MethodKind is not (MethodKind.Ordinary or MethodKind.LocalFunction)
            || !(returned is INamedTypeSymbol { SpecialType: SpecialType.None, TypeKind: TypeKind.Class or TypeKind.Struct } || method.Parameters.Any(p => p.RefKind == RefKind.Out))
            || method.Locations.Length == 0 || !method.Locations[0].IsInSource)
        {
            return [];
        }

        return LoadedBy(method, cancellationToken);
    }

    /// <summary>The models of the project that the method loads from storage and hands out (none for most methods).</summary>
    public IReadOnlyList<INamedTypeSymbol> LoadedBy(IMethodSymbol method, CancellationToken cancellationToken)
    {
        method = method.OriginalDefinition;
        if (_loaded.TryGetValue(method, out var known))
        {
            return known;
        }

        if (!MethodSummaries.IsProjectMethod(method))
        {
            return []; // the cheap test first: this runs for every call
        }

        if (method.IsGenericMethod || SourceBodies.IsAbstract(method) || method.IsVirtual || HandedOut(method).FirstOrDefault() is null)
        {
            return _loaded.GetOrAdd(method, []); // a project method is called again and again: its answer is kept
        }

        return _loaded.GetOrAdd(method, m => Compute(m, cancellationToken));
    }

    /// <summary>What the method hands its caller: its return type (a Task's result) and its out parameters' types, when they are the project's own classes.</summary>
    private static IEnumerable<INamedTypeSymbol> HandedOut(IMethodSymbol method)
    {
        var returned = method.ReturnType is INamedTypeSymbol { Name: "Task" or "ValueTask", TypeArguments.Length: 1 } task ? task.TypeArguments[0] : method.ReturnType;
        foreach (var type in method.Parameters.Where(p => p.RefKind == RefKind.Out).Select(p => p.Type).Prepend(returned))
        {
            if (type is INamedTypeSymbol { TypeKind: TypeKind.Class or TypeKind.Struct, IsGenericType: false } named && !named.DeclaringSyntaxReferences.IsEmpty)
            {
                yield return named;
            }
        }
    }

    private List<INamedTypeSymbol> Compute(IMethodSymbol method, CancellationToken cancellationToken)
    {
        // Most methods that return a class of the project parse nothing: their text is read before any body is bound.
        var found = new List<INamedTypeSymbol>();
        if (!SourceBodies.Declarations(method, _compilation, cancellationToken).Any(d => TreeNamesParse(d.Declaration.SyntaxTree, cancellationToken) && NamesParse(d.Declaration)))
        {
            return found;
        }

        var handedOut = HandedOut(method).ToList();
        foreach (var (_, body) in SourceBodies.Of(method, _compilation, cancellationToken))
        {
            if (body.SemanticModel is not { } model || PersistedModels.For(model.Compilation) is not { } models)
            {
                continue;
            }

            // The deserializer may be in a local function of the loader: its body is part of this one. What it loads
            // must be what the method hands out (an Import that parses a file and returns a new merged instance is not a loader).
            foreach (var parse in body.Descendants().OfType<IInvocationOperation>())
            {
                if (models.Match(parse) is { IsSave: false } evidence && FlowsOut(parse, body))
                {
                    found.AddRange(handedOut.Where(type => evidence.Models.Any(m => SameType(m, type)) && !found.Contains(type, SymbolEqualityComparer.Default)));
                }
            }
        }

        return found;
    }

    /// <summary>
    /// The parse's result is returned (by the method or a local function of it), assigned to an out parameter, or held in a
    /// local that is.
    /// </summary>
    private static bool FlowsOut(IOperation parse, IOperation body)
    {
        var value = parse;
        while (value.Parent is IConversionOperation or IAwaitOperation or IParenthesizedOperation || value.Parent is ICoalesceOperation coalesce && coalesce.Value == value)
        {
            value = value.Parent;
        }

        var local = OperationTree.LocalHolding(value);
        return value.Parent is IReturnOperation or ISimpleAssignmentOperation { Target: IParameterReferenceOperation { Parameter.RefKind: RefKind.Out } }
            || (local is not null && body.Descendants().Any(o => o switch
            {
                IReturnOperation { ReturnedValue: { } returned } => OperationTree.ReadsLocal(returned, local),
                ISimpleAssignmentOperation { Target: IParameterReferenceOperation { Parameter.RefKind: RefKind.Out } } assignment => OperationTree.ReadsLocal(assignment.Value, local),
                _ => false,
            }));
    }

    /// <summary>Whether the file's text names a parse at all: most files do not, and none of their methods is read token by token.</summary>
    private static bool TreeNamesParse(SyntaxTree tree, CancellationToken cancellationToken)
        => TreesNamingParse.GetValue(tree, t =>
        {
            return new StrongBox<bool>(SourceSearch.NamesAny(t.GetText(cancellationToken), "Deserialize", "ReadObject", "PopulateObject"));
        }).Value;

    private static readonly ConditionalWeakTable<SyntaxTree, StrongBox<bool>> TreesNamingParse = new();

    private static bool NamesParse(SyntaxNode body)
        => body.DescendantTokens().Any(t => t.ValueText.StartsWith("Deserialize", System.StringComparison.Ordinal) || t.ValueText is "ReadObject" or "PopulateObject");

    // The declaring project's symbol and the caller's may be two instances of one type.
    private static bool SameType(INamedTypeSymbol a, INamedTypeSymbol b)
        => SymbolEqualityComparer.Default.Equals(a.OriginalDefinition, b.OriginalDefinition)
            || a.MetadataName == b.MetadataName && SymbolNames.Display(a.ContainingNamespace) == SymbolNames.Display(b.ContainingNamespace)
                && a.ContainingAssembly?.Name == b.ContainingAssembly?.Name;
}
