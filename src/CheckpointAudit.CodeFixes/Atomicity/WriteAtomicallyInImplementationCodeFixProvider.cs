using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using CheckpointAudit.Catalog;
using CheckpointAudit.Knowledge;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.FindSymbols;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;

namespace CheckpointAudit.CodeFixes.Atomicity;

/// <summary>
/// CKPT201/CKPT209 on a call of the project's own file abstraction (an interface or overridable method whose every
/// implementation overwrites its path argument in place, e.g. <c>IDiskProvider.WriteAllText</c>): "Write atomically in
/// Type.Method" applies <see cref="AtomicWriteRewrite"/> where the implementations write, so every caller of the
/// abstraction is fixed at once and code tested through it keeps calling it. Offered only when each implementation
/// in the solution overwrites the parameter itself (not through a further call) and each such write has the rewrite
/// in its own project; an implementation that cannot be rewritten, or an interface method with a default body, leaves
/// the finding without this fix. An implementation that returns the stream it opens (<c>OpenWriteStream(path)</c>) gets
/// <c>CheckpointFile.CreateAutoCommit</c> when every call in the solution closes the stream in a using.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(WriteAtomicallyInImplementationCodeFixProvider))]
[Shared]
public sealed class WriteAtomicallyInImplementationCodeFixProvider : CodeFixProvider
{
    public static readonly string EquivalenceKey = RuleCatalog.NonAtomicOverwrite.Id + ".WriteAtomicallyInImplementation";

    private const string FixAllTitle = "Write atomically in the implementations";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleCatalog.NonAtomicOverwrite.Id, RuleCatalog.OutputOverwrite.Id);

    public override FixAllProvider GetFixAllProvider() => new SolutionFixAllProvider(FixAllTitle, EquivalenceKey, FixAsync);

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var solution = context.Document.Project.Solution;
        foreach (var diagnostic in context.Diagnostics)
        {
            if (await PlanAsync(solution, diagnostic, context.CancellationToken).ConfigureAwait(false) is { } plan)
            {
                context.RegisterCodeFix(
                    CodeAction.Create(plan.Title, ct => FixAsync(solution, ImmutableArray.Create(diagnostic), ct), EquivalenceKey),
                    diagnostic);
            }
        }
    }

    private static async Task<Solution> FixAsync(Solution solution, ImmutableArray<Diagnostic> diagnostics, CancellationToken cancellationToken)
    {
        var writes = new Dictionary<DocumentId, HashSet<TextSpan>>();
        foreach (var diagnostic in diagnostics)
        {
            if (await PlanAsync(solution, diagnostic, cancellationToken).ConfigureAwait(false) is not { } plan)
            {
                continue;
            }

            foreach (var (document, span) in plan.Writes)
            {
                if (!writes.TryGetValue(document, out var spans))
                {
                    writes[document] = spans = new HashSet<TextSpan>();
                }

                spans.Add(span);
            }
        }

        foreach (var pair in writes)
        {
            // Each span was checked with its own plan: a stream returned to callers that close it is listed only when they all do.
            var rewritten = await AtomicWriteRewrite.FixAsync(solution.GetDocument(pair.Key)!, pair.Value.OrderBy(s => s.Start), cancellationToken, returnedToClosingCallers: true).ConfigureAwait(false);
            solution = rewritten.Project.Solution;
        }

        return solution;
    }

    private sealed class Plan(string title, ImmutableArray<(DocumentId Document, TextSpan Write)> writes)
    {
        public string Title { get; } = title;

        /// <summary>The in-place writes of the implementations, each where CKPT201 would report it.</summary>
        public ImmutableArray<(DocumentId Document, TextSpan Write)> Writes { get; } = writes;
    }

    private static async Task<Plan?> PlanAsync(Solution solution, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        if (diagnostic.Location.SourceTree is not { } tree || solution.GetDocument(tree) is not { } document
            || await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false) is not { } root
            || await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false) is not { } model
            || root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is not { } node
            || node.FirstAncestorOrSelf<InvocationExpressionSyntax>() is not { } call
            || call.Span != diagnostic.Location.SourceSpan // the finding is this call, not a write in its arguments
            || model.GetOperation(call, cancellationToken) is not IInvocationOperation { TargetMethod: { } called }
            || !(called.IsAbstract || called.IsVirtual || called.IsOverride || called.ContainingType.TypeKind == TypeKind.Interface)
            || called.ContainingType.TypeKind == TypeKind.Interface && !called.IsAbstract // a default body runs for classes that do not implement it
            || called.DeclaringSyntaxReferences.IsEmpty)
        {
            return null;
        }

        var implementations = await ImplementationsAsync(called.OriginalDefinition, solution, cancellationToken).ConfigureAwait(false);
        if (implementations.IsEmpty)
        {
            return null;
        }

        // A stream an implementation returns is rewritten only when every call in the solution closes it (asked once, when needed).
        Task<bool>? closedByCallers = null;
        Task<bool> ClosedByCallers() => closedByCallers ??= EveryCallClosesTheResultAsync([called.OriginalDefinition, .. implementations], solution, cancellationToken);

        var writes = ImmutableArray.CreateBuilder<(DocumentId, TextSpan)>();
        foreach (var implementation in implementations)
        {
            var found = await WritesOfParametersAsync(implementation, solution, ClosedByCallers, cancellationToken).ConfigureAwait(false);
            if (found.IsDefaultOrEmpty)
            {
                return null; // written through a further call, or with no rewrite: the finding keeps its other fixes only
            }

            writes.AddRange(found);
        }

        var first = implementations[0];
        var title = implementations.Length == 1
            ? $"Write atomically in {first.ContainingType.Name}.{first.Name}"
            : $"Write atomically in the {implementations.Length} implementations of {called.ContainingType.Name}.{called.Name}";
        return new Plan(title, writes.ToImmutable());
    }

    /// <summary>The methods with a body that run for a call of <paramref name="method"/>: the implementations and overrides in the solution's sources.</summary>
    private static async Task<ImmutableArray<IMethodSymbol>> ImplementationsAsync(IMethodSymbol method, Solution solution, CancellationToken cancellationToken)
    {
        var candidates = new List<ISymbol>();
        if (method.ContainingType.TypeKind == TypeKind.Interface)
        {
            candidates.AddRange(await SymbolFinder.FindImplementationsAsync(method, solution, cancellationToken: cancellationToken).ConfigureAwait(false));
        }
        else
        {
            candidates.Add(method);
        }

        foreach (var candidate in candidates.ToArray())
        {
            candidates.AddRange(await SymbolFinder.FindOverridesAsync(candidate, solution, cancellationToken: cancellationToken).ConfigureAwait(false));
        }

        var found = new List<IMethodSymbol>();
        foreach (var candidate in candidates.OfType<IMethodSymbol>().Where(m => !m.IsAbstract))
        {
            if (candidate.DeclaringSyntaxReferences.Length != 1 || solution.GetDocument(candidate.DeclaringSyntaxReferences[0].SyntaxTree) is null)
            {
                return ImmutableArray<IMethodSymbol>.Empty; // partial, or not in the solution's sources: not all of it can be rewritten
            }

            if (!found.Any(f => f.DeclaringSyntaxReferences[0].Span == candidate.DeclaringSyntaxReferences[0].Span
                && f.DeclaringSyntaxReferences[0].SyntaxTree.FilePath == candidate.DeclaringSyntaxReferences[0].SyntaxTree.FilePath))
            {
                found.Add(candidate);
            }
        }

        return found.ToImmutableArray();
    }

    private static bool IsReturned(SyntaxNode candidate)
        => candidate.Parent is ReturnStatementSyntax or ArrowExpressionClauseSyntax;

    /// <summary>
    /// Every call of the methods in the solution's sources opens a stream its caller closes in a using (see
    /// <see cref="AutoCommitStreamPlan.ClosedByUsing"/>); calls in expression trees (a mock's setup) do not run.
    /// </summary>
    private static async Task<bool> EveryCallClosesTheResultAsync(IEnumerable<IMethodSymbol> methods, Solution solution, CancellationToken cancellationToken)
    {
        foreach (var method in methods)
        {
            foreach (var reference in await SymbolFinder.FindReferencesAsync(method, solution, cancellationToken).ConfigureAwait(false))
            {
                foreach (var location in reference.Locations)
                {
                    if (location.IsImplicit
                        || await location.Document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false) is not { } root
                        || await location.Document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false) is not { } model)
                    {
                        return false;
                    }

                    var name = root.FindNode(location.Location.SourceSpan, findInsideTrivia: true, getInnermostNodeForTie: true);
                    if (name.Ancestors().Any(a => a is CrefSyntax || a is InvocationExpressionSyntax { Expression: IdentifierNameSyntax { Identifier.ValueText: "nameof" } }))
                    {
                        continue; // a documentation reference or nameof: not a call
                    }

                    var callee = name.Parent is MemberAccessExpressionSyntax access && access.Name == name ? access : name;
                    if (callee.Parent is not InvocationExpressionSyntax call || call.Expression != callee)
                    {
                        return false; // a method group: what is done with the stream is not seen
                    }

                    if (!(model.GetOperation(call, cancellationToken) is { } operation && OperationTree.InExpressionTree(operation))
                        && !AutoCommitStreamPlan.ClosedByUsing(call, call.ArgumentList.Arguments.Select(a => a.Expression), model, cancellationToken))
                    {
                        return false;
                    }
                }
            }
        }

        return true;
    }

    /// <summary>The in-place writes in the method's own body whose file is one of its parameters, when each has the rewrite.</summary>
    private static async Task<ImmutableArray<(DocumentId, TextSpan)>> WritesOfParametersAsync(IMethodSymbol method, Solution solution, System.Func<Task<bool>> closedByCallers,
        CancellationToken cancellationToken)
    {
        var reference = method.DeclaringSyntaxReferences[0];
        var document = solution.GetDocument(reference.SyntaxTree)!;
        if (await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false) is not { } root
            || await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false) is not { } model
            || FileApiSymbols.Create(model.Compilation) is not { } apis
            || await reference.GetSyntaxAsync(cancellationToken).ConfigureAwait(false) is not { } declaration)
        {
            return default;
        }

        var declared = model.GetDeclaredSymbol(declaration, cancellationToken);
        var writes = ImmutableArray.CreateBuilder<(DocumentId, TextSpan)>();
        foreach (var candidate in declaration.DescendantNodes().Where(n => n is InvocationExpressionSyntax or BaseObjectCreationExpressionSyntax))
        {
            if (model.GetOperation(candidate, cancellationToken) is { } operation
                && FileOverwrite.TryMatch(operation, apis, out var overwrite)
                && PathKey.Unwrap(overwrite.Target) is IParameterReferenceOperation { Parameter: var parameter }
                && SymbolEqualityComparer.Default.Equals(parameter.ContainingSymbol, declared))
            {
                if (!AtomicWriteRewrite.CanFix(candidate.Span, root, model, cancellationToken)
                    && !(IsReturned(candidate) && AtomicWriteRewrite.CanFix(candidate.Span, root, model, cancellationToken, returnedToClosingCallers: true)
                        && await closedByCallers().ConfigureAwait(false)))
                {
                    return default;
                }

                writes.Add((document.Id, candidate.Span));
            }
        }

        return writes.ToImmutable();
    }
}
