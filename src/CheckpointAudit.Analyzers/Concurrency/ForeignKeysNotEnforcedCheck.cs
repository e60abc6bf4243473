using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Linq;
using System.Text.RegularExpressions;
using CheckpointAudit.Catalog;
using CheckpointAudit.Checks;
using CheckpointAudit.Knowledge;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace CheckpointAudit.Concurrency;

/// <summary>
/// CKPT611 (HIGH): the project's schema declares foreign keys — a CREATE/ALTER TABLE text with <c>REFERENCES</c> or
/// <c>FOREIGN KEY</c>, or an EF Core migration's <c>ForeignKey(…)</c> — and a connection string of the project does not
/// enforce them: System.Data.SQLite without <c>Foreign Keys=True</c> (its default is off), or <c>Foreign Keys=False</c>
/// with Microsoft.Data.Sqlite (whose bundled engine enforces them by default). Measured on both engines in
/// <c>SqliteForeignKeyEngineTests</c>. Quiet when the project runs <c>PRAGMA foreign_keys=ON</c> anywhere. Reported at
/// compilation end, on the connection string.
/// </summary>
public sealed class ForeignKeysNotEnforcedCheck : SqliteRuleCheck
{
    /// <summary>Diagnostic property: "add" (append Foreign Keys=True) or "switch" (turn False into True), for the fix.</summary>
    public const string RepairProperty = "repair";

    private static readonly Regex ForeignKey = new(@"\breferences\s+[""\[`]?[a-z_]\w*[""\]`]?\s*(\(|,|\)|\s+on\b|\s+(not\s+)?deferrable\b)|\bforeign\s+key\s*\(", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
    private static readonly Regex Table = new(@"\b(create|alter)\s+table\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
    private static readonly Regex PragmaOn = new(@"pragma\s+foreign_keys\s*=\s*[""']?(on|1|true|yes)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
    private static readonly Regex KeysOn = new(@"foreign\s*keys\s*=\s*(true|1|yes|on)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
    /// <summary>"Foreign Keys=False" and its spellings: what the fix turns on.</summary>
    public static readonly Regex KeysOff = new(@"foreign\s*keys\s*=\s*(false|0|no|off)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
    private static readonly Regex DataSource = new(@"(data\s*source|filename)\s*=", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    public ForeignKeysNotEnforcedCheck()
        : base(RuleCatalog.ForeignKeysNotEnforced)
    {
    }

    private protected override void Register(CheckStart start, SqliteSymbols sqlite, CheckpointAuditOptions options)
    {
        var schemas = new ConcurrentBag<Location>();
        var connections = new ConcurrentBag<(IOperation Value, string Why, string Repair)>();
        var enforcedByPragma = 0;

        // Schema and pragma texts: any string constant of the project (schemas live in constants, raw strings, resources).
        start.RegisterOperationAction(
            c =>
            {
                if (c.Operation.ConstantValue is not { HasValue: true, Value: string text } || text.Length < 12)
                {
                    return;
                }

                if (text.IndexOf("foreign_keys", System.StringComparison.OrdinalIgnoreCase) >= 0 && PragmaOn.IsMatch(text))
                {
                    System.Threading.Interlocked.Exchange(ref enforcedByPragma, 1);
                }
                else if (text.IndexOf("table", System.StringComparison.OrdinalIgnoreCase) >= 0 && Table.IsMatch(text) && ForeignKey.IsMatch(text))
                {
                    schemas.Add(c.Operation.Syntax.GetLocation());
                }
            },
            OperationKind.Literal);

        void AddConnectionStrings(ImmutableArray<IArgumentOperation> arguments, bool systemDataSqlite)
        {
            foreach (var argument in arguments)
            {
                if (argument.Parameter?.Type.SpecialType == SpecialType.System_String && NotEnforcing(argument.Value, systemDataSqlite) is { } found)
                {
                    connections.Add((argument.Value, found.Why, found.Repair));
                }
            }
        }

        start.RegisterOperationAction(
            c =>
            {
                switch (c.Operation)
                {
                    // An EF Core migration: table.ForeignKey(...) in CreateTable.
                    case IInvocationOperation { TargetMethod.Name: "ForeignKey" } call when call.TargetMethod.ContainingType.Name.StartsWith("CreateTableBuilder", System.StringComparison.Ordinal):
                        schemas.Add(call.Syntax.GetLocation());
                        break;
                    case IObjectCreationOperation creation when sqlite.TakesConnectionString(creation.Type) && options.IsAnalyzed(creation.Syntax.SyntaxTree)
                        && !SetsForeignKeysOn(creation):
                        AddConnectionStrings(creation.Arguments, sqlite.IsSystemDataSqlite(creation.Type));

                        break;
                    case IInvocationOperation call when sqlite.IsUseSqlite(call.TargetMethod) && options.IsAnalyzed(call.Syntax.SyntaxTree):
                        AddConnectionStrings(call.Arguments, systemDataSqlite: false);

                        break;
                    case ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property.Name: "ConnectionString" } property } assignment
                        when sqlite.TakesConnectionString(property.Property.ContainingType) && options.IsAnalyzed(assignment.Syntax.SyntaxTree)
                            && NotEnforcing(assignment.Value, sqlite.IsSystemDataSqlite(property.Property.ContainingType)) is { } assigned:
                        connections.Add((assignment.Value, assigned.Why, assigned.Repair));
                        break;
                    case ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property.Name: "ForeignKeys" } keys } off
                        when PathKey.Unwrap(off.Value)?.ConstantValue is { HasValue: true, Value: false }
                            && sqlite.TakesConnectionString(keys.Property.ContainingType) && options.IsAnalyzed(off.Syntax.SyntaxTree):
                        connections.Add((off.Value, "turns foreign keys off (ForeignKeys = false)", string.Empty));
                        break;
                }
            },
            OperationKind.Invocation,
            OperationKind.ObjectCreation,
            OperationKind.SimpleAssignment);

        start.RegisterCompilationEndAction(end =>
        {
            if (schemas.IsEmpty || connections.IsEmpty || enforcedByPragma == 1)
            {
                return;
            }

            var schema = schemas.OrderBy(l => l.SourceTree?.FilePath, System.StringComparer.Ordinal).ThenBy(l => l.SourceSpan.Start).First();
            var file = System.IO.Path.GetFileName(schema.SourceTree?.FilePath ?? string.Empty);
            var line = schema.GetLineSpan().StartLinePosition.Line + 1;
            foreach (var (value, why, repair) in connections)
            {
                var properties = ImmutableDictionary<string, string?>.Empty.Add(RepairProperty, repair);
                end.ReportDiagnostic(Diagnostic.Create(Rule.Descriptor, value.Syntax.GetLocation(), properties, why, file, line));
            }
        });
    }

    /// <summary>A builder made with the string and given <c>ForeignKeys = true</c> in the same method enforces them.</summary>
    private static bool SetsForeignKeysOn(IOperation creation)
    {
        foreach (var operation in OperationTree.Root(creation).Descendants())
        {
            if (operation is ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property.Name: "ForeignKeys" } } assignment
                && PathKey.Unwrap(assignment.Value)?.ConstantValue is { HasValue: true, Value: true })
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Why a connection string handed to a provider leaves foreign keys unenforced, and how the fix repairs it; null when
    /// it enforces them or is not known here (no constant "Data Source=" part: read from configuration).
    /// </summary>
    private static (string Why, string Repair)? NotEnforcing(IOperation value, bool systemDataSqlite)
    {
        var texts = SqliteSymbols.ConstantTextVariants(value);
        if (texts.Count == 0 || !texts.Any(t => DataSource.IsMatch(t)))
        {
            return null;
        }

        if (texts.Any(t => KeysOff.IsMatch(t)))
        {
            return ("turns foreign keys off ('Foreign Keys=False')", "switch");
        }

        return systemDataSqlite && !texts.Any(t => KeysOn.IsMatch(t))
            ? ("uses System.Data.SQLite, which leaves foreign keys off unless the connection string says 'Foreign Keys=True'", "add")
            : null;
    }
}
