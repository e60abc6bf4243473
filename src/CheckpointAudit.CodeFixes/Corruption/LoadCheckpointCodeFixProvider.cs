using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using CheckpointAudit.Catalog;
using CheckpointAudit.CodeFixes.Atomicity;
using CheckpointAudit.Helpers;
using CheckpointAudit.Knowledge;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;

namespace CheckpointAudit.CodeFixes.Corruption;

/// <summary>
/// CKPT301 "Load as checksummed checkpoint": a parse of File.ReadAllText(path) becomes a
/// CheckpointFile.Load of path, which verifies the checksum of files saved with CheckpointFile.Save,
/// reads older plain files as before, moves a damaged file aside, falls back to path + ".bak", and
/// throws CorruptCheckpointException instead of a parser exception. The serializer stays the same:
/// System.Text.Json calls become Load&lt;T&gt;(path[, options]); any other parser is passed as the
/// deserializer delegate. Reading does not change the file format. Offered for CKPT301 (no handling of
/// corrupt input) and CKPT303 (no integrity check): the helper answers both.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(LoadCheckpointCodeFixProvider))]
[Shared]
public class LoadCheckpointCodeFixProvider : RuleCodeFixProvider
{
    public static readonly string EquivalenceKey = RuleCatalog.UnguardedDeserialization.Id + ".LoadCheckpoint";

    public static readonly string HandleCorruptInputEquivalenceKey = RuleCatalog.UnguardedDeserialization.Id + ".HandleCorruptInput";

    private const string LambdaParameter = "storedText";

    public LoadCheckpointCodeFixProvider()
        : this(RuleCatalog.UnguardedDeserialization, EquivalenceKey)
    {
    }

    private protected LoadCheckpointCodeFixProvider(RuleDefinition rule, string equivalenceKey)
        : base(rule, equivalenceKey)
    {
    }

    private protected sealed override bool CanFix(Diagnostic diagnostic, SyntaxNode root, SemanticModel model, CancellationToken cancellationToken)
        => Plan(diagnostic, root, model, cancellationToken) is not null;

    private protected sealed override async Task<Document> FixAsync(Document document, ImmutableArray<Diagnostic> diagnostics, CancellationToken cancellationToken)
    {
        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        var done = new HashSet<SyntaxNode>();
        foreach (var diagnostic in diagnostics)
        {
            if (Plan(diagnostic, editor.OriginalRoot, editor.SemanticModel, cancellationToken) is not { } plan || !done.Add(plan.Call))
            {
                continue;
            }

            editor.ReplaceNode(plan.Call, plan.Load);
            if (plan.ReadStatement is not null)
            {
                SyntaxCleanup.RemoveFoldedDeclaration(editor, plan.ReadStatement, plan.Call);
            }
        }

        return await SyntaxCleanup.ImportAndSimplifyAsync(editor.GetChangedDocument(), cancellationToken).ConfigureAwait(false);
    }

    // Second option, CKPT301 only: "Handle corrupt input" (see HandleCorruptInputPlan).
    private protected override string? SecondEquivalenceKey => Rule.SecondFixTitle is null ? null : HandleCorruptInputEquivalenceKey;

    private protected override bool CanFixSecond(Diagnostic diagnostic, SyntaxNode root, SemanticModel model, CancellationToken cancellationToken)
        => root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is InvocationExpressionSyntax parse
            && HandleCorruptInputPlan.Create(parse, model, cancellationToken) is not null;

    private protected override async Task<Document> FixSecondAsync(Document document, ImmutableArray<Diagnostic> diagnostics, CancellationToken cancellationToken)
    {
        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        var done = new HashSet<SyntaxNode>();
        foreach (var diagnostic in diagnostics)
        {
            if (editor.OriginalRoot.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is not InvocationExpressionSyntax parse
                || HandleCorruptInputPlan.Create(parse, editor.SemanticModel, cancellationToken) is not { } plan
                || done.Any(wrapped => wrapped.Span.OverlapsWith(plan.Original.Span))
                || !done.Add(plan.Original))
            {
                continue;
            }

            if (plan.Replacement is BlockSyntax statements && plan.Original is StatementSyntax and not BlockSyntax)
            {
                if (statements.Statements.Count == 1)
                {
                    editor.ReplaceNode(plan.Original, statements.Statements[0]);
                }
                else
                {
                    editor.InsertBefore(plan.Original, statements.Statements);
                    editor.RemoveNode(plan.Original, SyntaxRemoveOptions.KeepNoTrivia);
                }
            }
            else
            {
                editor.ReplaceNode(plan.Original, plan.Replacement);
            }
        }

        var rewritten = await SyntaxCleanup.ImportAndSimplifyAsync(editor.GetChangedDocument(), cancellationToken).ConfigureAwait(false);
        return await Formatter.FormatAsync(rewritten, Formatter.Annotation, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The parse to replace, its CheckpointFile.Load replacement, and the statement that read the text into a local, if any.</summary>
    private sealed class FixPlan(InvocationExpressionSyntax call, ExpressionSyntax load, StatementSyntax? readStatement)
    {
        public InvocationExpressionSyntax Call { get; } = call;
        public ExpressionSyntax Load { get; } = load;
        public StatementSyntax? ReadStatement { get; } = readStatement;
    }

    private static FixPlan? Plan(Diagnostic diagnostic, SyntaxNode root, SemanticModel model, CancellationToken cancellationToken)
    {
        if (root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is not InvocationExpressionSyntax invocation
            || model.GetSymbolInfo(invocation, cancellationToken).Symbol is not IMethodSymbol method
            || invocation.ArgumentList.Arguments.Count == 0)
        {
            return null;
        }

        var input = invocation.ArgumentList.Arguments[0].Expression;
        StatementSyntax? readStatement = null;
        var path = ReadPath(input, model, cancellationToken);
        if (path is null && AdjacentLocal.Find(input, invocation, model, cancellationToken) is { } read
            && ReadPath(read.Value, model, cancellationToken) is { } readPath)
        {
            (readStatement, path) = (read.Declaration, readPath);
        }

        if (path is null)
        {
            return null;
        }

        if (CatchesParserErrorsOnly(invocation, model, cancellationToken))
        {
            return null;
        }

        if (CheckpointFileCalls.VisibleHelper(model.Compilation) is not { } helper)
        {
            return null;
        }

        var loads = helper.GetMembers("Load").OfType<IMethodSymbol>().ToList();
        const string Helper = "global::" + HelperFeatures.HelperMetadataName;
        string text;
        if (method.ContainingType.ToDisplayString() == "System.Text.Json.JsonSerializer" && method.Name == "Deserialize" && method.IsGenericMethod
            && invocation.Expression is MemberAccessExpressionSyntax { Name: GenericNameSyntax generic }
            && method.Parameters.Length is 1 or 2
            && (method.Parameters.Length == 1 || method.Parameters[1].Type.Name == "JsonSerializerOptions")
            && loads.Any(l => l.Parameters.Length == 2 && l.Parameters[1].Type.Name == "JsonSerializerOptions"))
        {
            // Load<T>(path[, options]): the same serializer and options.
            var options = invocation.ArgumentList.Arguments.Count == 2 ? ", " + invocation.ArgumentList.Arguments[1].Expression : string.Empty;
            text = $"{Helper}.Load{generic.TypeArgumentList}({path}{options})";
        }
        else if (loads.Any(l => l.Parameters.Length == 2 && l.Parameters[1].Type.Name == "Func")
            && model.LookupSymbols(invocation.SpanStart, name: LambdaParameter).IsEmpty)
        {
            // Load(path, storedText => Parse(storedText, ...)): any other parser keeps its call and settings.
            var parse = invocation.ReplaceNode(invocation.ArgumentList.Arguments[0].Expression, SyntaxFactory.IdentifierName(LambdaParameter));
            text = $"{Helper}.Load({path}, {LambdaParameter} => {parse.WithoutTrivia()})";
        }
        else
        {
            return null;
        }

        return new FixPlan(invocation, SyntaxCleanup.ParseGenerated(text, invocation), readStatement);
    }

    /// <summary>
    /// Whether a try around the call catches the parser's exceptions but not IOException: the helper throws
    /// CorruptCheckpointException (an IOException) instead, so that handler would stop catching damage.
    /// </summary>
    private static bool CatchesParserErrorsOnly(SyntaxNode node, SemanticModel model, CancellationToken cancellationToken)
    {
        var io = model.Compilation.GetTypeByMetadataName("System.IO.IOException");
        foreach (var ancestor in node.Ancestors())
        {
            if (ancestor is AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax or MemberDeclarationSyntax)
            {
                break;
            }

            if (ancestor is not TryStatementSyntax { Catches.Count: > 0 } tryStatement || !tryStatement.Block.Span.Contains(node.Span))
            {
                continue;
            }

            var coversIo = tryStatement.Catches.Any(c => c.Declaration is null
                || TypeRelations.InheritsFrom(io, model.GetTypeInfo(c.Declaration.Type, cancellationToken).Type as INamedTypeSymbol));
            if (!coversIo)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The path of File.ReadAllText(path) (one argument: the helper reads UTF-8 as ReadAllText does).</summary>
    private static ExpressionSyntax? ReadPath(ExpressionSyntax argument, SemanticModel model, CancellationToken cancellationToken)
        => argument is InvocationExpressionSyntax { ArgumentList.Arguments.Count: 1 } read
            && model.GetSymbolInfo(read, cancellationToken).Symbol is IMethodSymbol { Name: "ReadAllText" } method
            && method.ContainingType.ToDisplayString() == "System.IO.File"
                ? read.ArgumentList.Arguments[0].Expression
                : null;
}
