using System;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using CheckpointAudit.Catalog;
using CheckpointAudit.Knowledge;
using CheckpointAudit.Schema;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Text;

namespace CheckpointAudit.CodeFixes.Schema;

/// <summary>
/// CKPT106 "Add to the schema baseline": appends the member's line to the project's
/// CheckpointSchema.Unshipped.txt (offered when that file exists). Fix All adds every missing member once,
/// keeping the file's existing lines and its line endings.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AddToSchemaBaselineCodeFixProvider))]
[Shared]
public sealed class AddToSchemaBaselineCodeFixProvider : CodeFixProvider
{
    public static readonly string EquivalenceKey = RuleCatalog.SchemaBaselineChange.Id + ".AddToBaseline";

    private static readonly RuleDefinition Rule = RuleCatalog.SchemaBaselineChange;

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(Rule.Id);

    public override FixAllProvider GetFixAllProvider() => new SolutionFixAllProvider(Rule.FixTitle!, EquivalenceKey, AppendAsync);

    public override Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        foreach (var diagnostic in context.Diagnostics)
        {
            if (diagnostic.Properties.ContainsKey(SchemaBaselineCheck.LineProperty) && Unshipped(context.Document.Project) is not null)
            {
                context.RegisterCodeFix(
                    CodeAction.Create(Rule.FixTitle!, ct => AppendAsync(context.Document.Project.Solution, ImmutableArray.Create(diagnostic), ct), EquivalenceKey),
                    diagnostic);
            }
        }

        return Task.CompletedTask;
    }

    private static TextDocument? Unshipped(Project project)
        => project.AdditionalDocuments.FirstOrDefault(d => string.Equals(d.Name, SchemaBaseline.UnshippedFileName, StringComparison.OrdinalIgnoreCase));

    private static async Task<Solution> AppendAsync(Solution solution, ImmutableArray<Diagnostic> diagnostics, CancellationToken cancellationToken)
    {
        var byProject = diagnostics
            .Where(d => d.Properties.ContainsKey(SchemaBaselineCheck.LineProperty) && d.Location.SourceTree is not null)
            .GroupBy(d => solution.GetDocument(d.Location.SourceTree)?.Project.Id);
        foreach (var group in byProject)
        {
            if (group.Key is null || solution.GetProject(group.Key) is not { } project || Unshipped(project) is not { } file)
            {
                continue;
            }

            var text = await file.GetTextAsync(cancellationToken).ConfigureAwait(false);
            var existing = text.Lines.Select(l => l.ToString().Trim()).ToImmutableHashSet();
            var added = group.Select(d => d.Properties[SchemaBaselineCheck.LineProperty]!).Where(l => !existing.Contains(l)).Distinct().OrderBy(l => l, StringComparer.Ordinal).ToList();
            if (added.Count == 0)
            {
                continue;
            }

            var content = text.ToString();
            var newLine = content.Contains("\r\n") ? "\r\n" : "\n";
            var prefix = content.Length == 0 || content.EndsWith("\n", StringComparison.Ordinal) ? string.Empty : newLine;
            var appended = content + prefix + string.Join(newLine, added) + newLine;
            solution = solution.WithAdditionalDocumentText(file.Id, SourceText.From(appended, text.Encoding));
        }

        return solution;
    }
}
