using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Operations;

namespace CheckpointAudit.Knowledge;

/// <summary>
/// What a request handler does to stored state, read from its body and the bodies of the project methods it calls
/// (<see cref="MethodSummaries.MaxDepth"/> levels): whether it changes stored rows or files in place (an EF Core
/// entity changed and saved, a SQL UPDATE, a file written or moved over another) and whether anything in the same
/// bodies makes that change conditional on the version the client saw (an <c>If-Match</c> or
/// <c>If-Unmodified-Since</c> header, a version compared, an EF Core token's original value set, an UPDATE whose
/// WHERE names a version column). Built once per compilation; only PUT and PATCH handlers ask.
/// </summary>
internal sealed class StateUpdates
{
    private readonly Compilation _compilation;
    private readonly FileApiSymbols? _files;
    private readonly SqliteSymbols? _sqlite;
    private readonly INamedTypeSymbol? _dbContext;
    private readonly INamedTypeSymbol? _dbSet;
    private readonly MethodFactCache<UpdateFacts> _methods = new(UpdateFacts.None);
    private readonly MethodFactCache<bool> _broadcasters = new(false);
    private readonly Lazy<HashSet<ISymbol>> _fluentTokens;
    private readonly Lazy<HashSet<INamedTypeSymbol>> _entities;

    private StateUpdates(Compilation compilation)
    {
        _compilation = compilation;
        _files = FileApiSymbols.Create(compilation);
        _sqlite = SqliteSymbols.For(compilation);
        _dbContext = KnownTypes.Get(compilation, "Microsoft.EntityFrameworkCore.DbContext");
        _dbSet = KnownTypes.Get(compilation, "Microsoft.EntityFrameworkCore.DbSet`1");
        _fluentTokens = new Lazy<HashSet<ISymbol>>(FluentTokens);
        _entities = new Lazy<HashSet<INamedTypeSymbol>>(() => EfCoreEntities.Of(compilation, CancellationToken.None));
    }

    public static StateUpdates Of(Compilation compilation)
        => PerCompilation<StateUpdates>.Get(compilation, c => new StateUpdates(c))!;

    /// <summary>The facts of a handler: its own body (a lambda's or a method's) and what the methods it calls do.</summary>
    public UpdateFacts OfHandler(IOperation body, SyntaxNode declaration, CancellationToken cancellationToken)
        => _handlers.GetOrAdd(body.Syntax, _ =>
        {
            // A handler's parameters are the request: an object of them written back whole is the client's copy.
            var facts = Read(body, declaration, cancellationToken);
            facts.Copies |= facts.WrittenBackParameters.Count > 0 || facts.CopiedFromParameters.Count > 0;
            return facts;
        });

    /// <summary>Each handler's facts, read once for the rules that ask (CKPT701 and CKPT703 read the same handlers).</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<SyntaxNode, UpdateFacts> _handlers = new();

    /// <summary>
    /// Another function that calls <paramref name="stateMethod"/> and tells connected clients (a broadcast in its body,
    /// or in a project method it calls): the project's convention for that state. Null when there is none.
    /// </summary>
    public IOperation? BroadcastingCaller(IMethodSymbol stateMethod, CancellationToken cancellationToken)
    {
        stateMethod = stateMethod.OriginalDefinition;
        foreach (var use in SourceSearch.Uses(stateMethod.Name, _compilation.SyntaxTrees, _compilation, null, cancellationToken))
        {
            if (use is IInvocationOperation call && SymbolEqualityComparer.Default.Equals(call.TargetMethod.OriginalDefinition, stateMethod)
                && OperationTree.FunctionBody(call) is { } root && BroadcastsIn(root, cancellationToken))
            {
                return call;
            }
        }

        return null;
    }

    /// <summary>The body sends to connected clients: SignalR, a WebSocket, a MediatR notification, or a project method that does.</summary>
    private bool BroadcastsIn(IOperation body, CancellationToken cancellationToken)
    {
        foreach (var call in body.Descendants().OfType<IInvocationOperation>())
        {
            if (IsBroadcast(call)
                || MethodSummaries.IsProjectMethod(call.TargetMethod) && _broadcasters.Get(call.TargetMethod.OriginalDefinition, m =>
                    SourceBodies.Of(m, _compilation, cancellationToken).Any(b => BroadcastsIn(b.Body, cancellationToken))))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// A send to connected clients: SignalR (<c>Clients.All.SendAsync</c>, a typed hub's client methods), a WebSocket's
    /// SendAsync to a socket the code keeps (not a reply on the socket the method serves: a parameter, or the one it
    /// just accepted), a MediatR notification published.
    /// </summary>
    public static bool IsBroadcast(IInvocationOperation call)
    {
        var method = call.TargetMethod;
        var space = method.ContainingNamespace?.ToString();
        if (space == "Microsoft.AspNetCore.SignalR" && method.Name is "SendAsync" or "SendCoreAsync"
            || space == "System.Net.WebSockets" && method.Name == "SendAsync" && !IsServedSocket(call.Instance)
            || space == "MediatR" && method.Name == "Publish")
        {
            return true;
        }

        // A typed hub's clients: hub.Clients.All.ItemChanged(item).
        for (var receiver = call.Instance; receiver is not null; receiver = (receiver as IMemberReferenceOperation)?.Instance ?? (receiver as IInvocationOperation)?.Instance)
        {
            if (receiver is IPropertyReferenceOperation { Property.Name: "Clients" } clients
                && clients.Property.ContainingNamespace?.ToString() == "Microsoft.AspNetCore.SignalR")
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The socket a method serves: its parameter, or a local holding what AcceptWebSocketAsync returned.</summary>
    private static bool IsServedSocket(IOperation? socket)
    {
        switch (PathKey.Unwrap(socket))
        {
            case IParameterReferenceOperation:
                return true;
            case ILocalReferenceOperation local:
                var value = PathKey.Unwrap(OperationTree.StoredValue(local.Local, OperationTree.Root(local)));
                while (value is IAwaitOperation or IInvocationOperation { TargetMethod.Name: "ConfigureAwait" })
                {
                    value = PathKey.Unwrap(value is IAwaitOperation await ? await.Operation : ((IInvocationOperation)value).Instance);
                }

                return value is IInvocationOperation { TargetMethod.Name: "AcceptWebSocketAsync" };
            default:
                return false;
        }
    }

    private static readonly string[] ConcurrencyTokenAttributes =
        ["System.ComponentModel.DataAnnotations.TimestampAttribute", "System.ComponentModel.DataAnnotations.ConcurrencyCheckAttribute"];

    /// <summary>The entity's concurrency token: a [Timestamp] or [ConcurrencyCheck] property, or one configured with IsRowVersion/IsConcurrencyToken.</summary>
    public IPropertySymbol? TokenOf(ITypeSymbol? entity)
    {
        for (var type = entity; type is not null && type.SpecialType != SpecialType.System_Object; type = type.BaseType)
        {
            foreach (var property in type.GetMembers().OfType<IPropertySymbol>())
            {
                if (KnownAttributes.HasAny(property, ConcurrencyTokenAttributes)
                    || _fluentTokens.Value.Contains(property.OriginalDefinition))
                {
                    return property;
                }
            }
        }

        return null;
    }

    private UpdateFacts OfMethod(IMethodSymbol method, CancellationToken cancellationToken)
        => _methods.Get(method.OriginalDefinition, m =>
        {
            var facts = UpdateFacts.None;
            foreach (var (_, body) in SourceBodies.Of(m, _compilation, cancellationToken))
            {
                facts = facts.With(Read(body, body.Syntax, cancellationToken));
            }

            return facts;
        });

    private UpdateFacts Read(IOperation body, SyntaxNode declaration, CancellationToken cancellationToken)
    {
        var facts = new UpdateFacts { Guarded = NamesAPrecondition(declaration), Body = body };
        var copied = new Dictionary<ISymbol, Dictionary<string, HashSet<int>>>(SymbolEqualityComparer.Default);
        foreach (var operation in body.Descendants())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_sqlite is not null && operation.Kind is OperationKind.SimpleAssignment or OperationKind.ObjectCreation or OperationKind.Invocation
                && SqliteCommandTexts.Of(operation, _sqlite) is { } text)
            {
                ReadSql(text, operation, facts);
            }

            switch (operation)
            {
                case IInvocationOperation call:
                    ReadCall(call, facts, cancellationToken);
                    break;
                case IInvalidOperation invalid when UnboundMapping(invalid) is { } mapping:
                    MappedOnto(mapping.Source, mapping.Destination, facts);
                    break;
                case IObjectCreationOperation creation when _files is not null && FileOverwrite.TryMatch(creation, _files, out _):
                    facts.Changed(creation, file: "writes a file");
                    facts.Copies = true;
                    break;
                // A version compared with another value (not with null or a constant: that tests presence, not staleness).
                case IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals } comparison
                    when !comparison.LeftOperand.ConstantValue.HasValue && !comparison.RightOperand.ConstantValue.HasValue
                        && (IsVersion(comparison.LeftOperand) || IsVersion(comparison.RightOperand)):
                    facts.Guarded = true;
                    break;
                case ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property.Name: "OriginalValue" } }:
                    facts.Guarded = true; // EF Core told the version the client saw
                    break;
                // Entry(x).State = Modified (or an upsert's isNew ? Added : Modified) stores every property of x, as Update(x)
                // does; Added and Deleted alone are no edit.
                case ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property.Name: "State", Instance: { } entry } } state
                    when state.Value.DescendantsAndSelf().Any(v => v is IFieldReferenceOperation { Field.Name: "Modified" }) && EntityOfEntry(entry, body) is { } entity:
                    Modified(entity, body, facts);
                    WrittenBack(entity, body, facts, PathKey.Unwrap(entity)?.Type, null);
                    break;
                case ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Instance: { } instance } } assignment
                    when !IsCreatedHere(instance, body):
                    if (instance.Type is INamedTypeSymbol type && _entities.Value.Contains(type.OriginalDefinition) || LoadedFromSet(instance, body))
                    {
                        Modified(instance, body, facts);
                    }

                    // Cheapest test first: a value that reads no parameter or local cannot be the caller's.
                    if (assignment.Value.DescendantsAndSelf().Any(o => o is IParameterReferenceOperation or ILocalReferenceOperation)
                        && ParametersOf(assignment.Value, body) is { Count: > 0 } sources
                        && StoredObject(instance, body) is { } holder)
                    {
                        var values = copied.TryGetValue(holder, out var known) ? known : copied[holder] = new Dictionary<string, HashSet<int>>(StringComparer.Ordinal);
                        var value = assignment.Value.Syntax.ToString();
                        if (values.TryGetValue(value, out var ordinals))
                        {
                            ordinals.UnionWith(sources);
                        }
                        else
                        {
                            values[value] = sources;
                        }
                    }

                    break;
            }
        }

        // Two or more values the caller passed, set on one stored object: an edited copy written back, not a single
        // command (one reason set on either of two fields is still one value). Entities of another project are not known
        // here, so any object looked up or handed in counts. Whether the values are the request's is decided where the
        // parameters they come from get their arguments (Absorb), up to the handler.
        foreach (var pair in copied)
        {
            if (pair.Value.Count >= 2)
            {
                facts.CopiedFromParameters.Add(new CopiedValues(TypeOf(pair.Key)?.Name ?? "", pair.Value.Values.ToList()));
            }
        }

        return facts;
    }

    private static ITypeSymbol? TypeOf(ISymbol holder) => (holder as ILocalSymbol)?.Type ?? (holder as IParameterSymbol)?.Type;

    /// <summary>
    /// The ordinals of the parameters of the function <paramref name="root"/> is the body of that <paramref name="value"/>
    /// is built from, directly or through a local assigned once from them (<c>var newPath = page.Path;</c>; not a row
    /// looked up by a key they hold).
    /// </summary>
    internal static HashSet<int> ParametersOf(IOperation value, IOperation root)
    {
        var ordinals = new HashSet<int>(OwnParameters(value, root));
        foreach (var local in value.DescendantsAndSelf().OfType<ILocalReferenceOperation>())
        {
            // A value kept in a local (text, a number), not a row looked up by a key the caller sent.
            if (OperationTree.StoredValue(local.Local, root) is { } stored
                && (local.Type is { IsValueType: true } or { SpecialType: SpecialType.System_String } || !LoadedHere(local, root)))
            {
                ordinals.UnionWith(OwnParameters(stored, root));
            }
        }

        return ordinals;
    }

    /// <summary>The ordinals of the parameters of the function <paramref name="root"/> is the body of that <paramref name="value"/> reads itself.</summary>
    private static IEnumerable<int> OwnParameters(IOperation value, IOperation root)
        => value.DescendantsAndSelf().OfType<IParameterReferenceOperation>().Where(r => IsOwnParameter(r.Parameter, root)).Select(r => r.Parameter.Ordinal);

    private void ReadCall(IInvocationOperation call, UpdateFacts facts, CancellationToken cancellationToken)
    {
        var method = call.TargetMethod;
        var root = facts.Body ?? OperationTree.Root(call);
        switch (method.Name)
        {
            case "SaveChanges" or "SaveChangesAsync" when IsEf(method.ContainingType):
                facts.SavesContext = true;
                facts.Saved(call);
                return;
            case "Update" or "UpdateRange" or "Attach" or "AttachRange" when IsEf(method.ContainingType):
                var updated = call.Arguments.FirstOrDefault()?.Value;
                Modified(updated, root, facts);
                WrittenBack(updated, root, facts, PathKey.Unwrap(updated)?.Type, null);
                return;
            case "SetValues" when method.ContainingType.Name == "PropertyValues":
                var entity = (call.Instance as IPropertyReferenceOperation)?.Instance is { } values ? EntityOfEntry(values, root) : null;
                if (entity is not null && IsCreatedHere(entity, root))
                {
                    return; // values copied into a new entity: an insert, not an edit
                }

                WrittenBack(call.Arguments.FirstOrDefault()?.Value, root, facts, PathKey.Unwrap(entity)?.Type, null);
                Modified(entity, root, facts);
                return;
            // An object mapper copying one object onto another (AutoMapper's Map(source, destination), Mapster's
            // source.Adapt(destination)): the source's values are written into the destination, as SetValues does.
            case "Map" or "Adapt" when call.Arguments.Count(a => a.ArgumentKind == ArgumentKind.Explicit) >= 2
                && method.ContainingNamespace?.ToString() is "AutoMapper" or "Mapster" or "MapsterMapper":
                var explicitArguments = call.Arguments.Where(a => a.ArgumentKind == ArgumentKind.Explicit).ToList();
                MappedOnto(explicitArguments[0].Value, explicitArguments[1].Value, facts);
                return;
            case "ExecuteUpdate" or "ExecuteUpdateAsync" when method.ContainingNamespace?.ToString() == "Microsoft.EntityFrameworkCore":
                facts.Changed(call, rows: "updates rows with EF Core's ExecuteUpdate");
                facts.Copies |= call.Descendants().OfType<IInvocationOperation>().Count(c => c.TargetMethod.Name == "SetProperty"
                    && c.Arguments.LastOrDefault()?.Value.DescendantsAndSelf().Any(o => o is IParameterReferenceOperation) == true) >= 2;
                return;
            case "Equals" or "SequenceEqual" or "CompareTo" when call.Instance is { } instance && IsVersion(instance)
                || call.Arguments.Any(a => IsVersion(a.Value)):
                facts.Guarded = true;
                return;
        }

        if (IsBroadcast(call))
        {
            facts.Broadcasts = true;
            return;
        }

        if (_files is not null && FileOverwrite.TryMatch(call, _files, out _))
        {
            facts.Changed(call, file: "writes a file");
            facts.Copies = true;
            return;
        }

        // A file moved or replaced over another changes stored state; by itself it is a command (rename, move to a
        // folder), not an edited copy: the content written before it (a file write) or the row saved with it is.
        if (_files is not null && _files.Is(method.ContainingType, _files.File) && method.Name is "Move" or "Replace")
        {
            facts.Changed(call);
            return;
        }

        if (method.ContainingType.Name == Helpers.HelperFeatures.HelperTypeName && (method.Name.StartsWith("Save", StringComparison.Ordinal) || method.Name.StartsWith("Write", StringComparison.Ordinal)))
        {
            facts.Changed(call, file: "saves a checkpoint file");
            facts.Copies = true;
            return;
        }

        if (method.Name is "Send" && method.ContainingNamespace?.ToString() == "MediatR"
            && PathKey.Unwrap(call.Arguments.FirstOrDefault()?.Value)?.Type is INamedTypeSymbol request)
        {
            // A MediatR request runs its handler: the project's IRequestHandler<TRequest…>.Handle.
            foreach (var handler in RequestHandlers(request, cancellationToken))
            {
                facts.Absorb(OfMethod(handler, cancellationToken), call, handler);
            }
        }
        else if (MethodSummaries.IsProjectMethod(method))
        {
            facts.Absorb(OfMethod(method, cancellationToken), call);
        }
    }

    /// <summary>
    /// The values of <paramref name="source"/> copied onto <paramref name="destination"/>: a write-back when the
    /// destination is a stored row (an entity, or looked up from a set), nothing for a new object or a response.
    /// </summary>
    private void MappedOnto(IOperation source, IOperation destination, UpdateFacts facts)
    {
        // The destination is a row: an entity type of the project's contexts, or an object looked up from a set (not a
        // response DTO handed in, not an object made here).
        var root = facts.Body ?? OperationTree.Root(source);
        if ((PathKey.Unwrap(destination)?.Type is INamedTypeSymbol type && _entities.Value.Contains(type.OriginalDefinition) || LoadedFromSet(destination, root))
            && !IsCreatedHere(destination, root))
        {
            WrittenBack(source, root, facts, PathKey.Unwrap(destination)?.Type, null);
            Modified(destination, root, facts);
        }
    }

    /// <summary>
    /// <c>mapper.Map(source, destination)</c> that does not bind where the code is read (the mapper package is not
    /// restored): the two arguments, when they do bind.
    /// </summary>
    private static (IOperation Source, IOperation Destination)? UnboundMapping(IInvalidOperation invalid)
    {
        if (invalid.Syntax is not Microsoft.CodeAnalysis.CSharp.Syntax.InvocationExpressionSyntax
            {
                Expression: Microsoft.CodeAnalysis.CSharp.Syntax.MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Map" },
                ArgumentList.Arguments: { Count: 2 } arguments,
            }
            || invalid.SemanticModel is not { } model)
        {
            return null;
        }

        return model.GetOperation(arguments[0].Expression) is { } source && model.GetOperation(arguments[1].Expression) is { } destination
            && source.Type is { TypeKind: not TypeKind.Error } && destination.Type is { TypeKind: not TypeKind.Error }
            ? (source, destination)
            : null;
    }

    /// <summary>The Handle methods of the project's MediatR handlers of <paramref name="request"/>.</summary>
    /// <remarks>Handlers usually live in another project (an application layer): the referenced compilations are searched
    /// too, and the request type is matched by its documentation ID there.</remarks>
    private IEnumerable<IMethodSymbol> RequestHandlers(INamedTypeSymbol request, CancellationToken cancellationToken)
    {
        var id = request.OriginalDefinition.GetDocumentationCommentId();
        bool IsRequest(ITypeSymbol? type) => type is not null && (SymbolEqualityComparer.Default.Equals(type, request) || id is not null && type.OriginalDefinition.GetDocumentationCommentId() == id);
        return SourceBodies.SearchedCompilations(_compilation)
            .SelectMany(searched => SourceMethodsByName.Of(searched).Named("Handle", cancellationToken))
            .Where(handle => handle.Parameters.Length >= 1 && IsRequest(handle.Parameters[0].Type)
                && handle.ContainingType.AllInterfaces.Any(i => i.Name == "IRequestHandler" && i.ContainingNamespace?.ToString() == "MediatR" && IsRequest(i.TypeArguments.FirstOrDefault())));
    }

    /// <summary>An UPDATE changes stored rows, unless its WHERE names a version column (a conditional update).</summary>
    private static void ReadSql(SqliteCommandText text, IOperation site, UpdateFacts facts)
    {
        foreach (var statement in text.Statements)
        {
            if (statement.Verb != SqlVerb.Update)
            {
                continue;
            }

            if (NamesVersion(statement.Where))
            {
                facts.Guarded = true;
            }
            else
            {
                facts.Changed(site, rows: "runs an UPDATE of '" + statement.Table + "'");
                facts.Copies |= statement.Values.Count(v => v.Length > 0 && v[0] is '$' or '@' or ':' or '?') >= 2;
            }
        }
    }

    /// <summary>An entity the code changes: loaded here (its token is then the row's, not the client's) or handed in.</summary>
    private void Modified(IOperation? entity, IOperation root, UpdateFacts facts)
    {
        entity = PathKey.Unwrap(entity);
        if (entity?.Type is ITypeParameterSymbol generic)
        {
            // A generic store: the entity, and whether it has a token, is the caller's type argument.
            facts.ChangedEntity(generic.Name);
            facts.EntityIsGeneric = true;
            facts.Untokened = true;
            return;
        }

        if (entity?.Type is not INamedTypeSymbol type)
        {
            return;
        }

        facts.ChangedEntity(type.Name);
        if (TokenOf(type) is not { } token)
        {
            facts.Untokened = true;
            return;
        }

        if (LoadedHere(entity, root) && facts.FreshToken is null)
        {
            facts.FreshToken = type.Name + "." + token.Name;
            facts.FreshTokenProperty = token;
            facts.FreshTokenRow = (entity as ILocalReferenceOperation)?.Local;
        }
    }

    /// <summary>
    /// An object whose every value is stored (<c>Update(x)</c>, <c>SetValues(x)</c>): a copy the client sent when this
    /// code built it (<c>new Item { … }</c>, <c>mapper.Map&lt;Item&gt;(dto)</c>); a parameter of this function is what the
    /// caller passes, decided there (<see cref="UpdateFacts.WrittenBackParameters"/>); a row looked up, a loop variable or
    /// an object reached through a member is stored data, not a copy.
    /// </summary>
    private static void WrittenBack(IOperation? value, IOperation root, UpdateFacts facts, ITypeSymbol? entity, IOperation? site) => facts.WrittenBack(value, root, entity, site);

    /// <summary>Built here from what the caller sent: an object created, or a call that is not a lookup and is given the parameters, directly or through a local.</summary>
    internal static bool BuiltHere(IOperation value, IOperation root)
    {
        var built = PathKey.Unwrap(value) is ILocalReferenceOperation local ? PathKey.Unwrap(OperationTree.StoredValue(local.Local, root)) : PathKey.Unwrap(value);
        while (built is IAwaitOperation await)
        {
            built = PathKey.Unwrap(await.Operation);
        }

        // A call maps what the caller sent (mapper.Map<Item>(dto)); one given nothing of it (a delegate over a field) does not.
        return built is IObjectCreationOperation
            || built is IInvocationOperation && !LoadedHere(built, root) && ParametersOf(built, root).Count > 0;
    }

    /// <summary>
    /// A parameter of the function <paramref name="root"/> is the body of, not of a lambda or local function inside it
    /// (a <c>ForEach(i =&gt; db.Update(i))</c> parameter is a stored row, not what the caller passed).
    /// </summary>
    internal static bool IsOwnParameter(IParameterSymbol parameter, IOperation root)
        => parameter.ContainingSymbol is not IMethodSymbol { MethodKind: MethodKind.AnonymousFunction or MethodKind.LocalFunction } nested
            || !nested.DeclaringSyntaxReferences.Any(r => r.SyntaxTree == root.Syntax.SyntaxTree && root.Syntax.Span.Contains(r.Span) && r.Span != root.Syntax.Span);

    /// <summary>The entity of an EF Core entry: <c>Entry(entity)</c>, directly or through the local that holds it.</summary>
    private IOperation? EntityOfEntry(IOperation entry, IOperation root)
    {
        entry = PathKey.Unwrap(entry) ?? entry;
        if (entry is ILocalReferenceOperation local)
        {
            entry = PathKey.Unwrap(OperationTree.StoredValue(local.Local, root)) ?? entry;
        }

        return entry is IInvocationOperation { TargetMethod.Name: "Entry" } call && IsEf(call.TargetMethod.ContainingType)
            ? call.Arguments.FirstOrDefault(a => a.ArgumentKind == ArgumentKind.Explicit)?.Value
            : null;
    }

    /// <summary>The object a member is set on, when it is one looked up here (a local) or handed in (a parameter).</summary>
    private static ISymbol? StoredObject(IOperation instance, IOperation root)
        => PathKey.Unwrap(instance) switch
        {
            IParameterReferenceOperation parameter => parameter.Parameter,
            ILocalReferenceOperation local when LoadedHere(local, root) => local.Local,
            _ => null,
        };

    /// <summary>
    /// A value looked up here (awaited or not, directly or through a local): a call given only keys, predicates and
    /// what the code holds from elsewhere (<c>Find(id)</c>, <c>SingleOrDefaultAsync(i =&gt; i.Id == id)</c>,
    /// <c>repository.Get(id, userContext)</c>), not one handed an object of the caller's to map from
    /// (<c>mapper.Map&lt;Item&gt;(dto)</c>), which builds the client's copy.
    /// </summary>
    internal static bool LoadedHere(IOperation entity, IOperation root)
    {
        var value = entity is ILocalReferenceOperation local ? OperationTree.StoredValue(local.Local, root) : entity;
        value = PathKey.Unwrap(value);
        while (value is IAwaitOperation or IInvocationOperation { TargetMethod.Name: "ConfigureAwait" })
        {
            value = PathKey.Unwrap(value is IAwaitOperation await ? await.Operation : ((IInvocationOperation)value).Instance);
        }

        // The receiver of an extension method (a set, a query) is not something given to the lookup; nor is a context
        // the code has from elsewhere (GetAssignment(id, userContext)): only an object built from the caller's
        // parameters makes the call a mapping of what the caller sent.
        return value is IInvocationOperation call && call.Arguments.All(a => a.ArgumentKind != ArgumentKind.Explicit || IsKeyOrPredicate(a.Value)
            || call.TargetMethod.IsExtensionMethod && a.Parameter?.Ordinal == 0
            || !ReferencesParameters(a.Value, root));
    }

    /// <summary>The value reads a parameter of the function <paramref name="root"/> is the body of, directly or through the value of a local (one hop: no lookup is asked, so no cycle).</summary>
    private static bool ReferencesParameters(IOperation value, IOperation root)
        => OwnParameters(value, root).Any()
            || value.DescendantsAndSelf().OfType<ILocalReferenceOperation>().Any(local => OperationTree.StoredValue(local.Local, root) is { } stored && OwnParameters(stored, root).Any());

    /// <summary>A key (number, text, Guid, other value type) or a predicate lambda: what a lookup is given.</summary>
    private static bool IsKeyOrPredicate(IOperation argument)
    {
        // The value before a conversion: a key boxed to object (Find(object key)) is still a key.
        var value = PathKey.Unwrap(argument) ?? argument;
        return value is IDelegateCreationOperation or IAnonymousFunctionOperation
            || value.Type is { IsValueType: true } or { SpecialType: SpecialType.System_String }
            || value.Type is IArrayTypeSymbol { ElementType: var element } && (element.IsValueType || element.SpecialType is SpecialType.System_String or SpecialType.System_Object);
    }

    /// <summary>An entity built in this body (<c>new Item { … }</c>, its initializer's members) or the entity itself: filling it is not changing a stored row.</summary>
    private static bool IsCreatedHere(IOperation instance, IOperation root)
    {
        instance = PathKey.Unwrap(instance) ?? instance;
        return instance is IInstanceReferenceOperation || IsCreation(instance)
            || instance is ILocalReferenceOperation local && IsCreation(PathKey.Unwrap(OperationTree.StoredValue(local.Local, root)));
    }

    /// <summary>A new object: <c>new T()</c>, <c>Activator.CreateInstance&lt;T&gt;()</c>.</summary>
    private static bool IsCreation(IOperation? value)
        => value is IObjectCreationOperation or ITypeParameterObjectCreationOperation
            || value is IInvocationOperation { TargetMethod: { Name: "CreateInstance", ContainingType: { Name: "Activator", ContainingNamespace.Name: "System" } } };

    /// <summary>
    /// EF Core's context or set, a type derived from them (in any project: matched by name where symbols of another
    /// compilation differ), or an interface over a context (IApplicationDbContext: DbSet properties and SaveChanges).
    /// </summary>
    private bool IsEf(INamedTypeSymbol? type)
    {
        if (type is null)
        {
            return false;
        }

        if (TypeRelations.InheritsFrom(type, _dbContext) || SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, _dbSet))
        {
            return true;
        }

        for (var current = type; current is not null; current = current.BaseType)
        {
            if (IsEfType(current))
            {
                return true;
            }
        }

        return type.TypeKind == TypeKind.Interface && type.GetMembers().OfType<IPropertySymbol>().Any(p => p.Type is INamedTypeSymbol set && IsEfType(set));
    }

    private static bool IsEfType(INamedTypeSymbol type)
        => type.Name is "DbContext" or "DbSet" && type.ContainingNamespace?.ToString() == "Microsoft.EntityFrameworkCore";

    /// <summary>An object looked up from a DbSet here (<c>await db.Items.FindAsync(id)</c>): an entity, whatever project declares its context.</summary>
    private static bool LoadedFromSet(IOperation instance, IOperation root)
    {
        var value = PathKey.Unwrap(instance) is ILocalReferenceOperation local ? PathKey.Unwrap(OperationTree.StoredValue(local.Local, root)) : null;
        while (value is IAwaitOperation or IInvocationOperation { TargetMethod.Name: "ConfigureAwait" })
        {
            value = PathKey.Unwrap(value is IAwaitOperation await ? await.Operation : ((IInvocationOperation)value).Instance);
        }

        for (var receiver = value; receiver is IInvocationOperation call; receiver = PathKey.Unwrap(call.Instance ?? (call.TargetMethod.IsExtensionMethod ? call.Arguments.FirstOrDefault()?.Value : null)))
        {
            if (PathKey.Unwrap(call.Instance ?? (call.TargetMethod.IsExtensionMethod ? call.Arguments.FirstOrDefault()?.Value : null)) is { Type: INamedTypeSymbol set } && IsEfType(set.OriginalDefinition))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A value that names a version: a member, parameter or local whose name says version, ETag, row version, revision or stamp, or an entity's concurrency token.</summary>
    private bool IsVersion(IOperation? operand)
    {
        operand = PathKey.Unwrap(operand);
        var symbol = operand switch
        {
            IPropertyReferenceOperation property => (ISymbol)property.Property,
            IFieldReferenceOperation field => field.Field,
            IParameterReferenceOperation parameter => parameter.Parameter,
            ILocalReferenceOperation local => local.Local,
            IInvocationOperation { TargetMethod.Name: "ToString" or "ToBase64String" } call => (call.Instance ?? call.Arguments.FirstOrDefault()?.Value) is { } inner && IsVersion(inner) ? call.TargetMethod : null,
            _ => null,
        };
        return symbol switch
        {
            null => false,
            IMethodSymbol => true,
            IPropertySymbol property when _fluentTokens.Value.Contains(property.OriginalDefinition) => true,
            _ => NamesVersion(symbol.Name),
        };
    }

    private static bool NamesVersion(string text)
        => text.IndexOf("version", StringComparison.OrdinalIgnoreCase) >= 0 || text.IndexOf("etag", StringComparison.OrdinalIgnoreCase) >= 0
            || text.IndexOf("revision", StringComparison.OrdinalIgnoreCase) >= 0 || text.IndexOf("concurrency", StringComparison.OrdinalIgnoreCase) >= 0
            || text.IndexOf("stamp", StringComparison.OrdinalIgnoreCase) >= 0 || text.Equals("xmin", StringComparison.OrdinalIgnoreCase);

    /// <summary>The handler reads a precondition header: If-Match or If-Unmodified-Since, by name or by the typed header.</summary>
    private static bool NamesAPrecondition(SyntaxNode declaration)
    {
        foreach (var token in declaration.DescendantTokens())
        {
            if (token.IsKind(SyntaxKind.IdentifierToken) && token.ValueText is "IfMatch" or "IfUnmodifiedSince"
                || token.IsKind(SyntaxKind.StringLiteralToken) && (token.ValueText.Equals("If-Match", StringComparison.OrdinalIgnoreCase)
                    || token.ValueText.Equals("If-Unmodified-Since", StringComparison.OrdinalIgnoreCase)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Properties made concurrency tokens in a model builder: <c>Property(x => x.Version).IsRowVersion()</c>.</summary>
    private HashSet<ISymbol> FluentTokens()
    {
        var tokens = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        foreach (var name in new[] { "IsRowVersion", "IsConcurrencyToken" })
        {
            foreach (var use in SourceSearch.Uses(name, _compilation.SyntaxTrees, _compilation, null, CancellationToken.None))
            {
                var call = use as IInvocationOperation ?? use.Parent as IInvocationOperation;
                for (var receiver = call?.Instance ?? call?.Arguments.FirstOrDefault()?.Value; receiver is IInvocationOperation link; receiver = link.Instance ?? link.Arguments.FirstOrDefault()?.Value)
                {
                    if (link.TargetMethod.Name == "Property"
                        && link.Arguments.LastOrDefault()?.Value.DescendantsAndSelf().OfType<IAnonymousFunctionOperation>().FirstOrDefault() is { } lambda
                        && lambda.Body.Descendants().OfType<IPropertyReferenceOperation>().FirstOrDefault() is { } member)
                    {
                        tokens.Add(member.Property.OriginalDefinition);
                        break;
                    }
                }
            }
        }

        return tokens;
    }
}

/// <summary>
/// What a handler (with the methods it calls) does to stored state: the first of each kind of change it makes, and
/// whether anything makes a change conditional on the version the client saw.
/// </summary>
internal sealed class UpdateFacts
{
    public static readonly UpdateFacts None = new();

    /// <summary>The body these facts were read from (a lambda's, not the member around it): whose parameters are the caller's.</summary>
    public IOperation? Body { get; set; }

    /// <summary>The context is saved (EF Core SaveChanges).</summary>
    public bool SavesContext { get; set; }

    /// <summary>The first stored entity changed (by type name).</summary>
    public string? Entity { get; set; }

    /// <summary>The entity is a generic store's type parameter: the caller's argument names it.</summary>
    public bool EntityIsGeneric { get; set; }

    /// <summary>An entity with no concurrency token is changed.</summary>
    public bool Untokened { get; set; }

    /// <summary>An entity loaded here is changed, and its token ("Item.RowVersion") is the loaded row's.</summary>
    public string? FreshToken { get; set; }

    /// <summary>The token property of <see cref="FreshToken"/>.</summary>
    public IPropertySymbol? FreshTokenProperty { get; set; }

    /// <summary>The local of this body holding the row of <see cref="FreshToken"/> (null when it was loaded in a called method): where a fix hands EF Core the client's token.</summary>
    public ILocalSymbol? FreshTokenRow { get; set; }

    /// <summary>The only problem is <see cref="FreshToken"/>: the entity has a token, but it is the loaded row's.</summary>
    public bool TokenFromLoadedRow => StaleEditRisk is not null && Rows is null && File is null && !Untokened;

    /// <summary>Rows updated in SQL or with ExecuteUpdate.</summary>
    public string? Rows { get; set; }

    /// <summary>A file written or moved into place.</summary>
    public string? File { get; set; }

    /// <summary>Something compares or sends the version the client saw.</summary>
    public bool Guarded { get; set; }

    /// <summary>
    /// Stored state is replaced by a copy the client edited: a whole entity, file or document, or two or more fields set
    /// from what the request sent. A single field set (deny, mark done, move to a folder) is a command, not a stale copy.
    /// </summary>
    public bool Copies { get; set; }

    /// <summary>
    /// Objects of stored state on which two or more values built from this function's parameters are set: the caller
    /// decides, from its arguments for those parameters, whether they are what the request sent (<see cref="Absorb"/>).
    /// </summary>
    public List<CopiedValues> CopiedFromParameters { get; } = [];

    /// <summary>The type of an object built from the request and stored whole, when there is one.</summary>
    public string? CopiedEntity { get; set; }

    /// <summary>The stored object the edited copy goes into, as a message names it: built whole, handed in whole, or given two values.</summary>
    public string? EditedEntity
        => CopiedEntity ?? WrittenBackEntity?.Name ?? CopiedFromParameters.Select(c => c.Entity).FirstOrDefault(e => e.Length > 0) ?? Entity;

    /// <summary>The ordinals of this method's parameters that are stored whole (Update, SetValues): the caller's argument decides.</summary>
    public HashSet<int> WrittenBackParameters { get; } = [];

    /// <summary>The stored type the first of <see cref="WrittenBackParameters"/> goes into.</summary>
    public ITypeSymbol? WrittenBackEntity { get; private set; }

    /// <summary>Something sends to connected clients (SignalR, a WebSocket, a MediatR notification).</summary>
    public bool Broadcasts { get; set; }

    /// <summary>This body itself changes stored rows, files or entities (not only the methods it calls, not a bare SaveChanges).</summary>
    public bool ChangesHere { get; private set; }

    /// <summary>The called project methods whose own bodies change stored state, in the order they are reached.</summary>
    public List<IMethodSymbol> StateMethods { get; } = [];

    /// <summary>The first SaveChanges of this body, or the call of this body that leads to one.</summary>
    public IOperation? Save { get; set; }

    /// <summary>Where this body changes rows or files: the first write, or the call of this body that leads to one.</summary>
    public IOperation? Site { get; private set; }

    public bool ChangesState => SavesContext && Entity is not null || Rows is not null || File is not null;

    /// <summary>
    /// Why nothing stops a stale edit (CKPT701's message), or null when nothing stored is changed, the change is not an
    /// edited copy, the version is checked, or the entity's concurrency token came with the request (EF Core checks it).
    /// </summary>
    public string? StaleEditRisk
    {
        get
        {
            if (!ChangesState || !Copies || Guarded)
            {
                return null;
            }

            if (Rows is null && File is null && !Untokened)
            {
                return FreshToken is { } token
                    ? "but takes the concurrency token '" + token + "' from the row it just loaded, not from the client, so EF Core detects only a change made between that load and the save"
                    : null;
            }

            return "with no concurrency check (no If-Match header read, no version compared)";
        }
    }

    /// <summary>Where the change is reported: the row or file write, else the save of the changed entity.</summary>
    public IOperation? Location => Rows is not null || File is not null ? Site ?? Save : CopyCall ?? Save ?? Site;

    /// <summary>Where this body stores an object built from the request (Update, SetValues, State = Modified of it).</summary>
    public IOperation? CopySite { get; private set; }

    /// <summary>Where this body hands the request's object to a call that stores it whole.</summary>
    public IOperation? WrittenBackSite { get; private set; }

    /// <summary>The call of this body that leads to a called method storing the request's object whole: the save the finding is about.</summary>
    private IOperation? CopyCall => CopySite ?? WrittenBackSite;

    /// <summary>A SaveChanges: it stores what other code changed, so it does not make this body a state method.</summary>
    public void Saved(IOperation save) => Save ??= save;

    /// <summary>This body changes a stored entity (Update, Attach, SetValues, a member set, State = Modified).</summary>
    public void ChangedEntity(string entity)
    {
        ChangesHere = true;
        Entity ??= entity;
    }

    public void Changed(IOperation site, string? rows = null, string? file = null)
    {
        ChangesHere = true;
        Rows ??= rows;
        File ??= file;
        Site ??= site;
    }

    public UpdateFacts With(UpdateFacts other)
    {
        var combined = new UpdateFacts();
        combined.Absorb(this, null);
        combined.Absorb(other, null);
        combined.ChangesHere = ChangesHere || other.ChangesHere;
        return combined;
    }

    /// <summary>What <see cref="StateUpdates"/> decides for an object stored whole, seen from the caller's side.</summary>
    /// <param name="entity">The stored type the values go into (the entry's entity for SetValues), when known.</param>
    /// <param name="site">The call of this body that leads to a called method storing it; null where this body stores it (the save is then the place to report).</param>
    public void WrittenBack(IOperation? value, IOperation root, ITypeSymbol? entity, IOperation? site)
    {
        // A generic store's T is what the caller passes.
        if (entity is null or ITypeParameterSymbol)
        {
            entity = PathKey.Unwrap(value)?.Type ?? entity;
        }

        switch (PathKey.Unwrap(value))
        {
            case null:
                break;
            case IParameterReferenceOperation parameter when StateUpdates.IsOwnParameter(parameter.Parameter, root):
                WrittenBackParameters.Add(parameter.Parameter.Ordinal);
                WrittenBackEntity ??= entity;
                WrittenBackSite ??= site;
                break;
            case { } built when StateUpdates.BuiltHere(built, root):
                Copies = true;
                CopiedEntity ??= entity?.Name;
                CopySite ??= site;
                break;
        }
    }

    private void Add(IMethodSymbol method)
    {
        if (!StateMethods.Contains(method, SymbolEqualityComparer.Default))
        {
            StateMethods.Add(method);
        }
    }

    /// <summary>Adds what a called method does; <paramref name="call"/> is where it happens, for a change first seen there.</summary>
    /// <param name="callee">The method whose facts <paramref name="other"/> are, when the call runs another (a MediatR handler).</param>
    public void Absorb(UpdateFacts other, IInvocationOperation? call, IMethodSymbol? callee = null)
    {
        SavesContext |= other.SavesContext;

        // A generic store's entity (Repository<T>.Update(T)) is the type the caller passes.
        Entity ??= other.EntityIsGeneric && call is not null
            ? call.Arguments.Select(a => PathKey.Unwrap(a.Value)?.Type).OfType<INamedTypeSymbol>().FirstOrDefault(t => t.TypeKind == TypeKind.Class && t.SpecialType == SpecialType.None)?.Name ?? other.Entity
            : other.Entity;
        EntityIsGeneric |= other.EntityIsGeneric && Entity == other.Entity;
        Untokened |= other.Untokened;
        if (FreshToken is null && other.FreshToken is not null)
        {
            FreshToken = other.FreshToken;
            FreshTokenProperty = other.FreshTokenProperty;

            // A called method's local is not this body's.
            FreshTokenRow = call is null ? other.FreshTokenRow : null;
        }

        Rows ??= other.Rows;
        File ??= other.File;
        Guarded |= other.Guarded;
        Copies |= other.Copies;
        if (other.Copies)
        {
            CopiedEntity ??= other.CopiedEntity;
            CopySite ??= other.CopySite is null ? null : call ?? other.CopySite;
        }

        Broadcasts |= other.Broadcasts;
        foreach (var ordinal in other.WrittenBackParameters)
        {
            if (call is null)
            {
                WrittenBackParameters.Add(ordinal);
                WrittenBackEntity ??= other.WrittenBackEntity;
                WrittenBackSite ??= other.WrittenBackSite;
            }
            else if (call.Arguments.FirstOrDefault(a => a.Parameter?.Ordinal == ordinal)?.Value is { } argument)
            {
                // Reported at this call when the called method also saves (a repository's Update): that call is the save.
                WrittenBack(argument, Body ?? OperationTree.Root(call), other.WrittenBackEntity, other.SavesContext ? call : null);
            }
        }

        foreach (var copied in other.CopiedFromParameters)
        {
            if (call is null)
            {
                CopiedFromParameters.Add(copied);
                continue;
            }

            // Only the values whose parameters this body fills from its own parameters are its caller's.
            var root = Body ?? OperationTree.Root(call);
            var values = copied.Values
                .Select(ordinals => new HashSet<int>(ordinals.SelectMany(o => call.Arguments.FirstOrDefault(a => a.Parameter?.Ordinal == o)?.Value is { } argument
                    ? StateUpdates.ParametersOf(argument, root)
                    : Enumerable.Empty<int>())))
                .Where(ordinals => ordinals.Count > 0)
                .ToList();
            if (values.Count >= 2)
            {
                CopiedFromParameters.Add(new CopiedValues(copied.Entity, values));
            }
        }

        if (call is not null && other.ChangesHere)
        {
            Add((callee ?? call.TargetMethod).OriginalDefinition);
        }

        other.StateMethods.ForEach(Add);

        // Sites are operations of this body: a called method's own sites become the call that reaches them.
        Save ??= other.Save is null ? null : call ?? other.Save;
        Site ??= other.Site is null ? null : call ?? other.Site;
    }
}

/// <summary>Two or more distinct values set on one stored object of type <see cref="Entity"/>, each as the parameters it is built from.</summary>
internal sealed class CopiedValues(string entity, List<HashSet<int>> values)
{
    public string Entity { get; } = entity;

    public List<HashSet<int>> Values { get; } = values;
}
