using CheckpointAudit.Catalog;
using CheckpointAudit.Checks;
using CheckpointAudit.Knowledge;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace CheckpointAudit.Concurrency;

/// <summary>
/// CKPT610 (MEDIUM): a SQLite connection, data reader or transaction held in a local of one method, neither declared
/// with <c>using</c> nor closed in a <c>finally</c> (or, for a transaction, rolled back in a <c>catch</c>), so an
/// exception leaves it open until the garbage collector finds it. A reader or transaction is reported only when the
/// connection it lives on outlives the method (a field, a parameter): a connection of this method closes them with
/// itself, and is reported itself when it is left open. Quiet when the object leaves the method (returned, stored,
/// handed to code other than the provider's, captured by a lambda): its owner is elsewhere. Commands are not
/// reported: once a statement has run it holds no lock (<c>SqliteLeftOpenEngineTests</c>).
/// </summary>
public sealed class SqliteObjectLeftOpenCheck : SqliteRuleCheck
{
    public SqliteObjectLeftOpenCheck()
        : base(RuleCatalog.SqliteObjectLeftOpen)
    {
    }

    private enum Held
    {
        Connection,
        Reader,
        Transaction,
    }

    private protected override void Register(CheckStart start, SqliteSymbols sqlite, CheckpointAuditOptions options)
    {
        start.RegisterOperationAction(
            c =>
            {
                var creation = (IObjectCreationOperation)c.Operation;
                if (sqlite.IsConnection(creation.Type))
                {
                    Check(c, creation, Held.Connection, sqlite, options);
                }
            },
            OperationKind.ObjectCreation);
        start.RegisterOperationAction(
            c =>
            {
                var call = (IInvocationOperation)c.Operation;
                var name = call.TargetMethod.Name;
                if (name.StartsWith("ExecuteReader", System.StringComparison.Ordinal) && sqlite.IsCommand(Receiver(call)?.Type))
                {
                    Check(c, call, Held.Reader, sqlite, options);
                }
                else if (name.StartsWith("BeginTransaction", System.StringComparison.Ordinal) && sqlite.IsConnection(Receiver(call)?.Type))
                {
                    Check(c, call, Held.Transaction, sqlite, options);
                }
            },
            OperationKind.Invocation);
    }

    private void Check(Microsoft.CodeAnalysis.Diagnostics.OperationAnalysisContext context, IOperation created, Held held, SqliteSymbols sqlite, CheckpointAuditOptions options)
    {
        if (HoldingLocal(created) is not { } local || !options.IsAnalyzed(created.Syntax.SyntaxTree))
        {
            return;
        }

        var root = OperationTree.Root(created);
        var uses = DisposableLocalUses.Of(local, root, (method, parameter) => Borrows(method, parameter, sqlite), rollbackCloses: held == Held.Transaction);
        if (uses.Escapes || uses.DisposedOnEveryPath)
        {
            return;
        }

        // A reader or transaction on a connection of this method is closed with it (or reported with it).
        if (held == Held.Connection ? ReaderClosesConnection(root) : !OutlivesMethod(held == Held.Reader ? ConnectionOfReader(created, root, sqlite) : Receiver(created), sqlite))
        {
            return;
        }

        var state = uses.SuccessPathDisposal is { } disposal
            ? "disposed only when no exception occurs (line " + (disposal.Syntax.GetLocation().GetLineSpan().StartLinePosition.Line + 1) + ")"
            : "never disposed";
        var (kind, consequence) = held switch
        {
            Held.Connection => ("connection", "the database file stays open (on Windows it can be neither replaced nor deleted), with any lock a failed read or transaction left on it, until the garbage collector finalizes the connection"),
            Held.Reader => ("data reader", "its statement keeps a read transaction open on a connection that outlives the method: in the rollback journal every writer then fails with 'database is locked', and in WAL no checkpoint can pass it, so the WAL file grows"),
            _ => ("transaction", "it keeps the database's write lock on a connection that outlives the method: every other connection's write fails with 'database is locked', and the next BeginTransaction on this connection throws"),
        };
        context.ReportDiagnostic(Diagnostic.Create(Rule.Descriptor, created.Syntax.GetLocation(), kind, local.Name, state, consequence));
    }

    /// <summary>
    /// Code that uses a connection, reader or transaction handed to it and leaves closing it to the caller: the
    /// provider's own types (a command made on a connection), and methods whose parameter is typed as data access
    /// (Dapper's <c>Execute(sql, param, transaction)</c>, <c>DataTable.Load(reader)</c>, a project's row mapper). A
    /// constructor or property of other types, UseSqlite, or a parameter typed T or object (a collection's Add), may keep it.
    /// </summary>
    private static bool Borrows(IMethodSymbol method, IParameterSymbol? parameter, SqliteSymbols sqlite)
    {
        var type = method.ContainingType;
        if (sqlite.IsProviderType(type) || sqlite.IsReader(type) || sqlite.IsTransaction(type))
        {
            return true;
        }

        // A property of another type (Session.Connection = c) keeps it; so does EF Core's UseSqlite(connection).
        return parameter?.OriginalDefinition.Type is { TypeKind: not TypeKind.TypeParameter, SpecialType: not SpecialType.System_Object }
            && method.MethodKind is not (MethodKind.Constructor or MethodKind.PropertySet) && !sqlite.IsUseSqlite(method);
    }

    /// <summary>The local the new object is held in: declared with it (not in a using), or assigned it.</summary>
    private static ILocalSymbol? HoldingLocal(IOperation created)
    {
        var value = created;
        while (value.Parent is IConversionOperation or IAwaitOperation)
        {
            value = value.Parent;
        }

        // ExecuteReaderAsync(...).ConfigureAwait(false) awaited.
        if (value.Parent is IInvocationOperation { TargetMethod.Name: "ConfigureAwait" } configure && configure.Parent is IAwaitOperation configured)
        {
            value = configured;
            while (value.Parent is IConversionOperation)
            {
                value = value.Parent;
            }
        }

        switch (value.Parent)
        {
            case IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator }:
                var declaration = declarator.Parent as IVariableDeclarationOperation;
                return declaration?.Parent is IUsingDeclarationOperation or IUsingOperation ? null : declarator.Symbol;
            case ISimpleAssignmentOperation { Target: ILocalReferenceOperation target } assignment when ReferenceEquals(assignment.Value, value):
                return target.Local;
            default:
                return null;
        }
    }

    /// <summary>The receiver of a BeginTransaction or ExecuteReader call, the project's extension methods included.</summary>
    private static IOperation? Receiver(IOperation created)
        => created is IInvocationOperation call
            ? PathKey.Unwrap(call.Instance ?? (call.TargetMethod.IsExtensionMethod && call.Arguments.Length > 0 ? call.Arguments[0].Value : null))
            : null;

    /// <summary>
    /// The connection a reader reads through: its command's, when the command is a local of this method made by
    /// <c>connection.CreateCommand()</c>, <c>new SqliteCommand(text, connection)</c> or given <c>Connection = …</c>.
    /// Null (quiet) when the command is disposed on every path (disposing it closes its reader) or is not known here.
    /// </summary>
    private static IOperation? ConnectionOfReader(IOperation created, IOperation root, SqliteSymbols sqlite)
    {
        if (Receiver(created) is not ILocalReferenceOperation { Local: var command })
        {
            return Receiver(created) is { } other && !(other is IInvocationOperation) ? other : null;
        }

        if (DisposableLocalUses.Of(command, root, (method, parameter) => Borrows(method, parameter, sqlite), rollbackCloses: false) is { DisposedOnEveryPath: true } or { Escapes: true })
        {
            return null;
        }

        switch (PathKey.Unwrap(OperationTree.DeclaredValue(command, root)))
        {
            case IInvocationOperation { TargetMethod.Name: "CreateCommand" } make:
                return PathKey.Unwrap(make.Instance);
            case IObjectCreationOperation make:
                foreach (var argument in make.Arguments)
                {
                    if (sqlite.IsConnection(argument.Parameter?.Type))
                    {
                        return PathKey.Unwrap(argument.Value);
                    }
                }

                break;
        }

        foreach (var operation in root.Descendants())
        {
            if (operation is ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property.Name: "Connection", Instance: ILocalReferenceOperation owner } } assignment
                && SymbolEqualityComparer.Default.Equals(owner.Local, command))
            {
                return PathKey.Unwrap(assignment.Value);
            }
        }

        return null;
    }

    /// <summary>
    /// A connection (or a command, which keeps its connection) that stays open after the method: a field, property or
    /// parameter, not a local of this body.
    /// </summary>
    private static bool OutlivesMethod(IOperation? owner, SqliteSymbols sqlite)
        => owner is IFieldReferenceOperation or IPropertyReferenceOperation or IParameterReferenceOperation
            && (sqlite.IsConnection(owner.Type) || sqlite.IsCommand(owner.Type) || owner.Type?.Name is "DbConnection" or "IDbConnection");

    /// <summary>A reader made with CommandBehavior.CloseConnection closes the connection when it is closed itself.</summary>
    private static bool ReaderClosesConnection(IOperation root)
    {
        foreach (var operation in root.Descendants())
        {
            if (operation is IFieldReferenceOperation { Field.Name: "CloseConnection", Field.ContainingType.Name: "CommandBehavior" })
            {
                return true;
            }
        }

        return false;
    }
}
