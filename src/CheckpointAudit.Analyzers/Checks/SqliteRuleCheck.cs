using CheckpointAudit.Catalog;
using CheckpointAudit.Knowledge;

namespace CheckpointAudit.Checks;

/// <summary>
/// Base of the SQLite rules: one rule, nothing registered without a SQLite provider, generated code
/// skipped; the subclass registers its actions with the provider types and the options.
/// </summary>
public abstract class SqliteRuleCheck : RuleCheck
{
    private protected SqliteRuleCheck(RuleDefinition rule)
        : base(rule)
    {
    }

    private protected sealed override void OnCompilationStart(CheckStart start)
    {
        if (SqliteSymbols.For(start.Compilation) is { } sqlite)
        {
            Register(start, sqlite, OptionsOf(start.Compilation, start.Options));
        }
    }

    private protected abstract void Register(CheckStart start, SqliteSymbols sqlite, CheckpointAuditOptions options);
}
