using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;

namespace CheckpointAudit.CodeFixes;

/// <summary>
/// Fix All for fixes that edit another document than the diagnostic's (the model a serializer call saves):
/// collects the diagnostics of the scope and hands them to one solution-level fix, which dedupes its edits.
/// </summary>
internal sealed class SolutionFixAllProvider(string title, string equivalenceKey, Func<Solution, ImmutableArray<Diagnostic>, CancellationToken, Task<Solution>> fix)
    : FixAllProvider
{
    public override IEnumerable<FixAllScope> GetSupportedFixAllScopes() => new[] { FixAllScope.Document, FixAllScope.Project, FixAllScope.Solution };

    public override async Task<CodeAction?> GetFixAsync(FixAllContext context)
    {
        var diagnostics = ImmutableArray.CreateBuilder<Diagnostic>();
        switch (context.Scope)
        {
            case FixAllScope.Document when context.Document is not null:
                diagnostics.AddRange(await context.GetDocumentDiagnosticsAsync(context.Document).ConfigureAwait(false));
                break;
            case FixAllScope.Project:
                diagnostics.AddRange(await context.GetAllDiagnosticsAsync(context.Project).ConfigureAwait(false));
                break;
            case FixAllScope.Solution:
                foreach (var project in context.Solution.Projects)
                {
                    diagnostics.AddRange(await context.GetAllDiagnosticsAsync(project).ConfigureAwait(false));
                }

                break;
        }

        var all = diagnostics.ToImmutable();
        return CodeAction.Create(title, ct => fix(context.Solution, all, ct), equivalenceKey);
    }
}
