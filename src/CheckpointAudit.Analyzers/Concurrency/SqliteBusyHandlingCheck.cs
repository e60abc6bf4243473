using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using CheckpointAudit.Catalog;
using CheckpointAudit.Checks;
using CheckpointAudit.Knowledge;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Operations;

namespace CheckpointAudit.Concurrency;

/// <summary>
/// CKPT602 (compilation end): a SQLite connection or command that does not wait long enough for another
/// connection's lock. What each provider does by default was measured on its engine (see
/// SqliteProviderBehaviourTests): Microsoft.Data.Sqlite retries a busy statement until the command timeout
/// (30 s; 0 = no limit); System.Data.SQLite retries only StepRetries (40) times, 2–3 s, unless the
/// connection has a BusyTimeout, and gives up at once with a command timeout of 0. Reported:
/// <list type="bullet">
/// <item>a constant wait under 5 seconds: <c>Default Timeout=N</c> in a connection string, <c>DefaultTimeout</c>
/// on a connection or builder, <c>CommandTimeout</c> on a SQLite command, a <c>commandTimeout</c> argument of a
/// call on a SQLite connection (Dapper); 0 only for System.Data.SQLite. Not when the project runs
/// <c>PRAGMA busy_timeout</c> of 5 s or more: the engine then waits that long inside each step, before the
/// provider looks at its timeout; nor when the project opens no connection itself (a connection from another
/// project may have one);</item>
/// <item><c>new SQLiteConnection</c> (System.Data.SQLite) with no BusyTimeout: not in its constant connection
/// string, its initializer or the method that creates it (a property or a <c>busy_timeout</c> pragma there),
/// nor — for a connection string built elsewhere — in any string or connection string builder of the project. A pragma
/// run in another method does not count: busy_timeout belongs to the connection it ran on.</item>
/// <item>a System.Data.SQLite <c>SQLiteConnectionStringBuilder</c> that makes a file connection string with no
/// BusyTimeout, when no builder of the project sets one and no <c>busy_timeout</c> pragma runs: connections made
/// through a provider factory, not <c>new SQLiteConnection</c>, get their strings there.</item>
/// </list>
/// In-memory databases are exempt. Nothing is registered when no SQLite provider is referenced.
/// </summary>
public sealed class SqliteBusyHandlingCheck : SqliteRuleCheck
{
    /// <summary>Property name of diagnostics on a System.Data.SQLite connection without BusyTimeout (the fix adds one).</summary>
    public const string MissingBusyTimeoutKey = "MissingBusyTimeout";

    /// <summary>Waits shorter than this many seconds are reported.</summary>
    public const int ShortWaitSeconds = 5;

    private static readonly Regex DefaultTimeout = new(@"(^|;)\s*default\s*timeout\s*=\s*(?<seconds>\d+)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
    private static readonly Regex BusyTimeoutText = new(@"busy_?timeout", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
    private static readonly Regex EngineBusyTimeout = new(@"pragma\s+busy_timeout\s*=\s*(?<ms>\d+)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
    private static readonly Regex InMemory = new(@"mode\s*=\s*memory|:memory:", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    public SqliteBusyHandlingCheck()
        : base(RuleCatalog.SqliteBusyHandling)
    {
    }

    private protected override void Register(CheckStart start, SqliteSymbols sqlite, CheckpointAuditOptions options)
    {
        var shortWaits = new ConcurrentBag<Diagnostic>();
        var unsetBusyTimeouts = new ConcurrentBag<(Location Location, bool ConstantConnectionString)>();

        // System.Data.SQLite connection string builders that make a file connection string with no BusyTimeout.
        var unsetBuilders = new ConcurrentBag<Location>();

        // BusyTimeout set on a connection string builder: a connection string assembled from it may reach any connection.
        var busyTimeoutOnBuilder = 0;

        // PRAGMA busy_timeout of 5 s or more run by the project: the engine itself waits on those connections.
        var engineWaits = 0;

        // Whether this project opens its connections itself; connections handed in from another project may have
        // a busy_timeout this compilation cannot see.
        var opensConnections = 0;

        start.RegisterOperationAction(
            c =>
            {
                var creation = (IObjectCreationOperation)c.Operation;
                if (!sqlite.TakesConnectionString(creation.Type) || !options.IsAnalyzed(creation.Syntax.SyntaxTree))
                {
                    return;
                }

                var systemDataSqlite = sqlite.IsSystemDataSqlite(creation.Type);
                if (sqlite.IsConnection(creation.Type))
                {
                    System.Threading.Interlocked.Exchange(ref opensConnections, 1);
                }

                foreach (var argument in creation.Arguments.Where(a => a.Parameter?.Type.SpecialType == SpecialType.System_String))
                {
                    CheckConnectionString(argument.Value, systemDataSqlite, shortWaits);
                }

                if (sqlite.IsConnection(creation.Type) && systemDataSqlite && WaitsWithoutBusyTimeout(creation) is { } constant)
                {
                    unsetBusyTimeouts.Add((creation.Syntax.GetLocation(), constant));
                }

                if (SymbolEqualityComparer.Default.Equals(creation.Type, sqlite.SystemDataSqliteBuilder) && BuildsWithoutBusyTimeout(creation))
                {
                    unsetBuilders.Add(creation.Syntax.GetLocation());
                }
            },
            OperationKind.ObjectCreation);

        start.RegisterOperationAction(
            c =>
            {
                var assignment = (ISimpleAssignmentOperation)c.Operation;
                if (assignment.Target is not IPropertyReferenceOperation property || !options.IsAnalyzed(assignment.Syntax.SyntaxTree))
                {
                    return;
                }

                NoteEngineWait(SqliteCommandTexts.Of(assignment, sqlite));

                var owner = property.Instance?.Type ?? property.Property.ContainingType;
                var systemDataSqlite = sqlite.IsSystemDataSqlite(owner);
                switch (property.Property.Name)
                {
                    case "ConnectionString" when sqlite.TakesConnectionString(owner):
                        CheckConnectionString(assignment.Value, systemDataSqlite, shortWaits);
                        break;
                    case "BusyTimeout" when SymbolEqualityComparer.Default.Equals(owner, sqlite.SystemDataSqliteBuilder):
                        System.Threading.Interlocked.Exchange(ref busyTimeoutOnBuilder, 1);
                        break;
                    case "DefaultTimeout" when sqlite.TakesConnectionString(owner):
                    case "CommandTimeout" when sqlite.IsCommand(owner):
                        CheckSeconds(assignment.Value, property.Property.Name + " = ", systemDataSqlite, shortWaits);
                        break;
                }
            },
            OperationKind.SimpleAssignment);

        // Dapper and its kind: connection.Execute(sql, commandTimeout: 1).
        start.RegisterOperationAction(
            c =>
            {
                var call = (IInvocationOperation)c.Operation;
                NoteEngineWait(SqliteCommandTexts.Of(call, sqlite));
                if (call.Arguments.FirstOrDefault(a => a.Parameter?.Name == "commandTimeout" && a.ArgumentKind == ArgumentKind.Explicit) is not { } timeout
                    || !options.IsAnalyzed(call.Syntax.SyntaxTree))
                {
                    return;
                }

                var connection = PathKey.Unwrap(call.Instance ?? (call.TargetMethod.IsExtensionMethod && call.Arguments.Length > 0 ? call.Arguments[0].Value : null));
                if (sqlite.IsConnection(connection?.Type))
                {
                    CheckSeconds(timeout.Value, "commandTimeout: ", sqlite.IsSystemDataSqlite(connection!.Type), shortWaits);
                }
            },
            OperationKind.Invocation);

        start.RegisterCompilationEndAction(end =>
        {
            // With the engine's own busy handler waiting long enough, a statement waits that long before a short
            // command timeout is even looked at (SqliteProviderBehaviourTests).
            var waitsUnknown = System.Threading.Volatile.Read(ref engineWaits) == 1 || System.Threading.Volatile.Read(ref opensConnections) == 0;
            foreach (var diagnostic in waitsUnknown ? Enumerable.Empty<Diagnostic>() : shortWaits)
            {
                end.ReportDiagnostic(diagnostic);
            }

            // A builder that makes the project's connection strings without BusyTimeout, where no builder sets one and no
            // busy_timeout pragma runs: every connection opened with its strings gives up after StepRetries.
            if (System.Threading.Volatile.Read(ref busyTimeoutOnBuilder) == 0 && System.Threading.Volatile.Read(ref engineWaits) == 0)
            {
                foreach (var location in unsetBuilders)
                {
                    end.ReportDiagnostic(Diagnostic.Create(
                        Rule.Descriptor,
                        location,
                        "new SQLiteConnectionStringBuilder makes a connection string with no BusyTimeout, so System.Data.SQLite retries a locked statement only StepRetries (40) times, 2–3 seconds in all"));
                }
            }

            if (unsetBusyTimeouts.IsEmpty)
            {
                return;
            }

            // A connection string assembled elsewhere may carry BusyTimeout; only constant ones are known to lack it.
            var setElsewhere = unsetBusyTimeouts.Any(u => !u.ConstantConnectionString)
                && (System.Threading.Volatile.Read(ref busyTimeoutOnBuilder) == 1 || BusyTimeoutInAnyString(end.Compilation, end.CancellationToken));
            foreach (var (location, constant) in unsetBusyTimeouts)
            {
                if (constant || !setElsewhere)
                {
                    end.ReportDiagnostic(Diagnostic.Create(
                        Rule.Descriptor,
                        location,
                        ImmutableDictionary<string, string?>.Empty.Add(MissingBusyTimeoutKey, "true"),
                        "new SQLiteConnection sets no BusyTimeout, so System.Data.SQLite retries a locked statement only StepRetries (40) times, 2–3 seconds in all"));
                }
            }
        });

        void NoteEngineWait(SqliteCommandText? text)
        {
            if (text is not null && EngineBusyTimeout.Match(text.Sql) is { Success: true } pragma
                && int.TryParse(pragma.Groups["ms"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var milliseconds)
                && milliseconds >= ShortWaitSeconds * 1000)
            {
                System.Threading.Interlocked.Exchange(ref engineWaits, 1);
            }
        }

        void CheckConnectionString(IOperation value, bool systemDataSqlite, ConcurrentBag<Diagnostic> found)
        {
            if (SqliteSymbols.ConstantText(value) is { } text && DefaultTimeout.Match(text) is { Success: true } match
                && int.TryParse(match.Groups["seconds"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
                && IsShort(seconds, systemDataSqlite))
            {
                found.Add(Diagnostic.Create(Rule.Descriptor, value.Syntax.GetLocation(), Describe("'" + match.Value.TrimStart(';', ' ') + "' in the connection string", seconds, systemDataSqlite)));
            }
        }

        void CheckSeconds(IOperation value, string setting, bool systemDataSqlite, ConcurrentBag<Diagnostic> found)
        {
            if (PathKey.Unwrap(value)?.ConstantValue is { HasValue: true, Value: int seconds } && IsShort(seconds, systemDataSqlite))
            {
                found.Add(Diagnostic.Create(Rule.Descriptor, value.Syntax.GetLocation(), Describe("'" + setting + seconds.ToString(CultureInfo.InvariantCulture) + "'", seconds, systemDataSqlite)));
            }
        }
    }

    /// <summary>0 waits without limit in Microsoft.Data.Sqlite but gives up at once in System.Data.SQLite.</summary>
    private static bool IsShort(int seconds, bool systemDataSqlite) => seconds < ShortWaitSeconds && (seconds > 0 || systemDataSqlite);

    private static string Describe(string setting, int seconds, bool systemDataSqlite) => seconds == 0 && systemDataSqlite
        ? setting + " makes System.Data.SQLite give up on a lock at once"
        : setting + " makes each command give up after " + (seconds == 1 ? "1 second" : seconds.ToString(CultureInfo.InvariantCulture) + " seconds");

    /// <summary>
    /// For a System.Data.SQLite connection creation that does not set BusyTimeout: whether its connection string
    /// has constant text (then it is known to lack one); null when it sets one, its method does, or the database is in memory.
    /// </summary>
    /// <summary>
    /// A builder given a file DataSource (in its initializer or later in the method) and no BusyTimeout whose
    /// ConnectionString the same body reads: it makes a connection string (a builder made to parse one, reading
    /// DataSource back, makes none).
    /// </summary>
    private static bool BuildsWithoutBusyTimeout(IObjectCreationOperation creation)
    {
        var assigned = new System.Collections.Generic.List<ISimpleAssignmentOperation>();
        if (creation.Initializer is { } initializer)
        {
            assigned.AddRange(initializer.Initializers.OfType<ISimpleAssignmentOperation>());
        }

        var value = (IOperation)creation;
        while (value.Parent is IConversionOperation or IParenthesizedOperation)
        {
            value = value.Parent;
        }

        var root = OperationTree.Root(creation);
        ILocalSymbol? builder = null;
        if (value.Parent is IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator })
        {
            // builder.DataSource = path; builder.BusyTimeout = …; builder.Add("busytimeout", …) in the same method.
            builder = declarator.Symbol;
            foreach (var operation in root.Descendants())
            {
                if (operation is ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Instance: ILocalReferenceOperation local } } assignment
                    && SymbolEqualityComparer.Default.Equals(local.Local, builder))
                {
                    assigned.Add(assignment);
                }
                else if (operation is IInvocationOperation { TargetMethod.Name: "Add", Instance: ILocalReferenceOperation adder } add
                    && SymbolEqualityComparer.Default.Equals(adder.Local, builder)
                    && add.Arguments.Length > 0 && add.Arguments[0].Value.ConstantValue.Value is string key && BusyTimeoutText.IsMatch(key.Replace(" ", string.Empty)))
                {
                    return false;
                }
            }
        }

        string? Property(ISimpleAssignmentOperation a) => (a.Target as IPropertyReferenceOperation)?.Property.Name;
        if (assigned.Any(a => Property(a) == "BusyTimeout")
            || !assigned.Any(a => Property(a) == "DataSource" && !(SqliteSymbols.ConstantText(a.Value) is { } text && InMemory.IsMatch(text))))
        {
            return false;
        }

        // It makes a connection string: its ConnectionString (or ToString()) is read.
        return builder is null
            ? value.Parent is IPropertyReferenceOperation { Property.Name: "ConnectionString" } or IInvocationOperation { TargetMethod.Name: "ToString" }
            : root.Descendants().Any(o => o is IPropertyReferenceOperation { Property.Name: "ConnectionString", Instance: ILocalReferenceOperation local } && SymbolEqualityComparer.Default.Equals(local.Local, builder)
                || o is IInvocationOperation { TargetMethod.Name: "ToString", Instance: ILocalReferenceOperation reader } && SymbolEqualityComparer.Default.Equals(reader.Local, builder));
    }

    private static bool? WaitsWithoutBusyTimeout(IObjectCreationOperation creation)
    {
        var connectionString = creation.Arguments.FirstOrDefault(a => a.Parameter?.Type.SpecialType == SpecialType.System_String)?.Value;
        var text = connectionString is null ? null : SqliteSymbols.ConstantText(connectionString);
        if (text is not null && (BusyTimeoutText.IsMatch(text) || InMemory.IsMatch(text)))
        {
            return null;
        }

        if (creation.Initializer is { } initializer && initializer.Initializers.Any(i => i is ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property.Name: "BusyTimeout" } }))
        {
            return null;
        }

        // The method that creates the connection sets BusyTimeout on it or runs the pragma.
        var body = OperationTree.Root(creation).Syntax.ToString();
        if (BusyTimeoutText.IsMatch(body))
        {
            return null;
        }

        return text is not null;
    }

    /// <summary>"BusyTimeout=..." in any string literal of the project (files without the word are skipped unparsed).</summary>
    private static bool BusyTimeoutInAnyString(Compilation compilation, System.Threading.CancellationToken cancellationToken)
    {
        foreach (var tree in SourceSearch.TreesNaming("BusyTimeout", compilation, cancellationToken, ignoreCase: true))
        {
            if (tree.GetRoot(cancellationToken).DescendantTokens().Any(t =>
                t.Kind() is SyntaxKind.StringLiteralToken or SyntaxKind.InterpolatedStringTextToken or SyntaxKind.SingleLineRawStringLiteralToken or SyntaxKind.MultiLineRawStringLiteralToken
                && t.ValueText.IndexOf("BusyTimeout", System.StringComparison.OrdinalIgnoreCase) >= 0))
            {
                return true;
            }
        }

        return false;
    }
}
