using System.Composition;
using System.Globalization;
using System.Linq;
using System.Threading;
using CheckpointAudit.Catalog;
using CheckpointAudit.Concurrency;
using CheckpointAudit.Knowledge;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;

namespace CheckpointAudit.CodeFixes.Concurrency;

/// <summary>
/// CKPT604 "Check and update in one transaction": <c>using var transaction = connection.BeginTransaction();</c>
/// goes right before the SELECT's command is created (or its text set, when the command is created with it), and <c>transaction.Commit();</c> right after the
/// statement that executes the UPDATE. Both providers begin it IMMEDIATE (the write lock is taken before the
/// check, so a second caller waits and then sees the new status) and enlist the connection's commands in it;
/// a return before the commit rolls back a transaction that wrote nothing. Offered when both commands run on the
/// same connection local or parameter, and both statements are in the same block as plain statements.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(OneTransactionCodeFixProvider))]
[Shared]
public sealed class OneTransactionCodeFixProvider : StatementEditCodeFixProvider<OneTransactionCodeFixProvider.TransactionPlan>
{
    public static readonly string EquivalenceKey = RuleCatalog.StatusCheckThenAct.Id + ".OneTransaction";

    public OneTransactionCodeFixProvider()
        : base(RuleCatalog.StatusCheckThenAct, EquivalenceKey)
    {
    }

    private protected override SyntaxNode Anchor(TransactionPlan plan) => plan.Check;

    private protected override void Apply(DocumentEditor editor, TransactionPlan plan)
    {
        var begin = SyntaxFactory.ParseStatement($"using var {plan.Name} = {plan.Connection}.BeginTransaction();\n")
            .WithAdditionalAnnotations(Formatter.Annotation);
        var commit = SyntaxFactory.ParseStatement($"{plan.Name}.Commit();\n").WithAdditionalAnnotations(Formatter.Annotation);
        editor.InsertBefore(plan.Check, begin.WithLeadingTrivia(plan.Check.GetLeadingTrivia()));
        editor.ReplaceNode(plan.Check, (node, _) => node.WithLeadingTrivia(SyntaxFactory.ElasticMarker));
        editor.InsertAfter(plan.Act, commit);
    }

    public sealed class TransactionPlan(StatementSyntax check, StatementSyntax act, string connection, string name)
    {
        /// <summary>The statement that sets the SELECT's text: the transaction begins before it.</summary>
        public StatementSyntax Check { get; } = check;

        /// <summary>The statement that executes the UPDATE: the commit follows it.</summary>
        public StatementSyntax Act { get; } = act;

        public string Connection { get; } = connection;

        public string Name { get; } = name;
    }

    private protected override TransactionPlan? Plan(Diagnostic diagnostic, SyntaxNode root, SemanticModel model, CancellationToken cancellationToken)
    {
        if (!diagnostic.Properties.TryGetValue(StatusCheckThenActCheck.SelectPositionKey, out var positionText)
            || !int.TryParse(positionText, NumberStyles.None, CultureInfo.InvariantCulture, out var selectPosition)
            || root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is not ExpressionSyntax updateText
            || root.FindToken(selectPosition).Parent?.FirstAncestorOrSelf<ExpressionSyntax>() is not { } selectText
            || selectText.FirstAncestorOrSelf<StatementSyntax>() is not { Parent: BlockSyntax block } selectStatement
            || Connection(selectText, model, cancellationToken) is not { } connection
            || !SymbolEqualityComparer.Default.Equals(connection, Connection(updateText, model, cancellationToken))
            || Execution(updateText, model, cancellationToken) is not { } act
            || act.Parent != block
            || act is not (ExpressionStatementSyntax or LocalDeclarationStatementSyntax { UsingKeyword.RawKind: 0 })
            || FirstOfCommands(block, selectStatement, selectText, updateText, model, cancellationToken) is not { } check
            || block.Statements.IndexOf(check) >= block.Statements.IndexOf(act))
        {
            return null;
        }

        var name = model.LookupSymbols(check.SpanStart, name: "transaction").IsEmpty ? "transaction" : "checkTransaction";
        return model.LookupSymbols(check.SpanStart, name: name).IsEmpty ? new TransactionPlan(check, act, connection.Name, name) : null;
    }

    /// <summary>
    /// Where the transaction must begin: before both commands exist, since Microsoft.Data.Sqlite enlists a command
    /// in the connection's transaction when it is created and refuses to run one created before. The SELECT's
    /// statement, or an earlier declaration of either command in the same block; null when one is declared elsewhere.
    /// </summary>
    private static StatementSyntax? FirstOfCommands(BlockSyntax block, StatementSyntax selectStatement, ExpressionSyntax selectText, ExpressionSyntax updateText, SemanticModel model, CancellationToken cancellationToken)
    {
        var first = selectStatement;
        foreach (var text in new[] { selectText, updateText })
        {
            if (text.Parent is not AssignmentExpressionSyntax { Left: MemberAccessExpressionSyntax { Expression: IdentifierNameSyntax command } })
            {
                continue;
            }

            if (model.GetSymbolInfo(command, cancellationToken).Symbol is not ILocalSymbol local
                || local.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(cancellationToken).FirstAncestorOrSelf<StatementSyntax>() is not { } declaration
                || declaration.Parent != block)
            {
                return null;
            }

            if (block.Statements.IndexOf(declaration) < block.Statements.IndexOf(first))
            {
                first = declaration;
            }
        }

        return first;
    }

    /// <summary>The connection local or parameter the command carrying this text runs on (a SQLite connection, not a command).</summary>
    private static ISymbol? Connection(ExpressionSyntax text, SemanticModel model, CancellationToken cancellationToken)
    {
        var symbol = AnyConnection(text, model, cancellationToken);
        var type = symbol switch
        {
            ILocalSymbol local => local.Type,
            IParameterSymbol parameter => parameter.Type,
            _ => null,
        };
        return SqliteSymbols.For(model.Compilation) is { } sqlite && sqlite.IsConnection(type) ? symbol : null;
    }

    private static ISymbol? AnyConnection(ExpressionSyntax text, SemanticModel model, CancellationToken cancellationToken)
    {
        switch (text.Parent)
        {
            // command.CommandText = "...": the command's declared value, connection.CreateCommand() or new XCommand(sql, connection).
            case AssignmentExpressionSyntax { Left: MemberAccessExpressionSyntax { Expression: IdentifierNameSyntax command } }:
                return model.GetSymbolInfo(command, cancellationToken).Symbol is ILocalSymbol local ? DeclaredConnection(local, model, cancellationToken) : null;
            case ArgumentSyntax { Parent: ArgumentListSyntax { Parent: var owner } }:
                return owner switch
                {
                    // new SqliteCommand("...", connection)
                    BaseObjectCreationExpressionSyntax creation => Symbol(creation.ArgumentList?.Arguments.Skip(1).FirstOrDefault()?.Expression, model, cancellationToken),

                    // connection.Execute("...") (Dapper)
                    InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax access } => Symbol(access.Expression, model, cancellationToken),
                    _ => null,
                };
            default:
                return null;
        }
    }

    private static ISymbol? DeclaredConnection(ILocalSymbol command, SemanticModel model, CancellationToken cancellationToken)
    {
        if (command.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(cancellationToken) is not VariableDeclaratorSyntax { Initializer.Value: { } value })
        {
            return null;
        }

        return value switch
        {
            InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "CreateCommand", Expression: var connection } } => Symbol(connection, model, cancellationToken),
            BaseObjectCreationExpressionSyntax { ArgumentList.Arguments.Count: >= 2 } creation => Symbol(creation.ArgumentList!.Arguments[1].Expression, model, cancellationToken),
            _ => null,
        };
    }

    private static ISymbol? Symbol(ExpressionSyntax? expression, SemanticModel model, CancellationToken cancellationToken)
        => expression is IdentifierNameSyntax && model.GetSymbolInfo(expression, cancellationToken).Symbol is ISymbol symbol and (ILocalSymbol or IParameterSymbol) ? symbol : null;

    /// <summary>The statement that runs the UPDATE: the last Execute* call on its command in the block, or the Dapper call itself.</summary>
    private static StatementSyntax? Execution(ExpressionSyntax updateText, SemanticModel model, CancellationToken cancellationToken)
    {
        if (updateText.Parent is ArgumentSyntax { Parent: ArgumentListSyntax { Parent: InvocationExpressionSyntax } })
        {
            return updateText.FirstAncestorOrSelf<StatementSyntax>();
        }

        var command = updateText.Parent switch
        {
            AssignmentExpressionSyntax { Left: MemberAccessExpressionSyntax { Expression: IdentifierNameSyntax name } } => model.GetSymbolInfo(name, cancellationToken).Symbol,
            ArgumentSyntax { Parent.Parent.Parent: EqualsValueClauseSyntax { Parent: VariableDeclaratorSyntax declarator } } => model.GetDeclaredSymbol(declarator, cancellationToken),
            _ => null,
        };
        if (command is not ILocalSymbol || updateText.FirstAncestorOrSelf<StatementSyntax>()?.Parent is not BlockSyntax block)
        {
            return null;
        }

        return block.Statements
            .Where(s => s.SpanStart > updateText.SpanStart)
            .LastOrDefault(s => s.DescendantNodes().OfType<InvocationExpressionSyntax>().Any(call =>
                call.Expression is MemberAccessExpressionSyntax { Name.Identifier.ValueText: var method, Expression: IdentifierNameSyntax target }
                && method.StartsWith("Execute", System.StringComparison.Ordinal)
                && SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(target, cancellationToken).Symbol, command)));
    }
}
