using System;
using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace CheckpointAudit.Knowledge;

/// <summary>
/// One variable a value is built from: a parameter, a local or a field/property of this object (<see cref="Root"/>),
/// and, when the value reads a member of it, that member (<c>photo.Id</c>: root <c>photo</c>, member <c>Id</c>).
/// </summary>
internal readonly struct ValueSource : IEquatable<ValueSource>
{
    public ValueSource(ISymbol root, ISymbol? member)
    {
        Root = root;
        Member = member;
    }

    public ISymbol Root { get; }

    public ISymbol? Member { get; }

    /// <summary>
    /// Whether two sources may carry the same value: the same variable, and the same member of it or the variable
    /// itself on one side (a record passed whole to one method and its ID to another).
    /// </summary>
    public bool Meets(ValueSource other)
        => SymbolEqualityComparer.Default.Equals(Root, other.Root)
            && (Member is null || other.Member is null || SymbolEqualityComparer.Default.Equals(Member, other.Member));

    public bool Equals(ValueSource other)
        => SymbolEqualityComparer.Default.Equals(Root, other.Root) && SymbolEqualityComparer.Default.Equals(Member, other.Member);

    public override bool Equals(object? obj) => obj is ValueSource other && Equals(other);

    public override int GetHashCode() => SymbolEqualityComparer.Default.GetHashCode(Root);
}

/// <summary>
/// The variables a value is built from inside one body: through conversions, string building (concatenation,
/// interpolation, <c>Path.Combine</c>, <c>ToString</c>), the declared values of locals, and calls of the project's own
/// methods whose result is built from the arguments given (<c>store.DocumentDirectory(id)</c>, known from
/// the <c>returnsBuiltFrom</c> argument of <see cref="Collect"/>). Bounded: a few locals deep and a few dozen operations per value.
/// </summary>
internal static class ValueSources
{
    private const int MaxOperations = 64;
    private const int MaxLocalHops = 3;

    /// <summary>Adds the sources of <paramref name="value"/> to <paramref name="sources"/>, and the types whose members it reads to <paramref name="memberOwners"/>.</summary>
    public static void Collect(
        IOperation? value,
        IOperation root,
        Func<IInvocationOperation, IEnumerable<IOperation>> returnsBuiltFrom,
        List<ValueSource> sources,
        HashSet<ITypeSymbol>? memberOwners = null,
        Func<IInvocationOperation, IEnumerable<ISymbol>>? returnedRoots = null)
    {
        var budget = MaxOperations;
        Walk(value, root, new Follow(returnsBuiltFrom, returnedRoots), sources, memberOwners, 0, ref budget);
    }

    /// <summary>How calls of the project's own methods are seen through: the arguments their result is built from, and the members or constructor parameters of their type it is built from.</summary>
    private sealed class Follow(Func<IInvocationOperation, IEnumerable<IOperation>> arguments, Func<IInvocationOperation, IEnumerable<ISymbol>>? roots)
    {
        public Func<IInvocationOperation, IEnumerable<IOperation>> Arguments { get; } = arguments;

        public Func<IInvocationOperation, IEnumerable<ISymbol>>? Roots { get; } = roots;
    }

    private static void Walk(
        IOperation? value,
        IOperation root,
        Follow returnsBuiltFrom,
        List<ValueSource> sources,
        HashSet<ITypeSymbol>? memberOwners,
        int hops,
        ref int budget)
    {
        if (value is null || --budget < 0)
        {
            return;
        }

        switch (value)
        {
            case IParameterReferenceOperation parameter:
                Add(sources, new ValueSource(parameter.Parameter.OriginalDefinition, null));
                return;
            case ILocalReferenceOperation local:
                Add(sources, new ValueSource(local.Local, null));
                if (hops < MaxLocalHops)
                {
                    // A foreach variable is built from the collection it walks (each file of Directory.GetFiles(root)).
                    var declared = OperationTree.DeclaredValue(local.Local, root) ?? OperationTree.IteratedCollection(local.Local, root);
                    Walk(declared, root, returnsBuiltFrom, sources, memberOwners, hops + 1, ref budget);
                }

                return;
            case IMemberReferenceOperation { Member: IPropertySymbol or IFieldSymbol } member:
                var instance = PathKey.Unwrap(member.Instance);
                if (instance?.Type is { } owner)
                {
                    memberOwners?.Add(owner.OriginalDefinition);
                }
                else if (instance is null || instance is IInstanceReferenceOperation)
                {
                    memberOwners?.Add(member.Member.ContainingType.OriginalDefinition);
                }

                switch (instance)
                {
                    case null or IInstanceReferenceOperation:
                        Add(sources, new ValueSource(member.Member.OriginalDefinition, null));
                        return;
                    case ILocalReferenceOperation local:
                        Add(sources, new ValueSource(local.Local, member.Member.OriginalDefinition));
                        return;
                    case IParameterReferenceOperation parameter:
                        Add(sources, new ValueSource(parameter.Parameter.OriginalDefinition, member.Member.OriginalDefinition));
                        return;
                    default:
                        Walk(instance, root, returnsBuiltFrom, sources, memberOwners, hops, ref budget);
                        return;
                }

            case IInvocationOperation call when MethodSummaries.IsProjectMethod(call.TargetMethod):
                foreach (var argument in returnsBuiltFrom.Arguments(call))
                {
                    Walk(argument, root, returnsBuiltFrom, sources, memberOwners, hops, ref budget);
                }

                foreach (var kept in returnsBuiltFrom.Roots?.Invoke(call) ?? [])
                {
                    Add(sources, new ValueSource(kept, null));
                }

                return;
            case IAnonymousFunctionOperation or ILocalFunctionOperation:
                return;
        }

        foreach (var child in value.ChildOperations)
        {
            Walk(child, root, returnsBuiltFrom, sources, memberOwners, hops, ref budget);
        }
    }

    private static void Add(List<ValueSource> sources, ValueSource source)
    {
        if (!sources.Contains(source))
        {
            sources.Add(source);
        }
    }
}
