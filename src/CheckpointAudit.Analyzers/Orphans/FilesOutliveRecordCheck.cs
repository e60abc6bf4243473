using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using CheckpointAudit.Catalog;
using CheckpointAudit.Checks;
using CheckpointAudit.Knowledge;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace CheckpointAudit.Orphans;

/// <summary>
/// CKPT402 (HIGH, compilation end): a stored record is deleted — SQL <c>DELETE FROM t</c> through SQLite, EF Core
/// <c>Remove</c>/<c>RemoveRange</c>/<c>ExecuteDelete</c> — while the files the program creates for it stay. A record
/// owns files when a path the program creates is built from its values (<see cref="RecordFiles"/>). Quiet when the
/// deleting method, a method it calls, or a method calling it (in the same body) deletes a file or directory. The
/// sharper form is reported too: the files are deleted before the deletion of the record commits (a Commit,
/// SaveChanges or the Execute that runs the DELETE comes later), so a failure or rollback keeps a record whose files
/// are gone.
/// </summary>
public sealed class FilesOutliveRecordCheck : RuleCheck
{
    /// <summary>Diagnostic property: set when the files are deleted before the commit (the fix moves the deletion after it).</summary>
    public const string BeforeCommitProperty = "beforeCommit";

    public FilesOutliveRecordCheck()
        : base(RuleCatalog.FilesOutliveRecord)
    {
    }

    /// <summary>A deletion of stored records: the operation, the table or entity type, and its body.</summary>
    private sealed class RecordDeletion
    {
        public RecordDeletion(IOperation operation, string? table, ITypeSymbol? entity, string shown)
        {
            Operation = operation;
            Table = table;
            Entity = entity;
            Shown = shown;
        }

        public IOperation Operation { get; }

        public string? Table { get; }

        public ITypeSymbol? Entity { get; }

        public string Shown { get; }

        public string Record => Table is not null ? "rows of '" + Table + "'" : "'" + Entity!.Name + "' records";
    }

    private protected override void OnCompilationStart(CheckStart start)
    {
        if (RecordFiles.Of(start.Compilation) is not { } files)
        {
            return;
        }

        var options = OptionsOf(start.Compilation, start.Options);
        var dbSet = KnownTypes.Get(start.Compilation, "Microsoft.EntityFrameworkCore.DbSet`1");
        var dbContext = KnownTypes.Get(start.Compilation, "Microsoft.EntityFrameworkCore.DbContext");
        if (files.Sqlite is null && dbContext is null)
        {
            return;
        }

        var deletions = new ConcurrentBag<RecordDeletion>();
        var bodies = new ConcurrentDictionary<IOperation, byte>();
        var creators = new ConcurrentDictionary<IMethodSymbol, byte>(SymbolEqualityComparer.Default);
        var inserters = new ConcurrentDictionary<IMethodSymbol, byte>(SymbolEqualityComparer.Default);
        var projectCalls = new ConcurrentBag<(IInvocationOperation Call, IMethodSymbol Caller)>();
        start.RegisterOperationAction(
            c =>
            {
                var operation = c.Operation;
                // One read of the SQL text: its DELETEs are deletions, its INSERTs make the method an inserter.
                if (files.Sqlite is not null && SqliteCommandTexts.Of(operation, files.Sqlite) is { } text)
                {
                    AddInserter(text, c.ContainingSymbol);
                    if (text.Sql.IndexOf("delete", System.StringComparison.OrdinalIgnoreCase) >= 0 && options.IsAnalyzed(operation.Syntax.SyntaxTree))
                    {
                        foreach (var statement in text.Statements.Where(s => s.Verb == SqlVerb.Delete))
                        {
                            deletions.Add(new RecordDeletion(text.Text, statement.Table, null, "'DELETE FROM " + statement.Table + "'"));
                        }
                    }
                }

                if (operation is not (IInvocationOperation or IObjectCreationOperation))
                {
                    return;
                }

                if (operation is IInvocationOperation call)
                {
                    if (dbContext is not null && EntityDeleted(call, dbSet, dbContext) is { } entity && options.IsAnalyzed(call.Syntax.SyntaxTree))
                    {
                        deletions.Add(new RecordDeletion(call, null, entity, "'" + call.TargetMethod.Name + "'"));
                    }

                    if (MethodSummaries.IsProjectMethod(call.TargetMethod) && (OperationTree.InnermostFunction(call) ?? c.ContainingSymbol as IMethodSymbol) is { } caller)
                    {
                        projectCalls.Add((call, caller.OriginalDefinition));
                    }
                }

                // Where files are created, and by which methods: the bodies that may tie a record to files are these and
                // their callers, not every body of the project.
                if (files.CreatedPath(operation) is not null)
                {
                    bodies.TryAdd(OperationTree.Root(operation), 0);
                    if (c.ContainingSymbol is IMethodSymbol creator)
                    {
                        creators.TryAdd(creator.OriginalDefinition, 0);
                    }
                }
            },
            OperationKind.Invocation,
            OperationKind.ObjectCreation,
            OperationKind.SimpleAssignment);

        // The methods whose own SQL inserts: only their calls bind a record's values (wrappers of wrappers are not read).
        void AddInserter(SqliteCommandText text, ISymbol containing)
        {
            if (containing is IMethodSymbol method && text.MayWrite && text.Statements.Any(s => s.Verb == SqlVerb.Insert))
            {
                inserters.TryAdd(method.OriginalDefinition, 0);
            }
        }

        start.RegisterCompilationEndAction(end =>
        {
            if (deletions.IsEmpty)
            {
                return;
            }

            var ct = end.CancellationToken;
            var entities = dbContext is null ? new HashSet<INamedTypeSymbol>(SymbolEqualityComparer.Default) : EfCoreEntities.Of(end.Compilation, ct);
            // The bodies that create files, and those that call a method that does (store.Save(id, …) next to the INSERT).
            // The methods that create files, and their callers up to three calls up (through the interfaces and base
            // methods they implement): only these are read for the paths they create.
            var callersOf = projectCalls.ToLookup(c => c.Call.TargetMethod.OriginalDefinition, c => c.Caller, SymbolEqualityComparer.Default);
            var mayCreate = new HashSet<IMethodSymbol>(creators.Keys, SymbolEqualityComparer.Default);
            var frontier = creators.Keys.ToList();
            for (var level = 0; level < 3 && frontier.Count > 0; level++)
            {
                var next = new List<IMethodSymbol>();
                foreach (var method in frontier)
                {
                    foreach (var caller in CalledAs(method).SelectMany(m => callersOf[m]))
                    {
                        if (mayCreate.Add(caller))
                        {
                            next.Add(caller);
                        }
                    }
                }

                frontier = next;
            }

            mayCreate.UnionWith(mayCreate.SelectMany(CalledAs).ToList()); // a call through the interface or base method
            files.LimitCreatorsTo(mayCreate);
            files.LimitInsertersTo(new HashSet<IMethodSymbol>(inserters.Keys.SelectMany(CalledAs), SymbolEqualityComparer.Default));
            var creatorCalls = new HashSet<IMethodSymbol>(creators.Keys.SelectMany(CalledAs), SymbolEqualityComparer.Default);
            var candidates = new HashSet<IOperation>(bodies.Keys);
            foreach (var (call, _) in projectCalls)
            {
                if (!call.Arguments.IsEmpty && creatorCalls.Contains(call.TargetMethod.OriginalDefinition))
                {
                    candidates.Add(OperationTree.Root(call));
                }
            }

            var owners = Ownership(candidates.OrderBy(b => b.Syntax.SyntaxTree.FilePath, System.StringComparer.Ordinal).ThenBy(b => b.Syntax.SpanStart), files, entities, ct);
            if (owners.Count == 0)
            {
                return;
            }

            // The bodies that call each method: a caller that deletes the files cleans up after it.
            var callers = projectCalls.ToLookup(c => c.Call.TargetMethod.OriginalDefinition, c => OperationTree.FunctionBody(c.Call), SymbolEqualityComparer.Default);
            var reported = new HashSet<IOperation>();
            foreach (var deletion in deletions.OrderBy(d => d.Operation.Syntax.SyntaxTree.FilePath, System.StringComparer.Ordinal).ThenBy(d => d.Operation.Syntax.SpanStart))
            {
                var key = deletion.Table?.ToLowerInvariant() ?? (object)deletion.Entity!.OriginalDefinition;
                if (!owners.TryGetValue(key, out var creation) || reported.Contains(deletion.Operation))
                {
                    continue;
                }

                var root = OperationTree.FunctionBody(deletion.Operation);
                var fileDeletes = root.Descendants().OfType<IInvocationOperation>().Where(c => files.DeletesFiles(c, ct)).ToList();
                var site = Where(creation);
                if (fileDeletes.Count == 0)
                {
                    if (EnclosingMethod(deletion.Operation) is { } method
                        && CalledAs(method).Any(m => callers[m].Any(caller => caller.Descendants().OfType<IInvocationOperation>().Any(c => files.DeletesFiles(c, ct)))))
                    {
                        continue;
                    }

                    reported.Add(deletion.Operation);

                    end.ReportDiagnostic(Diagnostic.Create(
                        Rule.Descriptor,
                        deletion.Operation.Syntax.GetLocation(),
                        ImmutableArray.Create(creation.Syntax.GetLocation()),
                        null,
                        deletion.Shown,
                        deletion.Record,
                        "whose files the project creates (" + site + "), and nothing here or in its callers deletes them: they stay on disk with no record pointing at them"));
                    continue;
                }

                foreach (var fileDelete in fileDeletes)
                {
                    if (!reported.Contains(fileDelete) && CommitAfter(fileDelete, deletion.Operation, root) is { } commit)
                    {
                        end.ReportDiagnostic(Diagnostic.Create(
                            Rule.Descriptor,
                            fileDelete.Syntax.GetLocation(),
                            ImmutableArray.Create(commit.Syntax.GetLocation()),
                            ImmutableDictionary<string, string?>.Empty.Add(BeforeCommitProperty, "true"),
                            deletion.Shown,
                            deletion.Record,
                            "but deletes their files before that deletion commits (" + commit.TargetMethod.Name + "): if it fails or rolls back, the record stays and its files are gone"));
                        reported.Add(deletion.Operation);
                        reported.Add(fileDelete);
                        break;
                    }
                }
            }
        });
    }

    /// <summary>
    /// The tables (lower case) and entity types whose records own files, each with one creation that shows it, the
    /// first in source order.
    /// </summary>
    private static Dictionary<object, IOperation> Ownership(IEnumerable<IOperation> bodies, RecordFiles files, HashSet<INamedTypeSymbol> entities, CancellationToken ct)
    {
        var owners = new Dictionary<object, IOperation>();
        void Own(object key, IOperation creation)
        {
            if (!owners.TryGetValue(key, out var known) || OperationTree.InSourceOrder(creation, known))
            {
                owners[key] = creation;
            }
        }

        foreach (var root in bodies)
        {
            // A table owns files only where a body both inserts into it and creates a path: without an INSERT here (and
            // without EF Core entities to find in the paths) the paths need not be read.
            var inserted = files.InsertedValues(root, ct).ToList();
            if (inserted.Count == 0 && entities.Count == 0)
            {
                continue;
            }

            // Every path this body creates, directly or through a project method, with what it is built from.
            var created = new List<(IOperation Creation, List<ValueSource> Sources)>();
            foreach (var operation in root.Descendants())
            {
                ct.ThrowIfCancellationRequested();
                var paths = files.CreatedPath(operation) is { } path
                    ? [path]
                    : operation is IInvocationOperation call ? files.PathArgumentsCreated(call, ct) : [];
                if (files.CreatedPath(operation) is { } createdPath
                    && WrittenData.Classify(operation, createdPath, null, root, files.Apis).Held is DataHeld.Output or DataHeld.OneShot)
                {
                    continue; // an export, cache or log named after the record is not the record's data
                }

                foreach (var value in paths)
                {
                    var types = new HashSet<ITypeSymbol>(SymbolEqualityComparer.Default);
                    var sources = files.SourcesOf(value, root, ct, types);
                    created.Add((operation, sources));
                    foreach (var type in types.OfType<INamedTypeSymbol>().Where(entities.Contains))
                    {
                        Own(type, operation);
                    }
                }
            }

            if (created.Count == 0)
            {
                continue;
            }

            foreach (var (table, value) in inserted)
            {
                if (RecordFiles.Itself(value) is not { } key)
                {
                    continue;
                }

                foreach (var (creation, sources) in created)
                {
                    if (sources.Any(s => s.Meets(key)))
                    {
                        Own(table.ToLowerInvariant(), creation);
                    }
                }
            }
        }

        return owners;
    }

    /// <summary>The entity type a call deletes: DbSet&lt;T&gt;.Remove/RemoveRange, DbContext.Remove/RemoveRange, ExecuteDelete(Async) on a query of T.</summary>
    private static ITypeSymbol? EntityDeleted(IInvocationOperation call, INamedTypeSymbol? dbSet, INamedTypeSymbol dbContext)
    {
        var method = call.TargetMethod;
        switch (method.Name)
        {
            case "Remove" or "RemoveRange":
                if (call.Instance?.Type is INamedTypeSymbol { TypeArguments.Length: 1 } set && SymbolEqualityComparer.Default.Equals(set.OriginalDefinition, dbSet))
                {
                    return set.TypeArguments[0];
                }

                if (TypeRelations.InheritsFrom(call.Instance?.Type, dbContext) && call.Arguments.Length == 1)
                {
                    return method.IsGenericMethod ? method.TypeArguments[0] : PathKey.Unwrap(call.Arguments[0].Value)?.Type;
                }

                return null;
            case "ExecuteDelete" or "ExecuteDeleteAsync" when method.IsGenericMethod && method.ContainingNamespace?.ToString() == "Microsoft.EntityFrameworkCore":
                return method.TypeArguments[0];
            default:
                return null;
        }
    }

    /// <summary>
    /// The call after <paramref name="fileDelete"/> that commits the record deletion: a transaction's Commit or
    /// SaveChanges (the last word inside a transaction), else the Execute that runs the DELETE when none ran between the DELETE and the file deletion.
    /// </summary>
    private static IInvocationOperation? CommitAfter(IInvocationOperation fileDelete, IOperation deletion, IOperation root)
    {
        if (deletion is IInvocationOperation { TargetMethod.Name: "ExecuteDelete" or "ExecuteDeleteAsync" } && deletion.Syntax.SpanStart < fileDelete.Syntax.SpanStart)
        {
            return null; // runs at once: committed before the files go
        }

        // The call that runs the DELETE's text (conn.Execute("DELETE …"), new SqliteCommand("DELETE …", c).ExecuteNonQuery()) starts before it.
        var runner = deletion.Parent is IArgumentOperation { Parent: IInvocationOperation direct } ? direct
            : deletion.Parent is IArgumentOperation { Parent: IObjectCreationOperation { Parent: IInvocationOperation onCreated } } ? onCreated
            : null;
        var from = runner?.Syntax.SpanStart ?? deletion.Syntax.SpanStart;
        var start = fileDelete.Syntax.SpanStart;
        var calls = root.Descendants().OfType<IInvocationOperation>()
            .Where(c => c.Syntax.SpanStart >= from && !InNestedFunction(c, root))
            .OrderBy(c => c.Syntax.SpanStart).ToList();
        var executedBefore = calls.Any(c => c.Syntax.SpanStart < start && IsExecute(c));
        var later = calls.Where(c => c.Syntax.SpanStart > fileDelete.Syntax.Span.End).ToList();
        return later.FirstOrDefault(c => c.TargetMethod.Name is "Commit" or "CommitAsync" or "SaveChanges" or "SaveChangesAsync")
            ?? (executedBefore ? null : later.FirstOrDefault(IsExecute));
    }

    private static bool InNestedFunction(IOperation operation, IOperation root)
    {
        for (var parent = operation.Parent; parent is not null && !ReferenceEquals(parent, root); parent = parent.Parent)
        {
            if (parent is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsExecute(IInvocationOperation call) => call.TargetMethod.Name.StartsWith("Execute", System.StringComparison.Ordinal);

    /// <summary>"store.Save(…) in PipelineRunner.StartAsync": where a file of the record is created.</summary>
    private static string Where(IOperation creation)
    {
        var text = creation.Syntax.ToString();
        var call = text.IndexOf('(') is var open and > 0 ? text.Substring(0, open) + "(…)" : text;
        return OperationTree.MemberOf(EnclosingMethod(creation)) is IMethodSymbol method ? call + " in " + method.ContainingType.Name + "." + method.Name : call;
    }

    /// <summary>The method and what callers may call in its place: the interface members it implements and the methods it overrides.</summary>
    private static IEnumerable<IMethodSymbol> CalledAs(IMethodSymbol method)
    {
        method = method.OriginalDefinition;
        yield return method;
        for (var overridden = method.OverriddenMethod; overridden is not null; overridden = overridden.OverriddenMethod)
        {
            yield return overridden.OriginalDefinition;
        }

        foreach (var contract in method.ContainingType.AllInterfaces)
        {
            foreach (var member in contract.GetMembers(method.Name).OfType<IMethodSymbol>())
            {
                if (SymbolEqualityComparer.Default.Equals(method.ContainingType.FindImplementationForInterfaceMember(member)?.OriginalDefinition, method))
                {
                    yield return member.OriginalDefinition;
                }
            }
        }
    }

    /// <summary>The lambda, local function or member whose body holds the operation.</summary>
    private static IMethodSymbol? EnclosingMethod(IOperation operation)
        => OperationTree.InnermostFunction(operation) ?? operation.SemanticModel?.GetEnclosingSymbol(operation.Syntax.SpanStart) as IMethodSymbol;
}
