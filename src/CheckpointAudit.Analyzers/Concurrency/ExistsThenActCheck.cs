using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using CheckpointAudit.Catalog;
using CheckpointAudit.Checks;
using CheckpointAudit.Knowledge;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace CheckpointAudit.Concurrency;

/// <summary>
/// CKPT608 (MEDIUM): exists-then-act on a state file. <c>File.Exists(p)</c> decides an <c>if</c> (or a
/// conditional expression), and the branch it guards then
/// <list type="bullet">
/// <item>reads p (File.Read*/Open*, a reading FileStream or StreamReader, XDocument/XElement.Load) — when p
/// existed — with no catch for FileNotFoundException/IOException around the read, and p is state: the same
/// function writes p, or the same source file writes a path from the same constant, member or path-building
/// method, or</item>
/// <item>creates p over whatever is there (File.WriteAll*, Create, Copy or Move onto it with overwrite, a FileStream
/// opened with Create or OpenOrCreate, CheckpointFile's writes) — when p was missing — with no catch for IOException.</item>
/// </list>
/// Another thread or process can delete or replace the file between the check and the act, or create it too.
/// <c>if (File.Exists(p)) File.Delete(p)</c> is not reported: File.Delete ignores a missing file. An early
/// return (<c>if (!File.Exists(p)) return ...;</c>) guards the statements after it.
/// </summary>
public sealed class ExistsThenActCheck : FileRuleCheck
{
    public ExistsThenActCheck()
        : base(RuleCatalog.ExistsThenAct, OperationKind.Invocation)
    {
    }

    private protected override void Analyze(OperationAnalysisContext context, FileApiSymbols apis, RuleScope scope)
    {
        var exists = (IInvocationOperation)context.Operation;
        if (exists.TargetMethod.Name != "Exists" || exists.Arguments.Length != 1 || !apis.Is(exists.TargetMethod.ContainingType, apis.File)
            || Guard(exists) is not { } guard || !scope.Includes(context))
        {
            return;
        }

        var path = PathKey.From(exists.Arguments[0].Value, apis);
        if (path.IsEmpty)
        {
            return;
        }

        var function = OperationTree.InnermostFunction(exists);
        var whenExists = guard.Exists.SelectMany(o => o.DescendantsAndSelf());
        var whenMissing = guard.Missing.SelectMany(o => o.DescendantsAndSelf());
        if (apis.IOException is not { } io || apis.FileNotFoundException is not { } notFound)
        {
            return;
        }

        foreach (var read in whenExists.Where(o => ReadPath(o, apis) is { } readPath && SameFunction(o, function) && path.Equals(PathKey.From(readPath, apis))))
        {
            // Cheapest first: a catch in the method, then whether the file is state (read once per file), then a
            // catch around the callers (which may bind other files).
            var thrown = ImmutableArray.Create(notFound);
            if (!CatchCoverage.IsCaughtInFunction(read, thrown) && !MutualExclusion.IsSerialized(read, context.ContainingSymbol)
                && IsState(read, path, ReadPath(read, apis)!, apis)
                && !CatchCoverage.IsCaught(read, context.ContainingSymbol, thrown, context.Compilation, context.CancellationToken))
            {
                Report(context, read, exists, "read", "another thread or process can delete or replace it in between, and the read throws FileNotFoundException");
                return;
            }
        }

        foreach (var create in whenMissing.Where(o => CreatedPath(o, apis) is { } createdPath && SameFunction(o, function) && path.Equals(PathKey.From(createdPath, apis))))
        {
            // Two creators of the same constant text write the same bytes, and under the writers' lock there are not two.
            if (!(WritesConstant(create) && !DeletedInFile(create, path, apis)) && !MutualExclusion.IsSerialized(create, context.ContainingSymbol)
                && !CatchCoverage.IsCaught(create, context.ContainingSymbol, ImmutableArray.Create(io), context.Compilation, context.CancellationToken))
            {
                Report(context, create, exists, "created", "two callers can both see it missing and both create it, and one write silently replaces the other");
                return;
            }
        }
    }

    /// <summary>
    /// A file the same source file deletes is a marker whose existence means something (a lock, a pid file, work in
    /// progress): two creators both think they made it, whatever it holds.
    /// </summary>
    private static bool DeletedInFile(IOperation create, PathKey path, FileApiSymbols apis)
        => create.Syntax.SyntaxTree.GetRoot().DescendantNodes().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.InvocationExpressionSyntax>()
            .Any(call => call.Expression is Microsoft.CodeAnalysis.CSharp.Syntax.MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Delete" }
                && create.SemanticModel?.GetOperation(call) is IInvocationOperation { Arguments.Length: > 0 } delete
                && apis.Is(delete.TargetMethod.ContainingType, apis.File)
                && path.Equals(PathKey.From(delete.Arguments[0].Value, apis)));

    /// <summary>A File.WriteAll* of a compile-time constant (defaults written once: a tag file, a welcome message).</summary>
    private static bool WritesConstant(IOperation create)
        => create is IInvocationOperation { TargetMethod.Name: "WriteAllText" or "WriteAllTextAsync" } write
            && OperationTree.ArgumentFor(write.Arguments, 1) is { } content
            && (PathKey.Unwrap(content)?.ConstantValue.HasValue == true);

    private void Report(OperationAnalysisContext context, IOperation act, IInvocationOperation exists, string what, string consequence)
        => context.ReportDiagnostic(Diagnostic.Create(
            Rule.Descriptor,
            act.Syntax.GetLocation(),
            ImmutableArray.Create(exists.Syntax.GetLocation()),
            exists.Arguments[0].Value.Syntax.ToString(),
            what,
            consequence));

    private sealed class GuardedRegions(IReadOnlyList<IOperation> exists, IReadOnlyList<IOperation> missing)
    {
        /// <summary>What runs only when the file existed at the check.</summary>
        public IReadOnlyList<IOperation> Exists { get; } = exists;

        /// <summary>What runs only when the file was missing at the check.</summary>
        public IReadOnlyList<IOperation> Missing { get; } = missing;
    }

    /// <summary>The branches File.Exists decides: through !, parentheses and &amp;&amp; (for the true side) up to an if or ?: condition.</summary>
    private static GuardedRegions? Guard(IInvocationOperation exists)
    {
        IOperation current = exists;
        var positive = true;
        var onlyTrueSide = false;
        while (current.Parent is { } parent)
        {
            switch (parent)
            {
                case IUnaryOperation { OperatorKind: UnaryOperatorKind.Not }:
                    positive = !positive;
                    break;
                case IParenthesizedOperation:
                    break;
                case IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd }:
                    // (File.Exists(p) && x): the true side still implies the check's outcome; the false side does not.
                    onlyTrueSide = true;
                    break;
                case IConditionalOperation conditional when conditional.Condition == current:
                    var whenTrue = new List<IOperation> { conditional.WhenTrue };
                    var whenFalse = new List<IOperation>();
                    if (!onlyTrueSide && conditional.WhenFalse is { } otherwise)
                    {
                        whenFalse.Add(otherwise);
                    }

                    // if (!File.Exists(p)) return ...; — what follows in the block ran only when the file existed.
                    if (!onlyTrueSide && conditional.WhenFalse is null && Exits(conditional.WhenTrue) && conditional.Parent is IBlockOperation block)
                    {
                        whenFalse.AddRange(block.Operations.SkipWhile(o => o != conditional).Skip(1));
                    }

                    return positive ? new GuardedRegions(whenTrue, whenFalse) : new GuardedRegions(whenFalse, whenTrue);
                default:
                    return null;
            }

            current = parent;
        }

        return null;
    }

    private static bool Exits(IOperation branch)
    {
        var last = branch is IBlockOperation block ? block.Operations.LastOrDefault() : branch;
        return last is IReturnOperation or IThrowOperation or IBranchOperation { BranchKind: BranchKind.Continue or BranchKind.Break }
            || last is IExpressionStatementOperation { Operation: IThrowOperation };
    }

    private static bool SameFunction(IOperation operation, IMethodSymbol? function)
        => SymbolEqualityComparer.Default.Equals(OperationTree.InnermostFunction(operation), function);

    /// <summary>The path a read opens: File.ReadAll*/Open*/ReadLines, new StreamReader(path), a FileStream opened with FileMode.Open, XDocument/XElement.Load(path).</summary>
    private static IOperation? ReadPath(IOperation operation, FileApiSymbols apis) => operation switch
    {
        IInvocationOperation call when apis.Is(call.TargetMethod.ContainingType, apis.File)
            && (call.TargetMethod.Name.StartsWith("Read", System.StringComparison.Ordinal) || call.TargetMethod.Name is "OpenRead" or "OpenText"
                || (call.TargetMethod.Name == "Open" && !CreatesOnOpen(call.Arguments))) => OperationTree.ArgumentFor(call.Arguments, 0),
        IInvocationOperation { TargetMethod.Name: "Load" } call when (apis.Is(call.TargetMethod.ContainingType, apis.XDocument) || apis.Is(call.TargetMethod.ContainingType, apis.XElement))
            && call.Arguments.Length > 0 && call.Arguments[0].Parameter?.Type.SpecialType == SpecialType.System_String => call.Arguments[0].Value,
        IObjectCreationOperation creation when creation.Type?.Name == "StreamReader" && creation.Arguments.Length > 0
            && creation.Arguments[0].Parameter?.Type.SpecialType == SpecialType.System_String => creation.Arguments[0].Value,
        IObjectCreationOperation creation when apis.Is(creation.Type, apis.FileStream) && creation.Arguments.Length > 1 && !CreatesOnOpen(creation.Arguments)
            && creation.Arguments[0].Parameter?.Type.SpecialType == SpecialType.System_String => creation.Arguments[0].Value,
        _ => null,
    };

    /// <summary>
    /// The path a write creates over whatever is there: File.WriteAll*/Create/CreateText, the destination of File.Copy/Move
    /// with overwrite, a FileStream opened with Create or OpenOrCreate, CheckpointFile's writes. CreateNew and a Move or
    /// Copy without overwrite fail instead when the file appeared: they are the safe way to create once.
    /// </summary>
    private static IOperation? CreatedPath(IOperation operation, FileApiSymbols apis)
    {
        switch (operation)
        {
            case IInvocationOperation call when apis.Is(call.TargetMethod.ContainingType, apis.File):
                return call.TargetMethod.Name switch
                {
                    "WriteAllText" or "WriteAllBytes" or "WriteAllLines" or "WriteAllTextAsync" or "WriteAllBytesAsync" or "WriteAllLinesAsync"
                        or "Create" or "CreateText" => OperationTree.ArgumentFor(call.Arguments, 0),
                    // Without overwrite the OS refuses an existing destination: losing the race throws, nothing is replaced.
                    "Copy" or "Move" when call.Arguments.Length > 2 && PathKey.Unwrap(call.Arguments[2].Value)?.ConstantValue.Value is true => OperationTree.ArgumentFor(call.Arguments, 1),
                    _ => null,
                };
            case IInvocationOperation save when apis.CheckpointFile is not null
                && (save.TargetMethod.Name.StartsWith("Save", System.StringComparison.Ordinal) || save.TargetMethod.Name.StartsWith("Write", System.StringComparison.Ordinal))
                && SymbolEqualityComparer.Default.Equals(save.TargetMethod.ContainingType, apis.CheckpointFile):
                return OperationTree.ArgumentFor(save.Arguments, 0);
            case IObjectCreationOperation creation when apis.Is(creation.Type, apis.FileStream) && creation.Arguments.Length > 1
                && creation.Arguments.FirstOrDefault(a => a.Parameter?.Type.Name == "FileMode") is { } mode
                && PathKey.Unwrap(mode.Value) is IFieldReferenceOperation { Field.Name: "Create" or "OpenOrCreate" } field
                && !(field.Field.Name == "OpenOrCreate" && IsClosedUnwritten(creation)):
                return creation.Arguments[0].Value;
            default:
                return null;
        }
    }

    /// <summary>
    /// <c>new FileStream(path, FileMode.OpenOrCreate, …).Dispose()</c>: an empty file made when it is missing, and an
    /// existing one left as it is; nothing is written, so nothing another caller wrote is replaced.
    /// </summary>
    private static bool IsClosedUnwritten(IObjectCreationOperation creation)
        => creation.Syntax.Parent is Microsoft.CodeAnalysis.CSharp.Syntax.MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Dispose" or "Close" } access
            && access.Parent is Microsoft.CodeAnalysis.CSharp.Syntax.InvocationExpressionSyntax { ArgumentList.Arguments.Count: 0 };

    /// <summary>A FileMode argument that creates the file (Create, CreateNew, OpenOrCreate, Append).</summary>
    private static bool CreatesOnOpen(ImmutableArray<IArgumentOperation> arguments)
        => arguments.Any(a => a.Parameter?.Type.Name == "FileMode" && PathKey.Unwrap(a.Value) is IFieldReferenceOperation { Field.Name: "Create" or "CreateNew" or "OpenOrCreate" or "Append" });

    /// <summary>
    /// Whether the file is the program's own state: written in the same function, or written in the same source file
    /// through the same constant, member or path-building method (see <see cref="SavedState.IsWrittenInFile"/>).
    /// </summary>
    private static bool IsState(IOperation read, PathKey path, IOperation readPath, FileApiSymbols apis)
    {
        var root = OperationTree.Root(read);
        return Writes(root, path, apis) || (read.SemanticModel is { } model && SavedState.IsWrittenInFile(readPath, root, model, apis));
    }

    private static bool Writes(IOperation body, PathKey path, FileApiSymbols apis)
        => body.Descendants().Any(o => path.Equals(PathKey.From(CreatedPath(o, apis), apis))
            || (FileOverwrite.TryMatch(o, apis, out var write, anyNewContent: true) && path.Equals(PathKey.From(write.Target, apis)))
            || (o is IInvocationOperation { TargetMethod.Name: "Replace" or "Move" } promote && apis.Is(promote.TargetMethod.ContainingType, apis.File)
                && path.Equals(PathKey.From(OperationTree.ArgumentFor(promote.Arguments, 1), apis))));
}
