using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CheckpointAudit.CodeFixes.Corruption;

/// <summary>
/// The value a load already falls back to when there is nothing to read, for CKPT302's "Use the existing
/// fallback": in the same function, the other branch of a conditional around the parse, a value assigned
/// to the variable or member the result is stored in, or a value returned — when it is a fresh default
/// (new T(...) with constant arguments and initializers) or a static member of the type. A fallback that
/// runs code (a call) is not repeated.
/// </summary>
internal static class ExistingFallback
{
    public static ExpressionSyntax? Find(ExpressionSyntax value, SemanticModel model, CancellationToken cancellationToken)
    {
        if (model.GetTypeInfo(value, cancellationToken).Type is not { } type || type is IErrorTypeSymbol)
        {
            return null;
        }

        var function = value.Ancestors().FirstOrDefault(a => a is BaseMethodDeclarationSyntax or LocalFunctionStatementSyntax
            or AnonymousFunctionExpressionSyntax or AccessorDeclarationSyntax);
        if (function is null)
        {
            return null;
        }

        // A conditional around the parse: File.Exists(path) ? Parse(...) : new Settings().
        var outer = value;
        while (outer.Parent is ParenthesizedExpressionSyntax parenthesized)
        {
            outer = parenthesized;
        }

        if (outer.Parent is ConditionalExpressionSyntax conditional && IsFallback(conditional.WhenTrue == outer ? conditional.WhenFalse : conditional.WhenTrue, type, model, cancellationToken) is { } branch)
        {
            return branch;
        }

        var storedIn = StoredIn(outer, model, cancellationToken);
        foreach (var node in function.DescendantNodes(n => n == function || !(n is LocalFunctionStatementSyntax or AnonymousFunctionExpressionSyntax)))
        {
            var candidate = node switch
            {
                ReturnStatementSyntax { Expression: { } returned } when storedIn is null || IsReturnOf(outer) || ReturnsStored(returned, storedIn, model, cancellationToken) is false => returned,
                ArrowExpressionClauseSyntax { Expression: { } body } when node.Parent == function => body,
                AssignmentExpressionSyntax { RawKind: (int)SyntaxKind.SimpleAssignmentExpression } assignment when storedIn is not null
                    && SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(assignment.Left, cancellationToken).Symbol, storedIn) => assignment.Right,
                VariableDeclaratorSyntax { Initializer.Value: { } initial } declarator when storedIn is not null
                    && SymbolEqualityComparer.Default.Equals(model.GetDeclaredSymbol(declarator, cancellationToken), storedIn) => initial,
                _ => null,
            };
            if (candidate is not null && !candidate.Span.Contains(value.Span) && IsFallback(candidate, type, model, cancellationToken) is { } fallback)
            {
                return fallback;
            }
        }

        return null;
    }

    private static bool IsReturnOf(ExpressionSyntax outer) => outer.Parent is ReturnStatementSyntax or ArrowExpressionClauseSyntax;

    /// <summary>Whether a returned expression is the stored variable (then it is not a fallback), or null when unknown.</summary>
    private static bool? ReturnsStored(ExpressionSyntax returned, ISymbol storedIn, SemanticModel model, CancellationToken cancellationToken)
        => SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(returned, cancellationToken).Symbol, storedIn);

    /// <summary>The local, field or property the parse result goes into.</summary>
    private static ISymbol? StoredIn(ExpressionSyntax outer, SemanticModel model, CancellationToken cancellationToken) => outer.Parent switch
    {
        EqualsValueClauseSyntax { Parent: VariableDeclaratorSyntax declarator } => model.GetDeclaredSymbol(declarator, cancellationToken),
        AssignmentExpressionSyntax assignment when assignment.Right == outer => model.GetSymbolInfo(assignment.Left, cancellationToken).Symbol,
        _ => null,
    };

    /// <summary>The fallback as it can be written after "??" (target-typed new() spelled out), or null when it is not a plain default.</summary>
    private static ExpressionSyntax? IsFallback(ExpressionSyntax candidate, ITypeSymbol type, SemanticModel model, CancellationToken cancellationToken)
    {
        var candidateType = model.GetTypeInfo(candidate, cancellationToken).Type;
        if (candidateType is null or IErrorTypeSymbol
            || !model.Compilation.ClassifyConversion(candidateType, type).IsImplicit
            || candidate.IsKind(SyntaxKind.NullLiteralExpression) || candidate.IsKind(SyntaxKind.DefaultLiteralExpression) || candidate is DefaultExpressionSyntax)
        {
            return null;
        }

        switch (candidate)
        {
            case ObjectCreationExpressionSyntax or ImplicitObjectCreationExpressionSyntax when IsConstantConstruction(candidate, model, cancellationToken):
                return candidate is ImplicitObjectCreationExpressionSyntax implicitCreation
                    ? SyntaxFactory.ObjectCreationExpression(
                        SyntaxFactory.ParseTypeName(candidateType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat)).WithAdditionalAnnotations(Microsoft.CodeAnalysis.Simplification.Simplifier.Annotation),
                        implicitCreation.ArgumentList,
                        implicitCreation.Initializer).WithoutTrivia()
                    : candidate.WithoutTrivia();
            case IdentifierNameSyntax or MemberAccessExpressionSyntax
                when model.GetSymbolInfo(candidate, cancellationToken).Symbol is IFieldSymbol { IsStatic: true } or IPropertySymbol { IsStatic: true }:
                return candidate.WithoutTrivia();
            default:
                return null;
        }
    }

    /// <summary>new T(...) { ... } whose arguments and initializers are constants or nested constant constructions.</summary>
    private static bool IsConstantConstruction(ExpressionSyntax creation, SemanticModel model, CancellationToken cancellationToken)
    {
        foreach (var node in creation.DescendantNodes())
        {
            switch (node)
            {
                case InvocationExpressionSyntax or AwaitExpressionSyntax or AnonymousFunctionExpressionSyntax:
                    return false;
                case IdentifierNameSyntax name when !(name.Parent is AssignmentExpressionSyntax { Parent: InitializerExpressionSyntax } target && target.Left == name):
                    // Constants, enum members, types and static members are the same every time; locals and instance state are not.
                    var symbol = model.GetSymbolInfo(name, cancellationToken).Symbol;
                    if (symbol is ILocalSymbol or IParameterSymbol or IFieldSymbol { IsConst: false, IsStatic: false } or IPropertySymbol { IsStatic: false })
                    {
                        return false;
                    }

                    break;
            }
        }

        return true;
    }
}
