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
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Simplification;

namespace CheckpointAudit.CodeFixes.StateSync;

/// <summary>
/// CKPT702 "Delete an unreadable entry and start from defaults": <c>var stored = await storage.GetAsync&lt;T&gt;(key);</c>
/// becomes a declaration of the result and a try that reads it, whose catch of what the read throws for an entry it
/// cannot read (CryptographicException and JsonException for Blazor's protected storage, JsonException for Blazored's
/// <c>GetItemAsync</c>/<c>GetItem</c>) deletes the entry and leaves the result at its default (<c>Success</c> false,
/// or null), so the code after it runs as it does for a missing entry. Offered for such a declaration of one local
/// directly in a block, when the storage and the key are names, literals or member accesses (read twice by the fix).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(DeleteUnreadableEntryCodeFixProvider))]
[Shared]
public sealed class DeleteUnreadableEntryCodeFixProvider : StatementEditCodeFixProvider<DeleteUnreadableEntryCodeFixProvider.Guard>
{
    public static readonly string EquivalenceKey = RuleCatalog.ClientStateUnvalidated.Id + ".DeleteUnreadable";

    public DeleteUnreadableEntryCodeFixProvider()
        : base(RuleCatalog.ClientStateUnvalidated, EquivalenceKey)
    {
    }

    public sealed class Guard(LocalDeclarationStatementSyntax declaration, ITypeSymbol resultType, ExpressionSyntax storage, ExpressionSyntax key, string delete, bool isProtected)
    {
        /// <summary>The storage's method that deletes an entry: "DeleteAsync", "RemoveItemAsync" (both awaited) or "RemoveItem".</summary>
        public string Delete { get; } = delete;

        /// <summary>The read can also throw CryptographicException (protected storage).</summary>
        public bool IsProtected { get; } = isProtected;

        public LocalDeclarationStatementSyntax Declaration { get; } = declaration;

        public ITypeSymbol ResultType { get; } = resultType;

        public ExpressionSyntax Storage { get; } = storage;

        public ExpressionSyntax Key { get; } = key;
    }

    private protected override SyntaxNode Anchor(Guard plan) => plan.Declaration;

    private protected override Guard? Plan(Diagnostic diagnostic, SyntaxNode root, SemanticModel model, CancellationToken cancellationToken)
    {
        // The read is awaited, except Blazored's synchronous GetItem.
        if (!diagnostic.Properties.TryGetValue(ClientStateUnvalidatedCheck.GuardableReadProperty, out var delete) || delete is null
            || root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is not InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax access } call
            || (IsAsync(delete) ? call.Parent as AwaitExpressionSyntax : (ExpressionSyntax)call) is not { } read
            || read.Parent is not EqualsValueClauseSyntax { Parent: VariableDeclaratorSyntax { Parent: VariableDeclarationSyntax { Variables.Count: 1 } } }
            || read.Parent.Parent.Parent.Parent is not LocalDeclarationStatementSyntax { Parent: BlockSyntax, UsingKeyword.RawKind: 0, Modifiers.Count: 0 } declaration
            || KeyOf(call, model, cancellationToken) is not { } key
            || !RepeatableExpression.Is(access.Expression) || !RepeatableExpression.Is(key)
            || model.GetTypeInfo(read, cancellationToken).Type is not { TypeKind: not TypeKind.Error } resultType)
        {
            return null;
        }

        // The result is left at default when the read fails: a reference type is then null.
        if (resultType.IsReferenceType && model.GetNullableContext(declaration.SpanStart).AnnotationsEnabled())
        {
            resultType = resultType.WithNullableAnnotation(NullableAnnotation.Annotated);
        }

        return new Guard(declaration, resultType, access.Expression, key, delete, diagnostic.Properties.ContainsKey(ClientStateUnvalidatedCheck.ProtectedProperty));
    }

    private protected override void Apply(DocumentEditor editor, Guard plan)
    {
        var variable = plan.Declaration.Declaration.Variables[0];
        var name = variable.Identifier.ValueText;
        var read = variable.Initializer!.Value;
        var declared = SyntaxFactory.LocalDeclarationStatement(
                SyntaxFactory.VariableDeclaration((TypeSyntax)editor.Generator.TypeExpression(plan.ResultType), SyntaxFactory.SingletonSeparatedList(SyntaxFactory.VariableDeclarator(variable.Identifier))))
            .WithLeadingTrivia(plan.Declaration.GetLeadingTrivia())
            .WithAdditionalAnnotations(Formatter.Annotation, Simplifier.Annotation);
        var guarded = SyntaxFactory.ParseStatement(
                "try\n{\n" + name + " = " + read.WithoutTrivia().ToFullString() + ";\n}\n"
                + (plan.IsProtected
                    ? "catch (global::System.Exception unreadable) when (unreadable is global::System.Security.Cryptography.CryptographicException || unreadable is global::System.Text.Json.JsonException)\n{\n"
                    : "catch (global::System.Text.Json.JsonException)\n{\n")
                + (IsAsync(plan.Delete) ? "await " : "") + plan.Storage.WithoutTrivia().ToFullString() + "." + plan.Delete + "(" + plan.Key.WithoutTrivia().ToFullString() + ");\n"
                + name + " = default;\n}\n")
            .WithTrailingTrivia(plan.Declaration.GetTrailingTrivia())
            .WithAdditionalAnnotations(Formatter.Annotation, Simplifier.Annotation);
        editor.InsertBefore(plan.Declaration, declared);
        editor.ReplaceNode(plan.Declaration, guarded);
    }

    /// <summary>The argument given for the read's <c>key</c> parameter (protected storage's purpose comes before it, Blazored's token after).</summary>
    private static ExpressionSyntax? KeyOf(InvocationExpressionSyntax call, SemanticModel model, CancellationToken cancellationToken)
        => (model.GetOperation(call, cancellationToken) as IInvocationOperation)?.Arguments
            .FirstOrDefault(a => a.Parameter?.Name == "key" && a.ArgumentKind == ArgumentKind.Explicit)?.Value.Syntax as ExpressionSyntax;

    private static bool IsAsync(string method) => method.EndsWith("Async", System.StringComparison.Ordinal);
}
