using System.Composition;
using System.Linq;
using System.Threading;
using CheckpointAudit.Catalog;
using CheckpointAudit.Helpers;
using CheckpointAudit.Knowledge;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Simplification;

namespace CheckpointAudit.CodeFixes.Concurrency;

/// <summary>
/// CKPT601 "Enable WAL after opening" on EF Core's <c>UseSqlite(…)</c>: the options get the generated helper's
/// interceptor, <c>UseSqlite(…).AddInterceptors(SqliteWalInterceptor.Instance)</c>, which runs
/// <c>PRAGMA journal_mode=WAL;</c> each time EF Core opens a connection; it holds no state, so one shared instance
/// serves every context. Offered where the helper has the interceptor
/// (the project references EF Core's relational layer) and UseSqlite takes a connection string (or none), so EF Core
/// opens every connection itself; not where it is handed a DbConnection, which may already be open.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(WalInterceptorCodeFixProvider))]
[Shared]
public sealed class WalInterceptorCodeFixProvider : NodeReplacementCodeFixProvider
{
    public static readonly string EquivalenceKey = RuleCatalog.SqliteWithoutWal.Id + ".WalInterceptor";

    public WalInterceptorCodeFixProvider()
        : base(RuleCatalog.SqliteWithoutWal, EquivalenceKey)
    {
    }

    private protected override (SyntaxNode Old, SyntaxNode New)? Replacement(Diagnostic diagnostic, SyntaxNode root, SemanticModel model, CancellationToken cancellationToken)
    {
        if (Plan(diagnostic, root, model, cancellationToken) is not { } useSqlite)
        {
            return null;
        }

        var interceptor = SyntaxFactory.ParseExpression($"global::{HelperFeatures.HelperNamespace}.{HelperFeatures.WalInterceptorName}.Instance")
            .WithAdditionalAnnotations(Simplifier.Annotation, Simplifier.AddImportsAnnotation);
        var registered = SyntaxFactory.InvocationExpression(
                SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, useSqlite.WithoutTrailingTrivia(), SyntaxFactory.IdentifierName("AddInterceptors")),
                SyntaxFactory.ArgumentList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.Argument(interceptor))))
            .WithTrailingTrivia(useSqlite.GetTrailingTrivia());
        return (useSqlite, registered);
    }

    private static InvocationExpressionSyntax? Plan(Diagnostic diagnostic, SyntaxNode root, SemanticModel model, CancellationToken cancellationToken)
    {
        if (root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is not { } node
            || node.FirstAncestorOrSelf<InvocationExpressionSyntax>() is not { } call
            || model.GetSymbolInfo(call, cancellationToken).Symbol is not IMethodSymbol { Name: "UseSqlite", ReturnType: INamedTypeSymbol { Name: "DbContextOptionsBuilder" } builder } useSqlite
            || !OpensItsOwnConnections(useSqlite)
            || !SymbolNames.IsNamespace(builder.ContainingNamespace, "Microsoft.EntityFrameworkCore")
            || !HasAddInterceptors(builder)
            || Atomicity.CheckpointFileCalls.VisibleHelper(model.Compilation, HelperFeatures.WalInterceptorName) is null)
        {
            return null;
        }

        return call;
    }

    // UseSqlite(connectionString) or UseSqlite(): EF Core opens the connections, so the interceptor sees each open. A
    // DbConnection handed over may already be open, and then EF Core never opens it.
    private static bool OpensItsOwnConnections(IMethodSymbol useSqlite)
        => (useSqlite.ReducedFrom ?? useSqlite).Parameters.All(p => p.Type is not INamedTypeSymbol { Name: "DbConnection" });

    // AddInterceptors is declared on the non-generic builder; the generic one hides it with its own return type.
    private static bool HasAddInterceptors(INamedTypeSymbol builder)
    {
        for (var current = builder; current is not null; current = current.BaseType)
        {
            if (current.GetMembers("AddInterceptors").OfType<IMethodSymbol>().Any(m => m.Parameters.Length == 1 && m.Parameters[0].IsParams))
            {
                return true;
            }
        }

        return false;
    }
}
