using System.Collections.Immutable;
using System.Linq;
using CheckpointAudit.Catalog;
using CheckpointAudit.Checks;
using CheckpointAudit.Knowledge;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace CheckpointAudit.Corruption;

/// <summary>
/// CKPT302: a deserializer that returns null for a stored "null" (System.Text.Json, Newtonsoft — which
/// also returns null for empty input — and JsonNode.Parse) parses data read from a file or the database,
/// and the result is dereferenced or stored in a member with no null check anywhere in the body. A
/// try/catch does not help: nothing is thrown at the load. Code where nullable warnings are on and the
/// API is annotated is left to the compiler, which already warns on the dereference.
/// </summary>
public sealed class NullDeserializationResultCheck : LoadRuleCheck
{
    public NullDeserializationResultCheck()
        : base(RuleCatalog.NullDeserializationResult, OperationKind.Invocation)
    {
    }

    private protected override void Analyze(OperationAnalysisContext context, LoadSymbols symbols, RuleScope scope)
    {
        var invocation = (IInvocationOperation)context.Operation;
        // BinaryFormatter's result cast with 'as' is null for a stored graph of another type, or none.
        var castWithAs = !CanReturnNull(invocation);
        if (castWithAs && !(invocation.Parent is IConversionOperation { IsTryCast: true } && symbols.Deserializers.ReturnsAnyGraph(invocation.TargetMethod)))
        {
            return;
        }

        // The value the code goes on with: the await of an async parse, through casts.
        IOperation value = invocation;
        while (value.Parent is IAwaitOperation or IConversionOperation)
        {
            value = value.Parent;
        }

        if (value.Type is { IsValueType: true, OriginalDefinition.SpecialType: not SpecialType.System_Nullable_T }
            || (castWithAs ? NullableWarningsOn(invocation) : CompilerWarns(invocation))
            || MatchStoredLoad(invocation, context, symbols, scope) is not { } load
            || UncheckedUse(value, load.Root, NullReference(invocation), new GuardContext(context.Compilation, symbols.Deserializers, context.CancellationToken)) is not { } use)
        {
            return;
        }

        // What the file holds sets the severity, as for CKPT301: a cache or a shipped file is output.
        var api = castWithAs ? $"{load.Api}(…) as {value.Type?.Name}" : load.Api;
        context.ReportDiagnostic(DataHeldDiagnostic.Create(Rule, value.Syntax.GetLocation(), LoadedData.Classify(invocation, load, symbols.Apis), api, load.Source, use));
    }

    /// <summary>The parses that map a stored "null" to a null result (XML and JsonDocument parses never return null).</summary>
    private static bool CanReturnNull(IInvocationOperation invocation)
    {
        var method = invocation.TargetMethod;
        if (method.Name is "Parse" or "ParseAsync")
        {
            return method.ContainingType?.Name == "JsonNode";
        }

        // Name first: this runs for every invocation, and the namespace test builds a string.
        return method.Name.StartsWith("Deserialize", System.StringComparison.Ordinal)
            && (SymbolNames.IsNamespace(method.ContainingType?.ContainingNamespace, "System.Text.Json") || SymbolNames.IsNamespace(method.ContainingType?.ContainingNamespace, "Newtonsoft.Json"));
    }

    private static bool NullableWarningsOn(IOperation operation)
        => operation.SemanticModel is { } model && model.GetNullableContext(operation.Syntax.SpanStart).WarningsEnabled();

    /// <summary>Nullable warnings are on here and the API's result is annotated: CS8602 already reports a dereference.</summary>
    private static bool CompilerWarns(IInvocationOperation invocation)
    {
        if (!NullableWarningsOn(invocation))
        {
            return false;
        }

        var returned = invocation.TargetMethod.ReturnType;
        if (returned is INamedTypeSymbol { IsGenericType: true, Name: "Task" or "ValueTask" } task && task.TypeArguments.Length == 1)
        {
            return task.TypeArgumentNullableAnnotations[0] == NullableAnnotation.Annotated;
        }

        return invocation.TargetMethod.ReturnNullableAnnotation == NullableAnnotation.Annotated;
    }

    /// <summary>What a dereference of null throws, for the catches around it (empty when the type is not found).</summary>
    private static ImmutableArray<INamedTypeSymbol> NullReference(IOperation operation)
        => operation.SemanticModel is { } model && KnownTypes.Get(model.Compilation, "System.NullReferenceException") is { } type
            ? ImmutableArray.Create(type)
            : ImmutableArray<INamedTypeSymbol>.Empty;

    /// <summary>
    /// "dereferenced" or "stored in 'x'" when the value is used without a null check; null otherwise. A dereference
    /// a catch of the same method handles (<paramref name="nullReference"/>) is no unchecked use.
    /// </summary>
    private static string? UncheckedUse(IOperation value, IOperation root, ImmutableArray<INamedTypeSymbol> nullReference, GuardContext guards)
    {
        switch (value.Parent)
        {
            case { } parent when IsDereferenceOf(parent, value):
                return Caught(parent, nullReference) ? null : "dereferenced";
            case IArgumentOperation { Parent: IInvocationOperation call } argument:
                return Guard(call, argument, guards)?.Escapes;
            case ISimpleAssignmentOperation { Target: IMemberReferenceOperation member and (IFieldReferenceOperation or IPropertyReferenceOperation) } assignment when ReferenceEquals(assignment.Value, value):
                return MemberCheckedIn(member.Member, root) ? null : $"stored in '{assignment.Target.Syntax}'";
            case IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator }:
                return LocalUse(declarator.Symbol, root, nullReference, guards);
            case ISimpleAssignmentOperation { Target: ILocalReferenceOperation local } assignment when ReferenceEquals(assignment.Value, value):
                return LocalUse(local.Local, root, nullReference, guards);
            default:
                return null;
        }
    }

    private static string? LocalUse(ILocalSymbol local, IOperation root, ImmutableArray<INamedTypeSymbol> nullReference, GuardContext guards)
    {
        string? use = null;
        foreach (var operation in root.Descendants())
        {
            if (operation is not ILocalReferenceOperation reference || !SymbolEqualityComparer.Default.Equals(reference.Local, local))
            {
                continue;
            }

            var parent = reference.Parent;
            while (parent is IConversionOperation)
            {
                parent = parent.Parent;
            }

            if (parent is IArgumentOperation { Parent: IInvocationOperation guard } argument && Guard(guard, argument, guards) is { } verdict)
            {
                if (verdict.Escapes is null)
                {
                    return null; // a null guard the code relies on: a check
                }

                use ??= verdict.Escapes;
                continue;
            }

            if (IsNullCheck(parent))
            {
                return null; // checked somewhere in the body: the rule does not guess the order
            }

            if (parent is not null && IsDereferenceOf(parent, reference))
            {
                if (!Caught(parent, nullReference))
                {
                    use ??= "dereferenced";
                }
            }
            else if (parent is ISimpleAssignmentOperation { Target: IMemberReferenceOperation member and (IFieldReferenceOperation or IPropertyReferenceOperation) } assignment
                && ReferenceEquals(PathKey.Unwrap(assignment.Value), reference))
            {
                if (MemberCheckedIn(member.Member, root))
                {
                    return null;
                }

                use ??= $"stored in '{assignment.Target.Syntax}'";
            }
        }

        return use;
    }

    /// <summary>
    /// The value handed to a null guard — <c>ThrowIfNull</c>, or a project method that throws when that parameter is null
    /// (<c>value.NonNull()</c>) — inside a try with a catch of damaged input (a parser's or validation's exception) that
    /// does not take what the guard throws:
    /// a stored "null" escapes the recovery the code wrote for damaged files. A guard outside such a try is a check.
    /// </summary>
    private static GuardVerdict? Guard(IInvocationOperation call, IArgumentOperation argument, GuardContext guards)
    {
        if (argument.Parameter is not { } parameter || GuardThrows(call.TargetMethod, parameter, guards) is not { } thrown)
        {
            return null; // not a null guard: what the callee does with the value is its own business
        }

        return CatchCoverage.TakesAnyInFunction(call, guards.Deserializers.IsMalformedInputException) && !CatchCoverage.IsKeptInFunction(call, ImmutableArray.Create(thrown))
            ? new GuardVerdict($"passed to '{call.TargetMethod.Name}' (which throws {thrown.Name} past the catch around it)")
            : new GuardVerdict(null);
    }

    /// <summary>A null guard the value is handed to: <see cref="Escapes"/> says how a null gets past the recovery around it, or is null when the guard is a check.</summary>
    private sealed class GuardVerdict(string? escapes)
    {
        public string? Escapes { get; } = escapes;
    }

    /// <summary>What judging a null guard needs: the compilation its bodies bind in, what counts as damaged input, cancellation.</summary>
    private readonly struct GuardContext(Compilation compilation, Deserializers deserializers, System.Threading.CancellationToken cancellationToken)
    {
        public Compilation Compilation { get; } = compilation;

        public Deserializers Deserializers { get; } = deserializers;

        public System.Threading.CancellationToken CancellationToken { get; } = cancellationToken;
    }

    /// <summary>What a null guard throws when <paramref name="parameter"/> is null; null when the method is not one.</summary>
    private static INamedTypeSymbol? GuardThrows(IMethodSymbol method, IParameterSymbol parameter, GuardContext guards)
    {
        if (method.Name == "ThrowIfNull")
        {
            return KnownTypes.Get(guards.Compilation, "System.ArgumentNullException");
        }

        var definition = method.OriginalDefinition;
        if (definition.Locations.IsEmpty || !definition.Locations[0].IsInSource)
        {
            return null;
        }

        var guarded = parameter.Ordinal < definition.Parameters.Length ? definition.Parameters[parameter.Ordinal] : null;
        foreach (var (_, body) in SourceBodies.Of(definition, guards.Compilation, guards.CancellationToken))
        {
            foreach (var thrown in body.Descendants().OfType<IThrowOperation>())
            {
                if (guarded is not null && SymbolEqualityComparer.Default.Equals(GuardedParameter(thrown)?.OriginalDefinition, guarded)
                    && thrown.Exception is { } exception && PathKey.Unwrap(exception)?.Type is INamedTypeSymbol type)
                {
                    return type;
                }
            }
        }

        return null;
    }

    /// <summary>The parameter whose null value leads to the throw: <c>p ?? throw …</c>, <c>if (p == null) throw …</c>, <c>if (p is null) throw …</c>.</summary>
    private static IParameterSymbol? GuardedParameter(IThrowOperation thrown)
    {
        IOperation child = thrown;
        for (var parent = thrown.Parent; parent is not null and not (IMethodBodyOperation or IAnonymousFunctionOperation or ILocalFunctionOperation); child = parent, parent = parent.Parent)
        {
            switch (parent)
            {
                case ICoalesceOperation coalesce when ReferenceEquals(coalesce.WhenNull, child):
                    return (PathKey.Unwrap(coalesce.Value) as IParameterReferenceOperation)?.Parameter;
                case IConditionalOperation conditional when ReferenceEquals(conditional.WhenTrue, child):
                    return conditional.Condition switch
                    {
                        IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals } test when test.RightOperand.ConstantValue is { HasValue: true, Value: null }
                            => (PathKey.Unwrap(test.LeftOperand) as IParameterReferenceOperation)?.Parameter,
                        IIsPatternOperation { Pattern: IConstantPatternOperation { Value.ConstantValue: { HasValue: true, Value: null } } } test
                            => (PathKey.Unwrap(test.Value) as IParameterReferenceOperation)?.Parameter,
                        _ => null,
                    };
            }
        }

        return null;
    }

    /// <summary>The member the value is stored in is null-checked in the same body (<c>State ??= new()</c>, <c>if (State is null)</c>).</summary>
    private static bool MemberCheckedIn(ISymbol member, IOperation root)
    {
        foreach (var operation in root.Descendants())
        {
            if (operation is IMemberReferenceOperation reference && SymbolEqualityComparer.Default.Equals(reference.Member, member))
            {
                var parent = reference.Parent;
                while (parent is IConversionOperation)
                {
                    parent = parent.Parent;
                }

                if (IsNullCheck(parent))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>The dereference is in a try of the same function whose catch takes the NullReferenceException and keeps it.</summary>
    private static bool Caught(IOperation dereference, ImmutableArray<INamedTypeSymbol> nullReference)
        => !nullReference.IsEmpty && CatchCoverage.IsKeptInFunction(dereference, nullReference);

    private static bool IsDereferenceOf(IOperation parent, IOperation value) => parent switch
    {
        IMemberReferenceOperation member => ReferenceEquals(member.Instance, value) && !member.Member.IsStatic,
        IInvocationOperation call => ReferenceEquals(call.Instance, value) && !call.TargetMethod.IsExtensionMethod,
        IArrayElementReferenceOperation element => ReferenceEquals(element.ArrayReference, value),
        IForEachLoopOperation loop => ReferenceEquals(PathKey.Unwrap(loop.Collection), value),
        _ => false,
    };

    private static bool IsNullCheck(IOperation? parent) => parent switch
    {
        IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals } => true,
        IIsPatternOperation or ICoalesceOperation or IConditionalAccessOperation or ICoalesceAssignmentOperation => true,
        IArgumentOperation { Parent: IInvocationOperation call } => call.TargetMethod.Name == "ThrowIfNull",
        _ => false,
    };
}
