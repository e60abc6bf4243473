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
/// CKPT304: a catch around the parse of a stored file (a known deserializer or the project's own
/// <c>Deserialize…</c> method over one) resets to fresh defaults (returns a new object, an empty collection or
/// default, or assigns one to a member or to a local used after the try, itself or through a method of the same type
/// such as <c>LoadDefault()</c>), falls through to code after a try that returns what it parsed which assigns fresh
/// defaults to a member, or deletes the file, without first moving or copying
/// the bad file aside — and the same file is saved again by code in the same source file (a write whose
/// path comes from the same member or method, or a serialization of the same type). The next save
/// then overwrites the damaged but often recoverable data, and nobody can find out what happened.
/// </summary>
public sealed class CorruptionSwallowedCheck : LoadRuleCheck
{
    public CorruptionSwallowedCheck()
        : base(RuleCatalog.CorruptionSwallowed, OperationKind.Try)
    {
    }

    private protected override void Analyze(OperationAnalysisContext context, LoadSymbols symbols, RuleScope scope)
    {
        var (apis, deserializers) = (symbols.Apis, symbols.Deserializers);
        var tryOperation = (ITryOperation)context.Operation;
        if (tryOperation.Catches.IsEmpty || !scope.Includes(context))
        {
            return;
        }

        foreach (var load in tryOperation.Body.Descendants().OfType<IInvocationOperation>())
        {
            // The project's own Deserialize… methods too: a configuration helper behind IXmlSerializer resets like any other load.
            if ((!deserializers.TryMatch(load, out var input, out var malformed, out _)
                    && ProjectSerializers.Of(context.Compilation)?.TryMatch(load, context.CancellationToken, out input, out malformed, out _) != true)
                || input is null)
            {
                continue;
            }

            var root = OperationTree.Root(load);
            if (SavedState.LoadedPath(load, input, root, apis) is not { } path)
            {
                continue;
            }

            var pathKey = PathKey.From(path, apis);
            foreach (var clause in tryOperation.Catches)
            {
                if (!CatchCoverage.Handles(clause, malformed) || Preserves(clause, pathKey, apis))
                {
                    continue;
                }

                var (reset, action, savedByCaller) = Reset(clause, tryOperation, root, pathKey, apis);
                if (reset is null || !savedByCaller && !SavedState.IsSavedAgain(load, path, root, apis))
                {
                    continue;
                }

                var statement = reset.Parent is IExpressionStatementOperation expressionStatement ? expressionStatement : reset;
                // A reset after the try is reported on the catch that lets it run (a finding stays inside what the action analyzed).
                var location = tryOperation.Syntax.Span.Contains(statement.Syntax.Span) ? statement.Syntax.GetLocation() : CatchHeader(clause);
                // The path rides along for the fix, which moves the file aside at the start of the catch.
                context.ReportDiagnostic(Diagnostic.Create(
                    Rule.Descriptor,
                    location,
                    ImmutableArray.Create(path.Syntax.GetLocation(), clause.Handler.Syntax.GetLocation()),
                    null,
                    path.Syntax.ToString(),
                    action));
                return;
            }
        }
    }

    /// <summary>A move, copy or replace of the loaded file inside the catch (any such call when the path is not known).</summary>
    private static bool Preserves(ICatchClauseOperation clause, PathKey path, FileApiSymbols apis)
    {
        foreach (var call in clause.Handler.Descendants().OfType<IInvocationOperation>())
        {
            if (FilePromotion.TryGetSource(call, apis, out var source) && PathKey.From(source, apis).Equals(path))
            {
                return true;
            }

            // A helper of the project's own (Quarantine(path), Backup(path)) given the path: trust it.
            if (call.TargetMethod.ContainingAssembly is { } assembly
                && SymbolEqualityComparer.Default.Equals(assembly, call.SemanticModel?.Compilation.Assembly)
                && call.Arguments.Any(a => PathKey.From(a.Value, apis).Equals(path)))
            {
                return true;
            }

            // A helper of the same object that moves or copies the file its field names (PreserveUnreadable()).
            if (path.IsMember && call.SemanticModel is { } model && SameTypeHelper(call, clause) is { } type
                && SourceBodies.Of(call.TargetMethod, model.Compilation, default).Any(b => MovesAside(b.Body, path, apis, model.Compilation, type, depth: 1)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The statement that throws the data away: a return or member assignment of fresh defaults, an assignment of
    /// fresh defaults to a local the method goes on to use after the try (returns it, saves it), or a delete of the file.
    /// </summary>
    /// <remarks>SavedByCaller: the reset reaches a member the type is seen saving (the caller's <c>?? new T()</c>).</remarks>
    private static (IOperation? Reset, string Action, bool SavedByCaller) Reset(ICatchClauseOperation clause, ITryOperation tryOperation, IOperation root, PathKey path, FileApiSymbols apis)
    {
        foreach (var operation in clause.Handler.Descendants())
        {
            switch (operation)
            {
                case IReturnOperation { ReturnedValue: { } returned } when IsFresh(returned):
                    return (operation, "returns fresh defaults", false);
                case ISimpleAssignmentOperation { Target: IFieldReferenceOperation or IPropertyReferenceOperation } assignment when IsFresh(assignment.Value):
                    return (operation, "resets '" + assignment.Target.Syntax + "' to fresh defaults", false);
                case ISimpleAssignmentOperation { Target: ILocalReferenceOperation local } assignment when IsFresh(assignment.Value) && IsUsedAfter(local.Local, tryOperation, root):
                    return (operation, "resets '" + local.Syntax + "' to fresh defaults", false);
                case IInvocationOperation { TargetMethod.Name: "Delete" } delete when apis.Is(delete.TargetMethod.ContainingType, apis.File)
                    && delete.Arguments.Length > 0 && PathKey.From(delete.Arguments[0].Value, apis).Equals(path):
                    return (operation, "deletes it", false);
                case IInvocationOperation helper when ResetBy(helper, clause, path, apis) is { } member:
                    return (operation, $"resets '{member}' to fresh defaults in '{helper.TargetMethod.Name}()'", false);
                case IReturnOperation returnsNull when DefaultsForFailedLoad.ResetMember(returnsNull, IsFresh) is { } reset:
                    return (operation, $"returns null, and its caller resets '{reset.Name}' to fresh defaults that this type saves", true);
            }
        }

        // A catch that only logs, after a try that returns what it parsed: the code after the try is the failure path
        // (_items = Array.Empty<T>() below a try that returns).
        if (FallsThrough(clause.Handler) && EndsInReturn(tryOperation.Body) && NextStatement(tryOperation) is IAssignmentOperation
            { Target: IFieldReferenceOperation or IPropertyReferenceOperation } after and (ISimpleAssignmentOperation or ICoalesceAssignmentOperation)
            && IsFresh(after.Value))
        {
            return (after, "lets the code after it reset '" + after.Target.Syntax + "' to fresh defaults", false);
        }

        return (null, string.Empty, false);
    }

    /// <summary><c>catch (JsonException ex)</c>: the clause without its block.</summary>
    private static Location CatchHeader(ICatchClauseOperation clause)
        => clause.Syntax is Microsoft.CodeAnalysis.CSharp.Syntax.CatchClauseSyntax syntax
            ? Location.Create(syntax.SyntaxTree, Microsoft.CodeAnalysis.Text.TextSpan.FromBounds(syntax.CatchKeyword.SpanStart, ((SyntaxNode?)syntax.Filter ?? syntax.Declaration)?.Span.End ?? syntax.CatchKeyword.Span.End))
            : clause.Syntax.GetLocation();

    /// <summary>The handler's end is reachable: it neither returns, throws nor rethrows at its last statement.</summary>
    private static bool FallsThrough(IBlockOperation handler)
        => handler.Operations.LastOrDefault() is not (IReturnOperation or IThrowOperation or IExpressionStatementOperation { Operation: IThrowOperation } or IBranchOperation);

    private static bool EndsInReturn(IBlockOperation body) => body.Operations.LastOrDefault() is IReturnOperation;

    /// <summary>
    /// The operation of the statement that runs after the try when the catch falls through: the next statement of its
    /// block or, when the try ends that block and the block is an if's branch, the statement after the if.
    /// </summary>
    private static IOperation? NextStatement(ITryOperation tryOperation)
    {
        IOperation statement = tryOperation;
        for (var level = 0; level < 2; level++)
        {
            if (statement.Parent is not IBlockOperation block)
            {
                return null;
            }

            var index = block.Operations.IndexOf(statement);
            if (index >= 0 && index < block.Operations.Length - 1)
            {
                var next = block.Operations[index + 1];
                return next is IExpressionStatementOperation expression ? expression.Operation : next;
            }

            if (block.Parent is not IConditionalOperation conditional || conditional.WhenTrue != block)
            {
                return null;
            }

            statement = conditional;
        }

        return null;
    }

    /// <summary>
    /// A method of the same type called from the catch (<c>LoadDefault()</c>) that assigns fresh defaults to a member:
    /// the member it resets, or null. One call deep. A helper that first copies or moves the file aside
    /// (<c>BackupOriginFile()</c>, itself or in a method of the same type it calls) keeps the data.
    /// </summary>
    private static string? ResetBy(IInvocationOperation helper, ICatchClauseOperation clause, PathKey path, FileApiSymbols apis)
    {
        if (helper.SemanticModel is not { } model || SameTypeHelper(helper, clause) is not { } type)
        {
            return null;
        }

        string? reset = null;
        foreach (var (_, body) in SourceBodies.Of(helper.TargetMethod, model.Compilation, default))
        {
            if (MovesAside(body, path, apis, model.Compilation, type, depth: 0))
            {
                return null;
            }

            reset ??= body.Descendants().OfType<ISimpleAssignmentOperation>()
                .FirstOrDefault(a => a.Target is IFieldReferenceOperation or IPropertyReferenceOperation && IsFresh(a.Value))?.Target.Syntax.ToString();
        }

        return reset;
    }

    /// <summary>The type holding the catch, when <paramref name="call"/> runs a project method of that same type.</summary>
    private static INamedTypeSymbol? SameTypeHelper(IInvocationOperation call, ICatchClauseOperation clause)
        => MethodSummaries.IsProjectMethod(call.TargetMethod) && call.TargetMethod.ContainingType is { } type
            && SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, clause.SemanticModel?.GetEnclosingSymbol(clause.Syntax.SpanStart)?.ContainingType?.OriginalDefinition)
                ? type
                : null;

    /// <summary>The body moves or copies the file aside, itself or (at depth 0) in a method of the same type it calls.</summary>
    private static bool MovesAside(IOperation body, PathKey path, FileApiSymbols apis, Compilation compilation, INamedTypeSymbol type, int depth)
    {
        foreach (var call in body.Descendants().OfType<IInvocationOperation>())
        {
            if (FilePromotion.TryGetSource(call, apis, out var source) && PathKey.From(source, apis).Equals(path))
            {
                return true;
            }

            if (depth == 0 && MethodSummaries.IsProjectMethod(call.TargetMethod)
                && SymbolEqualityComparer.Default.Equals(call.TargetMethod.ContainingType?.OriginalDefinition, type.OriginalDefinition)
                && SourceBodies.Of(call.TargetMethod, compilation, default).Any(b => MovesAside(b.Body, path, apis, compilation, type, depth + 1)))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsUsedAfter(ILocalSymbol local, ITryOperation tryOperation, IOperation root)
    {
        var end = tryOperation.Syntax.Span.End;
        return root.Descendants().Any(o => o is ILocalReferenceOperation reference && reference.Syntax.SpanStart >= end
            && SymbolEqualityComparer.Default.Equals(reference.Local, local));
    }

    private static bool IsFresh(IOperation value)
    {
        value = PathKey.Unwrap(value)!;
        return value switch
        {
            IObjectCreationOperation or ITypeParameterObjectCreationOperation or IArrayCreationOperation => true,
            IDefaultValueOperation => true,
            { Kind: OperationKind.CollectionExpression } => true,
            IInvocationOperation { TargetMethod.Name: "Empty", TargetMethod.ContainingType.Name: "Array" or "Enumerable" } => true,
            IInvocationOperation { TargetMethod.Name: "CreateInstance", TargetMethod.ContainingType.Name: "Activator" } => true,
            // JsonConvert.DeserializeObject<T>("{}"): defaults parsed from a constant.
            IInvocationOperation { Arguments.Length: > 0 } parse when parse.TargetMethod.Name.StartsWith("Deserialize", System.StringComparison.Ordinal)
                && PathKey.Unwrap(parse.Arguments[0].Value)?.ConstantValue is { HasValue: true, Value: string } => true,
            _ => false,
        };
    }
}
