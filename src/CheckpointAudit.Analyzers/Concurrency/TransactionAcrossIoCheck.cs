using System.Linq;
using System.Runtime.CompilerServices;
using CheckpointAudit.Catalog;
using CheckpointAudit.Checks;
using CheckpointAudit.Knowledge;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace CheckpointAudit.Concurrency;

/// <summary>
/// CKPT607 (MEDIUM): inside one method, an <c>await</c> of file or network I/O (HttpClient, a Stream's or a
/// reader/writer's async methods, File.*Async, sockets, WebRequest) falls between <c>BeginTransaction</c> on
/// a SQLite connection and that transaction's <c>Commit</c>/<c>CommitAsync</c>. SQLite locks the whole
/// database for a write transaction, so every other writer waits (or fails) for as long as the I/O takes.
/// Awaiting the database itself inside the transaction is what transactions are for and is not reported.
/// </summary>
public sealed class TransactionAcrossIoCheck : SqliteRuleCheck
{
    public TransactionAcrossIoCheck()
        : base(RuleCatalog.TransactionAcrossIo)
    {
    }

    private protected override void Register(CheckStart start, SqliteSymbols sqlite, CheckpointAuditOptions options)
    {
        var stream = KnownTypes.Get(start.Compilation, "System.IO.Stream");
        var textReader = KnownTypes.Get(start.Compilation, "System.IO.TextReader");
        var textWriter = KnownTypes.Get(start.Compilation, "System.IO.TextWriter");
        var file = KnownTypes.Get(start.Compilation, "System.IO.File");
        var httpClient = KnownTypes.Get(start.Compilation, "System.Net.Http.HttpClient");
        var httpContent = KnownTypes.Get(start.Compilation, "System.Net.Http.HttpContent");
        var socket = KnownTypes.Get(start.Compilation, "System.Net.Sockets.Socket");
        var webRequest = KnownTypes.Get(start.Compilation, "System.Net.WebRequest");

        bool IsSlowIo(IMethodSymbol method)
        {
            var type = method.ContainingType;
            return TypeRelations.InheritsFrom(type, stream) || TypeRelations.InheritsFrom(type, textReader) || TypeRelations.InheritsFrom(type, textWriter)
                || SymbolEqualityComparer.Default.Equals(type, file) || TypeRelations.InheritsFrom(type, httpClient) || TypeRelations.InheritsFrom(type, httpContent)
                || SymbolEqualityComparer.Default.Equals(type, socket) || TypeRelations.InheritsFrom(type, webRequest);
        }

        start.RegisterOperationAction(
            c =>
            {
                var await = (IAwaitOperation)c.Operation;
                if (Awaited(await.Operation) is not { } io || !IsSlowIo(io.TargetMethod) || !options.IsAnalyzed(await.Syntax.SyntaxTree)
                    || OpenTransaction(await, sqlite) is not { } transaction)
                {
                    return;
                }

                c.ReportDiagnostic(Diagnostic.Create(Rule.Descriptor, await.Syntax.GetLocation(), io.TargetMethod.ContainingType.Name + "." + io.TargetMethod.Name, transaction.Name));
            },
            OperationKind.Await);
    }

    /// <summary>The call behind an await, through ConfigureAwait.</summary>
    private static IInvocationOperation? Awaited(IOperation operation)
    {
        var value = PathKey.Unwrap(operation);
        if (value is IInvocationOperation { TargetMethod.Name: "ConfigureAwait", Instance: { } configured })
        {
            value = PathKey.Unwrap(configured);
        }

        return value as IInvocationOperation;
    }

    private static readonly ConditionalWeakTable<IOperation, StrongBox<bool>> BeginsTransaction = new();
    private static readonly StrongBox<bool> Yes = new(true);
    private static readonly StrongBox<bool> No = new(false);

    /// <summary>A local of the same body holding a SQLite BeginTransaction result, begun before the await and committed after it.</summary>
    private static ILocalSymbol? OpenTransaction(IAwaitOperation await, SqliteSymbols sqlite)
    {
        var root = OperationTree.Root(await);
        if (!BeginsTransaction.GetValue(root, r => r.Descendants().Any(o => o is IInvocationOperation { TargetMethod.Name: "BeginTransaction" or "BeginTransactionAsync" }) ? Yes : No).Value)
        {
            return null; // most bodies with awaited I/O begin no transaction: one walk per body, not one per await
        }

        var position = await.Syntax.SpanStart;
        foreach (var declarator in root.Descendants().OfType<IVariableDeclaratorOperation>())
        {
            var value = PathKey.Unwrap(declarator.Initializer?.Value ?? (declarator.Parent as IVariableDeclarationOperation)?.Initializer?.Value);
            while (value is IAwaitOperation awaitedBegin)
            {
                value = PathKey.Unwrap(awaitedBegin.Operation);
            }

            if (value is not IInvocationOperation { TargetMethod.Name: "BeginTransaction" or "BeginTransactionAsync", Instance: { } connection }
                || !sqlite.IsConnection(connection.Type)
                || declarator.Syntax.SpanStart >= position
                || OperationTree.InnermostFunction(declarator) is var function && !SymbolEqualityComparer.Default.Equals(function, OperationTree.InnermostFunction(await)))
            {
                continue;
            }

            var local = declarator.Symbol;
            var committedAfter = root.Descendants().OfType<IInvocationOperation>().Any(call =>
                call.TargetMethod.Name is "Commit" or "CommitAsync"
                && call.Syntax.SpanStart > position
                && PathKey.Unwrap(call.Instance) is ILocalReferenceOperation reference
                && SymbolEqualityComparer.Default.Equals(reference.Local, local));
            var committedBefore = root.Descendants().OfType<IInvocationOperation>().Any(call =>
                call.TargetMethod.Name is "Commit" or "CommitAsync" or "Rollback" or "RollbackAsync"
                && call.Syntax.SpanStart > declarator.Syntax.SpanStart && call.Syntax.SpanStart < position
                && PathKey.Unwrap(call.Instance) is ILocalReferenceOperation reference
                && SymbolEqualityComparer.Default.Equals(reference.Local, local));
            if (committedAfter && !committedBefore)
            {
                return local;
            }
        }

        return null;
    }
}
