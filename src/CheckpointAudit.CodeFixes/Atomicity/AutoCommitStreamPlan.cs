using System.Collections.Generic;
using System.Linq;
using System.Threading;
using CheckpointAudit.Helpers;
using CheckpointAudit.Knowledge;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace CheckpointAudit.CodeFixes.Atomicity;

/// <summary>
/// CKPT201 on a stream opened to overwrite a file (<c>File.Create</c>, <c>new FileStream(path, FileMode.Create…)</c>)
/// whose end of write no statement can mark, so <see cref="AtomicStreamPlan"/> has no place for a commit: the stream
/// is opened with <c>CheckpointFile.CreateAutoCommit</c> (same arguments, same bytes), which replaces the file atomically
/// when the stream is closed, unless a write on it failed. A crash, kill or full disk then leaves the old file; an
/// exception that closes the stream early publishes what was written, which is what the original stream left.
/// Planned only where something is sure to close the stream, since an unclosed one would never be published:
/// <list type="bullet">
/// <item>a using holds it, directly or through writers that close it (whatever the scope does with it, even a return);</item>
/// <item>it is handed to the constructor of a disposable type of the project that keeps it (or a writer over it) and
/// closes that in its Dispose or DisposeAsync;</item>
/// <item>it is returned, when the caller has checked that every call closes the result in a using.</item>
/// </list>
/// Not planned where the path is named again while the stream is open (that code would see the old file), or where
/// the stream's Name, Handle or SafeFileHandle is read (they are the temp's).
/// </summary>
internal sealed class AutoCommitStreamPlan
{
    private const int MaxConstructorDepth = 3;

    private AutoCommitStreamPlan(ExpressionSyntax creation, ExpressionSyntax replacement)
    {
        Creation = creation;
        Replacement = replacement;
    }

    /// <summary>The stream creation the diagnostic points at.</summary>
    public ExpressionSyntax Creation { get; }

    /// <summary>The CheckpointFile.CreateAutoCommit call that replaces it.</summary>
    public ExpressionSyntax Replacement { get; }

    /// <param name="returnedToClosingCallers">Every call of the method the creation is returned from closes the result.</param>
    public static AutoCommitStreamPlan? Create(SyntaxNode node, SemanticModel model, bool returnedToClosingCallers, CancellationToken cancellationToken)
    {
        if (node.FirstAncestorOrSelf<ExpressionSyntax>(e => e is ObjectCreationExpressionSyntax or InvocationExpressionSyntax) is not { } creation
            || !CheckpointFileCalls.HelperHas(model.Compilation, "CreateAutoCommit")
            || AtomicStreamPlan.AutoCommitEquivalent(creation, model, cancellationToken) is not { } replacement)
        {
            return null;
        }

        var path = AtomicStreamPlan.PathOf(creation);
        var plan = new AutoCommitStreamPlan(creation, replacement.WithTriviaFrom(creation));

        // A using closes it: the scope must not name the path nor read what the stream says of its file.
        var held = ThroughClosingWriters(creation, model, cancellationToken);
        if (UsingScope(held, model, cancellationToken) is { } scope)
        {
            return ClosedAtScopeEnd(scope, [path], model, cancellationToken) && !held.DescendantNodesAndSelf().Any(SetsAutoFlush) ? plan : null;
        }

        // An object of the project owns it; the path must not be named again in the method, but by other such creations.
        if (creation.Parent is ArgumentSyntax { Parent.Parent: BaseObjectCreationExpressionSyntax owner } argument
            && model.GetOperation(argument, cancellationToken) is IArgumentOperation { Parameter: { ContainingSymbol: IMethodSymbol constructor } parameter }
            && Owns(constructor.OriginalDefinition, parameter.OriginalDefinition, constructor.ContainingType.OriginalDefinition, model.Compilation, cancellationToken))
        {
            var member = creation.FirstAncestorOrSelf<MemberDeclarationSyntax>() ?? (SyntaxNode)owner;
            return member.DescendantNodes().Any(n => n is ExpressionSyntax e && AtomicStreamPlan.NamesPath(e, path) && !IsPathOfStreamCreation(e, model, cancellationToken))
                ? null
                : plan;
        }

        // return new FileStream(path, FileMode.Create); from a method whose every call closes the result.
        return returnedToClosingCallers && creation.Parent is ReturnStatementSyntax or ArrowExpressionClauseSyntax { Parent: MethodDeclarationSyntax }
            && creation.Ancestors().TakeWhile(a => a is not MemberDeclarationSyntax).All(a => a is not (AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax))
            ? plan
            : null;
    }

    /// <summary>
    /// A stream (or the result of a call opening one) held by a using, directly or through writers that close it, in
    /// whose scope none of <paramref name="paths"/> is named again and the file behind the stream is not asked for.
    /// </summary>
    public static bool ClosedByUsing(ExpressionSyntax value, IEnumerable<ExpressionSyntax> paths, SemanticModel model, CancellationToken cancellationToken)
        => UsingScope(ThroughClosingWriters(value, model, cancellationToken), model, cancellationToken) is { } scope
            && ClosedAtScopeEnd(scope, paths, model, cancellationToken);

    private static bool ClosedAtScopeEnd((ILocalSymbol? Local, IReadOnlyList<SyntaxNode> Region) scope, IEnumerable<ExpressionSyntax> paths, SemanticModel model, CancellationToken cancellationToken)
        => !scope.Region.Any(part => part.DescendantNodesAndSelf().Any(n => n is ExpressionSyntax e && paths.Any(path => AtomicStreamPlan.NamesPath(e, path))))
            && !scope.Region.Any(part => ExposesFile(part, scope.Local, model, cancellationToken) || ShowsProgress(part) || LeavesTaskRunning(part, model, cancellationToken));

    /// <summary>
    /// A call given something (the stream, a writer over it) that returns a task not awaited in the scope: it may still
    /// write when the using closes the stream, and the close would publish it half-written.
    /// </summary>
    private static bool LeavesTaskRunning(SyntaxNode part, SemanticModel model, CancellationToken cancellationToken)
        => part.DescendantNodesAndSelf().OfType<InvocationExpressionSyntax>().Any(call =>
            call.ArgumentList.Arguments.Count > 0
            && !IsAwaited(call)
            && model.GetTypeInfo(call, cancellationToken).Type is { } type && AtomicStreamPlan.IsAwaitable(type));

    private static bool IsAwaited(ExpressionSyntax call)
        => call.Parent is AwaitExpressionSyntax
            || call.Parent is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "ConfigureAwait", Parent: InvocationExpressionSyntax { Parent: AwaitExpressionSyntax } };

    /// <summary>
    /// The write is meant to be seen while it goes on (a log, a recording): a flush in a loop, or a writer set to
    /// flush itself. Published only when closed, it would show nothing until then.
    /// </summary>
    private static bool ShowsProgress(SyntaxNode part)
        => part.DescendantNodesAndSelf().Any(n =>
            n is InvocationExpressionSyntax call && Receiver(call) is (not null, "Flush" or "FlushAsync")
                && n.Ancestors().TakeWhile(a => a != part.Parent).Any(a => a is ForStatementSyntax or CommonForEachStatementSyntax or WhileStatementSyntax or DoStatementSyntax)
            || SetsAutoFlush(n));

    /// <summary>
    /// The call, or the StreamWriter/BinaryWriter/compression stream that closes it (through any number of them), that
    /// holds the stream: <c>new StreamWriter(File.Create(path))</c> is held by the writer.
    /// </summary>
    private static ExpressionSyntax ThroughClosingWriters(ExpressionSyntax value, SemanticModel model, CancellationToken cancellationToken)
    {
        while (value.Parent is ArgumentSyntax { Parent.Parent: ObjectCreationExpressionSyntax wrapper } argument && ClosesWhenDisposed(wrapper, argument, model, cancellationToken))
        {
            value = wrapper;
        }

        return value;
    }

    /// <summary>The using that declares <paramref name="value"/> (or takes it as its expression), the local and the code it is open in.</summary>
    private static (ILocalSymbol? Local, IReadOnlyList<SyntaxNode> Region)? UsingScope(ExpressionSyntax value, SemanticModel model, CancellationToken cancellationToken)
    {
        if (value.Parent is UsingStatementSyntax { Expression: { } expression } bare && expression == value)
        {
            return (null, [bare.Statement]);
        }

        if (value.Parent is not EqualsValueClauseSyntax { Parent: VariableDeclaratorSyntax declarator }
            || declarator.Parent is not VariableDeclarationSyntax declaration)
        {
            return null;
        }

        var local = model.GetDeclaredSymbol(declarator, cancellationToken) as ILocalSymbol;
        return declaration.Parent switch
        {
            UsingStatementSyntax statement => (local, [statement.Statement]),
            LocalDeclarationStatementSyntax { UsingKeyword.RawKind: (int)SyntaxKind.UsingKeyword, Parent: BlockSyntax block } usingLocal
                => (local, block.Statements.SkipWhile(s => s != usingLocal).Skip(1).ToList()),
            _ => null,
        };
    }

    /// <summary>The first argument of a StreamWriter, BinaryWriter or compression stream that closes it when disposed.</summary>
    private static bool ClosesWhenDisposed(ObjectCreationExpressionSyntax wrapper, ArgumentSyntax argument, SemanticModel model, CancellationToken cancellationToken)
        => wrapper.ArgumentList!.Arguments.IndexOf(argument) == 0 && argument.NameColon is null
            && model.GetTypeInfo(wrapper, cancellationToken).Type is { } type
            && (type.Name is "StreamWriter" or "BinaryWriter" && SymbolNames.IsNamespace(type.ContainingNamespace, "System.IO")
                || type.Name is "GZipStream" or "DeflateStream" or "BrotliStream" && SymbolNames.IsNamespace(type.ContainingNamespace, "System.IO.Compression"))
            && AtomicStreamPlan.ClosesTheStream(wrapper, model, cancellationToken);

    /// <summary><c>stream.Name</c>, <c>.Handle</c> or <c>.SafeFileHandle</c> of the local: after the fix, the temp's.</summary>
    private static bool ExposesFile(SyntaxNode part, ILocalSymbol? local, SemanticModel model, CancellationToken cancellationToken)
        => local is not null
            && part.DescendantNodesAndSelf().OfType<MemberAccessExpressionSyntax>().Any(access =>
                StreamLeftOpen.ExposesFile(access.Name.Identifier.ValueText)
                && access.Expression is IdentifierNameSyntax { Identifier.ValueText: var name } && name == local.Name
                && SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(access.Expression, cancellationToken).Symbol, local));

    /// <summary>
    /// The path argument of another creation this plan rewrites the same way (one per format in a switch), or has
    /// rewritten already.
    /// </summary>
    private static bool IsPathOfStreamCreation(ExpressionSyntax expression, SemanticModel model, CancellationToken cancellationToken)
        => expression.Parent is ArgumentSyntax { Parent: ArgumentListSyntax { Parent: ExpressionSyntax creation } list } argument
            && list.Arguments.IndexOf(argument) == 0
            && (AtomicStreamPlan.AutoCommitEquivalent(creation, model, cancellationToken) is not null
                || model.GetSymbolInfo(creation, cancellationToken).Symbol is IMethodSymbol { Name: "CreateAutoCommit" } helper
                    && HelperFeatures.IsGeneratedType(helper.ContainingType, HelperFeatures.HelperTypeName));

    /// <summary>
    /// The constructor keeps its parameter (or a writer that closes it) in a field or property, directly or through a
    /// base constructor, every way of disposing the created type closes one of those members, and no code of the type
    /// or its bases makes the write visible as it goes (a flush of a holder, AutoFlush) or asks a holder for its file.
    /// </summary>
    /// <param name="created">The type created, whose Dispose and DisposeAsync must reach the close.</param>
    private static bool Owns(IMethodSymbol constructor, IParameterSymbol parameter, INamedTypeSymbol created, Compilation compilation, CancellationToken cancellationToken)
    {
        var holders = new List<ISymbol>();
        CollectHolders(constructor, parameter, holders, compilation, 0, cancellationToken);
        if (holders.Count == 0 || !DisposalCloses(created, holders, compilation, cancellationToken))
        {
            return false;
        }

        for (INamedTypeSymbol? type = created; type is not null && InCompilation(type, compilation); type = type.BaseType)
        {
            if (ShowsOrExposes(type, holders, compilation, cancellationToken))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The fields and properties the constructor keeps the parameter in (or a writer closing it), base constructors included.</summary>
    private static void CollectHolders(IMethodSymbol constructor, IParameterSymbol parameter, List<ISymbol> holders, Compilation compilation, int depth, CancellationToken cancellationToken)
    {
        if (depth > MaxConstructorDepth || constructor.DeclaringSyntaxReferences.Length != 1
            || constructor.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken) is not { } declaration
            || !compilation.ContainsSyntaxTree(declaration.SyntaxTree))
        {
            return;
        }

        // A primary constructor's parameter is read by the type's initializers and members, and by its base type's arguments.
        var model = compilation.GetSemanticModel(declaration.SyntaxTree);
        foreach (var name in declaration.DescendantNodes().OfType<IdentifierNameSyntax>())
        {
            if (name.Identifier.ValueText != parameter.Name
                || !SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(name, cancellationToken).Symbol, parameter))
            {
                continue;
            }

            var value = ThroughClosingWriters(name, model, cancellationToken);
            switch (value.Parent)
            {
                case EqualsValueClauseSyntax { Parent: VariableDeclaratorSyntax { Parent.Parent: FieldDeclarationSyntax } field }:
                    holders.Add(model.GetDeclaredSymbol(field, cancellationToken)!);
                    break;
                case EqualsValueClauseSyntax { Parent: PropertyDeclarationSyntax property }:
                    holders.Add(model.GetDeclaredSymbol(property, cancellationToken)!);
                    break;
                case AssignmentExpressionSyntax { RawKind: (int)SyntaxKind.SimpleAssignmentExpression } assignment when assignment.Right == value
                    && model.GetSymbolInfo(assignment.Left, cancellationToken).Symbol is IFieldSymbol or IPropertySymbol:
                    holders.Add(model.GetSymbolInfo(assignment.Left, cancellationToken).Symbol!);
                    break;
                case ArgumentSyntax { Parent.Parent: ConstructorInitializerSyntax or PrimaryConstructorBaseTypeSyntax } argument
                    when model.GetOperation(argument, cancellationToken) is IArgumentOperation { Parameter: { ContainingSymbol: IMethodSymbol baseConstructor } baseParameter }:
                    CollectHolders(baseConstructor.OriginalDefinition, baseParameter.OriginalDefinition, holders, compilation, depth + 1, cancellationToken);
                    break;
                case MemberAccessExpressionSyntax when declaration is TypeDeclarationSyntax:
                    holders.Add(parameter); // a primary constructor's parameter, closed where it is captured
                    break;
            }
        }
    }

    private static bool InCompilation(ISymbol symbol, Compilation compilation)
        => symbol.DeclaringSyntaxReferences.Any(r => compilation.ContainsSyntaxTree(r.SyntaxTree));

    /// <summary>
    /// Each of the type's ways of being disposed (its IDisposable.Dispose and IAsyncDisposable.DisposeAsync, as a using
    /// calls them) reaches a close of a holder: in its own body, through its base's, or through Dispose(true).
    /// </summary>
    private static bool DisposalCloses(INamedTypeSymbol created, List<ISymbol> holders, Compilation compilation, CancellationToken cancellationToken)
    {
        var entries = new List<IMethodSymbol>();
        foreach (var (name, member) in new[] { ("System.IDisposable", "Dispose"), ("System.IAsyncDisposable", "DisposeAsync") })
        {
            if (compilation.GetTypeByMetadataName(name) is not { } contract || !created.AllInterfaces.Contains(contract, SymbolEqualityComparer.Default))
            {
                continue;
            }

            if (contract.GetMembers(member).FirstOrDefault() is not { } declared || created.FindImplementationForInterfaceMember(declared) is not IMethodSymbol implementation)
            {
                return false;
            }

            entries.Add(MostDerived(created, implementation));
        }

        return entries.Count > 0 && entries.All(entry => Reaches(entry, created, holders, compilation, 0, cancellationToken));
    }

    /// <summary>
    /// The method closes a holder on every run: a close, a call of its base or of Dispose(true) that does, with no
    /// condition, loop, nested function, return or throw around or before it.
    /// </summary>
    private static bool Reaches(IMethodSymbol method, INamedTypeSymbol created, List<ISymbol> holders, Compilation compilation, int depth, CancellationToken cancellationToken)
    {
        if (depth > MaxConstructorDepth || method.DeclaringSyntaxReferences.Length != 1
            || method.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken) is not MethodDeclarationSyntax declaration
            || !compilation.ContainsSyntaxTree(declaration.SyntaxTree)
            || ((SyntaxNode?)declaration.Body ?? declaration.ExpressionBody) is not { } body)
        {
            return false;
        }

        var own = body.DescendantNodesAndSelf(n => n is not (AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax)).ToList();
        if (own.Any(n => n is ReturnStatementSyntax or ThrowStatementSyntax or ThrowExpressionSyntax or YieldStatementSyntax or GotoStatementSyntax))
        {
            return false; // a way out before the close
        }

        var model = compilation.GetSemanticModel(declaration.SyntaxTree);
        foreach (var call in own.OfType<InvocationExpressionSyntax>().Where(c => Unconditional(c, body)))
        {
            if (ClosesHolder(call, holders, model, cancellationToken))
            {
                return true;
            }

            if (call.Expression is MemberAccessExpressionSyntax { Expression: BaseExpressionSyntax, Name.Identifier.ValueText: var called }
                && called == method.Name && method.OverriddenMethod is { } overridden
                && Reaches(overridden.OriginalDefinition, created, holders, compilation, depth + 1, cancellationToken))
            {
                return true;
            }

            // Dispose(true): the override of Dispose(bool) nearest the created type runs.
            if (call.Expression is IdentifierNameSyntax { Identifier.ValueText: "Dispose" } or MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax, Name.Identifier.ValueText: "Dispose" }
                && call.ArgumentList.Arguments is { Count: 1 } flag && flag[0].Expression.IsKind(SyntaxKind.TrueLiteralExpression)
                && DisposeWithFlag(created) is { } disposeWithFlag
                && Reaches(disposeWithFlag, created, holders, compilation, depth + 1, cancellationToken))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The override of <paramref name="method"/> that runs for an instance of <paramref name="type"/>.</summary>
    private static IMethodSymbol MostDerived(INamedTypeSymbol? type, IMethodSymbol method)
    {
        for (; type is not null; type = type.BaseType)
        {
            foreach (var candidate in type.GetMembers(method.Name).OfType<IMethodSymbol>())
            {
                for (var overridden = candidate; overridden is not null; overridden = overridden.OverriddenMethod)
                {
                    if (SymbolEqualityComparer.Default.Equals(overridden.OriginalDefinition, method.OriginalDefinition))
                    {
                        return candidate.OriginalDefinition;
                    }
                }
            }
        }

        return method;
    }

    private static IMethodSymbol? DisposeWithFlag(INamedTypeSymbol? type)
    {
        for (; type is not null; type = type.BaseType)
        {
            if (type.GetMembers("Dispose").OfType<IMethodSymbol>().FirstOrDefault(m => m.Parameters.Length == 1 && m.Parameters[0].Type.SpecialType == SpecialType.System_Boolean) is { } found)
            {
                return found.OriginalDefinition;
            }
        }

        return null;
    }

    /// <summary>No condition, loop or catch between the call and the body it runs in.</summary>
    private static bool Unconditional(SyntaxNode call, SyntaxNode body)
        => !call.Ancestors().TakeWhile(a => a != body).Any(a => a is IfStatementSyntax or ConditionalExpressionSyntax or SwitchStatementSyntax or SwitchExpressionSyntax
            or CatchClauseSyntax or ForStatementSyntax or CommonForEachStatementSyntax or WhileStatementSyntax or DoStatementSyntax
            or BinaryExpressionSyntax { RawKind: (int)SyntaxKind.LogicalAndExpression or (int)SyntaxKind.LogicalOrExpression or (int)SyntaxKind.CoalesceExpression });

    /// <summary><c>holder.Dispose()</c>, <c>holder?.DisposeAsync()</c> or <c>holder.Close()</c>.</summary>
    private static bool ClosesHolder(InvocationExpressionSyntax call, List<ISymbol> holders, SemanticModel model, CancellationToken cancellationToken)
        => Receiver(call) is ({ } receiver, "Dispose" or "DisposeAsync" or "Close")
            && model.GetSymbolInfo(receiver, cancellationToken).Symbol is { } closed
            && holders.Any(h => SymbolEqualityComparer.Default.Equals(h.OriginalDefinition, closed.OriginalDefinition));

    /// <summary>The receiver and name of <c>x.M()</c> or <c>x?.M()</c>.</summary>
    private static (ExpressionSyntax? Receiver, string? Name) Receiver(InvocationExpressionSyntax call)
        => call.Expression switch
        {
            MemberAccessExpressionSyntax access => (access.Expression, access.Name.Identifier.ValueText),
            MemberBindingExpressionSyntax binding when call.FirstAncestorOrSelf<ConditionalAccessExpressionSyntax>() is { } conditional
                => (conditional.Expression, binding.Name.Identifier.ValueText),
            _ => (null, null),
        };

    /// <summary>
    /// Anywhere in the type: an AutoFlush set other than to false, a flush of a holder outside disposal (what it
    /// writes is meant to be seen at once), or a holder's <c>Name</c>, <c>Handle</c> or <c>SafeFileHandle</c> (the temp's after the fix).
    /// </summary>
    private static bool ShowsOrExposes(INamedTypeSymbol type, List<ISymbol> holders, Compilation compilation, CancellationToken cancellationToken)
    {
        foreach (var reference in type.DeclaringSyntaxReferences)
        {
            var declaration = reference.GetSyntax(cancellationToken);
            var model = compilation.GetSemanticModel(reference.SyntaxTree);
            bool IsHolder(ExpressionSyntax expression)
                => model.GetSymbolInfo(expression, cancellationToken).Symbol is { } symbol
                    && holders.Any(h => SymbolEqualityComparer.Default.Equals(h.OriginalDefinition, symbol.OriginalDefinition));

            foreach (var node in declaration.DescendantNodes())
            {
                if (SetsAutoFlush(node)
                    || node is MemberAccessExpressionSyntax access && StreamLeftOpen.ExposesFile(access.Name.Identifier.ValueText) && IsHolder(access.Expression)
                    || node is InvocationExpressionSyntax call && Receiver(call) is ({ } receiver, "Flush" or "FlushAsync")
                        && call.FirstAncestorOrSelf<MethodDeclarationSyntax>() is not { Identifier.ValueText: "Dispose" or "DisposeAsync" } && IsHolder(receiver))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary><c>AutoFlush = …</c>, in a statement or an object initializer, to anything but the constant false.</summary>
    private static bool SetsAutoFlush(SyntaxNode node)
        => node is AssignmentExpressionSyntax { Left: IdentifierNameSyntax { Identifier.ValueText: "AutoFlush" } or MemberAccessExpressionSyntax { Name.Identifier.ValueText: "AutoFlush" } } assignment
            && !assignment.Right.IsKind(SyntaxKind.FalseLiteralExpression);
}
