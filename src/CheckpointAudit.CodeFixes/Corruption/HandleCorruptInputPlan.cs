using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using CheckpointAudit.CodeFixes.Atomicity;
using CheckpointAudit.Helpers;
using CheckpointAudit.Knowledge;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Simplification;

namespace CheckpointAudit.CodeFixes.Corruption;

/// <summary>
/// CKPT301's second fix, "Handle corrupt input": the statement that parses the stored file is wrapped in
/// a try whose catch handles exactly the parser's malformed-input exceptions, moves the file aside and
/// throws CorruptCheckpointException (CheckpointFile.QuarantineCorrupt). The parse itself is untouched —
/// same serializer, same stream or async call — so it also fits loads the checksummed Load cannot take.
/// Offered when the parsed file's path is known (File.ReadAllText/OpenRead/new FileStream/StreamReader of
/// a path, XDocument.Load(path)), reads only what is in scope before the statement, and is cheap to
/// evaluate again; for local declarations, return and expression statements in a block, and for
/// expression-bodied methods and local functions.
/// </summary>
internal sealed class HandleCorruptInputPlan
{
    private static readonly string[] ExceptionNames = { "ex", "parseError", "corruptInput" };

    private static readonly SymbolDisplayFormat TypeFormat = SymbolDisplayFormat.FullyQualifiedFormat
        .AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    private HandleCorruptInputPlan(SyntaxNode original, SyntaxNode replacement)
    {
        Original = original;
        Replacement = replacement;
    }

    /// <summary>The statement, or the expression-bodied member, that gets the try.</summary>
    public SyntaxNode Original { get; }

    /// <summary>A block (statements in place of the statement) or the member with a block body.</summary>
    public SyntaxNode Replacement { get; }

    public static HandleCorruptInputPlan? Create(InvocationExpressionSyntax parse, SemanticModel model, CancellationToken cancellationToken)
    {
        if (model.GetOperation(parse, cancellationToken) is not IInvocationOperation operation
            || Deserializers.Create(model.Compilation) is not { } deserializers
            || !deserializers.TryMatch(operation, out var input, out var malformed, out _)
            || input is null || malformed.IsDefaultOrEmpty
            || FileApiSymbols.Create(model.Compilation) is not { } apis
            || SavedState.LoadedPath(operation, input, OperationTree.Root(operation), apis)?.Syntax is not ExpressionSyntax path
            || !IsCheapToRepeat(path, model, cancellationToken))
        {
            return null;
        }

        if (CheckpointFileCalls.VisibleHelper(model.Compilation) is not { } helper
            || helper.GetMembers("QuarantineCorrupt").IsEmpty)
        {
            return null;
        }

        var statement = parse.FirstAncestorOrSelf<StatementSyntax>();
        if (statement is not null && statement.Parent is BlockSyntax && IsWrappable(statement, parse)
            && InScope(path, statement.SpanStart, model, cancellationToken)
            && FreeName(statement, model) is { } exceptionName)
        {
            var catchClause = CatchClause(malformed, path, exceptionName);
            return statement is LocalDeclarationStatementSyntax declaration
                ? ForDeclaration(declaration, catchClause, model, cancellationToken)
                : new HandleCorruptInputPlan(statement, Block(SyntaxFactory.TryStatement(Block(statement.WithoutLeadingTrivia()), SyntaxFactory.SingletonList(catchClause), null)
                    .WithLeadingTrivia(statement.GetLeadingTrivia())));
        }

        if (parse.FirstAncestorOrSelf<ArrowExpressionClauseSyntax>() is { Parent: MethodDeclarationSyntax or LocalFunctionStatementSyntax } arrow
            && !parse.Ancestors().TakeWhile(a => a != arrow).Any(a => a is AnonymousFunctionExpressionSyntax)
            && model.GetDeclaredSymbol(arrow.Parent, cancellationToken) is IMethodSymbol method
            && InScope(path, arrow.Expression.SpanStart, model, cancellationToken)
            && FreeName(arrow.Expression, model) is { } name)
        {
            return ForExpressionBody(arrow, method, CatchClause(malformed, path, name));
        }

        return null;
    }

    /// <summary>Statements whose every part may sit in a try: no using/const declarations, no other statements nested inside.</summary>
    private static bool IsWrappable(StatementSyntax statement, InvocationExpressionSyntax parse) => statement switch
    {
        LocalDeclarationStatementSyntax { UsingKeyword.RawKind: 0, IsConst: false, Declaration.Variables.Count: 1 } declaration
            => declaration.Declaration.Variables[0].Initializer?.Value.Span.Contains(parse.Span) == true
                && declaration.Declaration.Type is not RefTypeSyntax,
        ExpressionStatementSyntax or ReturnStatementSyntax => true,
        _ => false,
    };

    /// <summary>"T x = Parse(...);" becomes "T x; try { x = Parse(...); } catch ...": x stays visible after the try.</summary>
    private static HandleCorruptInputPlan? ForDeclaration(LocalDeclarationStatementSyntax declaration, CatchClauseSyntax catchClause, SemanticModel model, CancellationToken cancellationToken)
    {
        var variable = declaration.Declaration.Variables[0];
        if (model.GetDeclaredSymbol(variable, cancellationToken) is not ILocalSymbol local
            || local.Type is null or IErrorTypeSymbol || local.Type.IsAnonymousType
            || variable.Initializer is null)
        {
            return null;
        }

        var type = declaration.Declaration.Type.IsVar
            ? SyntaxFactory.ParseTypeName(local.Type.ToDisplayString(TypeFormat)).WithAdditionalAnnotations(Simplifier.Annotation)
            : declaration.Declaration.Type.WithoutTrivia();
        var declare = SyntaxFactory.LocalDeclarationStatement(
                SyntaxFactory.VariableDeclaration(type, SyntaxFactory.SingletonSeparatedList(SyntaxFactory.VariableDeclarator(variable.Identifier.WithoutTrivia()))))
            .WithLeadingTrivia(declaration.GetLeadingTrivia());
        var assign = SyntaxFactory.ExpressionStatement(SyntaxFactory.AssignmentExpression(
            SyntaxKind.SimpleAssignmentExpression, SyntaxFactory.IdentifierName(variable.Identifier.WithoutTrivia()), variable.Initializer.Value.WithoutTrivia()));
        var guarded = SyntaxFactory.TryStatement(Block(assign), SyntaxFactory.SingletonList(catchClause), null);
        return new HandleCorruptInputPlan(declaration, Block(declare, guarded));
    }

    private static HandleCorruptInputPlan ForExpressionBody(ArrowExpressionClauseSyntax arrow, IMethodSymbol method, CatchClauseSyntax catchClause)
    {
        var returnsNothing = method.ReturnsVoid
            || (method.IsAsync && method.ReturnType is INamedTypeSymbol { IsGenericType: false, Name: "Task" or "ValueTask" });
        StatementSyntax body = returnsNothing
            ? SyntaxFactory.ExpressionStatement(arrow.Expression.WithoutTrivia())
            : SyntaxFactory.ReturnStatement(arrow.Expression.WithoutTrivia());
        var block = Block(SyntaxFactory.TryStatement(Block(body), SyntaxFactory.SingletonList(catchClause), null));
        SyntaxNode member = arrow.Parent switch
        {
            MethodDeclarationSyntax declaration => declaration.WithExpressionBody(null).WithSemicolonToken(default).WithBody(block)
                .WithTrailingTrivia(declaration.SemicolonToken.TrailingTrivia),
            LocalFunctionStatementSyntax local => local.WithExpressionBody(null).WithSemicolonToken(default).WithBody(block)
                .WithTrailingTrivia(local.SemicolonToken.TrailingTrivia),
            _ => arrow.Parent!,
        };
        return new HandleCorruptInputPlan(arrow.Parent!, member.WithAdditionalAnnotations(Formatter.Annotation));
    }

    private static BlockSyntax Block(params StatementSyntax[] statements)
        => SyntaxFactory.Block(statements).WithAdditionalAnnotations(Formatter.Annotation);

    /// <summary>catch (JsonException ex) — or catch (Exception ex) when (ex is A || ex is B) — { throw CheckpointFile.QuarantineCorrupt(path, ex); }</summary>
    private static CatchClauseSyntax CatchClause(ImmutableArray<INamedTypeSymbol> malformed, ExpressionSyntax path, string name)
    {
        // JsonReaderException derives from Newtonsoft's JsonException: catching the base is enough.
        var roots = malformed.Where(t => !malformed.Any(other => !SymbolEqualityComparer.Default.Equals(t, other) && TypeRelations.InheritsFrom(t, other))).ToList();
        var text = roots.Count == 1
            ? $"catch ({roots[0].ToDisplayString(TypeFormat)} {name}) {{ throw global::{HelperFeatures.HelperMetadataName}.QuarantineCorrupt({path.WithoutTrivia()}, {name}); }}"
            : $"catch (global::System.Exception {name}) when ({string.Join(" || ", roots.Select(t => $"{name} is {t.ToDisplayString(TypeFormat)}"))}) {{ throw global::{HelperFeatures.HelperMetadataName}.QuarantineCorrupt({path.WithoutTrivia()}, {name}); }}";
        var parsed = (TryStatementSyntax)SyntaxFactory.ParseStatement("try { } " + text);
        // Normalised so the block gets its own lines; the formatter then indents it where it lands.
        var clause = parsed.Catches[0].NormalizeWhitespace();
        return SyntaxCleanup.MarkForImportAndSimplification(clause).WithAdditionalAnnotations(Formatter.Annotation);
    }

    /// <summary>Names, member accesses, literals, concatenations and System.IO.Path calls: evaluating the path again in the catch changes nothing.</summary>
    private static bool IsCheapToRepeat(ExpressionSyntax path, SemanticModel model, CancellationToken cancellationToken)
    {
        foreach (var node in path.DescendantNodesAndSelf())
        {
            switch (node)
            {
                case InvocationExpressionSyntax call
                    when model.GetSymbolInfo(call, cancellationToken).Symbol is IMethodSymbol { ContainingType: { } type }
                        && (type.ToDisplayString() == "System.IO.Path" || type.SpecialType == SpecialType.System_String):
                case IdentifierNameSyntax or MemberAccessExpressionSyntax or LiteralExpressionSyntax or BinaryExpressionSyntax
                    or InterpolatedStringExpressionSyntax or InterpolationSyntax or InterpolatedStringTextSyntax or ArgumentListSyntax
                    or ArgumentSyntax or ParenthesizedExpressionSyntax or ThisExpressionSyntax or PredefinedTypeSyntax or QualifiedNameSyntax
                    or GenericNameSyntax or TypeArgumentListSyntax or AliasQualifiedNameSyntax:
                    continue;
                default:
                    return false;
            }
        }

        return true;
    }

    /// <summary>Every local and parameter the path reads is declared before <paramref name="position"/>.</summary>
    private static bool InScope(ExpressionSyntax path, int position, SemanticModel model, CancellationToken cancellationToken)
    {
        foreach (var name in path.DescendantNodesAndSelf().OfType<IdentifierNameSyntax>())
        {
            var symbol = model.GetSymbolInfo(name, cancellationToken).Symbol;
            if (symbol is ILocalSymbol or IParameterSymbol or IRangeVariableSymbol
                && !model.LookupSymbols(position, name: name.Identifier.ValueText).Contains(symbol, SymbolEqualityComparer.Default))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>An exception variable name neither in scope nor written in the wrapped code.</summary>
    private static string? FreeName(SyntaxNode wrapped, SemanticModel model)
    {
        var written = new HashSet<string>(wrapped.DescendantTokens().Where(t => t.IsKind(SyntaxKind.IdentifierToken)).Select(t => t.ValueText));
        return ExceptionNames.FirstOrDefault(name => !written.Contains(name) && model.LookupSymbols(wrapped.SpanStart, name: name).IsEmpty);
    }
}
