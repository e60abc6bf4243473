using System;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace CheckpointAudit.Knowledge;

/// <summary>
/// How one method body uses a local that holds a disposable object: whether the object is closed on every path out
/// (declared with using, named by a using statement, closed in a finally or a catch), closed only on the path with no
/// exception, or leaves the method (returned, stored, reassigned, captured by a lambda, handed to code that may own
/// it). Built only for locals that hold a new object, so its walk of the body runs for few locals.
/// </summary>
internal readonly struct DisposableLocalUses
{
    private DisposableLocalUses(bool escapes, bool disposedOnEveryPath, IOperation? successPathDisposal)
    {
        Escapes = escapes;
        DisposedOnEveryPath = disposedOnEveryPath;
        SuccessPathDisposal = successPathDisposal;
    }

    /// <summary>Its owner is elsewhere, or it is not known here which object the local holds.</summary>
    public bool Escapes { get; }

    public bool DisposedOnEveryPath { get; }

    /// <summary>The first Dispose/Close outside any finally or catch: reached only when nothing threw before it.</summary>
    public IOperation? SuccessPathDisposal { get; }

    /// <param name="local">The local.</param>
    /// <param name="root">The body it is declared in.</param>
    /// <param name="borrows">Methods (and the parameter) that use an object passed to them and leave its disposal to the caller.</param>
    /// <param name="rollbackCloses">Rollback counts as closing (a transaction).</param>
    public static DisposableLocalUses Of(ILocalSymbol local, IOperation root, Func<IMethodSymbol, IParameterSymbol?, bool> borrows, bool rollbackCloses)
    {
        var declaration = local.DeclaringSyntaxReferences.Length == 1 ? local.DeclaringSyntaxReferences[0].GetSyntax() : null;
        if (declaration is null)
        {
            return new DisposableLocalUses(true, false, null);
        }

        if (declaration.Parent?.Parent is LocalDeclarationStatementSyntax { UsingKeyword.RawKind: not 0 } || declaration.Parent?.Parent is UsingStatementSyntax)
        {
            return new DisposableLocalUses(false, true, null);
        }

        var values = 0;
        IOperation? successPath = null;
        foreach (var operation in root.Descendants())
        {
            if (operation is IVariableDeclaratorOperation declarator && SymbolEqualityComparer.Default.Equals(declarator.Symbol, local)
                && (declarator.Initializer?.Value ?? (declarator.Parent as IVariableDeclarationOperation)?.Initializer?.Value) is { } initial && !OperationTree.IsEmptyValue(initial))
            {
                values++;
                continue;
            }

            if (operation is not ILocalReferenceOperation reference || !SymbolEqualityComparer.Default.Equals(reference.Local, local))
            {
                continue;
            }

            if (IsCapturedAway(reference, declaration) || IsHandedOut(reference))
            {
                return new DisposableLocalUses(true, false, null);
            }

            var use = reference.Parent is IConversionOperation conversion ? conversion : (IOperation)reference;
            switch (use.Parent)
            {
                case ISimpleAssignmentOperation assignment when ReferenceEquals(assignment.Target, use):
                    if (!OperationTree.IsEmptyValue(assignment.Value) && ++values > 1)
                    {
                        return new DisposableLocalUses(true, false, null);
                    }

                    continue;
                case ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property.SetMethod: { } setter } } given when ReferenceEquals(given.Value, use)
                    && borrows(setter, setter.Parameters.Length == 1 ? setter.Parameters[0] : null):
                    // command.Transaction = transaction: the command uses it, the caller still closes it.
                    continue;
                case IUsingOperation:
                    return new DisposableLocalUses(false, true, null);
                case IInvocationOperation call when ReferenceEquals(call.Instance, use):
                    if (IsClose(call.TargetMethod.Name, rollbackCloses) && Record(call, ref successPath))
                    {
                        return new DisposableLocalUses(false, true, null);
                    }

                    continue;
                case IConditionalAccessOperation access when ReferenceEquals(access.Operation, use):
                    if (access.WhenNotNull is IInvocationOperation closed && IsClose(closed.TargetMethod.Name, rollbackCloses) && Record(closed, ref successPath))
                    {
                        return new DisposableLocalUses(false, true, null);
                    }

                    continue;
                case IMemberReferenceOperation member when ReferenceEquals(member.Instance, use):
                case IBinaryOperation:
                case IIsPatternOperation:
                    continue;
                case IArgumentOperation { Parent: IInvocationOperation extension, Parameter.Ordinal: 0 } when extension.TargetMethod.IsExtensionMethod:
                    if (IsClose(extension.TargetMethod.Name, rollbackCloses) && Record(extension, ref successPath))
                    {
                        return new DisposableLocalUses(false, true, null);
                    }

                    continue;
                case IArgumentOperation { Parent: IInvocationOperation call } argument when borrows(call.TargetMethod, argument.Parameter):
                case IArgumentOperation { Parent: IObjectCreationOperation { Constructor: { } constructor } } made when borrows(constructor, made.Parameter):
                    continue;
                default:
                    // Returned, stored, aliased, handed to other code: its owner is elsewhere.
                    return new DisposableLocalUses(true, false, null);
            }
        }

        return new DisposableLocalUses(false, false, successPath);
    }

    private static bool IsClose(string name, bool rollbackCloses)
        => name is "Dispose" or "Close" or "DisposeAsync" or "CloseAsync" || (rollbackCloses && name is "Rollback" or "RollbackAsync");

    /// <summary>True when the close is in a finally or a catch (every error path); otherwise keeps the first success-path close.</summary>
    private static bool Record(IOperation close, ref IOperation? successPath)
    {
        for (IOperation? child = close, parent = close.Parent; parent is not null; child = parent, parent = parent.Parent)
        {
            if (parent is ICatchClauseOperation || (parent is ITryOperation attempt && ReferenceEquals(attempt.Finally, child)))
            {
                return true;
            }

            if (parent is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                break;
            }
        }

        successPath ??= close;
        return false;
    }

    /// <summary>
    /// Part of a disposable the method returns or stores (<c>return c.CreateCommand();</c>, <c>_session = new Session(c);</c>):
    /// what it made from the object outlives the method, and the object with it. A value read from it (a string, a
    /// model) does not.
    /// </summary>
    private static bool IsHandedOut(IOperation reference)
    {
        for (IOperation? child = reference, parent = reference.Parent; parent is not null && parent is not IBlockOperation; child = parent, parent = parent.Parent)
        {
            switch (parent)
            {
                case IReturnOperation:
                    return !ReferenceEquals(child, reference) && IsDisposable(child.Type);
                case ISimpleAssignmentOperation assignment when ReferenceEquals(assignment.Value, child) && !ReferenceEquals(child, reference)
                    && assignment.Target is IFieldReferenceOperation or IPropertyReferenceOperation or IArrayElementReferenceOperation:
                    return IsDisposable(child.Type);
            }
        }

        return false;
    }

    /// <summary>Used inside a lambda or local function declared after the local: it may run after the method returns.</summary>
    private static bool IsCapturedAway(IOperation reference, SyntaxNode declaration)
    {
        for (var parent = reference.Parent; parent is not null; parent = parent.Parent)
        {
            if (parent is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                return !parent.Syntax.Span.Contains(declaration.Span);
            }
        }

        return false;
    }

    private static bool IsDisposable(ITypeSymbol? type)
        => type is not null && (type.SpecialType == SpecialType.System_IDisposable || type.AllInterfaces.Any(i => i.SpecialType == SpecialType.System_IDisposable));

}
