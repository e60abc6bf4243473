using System.Collections.Generic;
using System.Linq;
using System.Threading;
using CheckpointAudit.Knowledge;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;

namespace CheckpointAudit.CodeFixes.Atomicity;

/// <summary>
/// CKPT201 on a stream whose lifetime is a <c>using</c> in the method: the stream is opened with the generated
/// <c>CheckpointFile.Create</c>/<c>CreateText</c> (same bytes, same encoding and byte order mark) and
/// <c>CheckpointFile.Commit(…)</c> is inserted where the write is complete, at the end of the using's scope. The file is
/// then replaced only when that point is reached and the stream closed; an exception before it keeps the old file.
/// Not planned when the scope can be left another way (return, break, goto), when the stream is closed, handed to a
/// wrapper other than a StreamWriter/BinaryWriter in the same using chain, assigned or returned: the commit would not
/// be the end of the write.
/// </summary>
internal sealed class AtomicStreamPlan
{
    private AtomicStreamPlan(ExpressionSyntax creation, ExpressionSyntax replacement, BlockSyntax? block, StatementSyntax? embedded, StatementSyntax? before, string commitOn,
        string? resultName, IReadOnlyList<ObjectCreationExpressionSyntax> leaveOpen)
    {
        ResultName = resultName;
        LeaveOpen = leaveOpen;
        Embedded = embedded;
        Creation = creation;
        Replacement = replacement;
        Block = block;
        Before = before;
        CommitOn = commitOn;
    }

    /// <summary>The stream creation the diagnostic points at.</summary>
    public ExpressionSyntax Creation { get; }

    /// <summary>The CheckpointFile call that replaces it.</summary>
    public ExpressionSyntax Replacement { get; }

    /// <summary>The block the commit goes in: at its end, or before <see cref="Before"/> (its final return or close).</summary>
    public BlockSyntax? Block { get; }

    /// <summary>A using's body that is one statement, not a block: it becomes a block ending with the commit.</summary>
    public StatementSyntax? Embedded { get; }

    public StatementSyntax? Before { get; }

    /// <summary>The local committed: the stream, or the StreamWriter/BinaryWriter wrapping it in the same using chain.</summary>
    public string CommitOn { get; }

    /// <summary>A final return that still computes: its value is kept in a local of this name before the commit.</summary>
    public string? ResultName { get; }

    /// <summary>Wrappers over the stream (a ZipArchive, a GZipStream) in using statements: they are told to leave it open.</summary>
    public IReadOnlyList<ObjectCreationExpressionSyntax> LeaveOpen { get; }

    /// <summary>The commit statement to insert; after a statement that ends with a block, a blank line first.</summary>
    public StatementSyntax Commit(StatementSyntax? after = null)
        => after is not null && EndsWithBlock(after) && after.GetTrailingTrivia().LastOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia)) is { RawKind: not 0 } newLine
            ? Commit().WithLeadingTrivia(newLine)
            : CheckpointFileCalls.CommitStatement(CommitOn).WithAdditionalAnnotations(Formatter.Annotation);

    /// <summary>Opens the stream through the helper and inserts the commit, in one editor with the document's other fixes.</summary>
    public void Apply(DocumentEditor editor)
    {
        editor.ReplaceNode(Creation, Replacement.WithTriviaFrom(Creation));
        foreach (var wrapper in LeaveOpen)
        {
            editor.ReplaceNode(wrapper, LeaveOpenWrapper.Opened(wrapper));
        }

        if (ResultName is not null && Before is ReturnStatementSyntax { Expression: { } returned } finalReturn)
        {
            // var result = Write(stream); Commit(stream); return result;
            var keep = SyntaxFactory.LocalDeclarationStatement(SyntaxFactory.VariableDeclaration(
                    SyntaxFactory.IdentifierName("var"),
                    SyntaxFactory.SingletonSeparatedList(SyntaxFactory.VariableDeclarator(ResultName).WithInitializer(SyntaxFactory.EqualsValueClause(returned.WithoutTrivia())))))
                .WithAdditionalAnnotations(Formatter.Annotation);
            var result = SyntaxFactory.IdentifierName(ResultName);
            if (Embedded == finalReturn)
            {
                editor.ReplaceNode(finalReturn, SyntaxFactory.Block(keep, Commit(), finalReturn.WithExpression(result.WithTriviaFrom(returned)).WithoutLeadingTrivia()).WithAdditionalAnnotations(Formatter.Annotation));
            }
            else
            {
                editor.InsertBefore(finalReturn, [keep, Commit()]);
                editor.ReplaceNode(returned, result.WithTriviaFrom(returned));
            }
        }
        else if (Embedded is not null && Embedded == Before)
        {
            // using (…) return value; — the commit goes before the return.
            editor.ReplaceNode(Embedded, (embedded, _) => SyntaxFactory.Block(Commit(), (StatementSyntax)embedded).WithAdditionalAnnotations(Formatter.Annotation));
        }
        else if (Embedded is not null)
        {
            editor.ReplaceNode(Embedded, (embedded, _) => SyntaxFactory.Block((StatementSyntax)embedded, Commit(Embedded)).WithAdditionalAnnotations(Formatter.Annotation));
        }
        else if (Before is not null)
        {
            editor.InsertBefore(Before, Commit());
        }
        else if (Block!.Statements.Count == 0)
        {
            editor.ReplaceNode(Block, (block, _) => ((BlockSyntax)block).AddStatements(Commit()));
        }
        else
        {
            editor.InsertAfter(Block.Statements.Last(), Commit(Block.Statements.Last()));
        }
    }

    private static bool EndsWithBlock(StatementSyntax statement)
        => statement.GetLastToken().IsKind(SyntaxKind.CloseBraceToken);

    public static AtomicStreamPlan? Create(SyntaxNode node, SemanticModel model, CancellationToken cancellationToken)
    {
        if (node.FirstAncestorOrSelf<ExpressionSyntax>(e => e is ObjectCreationExpressionSyntax or InvocationExpressionSyntax) is not { } creation
            || !CheckpointFileCalls.HelperHas(model.Compilation, "Commit")
            || Equivalent(creation, model, cancellationToken) is not { } replacement)
        {
            return null;
        }

        // new BinaryWriter(new FileStream(path, FileMode.Create)): the writer is declared, and it is what is committed.
        var declared = creation.Parent is ArgumentSyntax { Parent.Parent: ObjectCreationExpressionSyntax outer } argument
            && outer.ArgumentList!.Arguments[0] == argument && Wraps(outer, null, model, cancellationToken)
                ? outer
                : creation;
        if (declared.Parent is not EqualsValueClauseSyntax { Parent: VariableDeclaratorSyntax declarator }
            || declarator.Parent is not VariableDeclarationSyntax { Variables.Count: 1 } declaration
            || model.GetDeclaredSymbol(declarator, cancellationToken) is not ILocalSymbol stream)
        {
            return null;
        }

        // The scope the stream lives in, and where it ends: a using statement's body (through a chain of usings), or
        // the rest of the block holding a using declaration.
        BlockSyntax? block;
        StatementSyntax? embedded = null;
        var committed = stream;
        IEnumerable<SyntaxNode> region;
        if (declaration.Parent is UsingStatementSyntax statement)
        {
            var body = statement.Statement;
            while (InnerUsing(body) is { Declaration.Variables: { Count: 1 } innerVariables } inner
                && innerVariables[0] is { Initializer.Value: { } wrapped } wrapper
                && Wraps(wrapped, stream, model, cancellationToken)
                && model.GetDeclaredSymbol(wrapper, cancellationToken) is ILocalSymbol writer)
            {
                committed = writer;
                body = inner.Statement;
            }

            if (body is BlockSyntax bodyBlock)
            {
                block = bodyBlock;
            }
            else if (body is ExpressionStatementSyntax or UsingStatementSyntax or ReturnStatementSyntax)
            {
                // using (var s = File.Create(p)) s.Write(bytes, 0, n); — or a using of a wrapper, or a return: the body
                // becomes a block ending with the commit.
                block = null;
                embedded = body;
            }
            else
            {
                return null;
            }

            region = [statement.Statement];
        }
        else if (declaration.Parent is LocalDeclarationStatementSyntax { UsingKeyword.RawKind: (int)SyntaxKind.UsingKeyword } local
            && local.Parent is BlockSyntax enclosing)
        {
            block = enclosing;
            var rest = enclosing.Statements.SkipWhile(s => s != local).Skip(1).ToList();

            // using var writer = new StreamWriter(stream); right after it: the writer is committed, and flushed first.
            if (rest.FirstOrDefault() is LocalDeclarationStatementSyntax { UsingKeyword.RawKind: (int)SyntaxKind.UsingKeyword, Declaration.Variables: { Count: 1 } next }
                && next[0] is { Initializer.Value: { } wrapped } wrapper
                && Wraps(wrapped, stream, model, cancellationToken)
                && model.GetDeclaredSymbol(wrapper, cancellationToken) is ILocalSymbol writer)
            {
                committed = writer;
            }

            region = rest;
        }
        else
        {
            return null;
        }

        // The file keeps its old content until the scope ends: code there that names the path again (a copy, a move,
        // a read back, an upload) would see the old file.
        var path = PathOf(creation);
        if (region.Any(part => part.DescendantNodesAndSelf().Any(n => n is ExpressionSyntax expression && NamesPath(expression, path))))
        {
            return null;
        }

        // A final return, or a final Close/Dispose of the stream (the write is done there): the commit goes before it.
        // A return that still computes keeps its value in a local first: return Write(stream) becomes
        // var result = Write(stream); Commit(stream); return result;
        var last = block?.Statements.LastOrDefault() ?? embedded as ReturnStatementSyntax;
        var before = last is ReturnStatementSyntax || IsClose(last, stream, committed, model, cancellationToken) ? last : null;
        string? resultName = null;
        if (last is ReturnStatementSyntax { Expression: { } returned } && !IsPlainReturn(returned, stream, committed))
        {
            if (returned.DescendantNodesAndSelf().Any(n => n is ConditionalExpressionSyntax or BinaryExpressionSyntax { RawKind: (int)SyntaxKind.LogicalAndExpression or (int)SyntaxKind.LogicalOrExpression or (int)SyntaxKind.CoalesceExpression })
                || model.GetTypeInfo(returned, cancellationToken).Type is not { SpecialType: not SpecialType.System_Void } returnedType
                || returnedType is IErrorTypeSymbol || returned is AnonymousFunctionExpressionSyntax or ImplicitObjectCreationExpressionSyntax
                || IsAwaitable(returnedType)
                || NamesOtherUsingLocal(returned, stream, committed, model, cancellationToken))
            {
                // A part that may not run, a value with no type of its own to keep it in, a task still writing when it
                // is returned, or another stream committed by its own plan.
                return null;
            }

            resultName = LocalNames.Free(model, last!, "result");
        }

        var leaveOpen = new List<ObjectCreationExpressionSyntax>();
        foreach (var part in region)
        {
            if (LeavesEarly(part, before) || !OnlyWrittenTo(part, stream, committed, before, leaveOpen, model, cancellationToken))
            {
                return null;
            }
        }

        return new AtomicStreamPlan(creation, replacement, block, embedded, before, committed.Name, resultName, leaveOpen);
    }

    /// <summary>A Task, ValueTask or other awaitable: the write may still run after the method returns it.</summary>
    internal static bool IsAwaitable(ITypeSymbol type)
        => type.GetMembers("GetAwaiter").Any() || type.Name is "Task" or "ValueTask" or "IAsyncResult";

    /// <summary>
    /// The returned value reads a local disposed by a using other than this stream and its writer, which could be
    /// an atomic stream with a plan of its own (two plans would each keep the result). A local none of whose creations
    /// has a CheckpointFile equivalent (a stream opened to read, a reader) cannot be.
    /// </summary>
    private static bool NamesOtherUsingLocal(ExpressionSyntax returned, ILocalSymbol stream, ILocalSymbol committed, SemanticModel model, CancellationToken cancellationToken)
        => returned.DescendantNodesAndSelf().OfType<IdentifierNameSyntax>().Any(name =>
            model.GetSymbolInfo(name, cancellationToken).Symbol is ILocalSymbol local
            && !SymbolEqualityComparer.Default.Equals(local, stream) && !SymbolEqualityComparer.Default.Equals(local, committed)
            && local.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(cancellationToken) is VariableDeclaratorSyntax declarator
            && (local.IsUsing || declarator.Parent?.Parent is UsingStatementSyntax)
            && !(declarator.Initializer?.Value is { } initializer && declarator.SyntaxTree == returned.SyntaxTree
                && initializer is ObjectCreationExpressionSyntax or InvocationExpressionSyntax
                && initializer.DescendantNodesAndSelf().OfType<ExpressionSyntax>()
                    .Where(e => e is ObjectCreationExpressionSyntax or InvocationExpressionSyntax)
                    .All(e => Equivalent(e, model, cancellationToken) is null)));

    /// <summary>The using statement a using's body is, alone or as the only statement of a block.</summary>
    private static UsingStatementSyntax? InnerUsing(StatementSyntax body)
        => body as UsingStatementSyntax ?? (body is BlockSyntax { Statements.Count: 1 } block ? block.Statements[0] as UsingStatementSyntax : null);

    /// <summary>
    /// The same stream opened with CheckpointFile.CreateAutoCommit, or null for shapes it has no equivalent of; a text
    /// writer becomes a StreamWriter over such a stream, as CheckpointFile.CreateText builds one over Create.
    /// </summary>
    internal static ExpressionSyntax? AutoCommitEquivalent(ExpressionSyntax creation, SemanticModel model, CancellationToken cancellationToken)
    {
        if (Equivalent(creation, model, cancellationToken) is not InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: var name } member } call)
        {
            return null;
        }

        var autoCommit = member.WithName(SyntaxFactory.IdentifierName("CreateAutoCommit"));
        if (name == "Create")
        {
            return call.WithExpression(autoCommit);
        }

        // CreateText(path[, encoding[, bufferSize]]) is new StreamWriter(Create(path, FileAccess.Write)[, encoding[, bufferSize]]).
        var arguments = call.ArgumentList.Arguments;
        var stream = SyntaxFactory.InvocationExpression(autoCommit, SyntaxFactory.ArgumentList(SyntaxFactory.SeparatedList(
            [arguments[0], SyntaxFactory.Argument(SyntaxFactory.ParseExpression("global::System.IO.FileAccess.Write").WithAdditionalAnnotations(Simplifier.Annotation))])));
        return name == "CreateText"
            ? SyntaxFactory.ObjectCreationExpression(
                    SyntaxFactory.ParseTypeName("global::System.IO.StreamWriter").WithAdditionalAnnotations(Simplifier.Annotation),
                    SyntaxFactory.ArgumentList(SyntaxFactory.SeparatedList([SyntaxFactory.Argument(stream), .. arguments.Skip(1)])),
                    null)
                .WithNewKeyword(SyntaxFactory.Token(SyntaxKind.NewKeyword).WithTrailingTrivia(SyntaxFactory.Space))
            : null;
    }

    private const int DeleteOnClose = 0x04000000;

    /// <summary>A FileOptions argument that is not a constant, or asks for DeleteOnClose: the temp would be gone before it is published.</summary>
    private static bool HasUnsafeOptions(SeparatedSyntaxList<ArgumentSyntax> arguments, SemanticModel model, CancellationToken cancellationToken)
        => arguments.Any(a => IsType(model.GetTypeInfo(a.Expression, cancellationToken).Type, "System.IO.FileOptions")
            && !(model.GetConstantValue(a.Expression, cancellationToken) is { HasValue: true, Value: int options } && (options & DeleteOnClose) == 0));

    /// <summary>The CheckpointFile call opening the same file the same way, or null for shapes it has no equivalent of.</summary>
    private static ExpressionSyntax? Equivalent(ExpressionSyntax creation, SemanticModel model, CancellationToken cancellationToken)
    {
        if (model.GetSymbolInfo(creation, cancellationToken).Symbol is not IMethodSymbol method)
        {
            return null;
        }

        var arguments = creation switch
        {
            ObjectCreationExpressionSyntax { ArgumentList: { } list } => list.Arguments,
            InvocationExpressionSyntax invocation => invocation.ArgumentList.Arguments,
            _ => default,
        };
        if (arguments.Any(a => a.NameColon is not null || !a.RefKindKeyword.IsKind(SyntaxKind.None)))
        {
            return null; // named or ref arguments: the positions below would not hold
        }

        if (HasUnsafeOptions(arguments, model, cancellationToken))
        {
            return null;
        }

        var parameters = method.Parameters;
        var type = method.ContainingType;
        if (IsType(type, "System.IO.FileInfo") && method.Name is "Create" or "CreateText" && parameters.IsEmpty
            && creation is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Expression: { } file } })
        {
            // file.Create() and file.CreateText() open file.FullName as File.Create and File.CreateText do.
            return Call(method.Name, [FullName(file)]);
        }

        var path = arguments.FirstOrDefault()?.Expression;
        if (path is null || parameters.IsEmpty || parameters[0].Type.SpecialType != SpecialType.System_String)
        {
            return null;
        }

        if (IsType(type, "System.IO.File") && method.Name is "Create" or "CreateText"
            && (parameters.Length < 2 || parameters[1].Type.SpecialType == SpecialType.System_Int32)
            && (parameters.Length < 3 || parameters.Length == 3 && IsType(parameters[2].Type, "System.IO.FileOptions")))
        {
            // File.Create(path[, bufferSize[, options]]), File.CreateText(path): the same overloads.
            return Call(method.Name, arguments.Select(a => a.Expression));
        }

        if (IsType(type, "System.IO.FileStream") && method.MethodKind == MethodKind.Constructor
            && parameters.Length >= 2 && IsType(parameters[1].Type, "System.IO.FileMode")
            && IsEnumMember(arguments[1].Expression, "System.IO.FileMode", "Create", model, cancellationToken)
            && (parameters.Length < 3 || IsType(parameters[2].Type, "System.IO.FileAccess"))
            && (parameters.Length < 4 || IsType(parameters[3].Type, "System.IO.FileShare"))
            && (parameters.Length < 5 || parameters[4].Type.SpecialType == SpecialType.System_Int32))
        {
            // new FileStream(path, FileMode.Create[, access[, share[, bufferSize[, useAsync | options]]]]); the share of a
            // private temp does not matter.
            switch (parameters.Length)
            {
                case 2:
                    return Call("Create", [path]);
                case 3 or 4:
                    return Call("Create", [path, arguments[2].Expression]);
                case 5:
                    return Call("Create", [path, arguments[2].Expression, arguments[4].Expression, FileOptions("None")]);
                case 6 when IsType(parameters[5].Type, "System.IO.FileOptions"):
                    return Call("Create", [path, arguments[2].Expression, arguments[4].Expression, arguments[5].Expression]);
                case 6 when parameters[5].Type.SpecialType == SpecialType.System_Boolean
                    && model.GetConstantValue(arguments[5].Expression, cancellationToken) is { HasValue: true, Value: bool useAsync }:
                    return Call("Create", [path, arguments[2].Expression, arguments[4].Expression, FileOptions(useAsync ? "Asynchronous" : "None")]);
                default:
                    return null;
            }
        }

        if (IsType(type, "System.IO.StreamWriter") && method.MethodKind == MethodKind.Constructor)
        {
            // new StreamWriter(path[, append: false[, encoding[, bufferSize]]]).
            if (parameters.Length >= 2 && (parameters[1].Type.SpecialType != SpecialType.System_Boolean
                || model.GetConstantValue(arguments[1].Expression, cancellationToken) is not { HasValue: true, Value: false }))
            {
                return null;
            }

            return parameters.Length switch
            {
                1 or 2 => Call("CreateText", [path]),
                3 when IsType(parameters[2].Type, "System.Text.Encoding") => Call("CreateText", [path, arguments[2].Expression]),
                4 when IsType(parameters[2].Type, "System.Text.Encoding") && parameters[3].Type.SpecialType == SpecialType.System_Int32
                    => Call("CreateText", [path, arguments[2].Expression, arguments[3].Expression]),
                _ => null,
            };
        }

        return null;
    }

    /// <summary>
    /// <c>new StreamWriter(stream…)</c> or <c>new BinaryWriter(stream…)</c> over the stream, closing it when disposed
    /// (with no <paramref name="stream"/>, over the creation that is its first argument).
    /// </summary>
    private static bool Wraps(ExpressionSyntax value, ILocalSymbol? stream, SemanticModel model, CancellationToken cancellationToken)
        => value is ObjectCreationExpressionSyntax { ArgumentList.Arguments: { Count: > 0 } arguments }
            && arguments[0].NameColon is null
            && (stream is null || arguments[0].Expression is IdentifierNameSyntax first && SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(first, cancellationToken).Symbol, stream))
            && model.GetTypeInfo(value, cancellationToken).Type is { } type
            && (IsType(type, "System.IO.StreamWriter") || IsType(type, "System.IO.BinaryWriter"))
            && ClosesTheStream(value, model, cancellationToken);

    /// <summary>The writer's leaveOpen, when it is given one, is the constant false: disposing the writer closes the stream.</summary>
    internal static bool ClosesTheStream(ExpressionSyntax value, SemanticModel model, CancellationToken cancellationToken)
        => model.GetOperation(value, cancellationToken) is not Microsoft.CodeAnalysis.Operations.IObjectCreationOperation creation
            || creation.Arguments.All(a => a.Parameter?.Name != "leaveOpen" || a.ArgumentKind == Microsoft.CodeAnalysis.Operations.ArgumentKind.DefaultValue
                || a.Value.ConstantValue is { HasValue: true, Value: false });

    /// <summary>
    /// A jump that leaves the scope before the commit (a final return of the block is the commit point itself); a break
    /// or continue of a loop or switch inside the scope stays in it.
    /// </summary>
    internal static bool LeavesEarly(SyntaxNode part, StatementSyntax? finalReturn)
        => part.DescendantNodesAndSelf(n => n is not (AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax))
            .Any(n => n is ReturnStatementSyntax or GotoStatementSyntax or YieldStatementSyntax && n != finalReturn
                || n is BreakStatementSyntax or ContinueStatementSyntax && !JumpsWithin(n, part));

    private static bool JumpsWithin(SyntaxNode jump, SyntaxNode part)
        => jump.Ancestors().TakeWhile(a => a != part.Parent).FirstOrDefault(a => a is ForStatementSyntax or CommonForEachStatementSyntax or WhileStatementSyntax or DoStatementSyntax
            || a is SwitchStatementSyntax && jump is BreakStatementSyntax) is { } target
            && part.Span.Contains(target.Span);

    /// <summary>
    /// Every use of the stream (and of the writer committed) writes to it: no Close/Dispose, no other wrapper, no
    /// assignment or return that lets it outlive the scope. A wrapper that would close it (a ZipArchive, a GZipStream)
    /// is accepted in a using statement of its own when it can be told to leave the stream open: it is then disposed,
    /// its last bytes written, before the commit.
    /// </summary>
    private static bool OnlyWrittenTo(SyntaxNode part, ILocalSymbol stream, ILocalSymbol committed, StatementSyntax? finalClose,
        List<ObjectCreationExpressionSyntax> leaveOpen, SemanticModel model, CancellationToken cancellationToken)
    {
        foreach (var name in part.DescendantNodesAndSelf().OfType<IdentifierNameSyntax>())
        {
            if (finalClose is ExpressionStatementSyntax && finalClose.Span.Contains(name.Span))
            {
                continue;
            }

            if (name.Identifier.ValueText != stream.Name && name.Identifier.ValueText != committed.Name
                || model.GetSymbolInfo(name, cancellationToken).Symbol is not ILocalSymbol local
                || !SymbolEqualityComparer.Default.Equals(local, stream) && !SymbolEqualityComparer.Default.Equals(local, committed))
            {
                continue;
            }

            switch (name.Parent)
            {
                case MemberAccessExpressionSyntax access when access.Expression == name:
                    // Closing it ends the write before the commit; its Name is now the temp's.
                    if (!StreamLeftOpen.MemberLeavesOpen(access, model, cancellationToken))
                    {
                        return false;
                    }

                    continue;
                case ArgumentSyntax { Parent.Parent: ObjectCreationExpressionSyntax wrapper }
                    when wrapper.Parent is EqualsValueClauseSyntax && Wraps(wrapper, stream, model, cancellationToken) && !SymbolEqualityComparer.Default.Equals(stream, committed):
                    continue; // the writer of the using chain
                case ArgumentSyntax { Parent.Parent: ObjectCreationExpressionSyntax wrapper } argument
                    when SymbolEqualityComparer.Default.Equals(local, stream) && LeaveOpenWrapper.CanLeaveOpen(wrapper, argument, model, cancellationToken):
                    leaveOpen.Add(wrapper);
                    continue;
                case ArgumentSyntax argument when StreamLeftOpen.LeavesOpen(argument, model, cancellationToken):
                    continue; // serializer.Serialize(stream, value), source.CopyTo(stream), a project method that only writes to it
                default:
                    return false;
            }
        }

        return true;
    }

    /// <summary>The same path expression, or a use of the local, parameter or field it is.</summary>
    internal static bool NamesPath(ExpressionSyntax expression, ExpressionSyntax path)
        => path is IdentifierNameSyntax name
            ? expression is IdentifierNameSyntax other && other.Identifier.ValueText == name.Identifier.ValueText
            : expression.IsEquivalentTo(path, topLevel: false);

    /// <summary>A returned value that computes nothing after the write: no call, creation or await, and no use of the stream.</summary>
    private static bool IsPlainReturn(ExpressionSyntax returned, ILocalSymbol stream, ILocalSymbol committed)
        => !returned.DescendantNodesAndSelf().Any(n => n is InvocationExpressionSyntax or ObjectCreationExpressionSyntax or ImplicitObjectCreationExpressionSyntax or AwaitExpressionSyntax
            || n is IdentifierNameSyntax identifier && (identifier.Identifier.ValueText == stream.Name || identifier.Identifier.ValueText == committed.Name));

    /// <summary><c>stream.Close();</c> or <c>stream.Dispose();</c> of the stream or the writer committed.</summary>
    private static bool IsClose(StatementSyntax? statement, ILocalSymbol stream, ILocalSymbol committed, SemanticModel model, CancellationToken cancellationToken)
        => statement is ExpressionStatementSyntax
            {
                Expression: InvocationExpressionSyntax
                {
                    ArgumentList.Arguments.Count: 0,
                    Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Close" or "Dispose", Expression: IdentifierNameSyntax closed },
                },
            }
            && model.GetSymbolInfo(closed, cancellationToken).Symbol is ILocalSymbol local
            && (SymbolEqualityComparer.Default.Equals(local, stream) || SymbolEqualityComparer.Default.Equals(local, committed));

    private static bool IsEnumMember(ExpressionSyntax expression, string enumType, string member, SemanticModel model, CancellationToken cancellationToken)
        => model.GetSymbolInfo(expression, cancellationToken).Symbol is IFieldSymbol { Name: var name, ContainingType: { } type }
            && name == member && IsType(type, enumType);

    private static bool IsType(ITypeSymbol? type, string metadataName)
        => type is not null && metadataName.LastIndexOf('.') is var dot
            && type.Name == metadataName.Substring(dot + 1) && SymbolNames.IsNamespace(type.ContainingNamespace, metadataName.Substring(0, dot));

    private static ExpressionSyntax Call(string member, IEnumerable<ExpressionSyntax> arguments)
        => SyntaxFactory.InvocationExpression(
            CheckpointFileCalls.HelperMember(member),
            SyntaxFactory.ArgumentList(SyntaxFactory.SeparatedList(arguments.Select(a => SyntaxFactory.Argument(a.WithoutTrivia())))));

    /// <summary>
    /// The expression naming the file a creation opens: its first argument, or the FileInfo of <c>file.Create()</c> and
    /// <c>file.CreateText()</c>.
    /// </summary>
    internal static ExpressionSyntax PathOf(ExpressionSyntax creation)
        => creation switch
        {
            ObjectCreationExpressionSyntax { ArgumentList.Arguments: { Count: > 0 } arguments } => arguments[0].Expression,
            InvocationExpressionSyntax { ArgumentList.Arguments: { Count: > 0 } arguments } => arguments[0].Expression,
            InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Expression: { } file } } => file,
            _ => creation,
        };

    private static ExpressionSyntax FullName(ExpressionSyntax file)
        => SyntaxFactory.MemberAccessExpression(
            SyntaxKind.SimpleMemberAccessExpression,
            file is IdentifierNameSyntax or MemberAccessExpressionSyntax or ThisExpressionSyntax ? file.WithoutTrivia() : SyntaxFactory.ParenthesizedExpression(file.WithoutTrivia()),
            SyntaxFactory.IdentifierName("FullName"));

    private static ExpressionSyntax FileOptions(string member)
        => SyntaxFactory.ParseExpression("global::System.IO.FileOptions." + member).WithAdditionalAnnotations(Simplifier.Annotation);
}
