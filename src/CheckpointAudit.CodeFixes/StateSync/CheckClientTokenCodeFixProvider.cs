using System.Composition;
using System.Linq;
using System.Threading;
using CheckpointAudit.Catalog;
using CheckpointAudit.StateSync;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;

namespace CheckpointAudit.CodeFixes.StateSync;

/// <summary>
/// CKPT701 "Check the client's concurrency token": where a handler loads a row whose entity has a concurrency token,
/// copies the request onto it and saves it, the save compares the token with the loaded row's own value and never
/// fails. The fix tells EF Core the value the client saw, just before the save
/// (<c>db.Entry(row).Property(nameof(row.Token)).OriginalValue = dto.Token;</c>), so the UPDATE matches only a row
/// still at that version; and where the handler can answer with a result (IResult, IActionResult, ActionResult), it
/// puts the save in a try whose catch of DbUpdateConcurrencyException returns 409 Conflict. Offered when the analyzer
/// found a request parameter carrying the token and the save is a statement of a block in the handler.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(CheckClientTokenCodeFixProvider))]
[Shared]
public sealed class CheckClientTokenCodeFixProvider : StatementEditCodeFixProvider<CheckClientTokenCodeFixProvider.TokenCheck>
{
    public static readonly string EquivalenceKey = RuleCatalog.UnversionedUpdate.Id + ".CheckClientToken";

    public CheckClientTokenCodeFixProvider()
        : base(RuleCatalog.UnversionedUpdate, EquivalenceKey)
    {
    }

    public sealed class TokenCheck(StatementSyntax save, ExpressionSyntax context, string row, string token, string clientToken, string? exception, string? answer)
    {
        /// <summary>The statement that saves the context.</summary>
        public StatementSyntax Save { get; } = save;

        public ExpressionSyntax Context { get; } = context;

        public string Row { get; } = row;

        public string Token { get; } = token;

        public string ClientToken { get; } = clientToken;

        /// <summary>DbUpdateConcurrencyException as the file can name it; null when no try is added.</summary>
        public string? Exception { get; } = exception;

        /// <summary>The 409 answer: "Results.Conflict()" or "Conflict()".</summary>
        public string? Answer { get; } = answer;
    }

    private protected override SyntaxNode Anchor(TokenCheck plan) => plan.Save;

    private protected override TokenCheck? Plan(Diagnostic diagnostic, SyntaxNode root, SemanticModel model, CancellationToken cancellationToken)
    {
        var properties = diagnostic.Properties;
        if (!properties.TryGetValue(UnversionedUpdateCheck.RowProperty, out var row) || row is null
            || !properties.TryGetValue(UnversionedUpdateCheck.TokenProperty, out var token) || token is null
            || !properties.TryGetValue(UnversionedUpdateCheck.ClientTokenProperty, out var clientToken) || clientToken is null
            || root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is not InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax access } call
            || call.FirstAncestorOrSelf<StatementSyntax>() is not { Parent: BlockSyntax } save
            || !RepeatableExpression.Is(access.Expression)
            || !model.LookupSymbols(save.SpanStart, name: row).OfType<ILocalSymbol>().Any())
        {
            return null;
        }

        // A try can hold only a statement whose value nothing after it reads.
        properties.TryGetValue(UnversionedUpdateCheck.ConflictProperty, out var conflict);
        if (conflict is null || save is not ExpressionStatementSyntax)
        {
            return new TokenCheck(save, access.Expression, row, token, clientToken, null, null);
        }

        var answer = conflict == UnversionedUpdateCheck.MinimalApiConflict
            ? Name(model, save.SpanStart, "Microsoft.AspNetCore.Http", "Results") + ".Conflict()"
            : "Conflict()";
        return new TokenCheck(save, access.Expression, row, token, clientToken, Name(model, save.SpanStart, "Microsoft.EntityFrameworkCore", "DbUpdateConcurrencyException"), answer);
    }

    /// <summary>The type's simple name where it binds to that type at <paramref name="position"/> (the file imports its namespace), else its full name.</summary>
    private static string Name(SemanticModel model, int position, string space, string name)
        => model.LookupNamespacesAndTypes(position, name: name).Any(t => t.ContainingNamespace?.ToString() == space) ? name : space + "." + name;

    private protected override void Apply(DocumentEditor editor, TokenCheck plan)
    {
        // nameof through the local: the entity's type needs no name the file may not import.
        var original = SyntaxFactory.ParseStatement(
                plan.Context.WithoutTrivia().ToFullString() + ".Entry(" + plan.Row + ").Property(nameof(" + plan.Row + "." + plan.Token + ")).OriginalValue = " + plan.ClientToken + ";\n")
            .WithLeadingTrivia(SyntaxFactory.Comment("// The version the client edited: the save fails if the row changed since."), SyntaxFactory.EndOfLine("\n"))
            .WithAdditionalAnnotations(Formatter.Annotation);
        editor.InsertBefore(plan.Save, original);
        if (plan.Exception is null)
        {
            return;
        }

        var guarded = SyntaxFactory.ParseStatement(
                "try\n{\n" + plan.Save.WithoutTrivia().ToFullString() + "\n}\n"
                + "catch (" + plan.Exception + ")\n{\n"
                + "// Another client saved the row after this one read it: its edit would be lost.\n"
                + "return " + plan.Answer + ";\n}\n")
            .WithLeadingTrivia(plan.Save.GetLeadingTrivia())
            .WithTrailingTrivia(plan.Save.GetTrailingTrivia())
            .WithAdditionalAnnotations(Formatter.Annotation);
        editor.ReplaceNode(plan.Save, guarded);
    }
}
