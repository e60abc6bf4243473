using System.Composition;
using System.Linq;
using System.Threading;
using CheckpointAudit.Catalog;
using CheckpointAudit.Knowledge;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;

namespace CheckpointAudit.CodeFixes.Concurrency;

/// <summary>
/// CKPT608, where the safe form is mechanical.
/// <list type="bullet">
/// <item>"Handle the file vanishing at the read": the return of a read gets a try whose catch takes FileNotFoundException
/// and DirectoryNotFoundException and does what the code does for a missing file: after <c>if (File.Exists(p)) { return
/// Read(p); }</c> (braces or not) it falls through to the missing-file path after the if; after <c>if (!File.Exists(p)) return Missing;</c>
/// it returns the same.</item>
/// <item>"Create it with FileMode.OpenOrCreate": an empty file created when the check said it is missing
/// (<c>File.Create(p).Dispose()</c>, <c>File.CreateText(p).Dispose()</c>) is opened with FileMode.OpenOrCreate instead, which
/// creates it when it is still missing and leaves what another caller wrote in the meantime.</item>
/// </list>
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ActThenHandleCodeFixProvider))]
[Shared]
public sealed class ActThenHandleCodeFixProvider : NodeReplacementCodeFixProvider
{
    public static readonly string EquivalenceKey = RuleCatalog.ExistsThenAct.Id + ".HandleMissingAtRead";

    public static readonly string CreateEquivalenceKey = RuleCatalog.ExistsThenAct.Id + ".OpenOrCreate";

    public ActThenHandleCodeFixProvider()
        : base(RuleCatalog.ExistsThenAct, EquivalenceKey)
    {
    }

    private protected override string? SecondEquivalenceKey => CreateEquivalenceKey;

    private protected override (SyntaxNode Old, SyntaxNode New)? Replacement(Diagnostic diagnostic, SyntaxNode root, SemanticModel model, CancellationToken cancellationToken)
    {
        if (Act(diagnostic, root, model, cancellationToken) is not { } act
            || !IsRead(act)
            || act.Call.FirstAncestorOrSelf<StatementSyntax>() is not ReturnStatementSyntax statement
            || OtherFileCalls(statement, act.Call, model, cancellationToken))
        {
            return null;
        }

        // if (File.Exists(p)) { return Read(p); } and the missing-file path after the if: the catch falls through to it.
        if (statement.Parent is BlockSyntax { Statements.Count: 1, Parent: IfStatementSyntax { Else: null, Condition: InvocationExpressionSyntax } check }
            && check.Parent is BlockSyntax outer && outer.Statements.Last() != check
            && IsTheCheck(check, diagnostic))
        {
            return Guarded(statement, FallThrough(), model);
        }

        // if (File.Exists(p)) return Read(p); without braces: the try goes in a block of its own.
        if (statement.Parent is IfStatementSyntax { Else: null, Condition: InvocationExpressionSyntax } bare && bare.Statement == statement
            && bare.Parent is BlockSyntax around && around.Statements.Last() != bare
            && IsTheCheck(bare, diagnostic)
            && Guarded(statement, FallThrough(), model) is { } braced)
        {
            return (statement, SyntaxFactory.Block((StatementSyntax)braced.New.WithoutTrivia()).WithTriviaFrom(statement).WithAdditionalAnnotations(Formatter.Annotation));
        }

        // if (!File.Exists(p)) { return Missing; } return Read(p); — the catch returns what the check returns.
        if (statement.Parent is BlockSyntax block && block.Statements.IndexOf(statement) is var index and > 0
            && block.Statements[index - 1] is IfStatementSyntax { Else: null, Condition: PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.LogicalNotExpression, Operand: InvocationExpressionSyntax } } early
            && IsTheCheck(early, diagnostic)
            && (early.Statement as ReturnStatementSyntax ?? (early.Statement is BlockSyntax { Statements.Count: 1 } only ? only.Statements[0] as ReturnStatementSyntax : null)) is { } missing
            && !missing.DescendantNodes().Any(n => n is AnonymousFunctionExpressionSyntax or DeclarationExpressionSyntax))
        {
            return Guarded(statement, SyntaxFactory.Block(missing.WithoutTrivia()), model);
        }

        return null;
    }

    private static BlockSyntax FallThrough()
        => (BlockSyntax)SyntaxFactory.ParseStatement("{\n// Deleted after the check: handled below as a missing file.\n}");

    /// <summary>The if's condition holds the File.Exists call the finding names.</summary>
    private static bool IsTheCheck(IfStatementSyntax check, Diagnostic diagnostic)
        => diagnostic.AdditionalLocations.Any(l => check.Condition.Span.Contains(l.SourceSpan));

    /// <summary>try { statement } catch (IOException missing) when (missing is FileNotFoundException || missing is DirectoryNotFoundException) { handler }</summary>
    private static (SyntaxNode Old, SyntaxNode New)? Guarded(StatementSyntax statement, BlockSyntax handler, SemanticModel model)
    {
        // A name for the exception that nothing in scope or in the handler already uses.
        var name = LocalNames.Free(model, statement, "missing");
        var guarded = (TryStatementSyntax)SyntaxFactory.ParseStatement(
            $"try {{ }} catch (global::System.IO.IOException {name}) when ({name} is global::System.IO.FileNotFoundException || {name} is global::System.IO.DirectoryNotFoundException) {{ }}");
        var replaced = guarded.WithBlock(SyntaxFactory.Block(statement.WithoutTrivia()))
            .WithCatches(SyntaxFactory.SingletonList(guarded.Catches[0].WithBlock(handler)))
            .WithTriviaFrom(statement);
        return (statement, SyntaxCleanup.MarkForImportAndSimplification(replaced).WithAdditionalAnnotations(Formatter.Annotation));
    }

    private protected override (SyntaxNode Old, SyntaxNode New)? SecondReplacement(Diagnostic diagnostic, SyntaxNode root, SemanticModel model, CancellationToken cancellationToken)
    {
        // File.Create(p).Dispose(); or File.CreateText(p).Close(); — an empty file, created when missing.
        if (Act(diagnostic, root, model, cancellationToken) is not { } act
            || act.Method.Name is not ("Create" or "CreateText") || act.Call.ArgumentList.Arguments.Count != 1
            || act.Call.Parent is not MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Dispose" or "Close", Parent: InvocationExpressionSyntax { ArgumentList.Arguments.Count: 0, Parent: ExpressionStatementSyntax } closing })
        {
            return null;
        }

        var path = act.Call.ArgumentList.Arguments[0].Expression.WithoutTrivia();
        var open = (ExpressionSyntax)SyntaxFactory.ParseExpression(
            $"new global::System.IO.FileStream(PATH, global::System.IO.FileMode.OpenOrCreate, global::System.IO.FileAccess.Write).Dispose()");
        var withPath = open.ReplaceNode(open.DescendantNodes().OfType<IdentifierNameSyntax>().First(n => n.Identifier.ValueText == "PATH"), path);
        return (closing, SyntaxCleanup.MarkForImportAndSimplification(withPath).WithTriviaFrom(closing));
    }

    private sealed class ActCall(InvocationExpressionSyntax call, IMethodSymbol method)
    {
        public InvocationExpressionSyntax Call { get; } = call;
        public IMethodSymbol Method { get; } = method;
    }

    /// <summary>The File call the finding is at.</summary>
    private static ActCall? Act(Diagnostic diagnostic, SyntaxNode root, SemanticModel model, CancellationToken cancellationToken)
        => root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true).FirstAncestorOrSelf<InvocationExpressionSyntax>() is { } call
            && model.GetSymbolInfo(call, cancellationToken).Symbol is IMethodSymbol { ContainingType: { } type } method
            && SymbolNames.IsType(type, "System.IO.File")
                ? new ActCall(call, method)
                : null;

    /// <summary>A read whose missing file throws here: a synchronous one, or an awaited one (a returned Task would throw later).</summary>
    private static bool IsRead(ActCall act)
        => (act.Method.Name.StartsWith("ReadAll", System.StringComparison.Ordinal) || act.Method.Name == "ReadLines")
            && (!act.Method.Name.EndsWith("Async", System.StringComparison.Ordinal) || act.Call.Parent is AwaitExpressionSyntax);

    /// <summary>Another call in the statement that could throw a missing-file exception of its own: a file API or a method of the project.</summary>
    private static bool OtherFileCalls(StatementSyntax statement, InvocationExpressionSyntax read, SemanticModel model, CancellationToken cancellationToken)
        => statement.DescendantNodes().Any(n => n is InvocationExpressionSyntax or ObjectCreationExpressionSyntax && n != read && !read.Span.Contains(n.Span)
            && model.GetSymbolInfo(n, cancellationToken).Symbol is IMethodSymbol { ContainingType: { } type } method
            && (!method.DeclaringSyntaxReferences.IsEmpty || SymbolNames.IsNamespace(type.ContainingNamespace, "System.IO")));
}
