using System.Composition;
using System.Linq;
using System.Threading;
using CheckpointAudit.Catalog;
using CheckpointAudit.Concurrency;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;

namespace CheckpointAudit.CodeFixes.Concurrency;

/// <summary>
/// CKPT609 "Clear the connection pools first": inserts <c>SqliteConnection.ClearAllPools();</c> (the provider's
/// connection type, from the diagnostic) before the statement that deletes, moves or replaces the database file, so
/// that the connections closed earlier release the file before it changes. Offered when that statement is directly
/// in a block or a switch section; Fix All clears once before the first such statement of a block.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ClearPoolsFirstCodeFixProvider))]
[Shared]
public sealed class ClearPoolsFirstCodeFixProvider : StatementEditCodeFixProvider<ClearPoolsFirstCodeFixProvider.Site>
{
    public static readonly string EquivalenceKey = RuleCatalog.DatabaseFileSwappedUnderPool.Id + ".ClearPools";

    public ClearPoolsFirstCodeFixProvider()
        : base(RuleCatalog.DatabaseFileSwappedUnderPool, EquivalenceKey)
    {
    }

    /// <summary>One clear per block: later statements of the block are covered by it.</summary>
    private protected override SyntaxNode Anchor(Site plan) => plan.Statement.Parent!;

    private protected override void Apply(DocumentEditor editor, Site site)
    {
        // The file's own line ending.
        var newLine = editor.OriginalRoot.DescendantTrivia().FirstOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia));
        var clear = SyntaxFactory.ParseStatement($"global::{site.Provider}.ClearAllPools();")
            .WithLeadingTrivia(SyntaxFactory.ElasticMarker)
            .WithTrailingTrivia(newLine.IsKind(SyntaxKind.EndOfLineTrivia) ? newLine : SyntaxFactory.ElasticCarriageReturnLineFeed)
            .WithAdditionalAnnotations(Formatter.Annotation, Simplifier.Annotation);
        editor.InsertBefore(site.Statement, clear);
    }

    public sealed class Site(StatementSyntax statement, string provider)
    {
        public StatementSyntax Statement { get; } = statement;

        /// <summary>The provider's connection type, fully qualified.</summary>
        public string Provider { get; } = provider;
    }

    private protected override Site? Plan(Diagnostic diagnostic, SyntaxNode root, SemanticModel model, CancellationToken cancellationToken)
    {
        if (!diagnostic.Properties.TryGetValue(DatabaseFileSwappedUnderPoolCheck.ProviderProperty, out var provider) || provider is null
            || model.Compilation.GetTypeByMetadataName(provider) is null)
        {
            return null;
        }

        var statement = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true).FirstAncestorOrSelf<StatementSyntax>();
        return statement?.Parent is BlockSyntax or SwitchSectionSyntax ? new Site(statement, provider) : null;
    }
}
