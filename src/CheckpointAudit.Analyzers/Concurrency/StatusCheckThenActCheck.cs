using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using CheckpointAudit.Catalog;
using CheckpointAudit.Checks;
using CheckpointAudit.Knowledge;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace CheckpointAudit.Concurrency;

/// <summary>
/// CKPT604: check-then-act on a stored status. In one method, a SELECT with a WHERE reads a status, state or
/// version column of a table (by name or with *), and a later UPDATE of the same table, able to run after it
/// (<see cref="ExecutionOrder"/>), sets that column without naming it in its WHERE (no compare-and-set on the
/// old value), with no transaction in the method (BeginTransaction, a TransactionScope, a BEGIN statement).
/// Two callers can then both read the old value, both decide to act and both write. An UPDATE that computes the column from itself (<c>version = version + 1</c>)
/// is atomic and not reported. Reported at the UPDATE's command text.
/// </summary>
public sealed class StatusCheckThenActCheck : SqliteRuleCheck
{
    /// <summary>Diagnostic property: the source position of the SELECT's text (the fix begins the transaction before it).</summary>
    public const string SelectPositionKey = "SelectPosition";

    private static readonly Regex StatusColumn = new(@"(status|state|version)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    public StatusCheckThenActCheck()
        : base(RuleCatalog.StatusCheckThenAct)
    {
    }

    private protected override void Register(CheckStart start, SqliteSymbols sqlite, CheckpointAuditOptions options)
    {
        start.RegisterOperationAction(
            c =>
            {
                if (SqliteCommandTexts.Of(c.Operation, sqlite) is not { } text || text.Sql.IndexOf("update", System.StringComparison.OrdinalIgnoreCase) < 0)
                {
                    return;
                }

                foreach (var update in text.Statements.Where(s => s.Verb == SqlVerb.Update))
                {
                    var unguarded = update.Columns
                        .Where((column, i) => StatusColumn.IsMatch(column) && !SqlStatement.Mentions(update.Where, column) && !SqlStatement.Mentions(update.Values[i], column))
                        .ToList();
                    if (unguarded.Count == 0 || !options.IsAnalyzed(text.Text.Syntax.SyntaxTree))
                    {
                        continue;
                    }

                    var root = OperationTree.Root(c.Operation);
                    var checkedBefore = SqliteCommandTexts.In(root, sqlite)
                        .Where(earlier => earlier.Position < text.Position)
                        .SelectMany(earlier => earlier.Statements.Select(statement => (earlier, statement)))
                        .FirstOrDefault(pair => pair.statement.Verb == SqlVerb.Select && pair.statement.Where.Length > 0
                            && string.Equals(pair.statement.Table, update.Table, System.StringComparison.OrdinalIgnoreCase)
                            && unguarded.Any(column => pair.statement.Columns.Any(read => read == "*" || string.Equals(read, column, System.StringComparison.OrdinalIgnoreCase)))
                            && ExecutionOrder.CanRunAfter(pair.earlier.Text, text.Text));
                    if (checkedBefore.earlier is null || InTransaction(root, sqlite))
                    {
                        continue;
                    }

                    var column = unguarded.First(u => checkedBefore.statement.Columns.Any(read => read == "*" || string.Equals(read, u, System.StringComparison.OrdinalIgnoreCase)));
                    var selectLine = checkedBefore.earlier.Text.Syntax.GetLocation().GetLineSpan().StartLinePosition.Line + 1;
                    c.ReportDiagnostic(Diagnostic.Create(
                        Rule.Descriptor,
                        text.Text.Syntax.GetLocation(),
                        ImmutableDictionary<string, string?>.Empty.Add(SelectPositionKey, checkedBefore.earlier.Position.ToString(CultureInfo.InvariantCulture)),
                        update.Table + "." + column,
                        selectLine.ToString(CultureInfo.InvariantCulture)));
                    return;
                }
            },
            OperationKind.SimpleAssignment,
            OperationKind.ObjectCreation,
            OperationKind.Invocation);
    }

    /// <summary>A transaction begun in the method: BeginTransaction on anything, a TransactionScope, or a BEGIN statement.</summary>
    private static bool InTransaction(IOperation root, SqliteSymbols sqlite)
        => root.Descendants().Any(o => o switch
        {
            IInvocationOperation call => call.TargetMethod.Name is "BeginTransaction" or "BeginTransactionAsync",
            IObjectCreationOperation creation => creation.Type?.Name == "TransactionScope",
            _ => false,
        })
        || SqliteCommandTexts.In(root, sqlite).Any(t => t.Statements.Any(s => s.Verb == SqlVerb.Begin));
}
