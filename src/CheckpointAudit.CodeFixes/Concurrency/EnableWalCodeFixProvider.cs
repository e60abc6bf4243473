using System.Composition;
using System.Linq;
using System.Threading;
using CheckpointAudit.Catalog;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;

namespace CheckpointAudit.CodeFixes.Concurrency;

/// <summary>
/// CKPT601 "Enable WAL after opening": right after <c>connection.Open()</c> (or <c>await connection.OpenAsync()</c>)
/// of the connection created at the diagnostic, the database is switched to WAL with
/// <c>PRAGMA journal_mode=WAL;</c>. The setting is stored in the database file (its title says the journal
/// mode changes), so one execution is enough; repeating it on every open is harmless. Offered when the
/// connection is declared in a block, or assigned to a local or field there, and opened later in that block. EF Core's
/// UseSqlite gets the interceptor instead (<see cref="WalInterceptorCodeFixProvider"/>).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(EnableWalCodeFixProvider))]
[Shared]
public sealed class EnableWalCodeFixProvider : StatementEditCodeFixProvider<EnableWalCodeFixProvider.OpenSite>
{
    public static readonly string EquivalenceKey = RuleCatalog.SqliteWithoutWal.Id + ".EnableWal";

    private const string CommandName = "walCommand";

    public EnableWalCodeFixProvider()
        : base(RuleCatalog.SqliteWithoutWal, EquivalenceKey)
    {
    }

    private protected override SyntaxNode Anchor(OpenSite plan) => plan.Statement;

    private protected override void Apply(DocumentEditor editor, OpenSite open)
    {
        var execute = open.IsAsync ? "await walCommand.ExecuteNonQueryAsync();" : "walCommand.ExecuteNonQuery();";
        var pragma = SyntaxFactory.ParseStatement(
                $"using (var {CommandName} = {open.Connection}.CreateCommand())\n{{\n    {CommandName}.CommandText = \"PRAGMA journal_mode=WAL;\";\n    {execute}\n}}\n")
            .WithAdditionalAnnotations(Formatter.Annotation);

        // A blank line before what follows, in the file's own line ending.
        var newLine = editor.OriginalRoot.DescendantTrivia().FirstOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia));
        if (newLine.IsKind(SyntaxKind.EndOfLineTrivia) && open.Statement != ((BlockSyntax)open.Statement.Parent!).Statements.Last())
        {
            pragma = pragma.WithTrailingTrivia(pragma.GetTrailingTrivia().Add(newLine));
        }

        editor.InsertAfter(open.Statement, pragma);
    }

    public sealed class OpenSite(StatementSyntax statement, string connection, bool isAsync)
    {
        public StatementSyntax Statement { get; } = statement;
        public string Connection { get; } = connection;
        public bool IsAsync { get; } = isAsync;
    }

    /// <summary>
    /// "connection.Open();" or "await connection.OpenAsync(...);" later in the block where the connection created at the
    /// diagnostic is declared, or assigned to a local or field (<c>connection = new SqliteConnection(…);</c> in an open
    /// helper).
    /// </summary>
    private protected override OpenSite? Plan(Diagnostic diagnostic, SyntaxNode root, SemanticModel model, CancellationToken cancellationToken)
    {
        if (root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is not BaseObjectCreationExpressionSyntax creation
            || Holder(creation, model, cancellationToken) is not ({ } holder, { Parent: BlockSyntax block } declaration)
            || !model.LookupSymbols(creation.SpanStart, name: CommandName).IsEmpty)
        {
            return null;
        }

        foreach (var statement in block.Statements.SkipWhile(s => s != declaration).Skip(1))
        {
            var expression = (statement as ExpressionStatementSyntax)?.Expression;
            var isAsync = expression is AwaitExpressionSyntax;
            if (expression is AwaitExpressionSyntax awaited)
            {
                expression = awaited.Expression;
            }

            if (expression is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Open" or "OpenAsync", Expression: var target } }
                && target is IdentifierNameSyntax or MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax }
                && SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(target, cancellationToken).Symbol, holder))
            {
                return new OpenSite(statement, target.WithoutTrivia().ToString(), isAsync);
            }
        }

        return null;
    }

    /// <summary>The local or field that holds the new connection, and the statement that puts it there.</summary>
    private static (ISymbol? Holder, StatementSyntax? Statement) Holder(BaseObjectCreationExpressionSyntax creation, SemanticModel model, CancellationToken cancellationToken)
        => creation.Parent switch
        {
            EqualsValueClauseSyntax { Parent: VariableDeclaratorSyntax declarator }
                => (model.GetDeclaredSymbol(declarator, cancellationToken) as ILocalSymbol, declarator.FirstAncestorOrSelf<LocalDeclarationStatementSyntax>()),
            AssignmentExpressionSyntax { RawKind: (int)SyntaxKind.SimpleAssignmentExpression, Parent: ExpressionStatementSyntax statement } assignment
                when assignment.Right == creation && model.GetSymbolInfo(assignment.Left, cancellationToken).Symbol is ILocalSymbol or IFieldSymbol
                => (model.GetSymbolInfo(assignment.Left, cancellationToken).Symbol, statement),
            _ => (null, null),
        };
}
