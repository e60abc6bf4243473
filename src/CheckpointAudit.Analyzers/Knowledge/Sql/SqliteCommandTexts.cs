using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace CheckpointAudit.Knowledge;

/// <summary>One constant SQL text handed to SQLite, and the command local that carries it (null for Dapper-style calls).</summary>
internal sealed class SqliteCommandText(IOperation text, string sql, ILocalSymbol? command)
{
    /// <summary>The string operation (its syntax is where a finding is reported).</summary>
    public IOperation Text { get; } = text;

    public string Sql { get; } = sql;

    public ILocalSymbol? Command { get; } = command;

    public int Position => Text.Syntax.SpanStart;

    private System.Collections.Immutable.ImmutableArray<SqlStatement> _statements;

    /// <summary>The statements of <see cref="Sql"/>, parsed once however many texts and rules carry the same SQL.</summary>
    public System.Collections.Immutable.ImmutableArray<SqlStatement> Statements
    {
        get
        {
            if (_statements.IsDefault)
            {
                System.Collections.Immutable.ImmutableInterlocked.InterlockedInitialize(ref _statements, Parsed(Sql));
            }

            return _statements;
        }
    }

    // Texts are read anew at each call that runs them (a wrapper called in many places, each rule asking): the parse of
    // a SQL string is kept, in a cache bounded so that a long-lived IDE process does not grow with every edit.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, System.Collections.Immutable.ImmutableArray<SqlStatement>> ParsedSql = new(System.StringComparer.Ordinal);

    private static System.Collections.Immutable.ImmutableArray<SqlStatement> Parsed(string sql)
    {
        if (ParsedSql.TryGetValue(sql, out var known))
        {
            return known;
        }

        if (ParsedSql.Count >= 4096)
        {
            ParsedSql.Clear();
        }

        return ParsedSql.GetOrAdd(sql, SqlStatement.Parse);
    }

    /// <summary>Whether the text can write anything (an UPDATE, INSERT or REPLACE): a cheap test before parsing.</summary>
    public bool MayWrite => Sql.IndexOf("update", System.StringComparison.OrdinalIgnoreCase) >= 0
        || Sql.IndexOf("insert", System.StringComparison.OrdinalIgnoreCase) >= 0
        || Sql.IndexOf("replace", System.StringComparison.OrdinalIgnoreCase) >= 0;
}

/// <summary>
/// Where SQL text reaches a SQLite provider: <c>command.CommandText = "..."</c> on a SqliteCommand or
/// SQLiteCommand, <c>new SqliteCommand("...", connection)</c>, a call on a SQLite connection with a
/// <c>sql</c>/<c>commandText</c> parameter (Dapper and its kind), and a call on a SQLite command or connection
/// into the project's own method whose string parameter becomes the command's text (wrappers, three levels). Only constant text is read; interpolation
/// holes (unless constant) and variables in a concatenation read as "?".
/// </summary>
internal static class SqliteCommandTexts
{
    /// <summary>The command text this operation hands to SQLite, or null.</summary>
    public static SqliteCommandText? Of(IOperation operation, SqliteSymbols sqlite)
    {
        switch (operation)
        {
            case ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property.Name: "CommandText" } property } assignment
                when sqlite.IsCommand(property.Instance?.Type):
                return Read(assignment.Value, PathKey.Unwrap(property.Instance) is ILocalReferenceOperation local ? local.Local : null);
            case IObjectCreationOperation creation when sqlite.IsCommand(creation.Type):
                var commandText = creation.Arguments.FirstOrDefault(a => a.Parameter?.Name is "commandText" or "sql" && a.ArgumentKind == ArgumentKind.Explicit);
                var declared = creation.Parent is IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator } ? declarator.Symbol : null;
                return commandText is null ? null : Read(commandText.Value, declared);
            case IInvocationOperation call:
                var target = PathKey.Unwrap(call.Instance ?? (call.TargetMethod.IsExtensionMethod && call.Arguments.Length > 0 ? call.Arguments[0].Value : null));
                var onConnection = sqlite.IsConnection(target?.Type);
                if (!onConnection && !sqlite.IsCommand(target?.Type))
                {
                    return null;
                }

                // Dapper and its kind on a connection: a 'sql' parameter.
                var sql = onConnection ? call.Arguments.FirstOrDefault(a => a.Parameter?.Name is "sql" or "commandText" && a.ArgumentKind == ArgumentKind.Explicit) : null;
                if (sql is not null)
                {
                    return Read(sql.Value, null);
                }

                // The project's own wrapper: command.ExecuteNonQueryAsync("UPDATE ...") whose parameter becomes the CommandText.
                var ordinals = sqlite.CommandTextParameters(call.TargetMethod);
                var text = ordinals.IsEmpty ? null : call.Arguments.FirstOrDefault(a => a.Parameter is not null && ordinals.Contains(a.Parameter.Ordinal) && a.ArgumentKind == ArgumentKind.Explicit);
                return text is null ? null : Read(text.Value, !onConnection && target is ILocalReferenceOperation commandLocal ? commandLocal.Local : null);
            default:
                return null;
        }
    }

    /// <summary>Every command text in the function body <paramref name="root"/>, in source order (cached per body by <paramref name="sqlite"/>).</summary>
    public static IReadOnlyList<SqliteCommandText> In(IOperation root, SqliteSymbols sqlite) => sqlite.TextsIn(root);

    internal static IReadOnlyList<SqliteCommandText> Collect(IOperation root, SqliteSymbols sqlite)
        => root.Descendants()
            .Where(o => o.Kind is OperationKind.SimpleAssignment or OperationKind.ObjectCreation or OperationKind.Invocation)
            .Select(o => Of(o, sqlite))
            .Where(t => t is not null)
            .OrderBy(t => t!.Position)
            .ToList()!;

    private static SqliteCommandText? Read(IOperation value, ILocalSymbol? command)
        => SqliteSymbols.ConstantText(value, hole: "?") is { } sql && sql.Trim('?').Length > 0 ? new SqliteCommandText(value, sql, command) : null;
}
