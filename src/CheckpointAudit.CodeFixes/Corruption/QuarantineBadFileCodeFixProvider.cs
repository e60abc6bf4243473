using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using CheckpointAudit.Catalog;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;

namespace CheckpointAudit.CodeFixes.Corruption;

/// <summary>
/// CKPT304 "Move the bad file aside first": the catch starts by moving the file that did not parse to
/// path + ".corrupt-&lt;UTC time&gt;" (best effort: a file that cannot be moved does not turn the recovery
/// into a new failure), so that the reset that follows no longer destroys it. Offered when everything the
/// path expression reads is in scope in the catch.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(QuarantineBadFileCodeFixProvider))]
[Shared]
public sealed class QuarantineBadFileCodeFixProvider : RuleCodeFixProvider
{
    public static readonly string EquivalenceKey = RuleCatalog.CorruptionSwallowed.Id + ".Quarantine";

    public QuarantineBadFileCodeFixProvider()
        : base(RuleCatalog.CorruptionSwallowed, EquivalenceKey)
    {
    }

    private protected override bool CanFix(Diagnostic diagnostic, SyntaxNode root, SemanticModel model, CancellationToken cancellationToken)
        => Plan(diagnostic, root, model, cancellationToken) is not null;

    private protected override async Task<Document> FixAsync(Document document, ImmutableArray<Diagnostic> diagnostics, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
        {
            return document;
        }

        var plans = new Dictionary<BlockSyntax, ExpressionSyntax>();
        foreach (var diagnostic in diagnostics)
        {
            if (Plan(diagnostic, root, model, cancellationToken) is { } plan)
            {
                plans[plan.Handler] = plan.Path;
            }
        }

        var newRoot = root.ReplaceNodes(plans.Keys, (original, _) =>
        {
            var quarantine = (StatementSyntax)SyntaxCleanup.MarkQualifiedNamesForSimplification(SyntaxFactory.ParseStatement(
                $"try {{ global::System.IO.File.Move({plans[original]}, {plans[original]} + \".corrupt-\" + global::System.DateTime.UtcNow.ToString(\"yyyyMMddHHmmssfff\")); }} " +
                "catch (global::System.IO.IOException) { } catch (global::System.UnauthorizedAccessException) { }\n"))
                .WithAdditionalAnnotations(Formatter.Annotation);
            return original.WithStatements(original.Statements.Insert(0, quarantine));
        });
        var rewritten = await Simplifier.ReduceAsync(document.WithSyntaxRoot(newRoot), Simplifier.Annotation, cancellationToken: cancellationToken).ConfigureAwait(false);
        return await Formatter.FormatAsync(rewritten, Formatter.Annotation, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    private sealed class FixPlan(BlockSyntax handler, ExpressionSyntax path)
    {
        public BlockSyntax Handler { get; } = handler;
        public ExpressionSyntax Path { get; } = path;
    }

    private static FixPlan? Plan(Diagnostic diagnostic, SyntaxNode root, SemanticModel model, CancellationToken cancellationToken)
    {
        if (diagnostic.AdditionalLocations.Count != 2
            || root.FindNode(diagnostic.AdditionalLocations[0].SourceSpan, getInnermostNodeForTie: true) is not ExpressionSyntax path
            || root.FindNode(diagnostic.AdditionalLocations[1].SourceSpan, getInnermostNodeForTie: true) is not BlockSyntax handler)
        {
            return null;
        }

        // Everything the path reads must mean the same thing inside the catch (a local of the try block does not exist there).
        foreach (var name in path.DescendantNodesAndSelf().OfType<IdentifierNameSyntax>())
        {
            var symbol = model.GetSymbolInfo(name, cancellationToken).Symbol;
            if (symbol is ILocalSymbol or IParameterSymbol or IRangeVariableSymbol
                && !model.LookupSymbols(handler.SpanStart, name: name.Identifier.ValueText).Contains(symbol, SymbolEqualityComparer.Default))
            {
                return null;
            }
        }

        return new FixPlan(handler, path.WithoutTrivia());
    }
}
