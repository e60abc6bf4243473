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
/// <item>"Handle the file vanishing at the read": <c>if (File.Exists(p)) { return Read(p); }</c> followed by the missing-file
/// path gets a try around the return whose catch takes FileNotFoundException and DirectoryNotFoundException and falls
/// through to that path, as if the check had said the file is missing.</item>
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
        // return File.ReadAllText(p)…; alone in the then-branch of an if (File.Exists(p)) without else, in a block that goes on.
        if (Act(diagnostic, root, model, cancellationToken) is not { } act
            || !IsRead(act.Method)
            || act.Call.FirstAncestorOrSelf<StatementSyntax>() is not ReturnStatementSyntax statement
            || statement.Parent is not BlockSyntax { Statements.Count: 1, Parent: IfStatementSyntax { Else: null } check }
            || check.Parent is not BlockSyntax outer || outer.Statements.Last() == check
            || !diagnostic.AdditionalLocations.Any(l => check.Condition.Span.Contains(l.SourceSpan))
            || check.Condition is not InvocationExpressionSyntax
            || OtherFileCalls(statement, act.Call, model, cancellationToken))
        {
            return null;
        }

        var guarded = (TryStatementSyntax)SyntaxFactory.ParseStatement(
            "try { } catch (global::System.IO.IOException missing) when (missing is global::System.IO.FileNotFoundException || missing is global::System.IO.DirectoryNotFoundException)\n{\n    // Deleted after the check: handled below as a missing file.\n}\n");
        var replaced = guarded.WithBlock(SyntaxFactory.Block(statement.WithoutTrivia()))
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

    private static bool IsRead(IMethodSymbol method)
        => method.Name.StartsWith("ReadAll", System.StringComparison.Ordinal) || method.Name is "ReadLines" or "ReadLinesAsync";

    /// <summary>Another call in the statement that could throw a missing-file exception of its own: a file API or a method of the project.</summary>
    private static bool OtherFileCalls(StatementSyntax statement, InvocationExpressionSyntax read, SemanticModel model, CancellationToken cancellationToken)
        => statement.DescendantNodes().Any(n => n is InvocationExpressionSyntax or ObjectCreationExpressionSyntax && n != read && !read.Span.Contains(n.Span)
            && model.GetSymbolInfo(n, cancellationToken).Symbol is IMethodSymbol { ContainingType: { } type } method
            && (!method.DeclaringSyntaxReferences.IsEmpty || SymbolNames.IsNamespace(type.ContainingNamespace, "System.IO")));
}
