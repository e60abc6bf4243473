using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace CheckpointAudit.Knowledge;

/// <summary>Small walks over the operation tree of one member body.</summary>
internal static class OperationTree
{
    /// <summary>
    /// Inside a lambda converted to an expression tree (a mock's setup, a query provider's predicate): the code is
    /// built as data, which a provider translates or a caller may compile; it does not run where it is written.
    /// </summary>
    public static bool InExpressionTree(IOperation operation)
    {
        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            // Roslyn converts a lambda to Expression<T> (or, from C# 10, to Expression or LambdaExpression) with a conversion.
            if (current is IAnonymousFunctionOperation && current.Parent is IConversionOperation { Type: INamedTypeSymbol { Name: "Expression" or "LambdaExpression" } type }
                && SymbolNames.IsNamespace(type.ContainingNamespace, "System.Linq.Expressions"))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The outermost operation of the body (method, lambda's container, initializer).</summary>
    public static IOperation Root(IOperation operation)
    {
        while (operation.Parent is not null)
        {
            operation = operation.Parent;
        }

        return operation;
    }

    /// <summary>The collection a <c>foreach</c> in <paramref name="root"/> walks with <paramref name="local"/> as its variable, or null.</summary>
    public static IOperation? IteratedCollection(ILocalSymbol local, IOperation root)
    {
        // A foreach variable is declared by the loop statement itself: a look-up, where a walk of the body was.
        var references = local.DeclaringSyntaxReferences;
        if (references.Length == 1 && references[0].SyntaxTree == root.Syntax.SyntaxTree && root.Syntax.Span.Contains(references[0].Span))
        {
            return root.SemanticModel?.GetOperation(references[0].GetSyntax()) is IForEachLoopOperation declaring
                && declaring.Locals.Contains(local, SymbolEqualityComparer.Default)
                ? declaring.Collection
                : null;
        }

        foreach (var operation in root.Descendants())
        {
            if (operation is IForEachLoopOperation loop && loop.Locals.Contains(local, SymbolEqualityComparer.Default))
            {
                return loop.Collection;
            }
        }

        return null;
    }

    /// <summary>
    /// The value a local was declared with, when it is declared in this body with an
    /// initializer. Later assignments are not followed: callers use this for facts that
    /// only make a rule quieter, never louder.
    /// </summary>
    public static IOperation? DeclaredValue(ILocalSymbol local, IOperation root)
    {
        // The declarator found from the local's own syntax: the semantic model keeps the operations of the body it
        // has bound, so this is a look-up where a walk of the body was (asked for each local a path or value is traced through).
        var references = local.DeclaringSyntaxReferences;
        if (references.Length == 1 && references[0] is var reference && reference.SyntaxTree == root.Syntax.SyntaxTree)
        {
            if (!root.Syntax.Span.Contains(reference.Span))
            {
                return null;
            }

            if (root.SemanticModel?.GetOperation(reference.GetSyntax()) is IVariableDeclaratorOperation found
                && SymbolEqualityComparer.Default.Equals(found.Symbol, local))
            {
                return found.Initializer?.Value ?? (found.Parent as IVariableDeclarationOperation)?.Initializer?.Value;
            }
        }

        foreach (var descendant in root.DescendantsAndSelf())
        {
            if (descendant is IVariableDeclaratorOperation declarator
                && SymbolEqualityComparer.Default.Equals(declarator.Symbol, local))
            {
                return declarator.Initializer?.Value ?? (declarator.Parent as IVariableDeclarationOperation)?.Initializer?.Value;
            }
        }

        return null;
    }

    /// <summary>
    /// The value a local holds when it is declared empty (no initializer, <c>null</c> or <c>default</c>) and
    /// assigned one value later in the body (<c>byte[] bytes = null; try { bytes = File.ReadAllBytes(p); … }</c>);
    /// otherwise its declared value. Null when it is assigned more than one value.
    /// </summary>
    public static IOperation? StoredValue(ILocalSymbol local, IOperation root)
    {
        var declared = DeclaredValue(local, root);
        if (declared is not null && !IsEmptyValue(declared))
        {
            return declared;
        }

        IOperation? assigned = null;
        foreach (var assignment in AssignmentsTo(local, root))
        {
            if (!IsEmptyValue(assignment.Value))
            {
                if (assigned is not null)
                {
                    return null;
                }

                assigned = assignment.Value;
            }
        }

        return assigned ?? declared;
    }

    /// <summary>
    /// The assignments (<c>local = value</c>) to <paramref name="local"/> in <paramref name="root"/>, in the order of a
    /// walk of the body. The body is walked once and its assignments kept by local: tracing a value through locals
    /// asks this for every local on the way, for every write, load and parse of the body.
    /// </summary>
    public static IReadOnlyList<ISimpleAssignmentOperation> AssignmentsTo(ILocalSymbol local, IOperation root)
        => LocalAssignments.GetValue(root, IndexAssignments).TryGetValue(local, out var found) ? found : [];

    private static readonly ConditionalWeakTable<IOperation, Dictionary<ILocalSymbol, List<ISimpleAssignmentOperation>>> LocalAssignments = new();

    private static Dictionary<ILocalSymbol, List<ISimpleAssignmentOperation>> IndexAssignments(IOperation root)
    {
        var byLocal = new Dictionary<ILocalSymbol, List<ISimpleAssignmentOperation>>(SymbolEqualityComparer.Default);
        foreach (var descendant in root.Descendants())
        {
            if (descendant is ISimpleAssignmentOperation { Target: ILocalReferenceOperation target } assignment)
            {
                if (!byLocal.TryGetValue(target.Local, out var list))
                {
                    byLocal[target.Local] = list = [];
                }

                list.Add(assignment);
            }
        }

        return byLocal;
    }

    /// <summary>
    /// The statements that run before <paramref name="operation"/> in each block around it, nearest first, up to the
    /// function it is in; none past a loop around it (a repeated statement also runs after what precedes it).
    /// </summary>
    public static IEnumerable<IOperation> EarlierStatements(IOperation operation)
    {
        for (IOperation? child = operation, parent = operation.Parent; parent is not null; child = parent, parent = parent.Parent)
        {
            if (parent is IAnonymousFunctionOperation or ILocalFunctionOperation or ILoopOperation)
            {
                yield break;
            }

            if (parent is IBlockOperation block)
            {
                for (var i = block.Operations.IndexOf(child) - 1; i >= 0; i--)
                {
                    yield return block.Operations[i];
                }
            }
        }
    }

    /// <summary>The operation of a field's initializer, when it has one in source.</summary>
    public static IOperation? FieldInitializer(IFieldSymbol field, Compilation compilation)
    {
        foreach (var reference in field.DeclaringSyntaxReferences)
        {
            // The field may be declared in a referenced project: bound with the compilation that holds its tree.
            if (reference.GetSyntax() is Microsoft.CodeAnalysis.CSharp.Syntax.VariableDeclaratorSyntax { Initializer.Value: { } initializer })
            {
                // = Environment.ProcessPath!: the operand is the value (the suppression has no operation of its own).
                while (initializer is Microsoft.CodeAnalysis.CSharp.Syntax.PostfixUnaryExpressionSyntax { RawKind: (int)Microsoft.CodeAnalysis.CSharp.SyntaxKind.SuppressNullableWarningExpression } suppressed)
                {
                    initializer = suppressed.Operand;
                }

#pragma warning disable RS1030 // A field a finding's path reads, bound once per question.
                return DeclaringCompilation.Of(initializer.SyntaxTree, compilation)?.GetSemanticModel(initializer.SyntaxTree).GetOperation(initializer);
#pragma warning restore RS1030
            }
        }

        return null;
    }

    /// <summary>How many rounds of "a local built from a local that carries the value" <see cref="LocalsBuiltFrom"/> follows.</summary>
    private const int MaxCarryRounds = 4;

    /// <summary>
    /// <paramref name="local"/> and every local of <paramref name="root"/> whose value is built from it (<c>var args =
    /// $"-i {list}"</c>, <c>hex = Convert.ToHexString(hash)</c>), through a few rounds of declarations and assignments.
    /// </summary>
    public static HashSet<ILocalSymbol> LocalsBuiltFrom(ILocalSymbol local, IOperation root)
    {
        var values = new List<(ILocalSymbol Local, IOperation Value)>();
        foreach (var operation in root.Descendants())
        {
            switch (operation)
            {
                case IVariableDeclaratorOperation { Initializer.Value: { } initial } declarator:
                    values.Add((declarator.Symbol, initial));
                    break;
                case IAssignmentOperation { Target: ILocalReferenceOperation assigned } assignment:
                    values.Add((assigned.Local, assignment.Value));
                    break;
            }
        }

        var carrying = new HashSet<ILocalSymbol>(SymbolEqualityComparer.Default) { local };
        for (var round = 0; round < MaxCarryRounds; round++)
        {
            var grew = false;
            foreach (var (target, value) in values)
            {
                if (!carrying.Contains(target) && value.DescendantsAndSelf().Any(o => o is ILocalReferenceOperation reference && carrying.Contains(reference.Local)))
                {
                    grew |= carrying.Add(target);
                }
            }

            if (!grew)
            {
                break;
            }
        }

        return carrying;
    }

    /// <summary>No value: <c>null</c> or <c>default</c>.</summary>
    public static bool IsEmptyValue(IOperation value)
        => value is IDefaultValueOperation || (value is IConversionOperation { Operand: var operand } ? operand : value).ConstantValue is { HasValue: true, Value: null };

    /// <summary>The argument bound to the parameter at <paramref name="ordinal"/>, if any.</summary>
    public static IOperation? ArgumentFor(System.Collections.Immutable.ImmutableArray<IArgumentOperation> arguments, int ordinal)
    {
        foreach (var argument in arguments)
        {
            if (argument.Parameter?.Ordinal == ordinal)
            {
                return argument.Value;
            }
        }

        return null;
    }

    /// <summary>Whether <paramref name="a"/> comes before <paramref name="b"/> by file path, then position: a choice that does not depend on the order callbacks ran.</summary>
    public static bool InSourceOrder(IOperation a, IOperation b)
    {
        var byFile = string.CompareOrdinal(a.Syntax.SyntaxTree.FilePath, b.Syntax.SyntaxTree.FilePath);
        return byFile < 0 || byFile == 0 && a.Syntax.SpanStart < b.Syntax.SpanStart;
    }

    /// <summary>The member a symbol is in, past the lambdas and local functions around it (the method a finding names).</summary>
    public static ISymbol? MemberOf(ISymbol? symbol)
    {
        while (symbol is IMethodSymbol { MethodKind: MethodKind.AnonymousFunction or MethodKind.LocalFunction })
        {
            symbol = symbol.ContainingSymbol;
        }

        return symbol;
    }

    /// <summary>The body of the lambda or local function the operation is in, else of its member (not the member around a lambda).</summary>
    public static IOperation FunctionBody(IOperation operation)
    {
        for (var parent = operation.Parent; parent is not null; parent = parent.Parent)
        {
            switch (parent)
            {
                case IAnonymousFunctionOperation lambda:
                    return lambda.Body;
                case ILocalFunctionOperation { Body: { } body }:
                    return body;
            }
        }

        return Root(operation);
    }

    /// <summary>"Type.Member" holding the operation, seen through lambdas and local functions; null when unknown.</summary>
    public static string? MemberName(IOperation operation)
    {
        var symbol = operation.SemanticModel?.GetEnclosingSymbol(operation.Syntax.SpanStart);
        while (symbol is IMethodSymbol { MethodKind: MethodKind.AnonymousFunction or MethodKind.LocalFunction })
        {
            symbol = symbol.ContainingSymbol;
        }

        return symbol switch
        {
            IMethodSymbol { Name: WellKnownMemberNames.TopLevelStatementsEntryPointMethodName } => "the program's top-level code",
            IMethodSymbol or IPropertySymbol when symbol.ContainingType is { } type => type.Name + "." + symbol.Name,
            _ => null,
        };
    }

    /// <summary>The lambda or local function the operation is in, or null when it is directly in the member body.</summary>
    public static IMethodSymbol? InnermostFunction(IOperation operation)
    {
        for (var parent = operation.Parent; parent is not null; parent = parent.Parent)
        {
            switch (parent)
            {
                case IAnonymousFunctionOperation lambda:
                    return lambda.Symbol;
                case ILocalFunctionOperation localFunction:
                    return localFunction.Symbol;
            }
        }

        return null;
    }

    /// <summary>Whether the value (through conversions and arguments) is a read of <paramref name="local"/>.</summary>
    public static bool ReadsLocal(IOperation? value, ILocalSymbol local)
        => PathKey.Unwrap(value) is ILocalReferenceOperation reference && SymbolEqualityComparer.Default.Equals(reference.Local, local);

    /// <summary>The local a value is declared into or assigned to (<c>var x = value;</c>, <c>x = value;</c>), through conversions.</summary>
    public static ILocalSymbol? LocalHolding(IOperation value)
    {
        var parent = value.Parent;
        while (parent is IConversionOperation)
        {
            parent = parent.Parent;
        }

        return parent switch
        {
            IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator } => declarator.Symbol,
            ISimpleAssignmentOperation { Target: ILocalReferenceOperation target } => target.Local,
            _ => null,
        };
    }
}
