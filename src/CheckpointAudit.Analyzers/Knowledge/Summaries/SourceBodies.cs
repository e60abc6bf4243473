using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CheckpointAudit.Knowledge;

/// <summary>
/// The source bodies that can run for a call of a method: its own body, or for an abstract, interface or virtual
/// method, the bodies of its implementations and overrides in this compilation (and the directly referenced ones).
/// </summary>
internal static class SourceBodies
{
    /// <summary>Larger bodies are not summarised: a budget that keeps following calls cheap.</summary>
    public const int MaxBodyLength = 20_000;

    public static bool IsAbstract(IMethodSymbol method) => method.IsAbstract || method.ContainingType.TypeKind == TypeKind.Interface;

    /// <summary>The methods whose bodies run for a call of <paramref name="method"/>, each with its body.</summary>
    public static IEnumerable<(IMethodSymbol Method, IOperation Body)> Of(IMethodSymbol method, Compilation compilation, CancellationToken cancellationToken)
    {
        foreach (var (target, syntax) in Declarations(method, compilation, cancellationToken))
        {
#pragma warning disable RS1030 // Bodies of called project methods, bound once per compilation and method (see MethodSummaries).
            if (DeclaringCompilation.Of(syntax.SyntaxTree, compilation)?.GetSemanticModel(syntax.SyntaxTree) is { } model
                && model.GetOperation(syntax, cancellationToken) is { } body)
#pragma warning restore RS1030
            {
                // The method as its own compilation sees it: a referenced project whose references differ is
                // retargeted here, and its parameters would not match the ones the body refers to.
                yield return (IsOwnDeclaration(target, model.Compilation)
                    ? target
                    : model.GetDeclaredSymbol(syntax, cancellationToken) as IMethodSymbol ?? target, body);
            }
        }
    }

    /// <summary>
    /// The declarations whose bodies <see cref="Of"/> binds, in its order, without binding them: a caller can rule out a
    /// method by its syntax first.
    /// </summary>
    public static IEnumerable<(IMethodSymbol Method, SyntaxNode Declaration)> Declarations(IMethodSymbol method, Compilation compilation, CancellationToken cancellationToken)
    {
        method = method.OriginalDefinition;
        var targets = IsAbstract(method) || method.IsVirtual || method.IsOverride
            ? ImplementationIndex.Of(compilation).Get(method, m => [.. Implementations(m, compilation, cancellationToken)])
            : [method];
        foreach (var target in targets)
        {
            foreach (var reference in target.DeclaringSyntaxReferences)
            {
                var syntax = reference.GetSyntax(cancellationToken);
                if (syntax is (BaseMethodDeclarationSyntax or LocalFunctionStatementSyntax) && syntax.Span.Length <= MaxBodyLength)
                {
                    yield return (target, syntax);
                }
            }
        }
    }

    /// <summary>
    /// Whether some body runs for a call of the method and every such body passes <paramref name="names"/>, a test of
    /// its syntax (an identifier the fact needs): for facts that hold only when every body shows them (summaries that
    /// keep what all implementations agree on), a method one of whose bodies names nothing of the kind is answered
    /// without binding any. Declarations <see cref="Of"/> cannot bind (no body, a file of no compilation) are skipped, as there.
    /// </summary>
    public static bool EveryBodyNames(IMethodSymbol method, Compilation compilation, Func<IMethodSymbol, SyntaxNode, bool> names, CancellationToken cancellationToken)
    {
        var any = false;
        foreach (var (target, declaration) in Declarations(method, compilation, cancellationToken))
        {
            if (declaration is BaseMethodDeclarationSyntax { Body: null, ExpressionBody: null } or LocalFunctionStatementSyntax { Body: null, ExpressionBody: null }
                || DeclaringCompilation.Of(declaration.SyntaxTree, compilation) is null)
            {
                continue;
            }

            if (!names(target, declaration))
            {
                return false;
            }

            any = true;
        }

        return any;
    }

    /// <summary>
    /// Whether the method is already the symbol its declaration has in <paramref name="compilation"/>: a definition of
    /// that compilation's own assembly, not an extension method seen in its reduced form, nor one part of a partial method.
    /// </summary>
    private static bool IsOwnDeclaration(IMethodSymbol target, Compilation compilation)
        => target.IsDefinition && target.MethodKind != MethodKind.ReducedExtension
            && target.PartialDefinitionPart is null && target.PartialImplementationPart is null
            && SymbolEqualityComparer.Default.Equals(target.ContainingAssembly, compilation.Assembly);

    /// <summary>
    /// The implementations found for each abstract, interface or virtual method, kept for the compilation: the search
    /// by name is the costly part, and the same interface method is asked for by many calls and many rules.
    /// </summary>
    private sealed class ImplementationIndex
    {
        private readonly ConcurrentDictionary<IMethodSymbol, ImmutableArray<IMethodSymbol>> _found = new(SymbolEqualityComparer.Default);

        public static ImplementationIndex Of(Compilation compilation)
            => PerCompilation<ImplementationIndex>.Get(compilation, _ => new ImplementationIndex())!;

        public ImmutableArray<IMethodSymbol> Get(IMethodSymbol method, Func<IMethodSymbol, ImmutableArray<IMethodSymbol>> search)
            => _found.GetOrAdd(method, search);
    }

    private static IEnumerable<IMethodSymbol> Implementations(IMethodSymbol method, Compilation compilation, CancellationToken cancellationToken)
    {
        if (!method.IsAbstract && !method.DeclaringSyntaxReferences.IsEmpty)
        {
            yield return method;
        }

        // An interface declared in a referenced project is mostly implemented there (IDiskProvider and DiskProviderBase
        // in a Common project, called from Core): its sources are searched too when the reference is to a compilation.
        var id = method.GetDocumentationCommentId();
        foreach (var searched in SearchedCompilations(compilation))
        {
            // In a referenced project built against other references, the method seen from here is a retargeted
            // copy: its implementations there implement that project's own symbol, found by its documentation ID.
            var own = searched == compilation || id is null ? method
                : DocumentationCommentId.GetFirstSymbolForDeclarationId(id, searched) as IMethodSymbol ?? method;
            foreach (var candidate in SourceMethodsByName.Of(searched).Named(method.Name, cancellationToken))
            {
                if (!SymbolEqualityComparer.Default.Equals(candidate.OriginalDefinition, own) && Implements(candidate, own))
                {
                    yield return candidate;
                }
            }
        }
    }

    /// <summary>The compilation and the compilations it references directly (a solution loaded as a workspace).</summary>
    internal static IEnumerable<Compilation> SearchedCompilations(Compilation compilation)
    {
        yield return compilation;
        foreach (var reference in compilation.References)
        {
            if (reference is CompilationReference { Compilation: { } referenced })
            {
                yield return referenced;
            }
        }
    }

    public static bool Implements(IMethodSymbol candidate, IMethodSymbol abstractMethod)
    {
        if (abstractMethod.ContainingType.TypeKind == TypeKind.Interface)
        {
            // IStore<T>.Save is implemented through IStore<Settings>.Save: match the constructed interface's member.
            foreach (var implemented in candidate.ContainingType.AllInterfaces)
            {
                if (!SymbolEqualityComparer.Default.Equals(implemented.OriginalDefinition, abstractMethod.ContainingType.OriginalDefinition))
                {
                    continue;
                }

                foreach (var member in implemented.GetMembers(abstractMethod.Name))
                {
                    if (SymbolEqualityComparer.Default.Equals(member.OriginalDefinition, abstractMethod)
                        && candidate.ContainingType.FindImplementationForInterfaceMember(member) is IMethodSymbol implementation
                        && SymbolEqualityComparer.Default.Equals(implementation.OriginalDefinition, candidate.OriginalDefinition))
                    {
                        return true;
                    }
                }
            }

            return false;
        }

        for (var overridden = candidate.OverriddenMethod; overridden is not null; overridden = overridden.OverriddenMethod)
        {
            if (SymbolEqualityComparer.Default.Equals(overridden.OriginalDefinition, abstractMethod))
            {
                return true;
            }
        }

        return false;
    }
}
