using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using CheckpointAudit.Catalog;
using CheckpointAudit.Checks;
using CheckpointAudit.Knowledge;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace CheckpointAudit.Concurrency;

/// <summary>
/// CKPT609 (HIGH): <c>File.Delete/Move/Replace</c>, <c>File.Copy(…, overwrite: true)</c> or a project method that
/// deletes or moves its path parameter, applied to the database file of a pooled SQLite connection (or its
/// <c>-wal</c>, <c>-shm</c>, <c>-journal</c> companions), with no <c>ClearAllPools</c>/<c>ClearPool</c> earlier in the
/// method — directly, through a method it calls, or in the Dispose of an object it disposes. The database file is
/// known from the connection strings and builders of the whole project (<see cref="SqliteDataSources"/>): a field or
/// property anywhere, a local or parameter within one method. Pooled as the provider decides (Microsoft.Data.Sqlite
/// from 6.0 unless Pooling=False; System.Data.SQLite only with Pooling=True). Reported at compilation end.
/// </summary>
public sealed class DatabaseFileSwappedUnderPoolCheck : SqliteRuleCheck
{
    /// <summary>Diagnostic property: the provider's connection type, for the fix.</summary>
    public const string ProviderProperty = "provider";

    private static readonly string[] Companions = ["-wal", "-shm", "-journal"];

    public DatabaseFileSwappedUnderPoolCheck()
        : base(RuleCatalog.DatabaseFileSwappedUnderPool)
    {
    }

    /// <summary>A call that deletes or moves the file <see cref="Path"/> names; <see cref="What"/> and <see cref="Verb"/> for the message.</summary>
    private sealed class FileOperation
    {
        public FileOperation(IOperation call, IOperation path, string what, string verb)
        {
            Call = call;
            Path = path;
            What = what;
            Verb = verb;
        }

        public IOperation Call { get; }

        public IOperation Path { get; }

        public string What { get; }

        public string Verb { get; }
    }

    private protected override void Register(CheckStart start, SqliteSymbols sqlite, CheckpointAuditOptions options)
    {
        if (FileApiSymbols.Create(start.Compilation) is not { } apis)
        {
            return;
        }

        var dataSources = new SqliteDataSources(start.Compilation, sqlite);
        var summaries = MethodSummaries.Of(start.Compilation);
        var sources = new ConcurrentBag<(DatabasePath Key, SqliteDataSource Source)>();
        var operations = new ConcurrentBag<(DatabasePath Key, FileOperation Operation)>();
        var projectCalls = new ConcurrentBag<(DatabasePath Key, IInvocationOperation Call, IArgumentOperation Argument)>();

        // Whether a file's text names SQLite at all, read once per file.
        var sqliteFiles = new ConcurrentDictionary<SyntaxTree, bool>();
        bool NamesSqlite(SyntaxTree tree)
            => sqliteFiles.GetOrAdd(tree, t => SourceSearch.Names(t.GetText(), "sqlite", ignoreCase: true));

        // Open helpers: the string parameters of project methods that become a data source in their body.
        var openHelpers = new ConcurrentDictionary<(IMethodSymbol Method, int Ordinal), SqliteDataSource>(OpenHelperComparer.Instance);

        start.RegisterOperationAction(
            c =>
            {
                foreach (var source in dataSources.Of(c.Operation))
                {
                    if (PathKey.Unwrap(source.Path) is IParameterReferenceOperation { Parameter: { ContainingSymbol: IMethodSymbol helper } parameter })
                    {
                        // Deterministic whatever the callbacks' order: a helper that can open a pooled connection is pooled.
                        openHelpers.AddOrUpdate((helper.OriginalDefinition, parameter.Ordinal), source, (_, known) => known.Pooled ? known : source);
                    }

                    if (source.Pooled && DatabasePath.Of(source.Path) is { } key)
                    {
                        sources.Add((key, source));
                    }
                }

                if (c.Operation is not IInvocationOperation call || !options.IsAnalyzed(call.Syntax.SyntaxTree))
                {
                    return;
                }

                foreach (var operation in FileOperations(call, apis))
                {
                    // A file copied or moved onto a name made unique here (tempplaces_{Guid}.sqlite) is new: no pooled
                    // connection can have opened it yet.
                    if (operation.Verb is "copies over" or "replaces" && !InLoop(call) && PathOrigin.IsUnique(operation.Path, OperationTree.Root(call), apis))
                    {
                        continue;
                    }

                    if (DatabasePath.Of(WithoutCompanionSuffix(operation.Path)) is { } key)
                    {
                        operations.Add((key, operation));
                    }
                }

                // What a project method does with a path (opens it as a database, deletes or moves it) is asked at the
                // end, for calls in files that name SQLite, with a field, property, local or parameter as the path.
                foreach (var argument in call.Arguments)
                {
                    if (PathKey.Unwrap(argument.Value) is IFieldReferenceOperation or IPropertyReferenceOperation or ILocalReferenceOperation or IParameterReferenceOperation
                        && argument.Parameter?.Type.SpecialType == SpecialType.System_String && NamesSqlite(call.Syntax.SyntaxTree)
                        && MethodSummaries.IsProjectMethod(call.TargetMethod) && DatabasePath.Of(argument.Value) is { } key)
                    {
                        projectCalls.Add((key, call, argument));
                    }
                }
            },
            OperationKind.ObjectCreation,
            OperationKind.Invocation,
            OperationKind.SimpleAssignment);

        start.RegisterCompilationEndAction(end =>
        {
            var byPath = new Dictionary<DatabasePath, SqliteDataSource>();
            foreach (var (key, source) in sources.OrderBy(s => s.Source.Path.Syntax.SyntaxTree.FilePath, System.StringComparer.Ordinal).ThenBy(s => s.Source.Path.Syntax.SpanStart))
            {
                if (!byPath.ContainsKey(key))
                {
                    byPath[key] = source;
                }
            }

            // Paths opened through the project's own open helpers (Store.FromFile(path)).
            foreach (var (key, call, argument) in projectCalls)
            {
                if (!byPath.ContainsKey(key) && argument.Parameter is { } parameter
                    && openHelpers.TryGetValue((call.TargetMethod.OriginalDefinition, parameter.Ordinal), out var opened) && opened.Pooled)
                {
                    byPath[key] = new SqliteDataSource(argument.Value, opened.Provider, pooled: true);
                }
            }

            if (byPath.Count == 0)
            {
                return;
            }

            var found = operations.Where(o => byPath.ContainsKey(o.Key)).ToList();
            foreach (var (key, call, argument) in projectCalls)
            {
                if (byPath.ContainsKey(key) && summaries is not null && ProjectMethodOperation(call, argument, summaries, end.CancellationToken) is { } operation)
                {
                    found.Add((key, operation));
                }
            }

            var clears = new PoolClearing(end.Compilation, sqlite);
            var reported = new HashSet<IOperation>();
            foreach (var (key, operation) in found.OrderBy(o => o.Operation.Call.Syntax.SyntaxTree.FilePath, System.StringComparer.Ordinal).ThenBy(o => o.Operation.Call.Syntax.SpanStart))
            {
                if (reported.Add(operation.Call) && !clears.Before(operation.Call, end.CancellationToken)
                    && !(operation.Call is IInvocationOperation helper && clears.Clears(helper.TargetMethod, end.CancellationToken)))
                {
                    var provider = byPath[key].Provider;
                    var properties = ImmutableDictionary<string, string?>.Empty.Add(ProviderProperty, sqlite.IsSystemDataSqlite(provider) ? "System.Data.SQLite.SQLiteConnection" : "Microsoft.Data.Sqlite.SqliteConnection");
                    end.ReportDiagnostic(Diagnostic.Create(
                        Rule.Descriptor,
                        operation.Call.Syntax.GetLocation(),
                        properties,
                        operation.What,
                        operation.Verb,
                        operation.Path.Syntax.ToString(),
                        provider.Name));
                }
            }
        });
    }

    /// <summary>Inside a loop of its method: a unique name made once before the loop is copied onto again on the next pass.</summary>
    private static bool InLoop(IOperation operation)
    {
        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            if (current is ILoopOperation)
            {
                return true;
            }

            if (current is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                return false;
            }
        }

        return false;
    }

    /// <summary>What a project method does to the file its string argument names: deletes or moves it, or moves another onto it.</summary>
    private static FileOperation? ProjectMethodOperation(IInvocationOperation call, IArgumentOperation argument, MethodSummaries summaries, System.Threading.CancellationToken cancellationToken)
    {
        var use = summaries.UseOf(call, argument, cancellationToken);
        // MovesAway is not enough: a helper that copies the database (a backup) counts as one, and copying from it is safe.
        var verb = (use & PathUse.Deletes) != 0 ? "deletes" : (use & PathUse.MovesOnto) != 0 ? "replaces" : null;
        return verb is null ? null : new FileOperation(call, argument.Value, call.TargetMethod.Name, verb);
    }

    /// <summary>What a call of File does to files: deletes, moves, replaces, copies over.</summary>
    private static IEnumerable<FileOperation> FileOperations(IInvocationOperation call, FileApiSymbols apis)
    {
        var method = call.TargetMethod;
        if (method.Name is not ("Delete" or "Move" or "Replace" or "Copy") || !apis.Is(method.ContainingType, apis.File))
        {
            yield break;
        }

        var what = "File." + method.Name;
        IOperation? Argument(string name)
        {
            foreach (var argument in call.Arguments)
            {
                if (argument.Parameter?.Name == name)
                {
                    return argument.Value;
                }
            }

            return null;
        }

        switch (method.Name)
        {
            case "Delete" when Argument("path") is { } deleted:
                yield return new FileOperation(call, deleted, what, "deletes");
                break;
            case "Move" when Argument("sourceFileName") is { } source && Argument("destFileName") is { } target:
                yield return new FileOperation(call, source, what, "moves");
                yield return new FileOperation(call, target, what, "replaces");
                break;
            case "Replace" when Argument("destinationFileName") is { } replaced:
                yield return new FileOperation(call, replaced, what, "replaces");
                break;
            case "Copy" when Argument("overwrite")?.ConstantValue is { HasValue: true, Value: true } && Argument("destFileName") is { } copied:
                yield return new FileOperation(call, copied, what, "copies over");
                break;
        }
    }

    /// <summary><c>path + "-wal"</c>, <c>$"{path}-shm"</c>: the companion files of <c>path</c>'s database.</summary>
    private static IOperation WithoutCompanionSuffix(IOperation path)
    {
        var unwrapped = PathKey.Unwrap(path)!;
        switch (unwrapped)
        {
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Add, RightOperand.ConstantValue: { HasValue: true, Value: string suffix } } add when Companions.Contains(suffix):
                return add.LeftOperand;
            case IInterpolatedStringOperation { Parts: { Length: 2 } parts }
                when parts[0] is IInterpolationOperation hole && parts[1] is IInterpolatedStringTextOperation { Text.ConstantValue.Value: string text } && Companions.Contains(text):
                return hole.Expression;
            default:
                return path;
        }
    }

    private sealed class OpenHelperComparer : IEqualityComparer<(IMethodSymbol Method, int Ordinal)>
    {
        public static readonly OpenHelperComparer Instance = new();

        public bool Equals((IMethodSymbol Method, int Ordinal) x, (IMethodSymbol Method, int Ordinal) y)
            => x.Ordinal == y.Ordinal && SymbolEqualityComparer.Default.Equals(x.Method, y.Method);

        public int GetHashCode((IMethodSymbol Method, int Ordinal) obj) => (SymbolEqualityComparer.Default.GetHashCode(obj.Method) * 31) + obj.Ordinal;
    }

    /// <summary>
    /// The identity of a database path across the project: a field or property is the same file wherever it is read;
    /// a local, parameter or other expression only within its own method body.
    /// </summary>
    private readonly struct DatabasePath : System.IEquatable<DatabasePath>
    {
        private readonly ISymbol? _symbol;
        private readonly string? _text;
        private readonly IOperation? _body;

        private DatabasePath(ISymbol? symbol, string? text, IOperation? body)
        {
            _symbol = symbol;
            _text = text;
            _body = body;
        }

        public static DatabasePath? Of(IOperation path)
        {
            switch (PathKey.Unwrap(path))
            {
                // A member read from a local or parameter (file.FullName, options.Path) is that object's: within its method.
                case IMemberReferenceOperation { Instance: ILocalReferenceOperation or IParameterReferenceOperation } member
                    when member is IFieldReferenceOperation or IPropertyReferenceOperation { Arguments.Length: 0 }:
                    return new DatabasePath(member.Member.OriginalDefinition, member.Instance.Syntax.ToString(), OperationTree.Root(path));
                case IFieldReferenceOperation field:
                    return new DatabasePath(field.Field.OriginalDefinition, null, null);
                case IPropertyReferenceOperation { Arguments.Length: 0 } property:
                    return new DatabasePath(property.Property.OriginalDefinition, null, null);
                case ILocalReferenceOperation local:
                    return new DatabasePath(local.Local, null, OperationTree.Root(path));
                case IParameterReferenceOperation parameter:
                    return new DatabasePath(parameter.Parameter.OriginalDefinition, null, OperationTree.Root(path));
                case { ConstantValue.HasValue: true }:
                    // ":memory:" and other constants: a fixed name is not worth matching across methods.
                    return null;
                case { } other:
                    return new DatabasePath(null, string.Concat(other.Syntax.ToString().Where(ch => !char.IsWhiteSpace(ch))), OperationTree.Root(path));
                default:
                    return null;
            }
        }

        public bool Equals(DatabasePath other)
            => SymbolEqualityComparer.Default.Equals(_symbol, other._symbol) && _text == other._text && ReferenceEquals(_body, other._body);

        public override bool Equals(object? obj) => obj is DatabasePath other && Equals(other);

        public override int GetHashCode()
            => (SymbolEqualityComparer.Default.GetHashCode(_symbol) * 31) + (_text?.GetHashCode() ?? 0) + (_body is null ? 0 : System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(_body));
    }

    /// <summary>
    /// Whether a method clears the pools before a point: ClearAllPools/ClearPool on a provider's connection, a project
    /// method that does (three levels deep), or the Dispose of a project object (a store whose Dispose clears them),
    /// earlier in the same body.
    /// </summary>
    private sealed class PoolClearing
    {
        private readonly Compilation _compilation;
        private readonly SqliteSymbols _sqlite;
        private readonly Dictionary<IMethodSymbol, bool> _clears = new(SymbolEqualityComparer.Default);

        public PoolClearing(Compilation compilation, SqliteSymbols sqlite)
        {
            _compilation = compilation;
            _sqlite = sqlite;
        }

        public bool Before(IOperation call, System.Threading.CancellationToken cancellationToken)
        {
            var at = call.Syntax.SpanStart;
            foreach (var operation in OperationTree.Root(call).Descendants())
            {
                if (operation.Syntax.SpanStart >= at)
                {
                    continue;
                }

                switch (operation)
                {
                    case IInvocationOperation earlier when Clears(earlier.TargetMethod, 0, cancellationToken) && RunsBefore(earlier, call):
                        return true;
                    case IUsingOperation block when block.Syntax.Span.End <= at && DisposeOf(ResourceType(block.Resources)) is { } dispose && Clears(dispose, 0, cancellationToken)
                        && RunsBefore(block, call):
                        return true;
                }
            }

            return false;
        }

        /// <summary>
        /// Whether <paramref name="earlier"/>, written before <paramref name="later"/>, can have run when it runs: not in
        /// a try body when the later call is in that try's catch (the exception may have come first), nor in the other
        /// branch of an if.
        /// </summary>
        private static bool RunsBefore(IOperation earlier, IOperation later)
        {
            var laterAncestors = new HashSet<IOperation>();
            for (var node = later; node is not null; node = node.Parent)
            {
                laterAncestors.Add(node);
            }

            IOperation child = earlier;
            var common = earlier.Parent;
            while (common is not null && !laterAncestors.Contains(common))
            {
                child = common;
                common = common.Parent;
            }

            return common switch
            {
                ITryOperation attempt => !(ReferenceEquals(child, attempt.Body) && attempt.Catches.Any(laterAncestors.Contains)),
                IConditionalOperation branch => !(ReferenceEquals(child, branch.WhenTrue) && branch.WhenFalse is { } otherwise && laterAncestors.Contains(otherwise)),
                _ => true,
            };
        }

        /// <summary>Whether calling the method clears the pools (itself or through the methods it calls).</summary>
        public bool Clears(IMethodSymbol method, System.Threading.CancellationToken cancellationToken) => Clears(method, 0, cancellationToken);

        private bool Clears(IMethodSymbol method, int depth, System.Threading.CancellationToken cancellationToken)
        {
            if (method.Name is "ClearAllPools" or "ClearPool" && _sqlite.IsConnection(method.ContainingType))
            {
                return true;
            }

            method = method.OriginalDefinition;
            if (depth > 3 || method.DeclaringSyntaxReferences.Length == 0)
            {
                return false;
            }

            if (_clears.TryGetValue(method, out var known))
            {
                return known;
            }

            // A placeholder, so that recursive methods end; a "no" found short of the depth limit is not kept, so
            // that a method first reached deep down is judged again when it is called directly.
            _clears[method] = false;
            var result = false;
            foreach (var reference in method.DeclaringSyntaxReferences)
            {
                if (!_compilation.ContainsSyntaxTree(reference.SyntaxTree))
                {
                    continue;
                }

#pragma warning disable RS1030 // Compilation end: the bodies of project methods called before a database file operation.
                var body = _compilation.GetSemanticModel(reference.SyntaxTree).GetOperation(reference.GetSyntax(cancellationToken), cancellationToken);
#pragma warning restore RS1030
                if (body is not null && body.Descendants().OfType<IInvocationOperation>().Any(inner => Clears(inner.TargetMethod, depth + 1, cancellationToken)))
                {
                    result = true;
                    break;
                }
            }

            if (result || depth == 0)
            {
                _clears[method] = result;
            }
            else
            {
                _clears.Remove(method);
            }

            return result;
        }

        /// <summary>The type a using statement disposes: its declared local's, or its expression's.</summary>
        private static ITypeSymbol? ResourceType(IOperation resources)
            => resources is IVariableDeclarationGroupOperation group
                ? group.Declarations.SelectMany(d => d.Declarators).FirstOrDefault()?.Symbol.Type
                : resources.Type;

        private static IMethodSymbol? DisposeOf(ITypeSymbol? type)
            => type?.GetMembers("Dispose").OfType<IMethodSymbol>().FirstOrDefault(m => m.Parameters.IsEmpty && !m.DeclaringSyntaxReferences.IsEmpty);
    }
}
