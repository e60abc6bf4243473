using System.Collections.Generic;
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
/// CKPT605: a method records a completion status in SQLite before it writes the file the status describes.
/// The record is either a SQLite command whose UPDATE/INSERT writes a status/state column with a completion
/// value ('done', 'completed', 'finished', 'succeeded', 'processed'… as a literal, a command parameter or a
/// Dapper argument property), or a call of the project's own method with such a value as an argument
/// (a string or an enum member) whose body writes a status/state column through SQLite. The write is a later
/// file write in the same function — File.WriteAll*, a truncating or new file stream, CheckpointFile's writes —
/// or a call of the project's own method whose body does one (one level), able to run after the record
/// (<see cref="ExecutionOrder"/>: not in its other branch, nor after a return). The write must name every local or
/// parameter that identifies the record (the job id; the stage too when the record has one), so unrelated
/// writes — a log, the document's summary after a stage's status — are not paired.
/// </summary>
public sealed class DoneBeforeDataCheck : SqliteRuleCheck
{
    /// <summary>Diagnostic property: the source position of the write (the fix moves the record after it).</summary>
    public const string WritePositionKey = "WritePosition";

    private static readonly Regex StatusColumn = new(@"(status|state)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    private static readonly Regex CompletionValue = new(
        @"^'?(done|complete|completed|finished|success|succeeded|successful|processed|committed)'?$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    public DoneBeforeDataCheck()
        : base(RuleCatalog.DoneBeforeData)
    {
    }

    private protected override void Register(CheckStart start, SqliteSymbols sqlite, CheckpointAuditOptions options)
    {
        if (FileApiSymbols.Create(start.Compilation) is not { } apis)
        {
            return;
        }

        start.RegisterOperationAction(
            c =>
            {
                var call = (IInvocationOperation)c.Operation;
                if (RecordedCompletion(call, sqlite, c.Compilation) is not { } record || !options.IsAnalyzed(call.Syntax.SyntaxTree))
                {
                    return;
                }

                var root = OperationTree.Root(call);
                var function = OperationTree.InnermostFunction(call);
                var shared = record.Symbols;
                foreach (var later in root.Descendants())
                {
                    if (later.Syntax.SpanStart <= call.Syntax.Span.End
                        || later is not (IInvocationOperation or IObjectCreationOperation)
                        || !SymbolEqualityComparer.Default.Equals(OperationTree.InnermostFunction(later), function)
                        || !Describes(later, root, shared)
                        || WrittenFile(later, apis, sqlite, c.Compilation) is not { } write
                        || !ExecutionOrder.CanRunAfter(call, later))
                    {
                        continue;
                    }

                    c.ReportDiagnostic(Diagnostic.Create(
                        Rule.Descriptor,
                        call.Syntax.GetLocation(),
                        ImmutableDictionary<string, string?>.Empty.Add(WritePositionKey, later.Syntax.SpanStart.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                        record.Description,
                        write,
                        (later.Syntax.GetLocation().GetLineSpan().StartLinePosition.Line + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)));
                    return;
                }
            },
            OperationKind.Invocation);
    }

    private sealed class CompletionRecord(string description, HashSet<ISymbol> symbols)
    {
        /// <summary>What is recorded, for the message: "SetStageStatus(…, \"done\")", "state = 'done'".</summary>
        public string Description { get; } = description;

        /// <summary>The locals and parameters that identify what is recorded (the job id, the stage).</summary>
        public HashSet<ISymbol> Symbols { get; } = symbols;
    }

    /// <summary>The completion this call records in SQLite, or null.</summary>
    private static CompletionRecord? RecordedCompletion(IInvocationOperation call, SqliteSymbols sqlite, Compilation compilation)
    {
        // The project's own method given a completion value: SetStatus(id, "done"), Mark(id, JobState.Completed).
        // (Whether the method is the project's own first: this runs for every call, and most calls are to libraries.)
        var completion = call.TargetMethod.DeclaringSyntaxReferences.Length == 1 ? call.Arguments.FirstOrDefault(a => IsCompletion(a.Value)) : null;
        if (completion is not null)
        {
            if (!sqlite.MethodFact("writes a status", call.TargetMethod, _ => SameFileBody.Of(call, compilation) is { } body && SqliteCommandTexts.In(body, sqlite).Any(WritesStatus)))
            {
                return null;
            }

            var symbols = new HashSet<ISymbol>(call.Arguments.Where(a => a != completion).SelectMany(a => References(a.Value)), SymbolEqualityComparer.Default);
            return new CompletionRecord(call.TargetMethod.Name + "(…, " + completion.Value.Syntax + ")", symbols);
        }

        // A SQLite command run here: command.ExecuteNonQuery() after CommandText = "UPDATE … SET state = 'done' …".
        if (call.TargetMethod.Name.StartsWith("ExecuteNonQuery", System.StringComparison.Ordinal) && sqlite.IsCommand(call.Instance?.Type)
            && PathKey.Unwrap(call.Instance) is ILocalReferenceOperation { Local: var command })
        {
            var root = OperationTree.Root(call);
            var text = SqliteCommandTexts.In(root, sqlite).LastOrDefault(t => SymbolEqualityComparer.Default.Equals(t.Command, command) && t.Position < call.Syntax.SpanStart
                && ExecutionOrder.CanRunAfter(t.Text, call));
            // No status column written: no completion recorded, and the body's parameter calls are not looked for.
            if (text is null || !WritesStatus(text))
            {
                return null;
            }

            var parameters = root.Descendants().OfType<IInvocationOperation>()
                .Where(p => p.TargetMethod.Name is "AddWithValue" or "Add" && PathKey.Unwrap(p.Instance) is IPropertyReferenceOperation { Property.Name: "Parameters", Instance: ILocalReferenceOperation owner }
                    && SymbolEqualityComparer.Default.Equals(owner.Local, command) && p.Arguments.Length >= 2)
                .ToList();
            if (CompletedColumn(text, name => parameters.FirstOrDefault(p => Equals(p.Arguments[0].Value.ConstantValue.Value, name))?.Arguments[1].Value) is not { } column)
            {
                return null;
            }

            var symbols = new HashSet<ISymbol>(parameters.SelectMany(p => References(p.Arguments[1].Value)), SymbolEqualityComparer.Default);
            return new CompletionRecord(column, symbols);
        }

        // Dapper: connection.Execute("UPDATE jobs SET state = @state WHERE id = @id", new { state = "done", id }).
        if (SqliteCommandTexts.Of(call, sqlite) is { MayWrite: true } dapper)
        {
            var values = call.Arguments.Select(a => PathKey.Unwrap(a.Value)).OfType<IAnonymousObjectCreationOperation>().FirstOrDefault();
            IOperation? Property(string name) => values?.Initializers.OfType<ISimpleAssignmentOperation>()
                .FirstOrDefault(i => i.Target is IPropertyReferenceOperation p && string.Equals(p.Property.Name, name.TrimStart('@', '$', ':'), System.StringComparison.OrdinalIgnoreCase))?.Value;
            if (CompletedColumn(dapper, Property) is not { } column)
            {
                return null;
            }

            var symbols = new HashSet<ISymbol>(values is null ? Enumerable.Empty<ISymbol>() : values.Initializers.SelectMany(References), SymbolEqualityComparer.Default);
            return new CompletionRecord(column, symbols);
        }

        return null;
    }

    /// <summary>"state = 'done'" when the SQL writes a completion value to a status column, directly or through a named parameter.</summary>
    private static string? CompletedColumn(SqliteCommandText text, System.Func<string, IOperation?> parameterValue)
    {
        foreach (var statement in text.Statements.Where(s => s.Verb is SqlVerb.Update or SqlVerb.Insert))
        {
            for (var i = 0; i < statement.Columns.Length && i < statement.Values.Length; i++)
            {
                var value = statement.Values[i];
                if (!StatusColumn.IsMatch(statement.Columns[i]))
                {
                    continue;
                }

                if (CompletionValue.IsMatch(value) && value.StartsWith("'", System.StringComparison.Ordinal))
                {
                    return statement.Columns[i] + " = " + value;
                }

                if (value.Length > 1 && value[0] is '$' or '@' or ':' && parameterValue(value) is { } bound && IsCompletion(bound))
                {
                    return statement.Columns[i] + " = " + bound.Syntax;
                }
            }
        }

        return null;
    }

    private static bool WritesStatus(SqliteCommandText text)
        => text.MayWrite && text.Statements.Any(s => s.Verb is SqlVerb.Update or SqlVerb.Insert && s.Columns.Any(c => StatusColumn.IsMatch(c)));

    /// <summary>A completion constant: the string "done" (etc.) or an enum member of that name.</summary>
    private static bool IsCompletion(IOperation value)
    {
        var unwrapped = PathKey.Unwrap(value);
        return unwrapped switch
        {
            IFieldReferenceOperation { Field: { ContainingType.TypeKind: TypeKind.Enum } field } => CompletionValue.IsMatch(field.Name),
            // The longest completion word is 12 characters: longer strings (messages, SQL) skip the pattern.
            _ => unwrapped?.ConstantValue is { HasValue: true, Value: string { Length: <= 14 } text } && CompletionValue.IsMatch(text),
        };
    }

    /// <summary>The file write this operation does, by API name, or null: directly, or in the body of the project's own method it calls.</summary>
    private static string? WrittenFile(IOperation operation, FileApiSymbols apis, SqliteSymbols sqlite, Compilation compilation)
    {
        if (DirectWrite(operation, apis) is { } direct)
        {
            return direct;
        }

        if (operation is IInvocationOperation call && call.TargetMethod.DeclaringSyntaxReferences.Length == 1
            && sqlite.MethodFact("writes a file", call.TargetMethod, _ => SameFileBody.Of(call, compilation) is { } body && body.Descendants().Any(o => DirectWrite(o, apis) is not null)))
        {
            return call.TargetMethod.Name;
        }

        return null;
    }

    private static string? DirectWrite(IOperation operation, FileApiSymbols apis)
    {
        if (FileOverwrite.TryMatch(operation, apis, out var overwrite, anyNewContent: true))
        {
            return overwrite.Api;
        }

        // CheckpointFile.Save/WriteAllText/...: atomic, but still a write the status must wait for.
        return operation is IInvocationOperation save && apis.CheckpointFile is not null
            && (save.TargetMethod.Name.StartsWith("Save", System.StringComparison.Ordinal) || save.TargetMethod.Name.StartsWith("Write", System.StringComparison.Ordinal))
            && SymbolEqualityComparer.Default.Equals(save.TargetMethod.ContainingType, apis.CheckpointFile)
            ? "CheckpointFile." + save.TargetMethod.Name
            : null;
    }

    /// <summary>
    /// Whether a write is of the data the record describes: it names everything that identifies the record (the job
    /// id, and the stage too when the record has one), so a stage's status does not pair with the document's summary.
    /// </summary>
    private static bool Describes(IOperation write, IOperation root, HashSet<ISymbol> identifying)
    {
        if (identifying.Count == 0)
        {
            return false;
        }

        var named = new HashSet<ISymbol>(References(write).Concat(ThroughLocals(write, root)), SymbolEqualityComparer.Default);
        return identifying.All(named.Contains);
    }

    /// <summary>
    /// What the locals an operation reads were declared from: "var path = id + \".json\"" makes a write of path one
    /// of id. Only the declared value is read; a local reassigned in between could pair a write wrongly (rare).
    /// </summary>
    private static IEnumerable<ISymbol> ThroughLocals(IOperation operation, IOperation root)
        => operation.DescendantsAndSelf().OfType<ILocalReferenceOperation>()
            .Select(local => OperationTree.DeclaredValue(local.Local, root))
            .Where(value => value is not null)
            .SelectMany(value => References(value!));

    /// <summary>The locals and parameters an operation reads.</summary>
    private static IEnumerable<ISymbol> References(IOperation operation)
        => operation.DescendantsAndSelf().Select(o => o switch
        {
            ILocalReferenceOperation local => (ISymbol)local.Local,
            IParameterReferenceOperation parameter => parameter.Parameter,
            _ => null,
        }).Where(s => s is not null)!;
}
