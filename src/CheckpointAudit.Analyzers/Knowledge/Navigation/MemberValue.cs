using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace CheckpointAudit.Knowledge;

/// <summary>
/// The one value a source field or property stands for: a read-only field's initializer, a get-only (or init)
/// auto-property's initializer, or what its getter returns when the getter is a single expression (<c>string HostsFilePath =&gt; Path.Combine(…)</c>,
/// <c>get { return Path.Combine(…); }</c>). Null when the member is set elsewhere or computed in several steps.
/// </summary>
internal static class MemberValue
{
    /// <summary>
    /// One step through what a value stands for: the one value a local is given (in <paramref name="root"/>), the one value
    /// of a source field or property (in its own body; see <see cref="Of"/>), or what <c>?.</c> reads. Null when there
    /// is no such step or the symbol was passed already.
    /// </summary>
    public static (IOperation Value, IOperation Root)? Step(IOperation value, IOperation root, Compilation compilation, HashSet<ISymbol> visited)
    {
        switch (value)
        {
            case ILocalReferenceOperation local when visited.Add(local.Local) && OperationTree.StoredValue(local.Local, root) is { } declared:
                return (declared, root);
            case IMemberReferenceOperation { Member: IPropertySymbol or IFieldSymbol } member when visited.Add(member.Member) && Of(member.Member, compilation) is { } held:
                return (held, OperationTree.Root(held));
            case IConditionalAccessOperation access:
                return (access.WhenNotNull, root);
            default:
                return null;
        }
    }

    public static IOperation? Of(ISymbol member, Compilation compilation)
    {
        // A field or an auto-property that code may set again holds more than its initializer.
        if (member is IFieldSymbol field)
        {
            return field.IsReadOnly || field.IsConst ? OperationTree.FieldInitializer(field, compilation) : null;
        }

        if (member is not IPropertySymbol property || property.DeclaringSyntaxReferences.Length != 1
            || property.DeclaringSyntaxReferences[0].GetSyntax() is not PropertyDeclarationSyntax declaration)
        {
            return null;
        }

        var get = declaration.AccessorList?.Accessors.FirstOrDefault(a => a.Keyword.ValueText == "get");
        var value = declaration.ExpressionBody?.Expression ?? get?.ExpressionBody?.Expression
            ?? (get?.Body is { Statements.Count: 1 } body && body.Statements[0] is ReturnStatementSyntax { Expression: { } returned } ? returned : null)
            ?? (get is { Body: null, ExpressionBody: null } && property.SetMethod is null or { IsInitOnly: true } ? declaration.Initializer?.Value : null);
        // Environment.ProcessPath!: the operand is the value (the suppression has no operation of its own).
        while (value is PostfixUnaryExpressionSyntax { RawKind: (int)Microsoft.CodeAnalysis.CSharp.SyntaxKind.SuppressNullableWarningExpression } suppressed)
        {
            value = suppressed.Operand;
        }

#pragma warning disable RS1030 // Bound only for a member a finding's path already reads, once per question.
        return value is null ? null : DeclaringCompilation.Of(value.SyntaxTree, compilation)?.GetSemanticModel(value.SyntaxTree).GetOperation(value);
#pragma warning restore RS1030
    }
}
