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
            || FileApiSymbols.Create(model.Compilation) is not { } apis
            || Parsed(operation, apis, model.Compilation, cancellationToken) is not ({ } path, { IsDefaultOrEmpty: false } malformed, var readLater)
            || FileNameOf(path, model, cancellationToken) is not { } fileName
            || CheckpointFileCalls.VisibleHelper(model.Compilation) is not { } helper
            || helper.GetMembers("QuarantineCorrupt").IsEmpty)
        {
            return null;
        }

        var statement = Guarded(parse);
        var usingForm = statement is UsingStatementSyntax or LocalDeclarationStatementSyntax { UsingKeyword.RawKind: (int)SyntaxKind.UsingKeyword };
        if (readLater && !usingForm)
        {
            return null; // an XmlReader parses as it is read, after the statement that creates it
        }

        if (statement is not null && statement.Parent is BlockSyntax block && IsWrappable(statement, parse)
            && FreeName(statement, model) is { } exceptionName)
        {
            // A path that is costly or not safe to evaluate twice is kept in a local first, when it is what the
            // statement evaluates first anyway.
            string? kept = null;
            if (!IsCheapToRepeat(path, model, cancellationToken))
            {
                if (path.SyntaxTree != statement.SyntaxTree || !statement.Span.Contains(path.Span) || !IsEvaluatedFirst(path, statement, model, cancellationToken))
                {
                    return null;
                }

                kept = LocalNames.Free(model, statement, "path");
            }
            else if (!InScope(path, statement.SpanStart, model, cancellationToken))
            {
                return null;
            }

            var named = kept is null ? path : SyntaxFactory.IdentifierName(kept);
            var guarded = kept is null ? statement : statement.ReplaceNode(path, named.WithTriviaFrom(path));
            var keep = kept is null ? null : SyntaxFactory.LocalDeclarationStatement(SyntaxFactory.VariableDeclaration(
                    SyntaxFactory.IdentifierName("var"),
                    SyntaxFactory.SingletonSeparatedList(SyntaxFactory.VariableDeclarator(kept).WithInitializer(SyntaxFactory.EqualsValueClause(path.WithoutTrivia())))))
                .WithLeadingTrivia(statement.GetLeadingTrivia()).WithAdditionalAnnotations(Formatter.Annotation);
            var catchClause = CatchClause(malformed, named, fileName, exceptionName);

            // using var reader = XmlReader.Create(path); the reader is read to the end of the block: all of it goes in
            // the try, and the reader is closed before the catch moves the file aside.
            if (statement is LocalDeclarationStatementSyntax { UsingKeyword.RawKind: (int)SyntaxKind.UsingKeyword })
            {
                var index = block.Statements.IndexOf(statement);
                var rest = block.Statements.Skip(index + 1).ToList();
                if (rest.Any(r => r is LocalFunctionStatementSyntax) || rest.Any(r => !OnlyThisParse(r, parse, apis, model, cancellationToken)))
                {
                    return null; // a local function must stay visible to the whole block; see OnlyThisParse
                }

                var body = new List<StatementSyntax> { guarded.WithoutLeadingTrivia() };
                body.AddRange(rest);
                var wrapped = new List<StatementSyntax>(block.Statements.Take(index));
                if (keep is not null)
                {
                    wrapped.Add(keep);
                }

                wrapped.Add(SyntaxFactory.TryStatement(Block(body.ToArray()), SyntaxFactory.SingletonList(catchClause), null).WithLeadingTrivia(statement.GetLeadingTrivia()));
                return new HandleCorruptInputPlan(block, block.WithStatements(SyntaxFactory.List(wrapped)).WithAdditionalAnnotations(Formatter.Annotation));
            }

            if (statement is UsingStatementSyntax && !OnlyThisParse(statement, parse, apis, model, cancellationToken))
            {
                return null;
            }

            var tried = guarded is LocalDeclarationStatementSyntax declaration
                ? ForDeclaration(statement, declaration, catchClause, model, cancellationToken)
                : Block(SyntaxFactory.TryStatement(Block(guarded.WithoutTrivia()), SyntaxFactory.SingletonList(catchClause), null)
                    .WithLeadingTrivia(statement.GetLeadingTrivia()).WithTrailingTrivia(statement.GetTrailingTrivia())).Statements;
            if (tried is null)
            {
                return null;
            }

            return new HandleCorruptInputPlan(statement, keep is null ? Block(tried.Value.ToArray()) : Block(new[] { keep }.Concat(tried.Value).ToArray()));
        }

        if (parse.FirstAncestorOrSelf<ArrowExpressionClauseSyntax>() is { Parent: MethodDeclarationSyntax or LocalFunctionStatementSyntax } arrow
            && !parse.Ancestors().TakeWhile(a => a != arrow).Any(a => a is AnonymousFunctionExpressionSyntax)
            && model.GetDeclaredSymbol(arrow.Parent, cancellationToken) is IMethodSymbol method
            && IsCheapToRepeat(path, model, cancellationToken)
            && InScope(path, arrow.Expression.SpanStart, model, cancellationToken)
            && FreeName(arrow.Expression, model) is { } name)
        {
            return ForExpressionBody(arrow, method, CatchClause(malformed, path, fileName, name));
        }

        return null;
    }

    /// <summary>
    /// The path parsed and what malformed input throws: a library parse of a file (<see cref="Deserializers"/>), or a
    /// project method that parses the file it is given and lets the parser's exceptions out (its summary).
    /// </summary>
    private static (ExpressionSyntax? Path, ImmutableArray<INamedTypeSymbol> Malformed, bool ReadLater) Parsed(IInvocationOperation operation, FileApiSymbols apis, Compilation compilation, CancellationToken cancellationToken)
    {
        if (Deserializers.Create(compilation) is { } deserializers)
        {
            if (deserializers.TryMatch(operation, out var input, out var malformed, out _))
            {
                return input is null ? (null, default, false) : (SavedState.LoadedPath(operation, input, OperationTree.Root(operation), apis)?.Syntax as ExpressionSyntax, malformed, false);
            }

            // XmlReader.Create over the file, read by hand: what the reader throws on malformed XML.
            if (HandReadXml.Input(operation, apis, deserializers) is { } xml && !deserializers.XmlMalformed.IsDefaultOrEmpty)
            {
                return (SavedState.LoadedPath(operation, xml, OperationTree.Root(operation), apis)?.Syntax as ExpressionSyntax, deserializers.XmlMalformed, true);
            }
        }

        if (MethodSummaries.Of(compilation) is { } summaries && summaries.MayParsePath(operation.TargetMethod)
            && summaries.For(operation.TargetMethod, cancellationToken) is { ParsesPathThrows.IsEmpty: false } summary
            && operation.Arguments.FirstOrDefault(a => (summary.Use(a.Parameter?.OriginalDefinition) & PathUse.Reads) != 0)?.Value.Syntax is ExpressionSyntax path)
        {
            return (path, summary.ParsesPathThrows, false);
        }

        return (null, default, false);
    }

    /// <summary>
    /// Code a try around a whole using may hold: no <c>yield</c> (an iterator cannot yield inside a try with a catch),
    /// and no parse other than this one, whose malformed input would be taken for this file's and move it aside.
    /// </summary>
    private static bool OnlyThisParse(SyntaxNode region, InvocationExpressionSyntax parse, FileApiSymbols apis, SemanticModel model, CancellationToken cancellationToken)
        => !region.DescendantNodesAndSelf().Any(n => n is YieldStatementSyntax
            || n is InvocationExpressionSyntax other && other != parse
                && model.GetOperation(other, cancellationToken) is IInvocationOperation call
                && Parsed(call, apis, model.Compilation, cancellationToken).Malformed is { IsDefaultOrEmpty: false });

    /// <summary>
    /// The statement that gets the try: the parse's own statement, or, for a parse in the resource of a using statement
    /// (and of a chain of them), the outermost using, so the file is closed before the catch moves it aside.
    /// </summary>
    private static StatementSyntax? Guarded(InvocationExpressionSyntax parse)
    {
        var statement = parse.FirstAncestorOrSelf<StatementSyntax>();
        if (statement is not UsingStatementSyntax @using || @using.Statement.Span.Contains(parse.Span))
        {
            return statement;
        }

        while (@using.Parent is UsingStatementSyntax outer && outer.Statement == @using)
        {
            @using = outer;
        }

        return @using;
    }

    /// <summary>
    /// Nothing in the statement runs before the path: each step from it up to the statement is the first argument of a
    /// static call, of a call by simple name or of a creation, or the whole initializer, return value or resource.
    /// </summary>
    private static bool IsEvaluatedFirst(ExpressionSyntax path, StatementSyntax statement, SemanticModel model, CancellationToken cancellationToken)
    {
        SyntaxNode node = path;
        while (node != statement)
        {
            var parent = node.Parent!;
            switch (parent)
            {
                case ArgumentSyntax argument when argument.Parent is ArgumentListSyntax list && list.Arguments[0] == argument:
                    break;
                case ArgumentListSyntax { Parent: InvocationExpressionSyntax { Expression: SimpleNameSyntax } }:
                case ArgumentListSyntax { Parent: InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Expression: var receiver } } }
                    when model.GetSymbolInfo(receiver, cancellationToken).Symbol is ITypeSymbol:
                case ArgumentListSyntax { Parent: ObjectCreationExpressionSyntax or ImplicitObjectCreationExpressionSyntax }:
                case InvocationExpressionSyntax or ObjectCreationExpressionSyntax or ImplicitObjectCreationExpressionSyntax when node is ArgumentListSyntax:
                case EqualsValueClauseSyntax or VariableDeclaratorSyntax or VariableDeclarationSyntax { Variables.Count: 1 }:
                case LocalDeclarationStatementSyntax or ReturnStatementSyntax when parent == statement:
                case UsingStatementSyntax @using when parent == statement && node == @using.Declaration:
                    break;
                default:
                    return false;
            }

            node = parent;
        }

        return true;
    }

    /// <summary>
    /// Statements whose every part may sit in a try: a declaration of one local by the parse (a using declaration takes
    /// the rest of its block with it), an expression or return statement, or a using statement whose resource is the
    /// parse; no const declarations, no other statements nested inside.
    /// </summary>
    private static bool IsWrappable(StatementSyntax statement, InvocationExpressionSyntax parse) => statement switch
    {
        LocalDeclarationStatementSyntax { IsConst: false, Declaration.Variables.Count: 1 } declaration
            => declaration.Declaration.Variables[0].Initializer?.Value.Span.Contains(parse.Span) == true
                && declaration.Declaration.Type is not RefTypeSyntax,
        ExpressionStatementSyntax or ReturnStatementSyntax or UsingStatementSyntax => true,
        _ => false,
    };

    /// <summary>"T x = Parse(...);" becomes "T x; try { x = Parse(...); } catch ...": x stays visible after the try.</summary>
    private static SyntaxList<StatementSyntax>? ForDeclaration(StatementSyntax original, LocalDeclarationStatementSyntax declaration, CatchClauseSyntax catchClause, SemanticModel model, CancellationToken cancellationToken)
    {
        var variable = declaration.Declaration.Variables[0];
        var originalVariable = ((LocalDeclarationStatementSyntax)original).Declaration.Variables[0];
        if (model.GetDeclaredSymbol(originalVariable, cancellationToken) is not ILocalSymbol local
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
            .WithLeadingTrivia(original.GetLeadingTrivia()).WithAdditionalAnnotations(Formatter.Annotation);
        var assign = SyntaxFactory.ExpressionStatement(SyntaxFactory.AssignmentExpression(
            SyntaxKind.SimpleAssignmentExpression, SyntaxFactory.IdentifierName(variable.Identifier.WithoutTrivia()), variable.Initializer.Value.WithoutTrivia()));
        var guarded = SyntaxFactory.TryStatement(Block(assign), SyntaxFactory.SingletonList(catchClause), null);
        return SyntaxFactory.List(new StatementSyntax[] { declare, guarded });
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

    /// <summary>
    /// How the file's name is read from the path expression: as it is for a string, through <c>FullName</c> for a
    /// FileInfo (a project method may take one); null for anything else.
    /// </summary>
    private static string? FileNameOf(ExpressionSyntax path, SemanticModel model, CancellationToken cancellationToken)
        => model.GetTypeInfo(path, cancellationToken).Type switch
        {
            { SpecialType: SpecialType.System_String } => string.Empty,
            { } type when TypeRelations.InheritsFrom(type, model.Compilation.GetTypeByMetadataName("System.IO.FileSystemInfo")) => ".FullName",
            _ => null,
        };

    /// <summary>catch (JsonException ex) — or catch (Exception ex) when (ex is A || ex is B) — { throw CheckpointFile.QuarantineCorrupt(path, ex); }</summary>
    /// <param name="fileName">What reads the file's name from <paramref name="path"/> (<see cref="FileNameOf"/>).</param>
    private static CatchClauseSyntax CatchClause(ImmutableArray<INamedTypeSymbol> malformed, ExpressionSyntax path, string fileName, string name)
    {
        var file = fileName.Length == 0 || path is IdentifierNameSyntax or MemberAccessExpressionSyntax ? $"{path.WithoutTrivia()}{fileName}" : $"({path.WithoutTrivia()}){fileName}";
        // JsonReaderException derives from Newtonsoft's JsonException: catching the base is enough.
        var roots = malformed.Where(t => !malformed.Any(other => !SymbolEqualityComparer.Default.Equals(t, other) && TypeRelations.InheritsFrom(t, other))).ToList();
        var text = roots.Count == 1
            ? $"catch ({roots[0].ToDisplayString(TypeFormat)} {name}) {{ throw global::{HelperFeatures.HelperMetadataName}.QuarantineCorrupt({file}, {name}); }}"
            : $"catch (global::System.Exception {name}) when ({string.Join(" || ", roots.Select(t => $"{name} is {t.ToDisplayString(TypeFormat)}"))}) {{ throw global::{HelperFeatures.HelperMetadataName}.QuarantineCorrupt({file}, {name}); }}";
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
