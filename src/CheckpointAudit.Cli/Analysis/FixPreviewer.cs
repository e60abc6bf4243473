using CheckpointAudit.Catalog;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;

namespace CheckpointAudit.Cli.Analysis;

/// <summary>
/// Applies a rule's first code action to one site in memory and keeps the lines it changes there:
/// the report's before/after for that site. Nothing is written to disk.
/// </summary>
internal static class FixPreviewer
{
    public static async Task<FixPreview?> PreviewAsync(Project project, Diagnostic diagnostic, RuleDefinition rule, CancellationToken cancellationToken)
    {
        var document = project.GetDocument(diagnostic.Location.SourceTree);
        if (document is null)
        {
            return null;
        }

        foreach (var provider in AuditRules.FixesFor(rule.Id))
        {
            var actions = new List<CodeAction>();
            try
            {
                await provider.RegisterCodeFixesAsync(new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), cancellationToken));
                // The first action is the one Fix All and dotnet format apply: the format-preserving one.
                var first = actions.FirstOrDefault();
                if (first is null)
                {
                    continue;
                }

                var operations = await first.GetOperationsAsync(cancellationToken);
                var changed = operations.OfType<ApplyChangesOperation>().FirstOrDefault()?.ChangedSolution;
                if (changed is null)
                {
                    continue;
                }

                return await DescribeAsync(first.Title, document, changed, diagnostic, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // A fix that fails on this site's code is not previewed; the report falls back to the rule page.
                continue;
            }
        }

        return null;
    }

    private static async Task<FixPreview?> DescribeAsync(string title, Document document, Solution changed, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        var also = new List<string>();
        FixPreview? preview = null;
        var changes = changed.GetChanges(document.Project.Solution);
        foreach (var projectChanges in changes.GetProjectChanges())
        {
            foreach (var id in projectChanges.GetChangedDocuments(onlyGetDocumentsWithTextChanges: true))
            {
                var before = await projectChanges.OldProject.GetDocument(id)!.GetTextAsync(cancellationToken);
                var after = await projectChanges.NewProject.GetDocument(id)!.GetTextAsync(cancellationToken);
                var hunks = LineDiff.Hunks(Lines(before), Lines(after));
                if (id == document.Id)
                {
                    var line = diagnostic.Location.GetLineSpan().StartLinePosition.Line;
                    var site = hunks.OrderBy(h => h.DistanceTo(line)).FirstOrDefault();
                    if (site is null)
                    {
                        continue;
                    }

                    preview = new FixPreview(title, site.BeforeText, site.AfterText, also);
                    also.AddRange(hunks.Where(h => h != site).Select(h => h.Summary));
                }
                else
                {
                    also.Add($"changes {Path.GetFileName(projectChanges.NewProject.GetDocument(id)!.FilePath ?? "another file")}");
                }
            }

            foreach (var id in projectChanges.GetChangedAdditionalDocuments())
            {
                also.Add($"updates {Path.GetFileName(projectChanges.NewProject.GetAdditionalDocument(id)!.FilePath ?? "an additional file")}");
            }

            foreach (var id in projectChanges.GetAddedAdditionalDocuments())
            {
                also.Add($"adds {Path.GetFileName(projectChanges.NewProject.GetAdditionalDocument(id)!.FilePath ?? "an additional file")}");
            }
        }

        return preview;
    }

    private static string[] Lines(Microsoft.CodeAnalysis.Text.SourceText text) => text.Lines.Select(l => l.ToString()).ToArray();
}
