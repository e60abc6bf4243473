using System.Collections;
using System.Collections.Immutable;
using System.Text.RegularExpressions;
using CheckpointAudit.Knowledge;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace CheckpointAudit.Cli.Analysis;

// The survey is not a shipped analyzer: checkpoint-audit creates one instance per project, runs it once beside
// the rules and reads its facts afterwards. So it keeps that project's symbols in fields, lives in the tool's
// assembly, and its marker descriptor is never reported or released.
#pragma warning disable RS1008, RS1022, RS1036, RS2008

/// <summary>
/// An analyzer, run in the same pass as the rules, that records how it stores state: the files it writes and how, its
/// persisted models, its SQLite settings and the mechanisms it has for corrupt or leftover data. The report's
/// "Environment &amp; assumptions" section is built from these facts.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
internal sealed partial class EnvironmentSurvey : DiagnosticAnalyzer
{
    private static readonly DiagnosticDescriptor Marker = Catalog.DescriptorFactory.SurveyMarker;

    private readonly string _root;
    private readonly object _gate = new();
    private readonly EnvironmentFacts _facts = new();
    // Per persisted model: its serializers, where it is stored, and the version member names CKPT101 accepts at the
    // calls that save or load it (checkpoint_audit.schema_version_members of each call's file).
    private readonly Dictionary<INamedTypeSymbol, (SortedSet<string> Serializers, SortedSet<string> Storage, SortedSet<string> VersionNames)> _models = new(SymbolEqualityComparer.Default);
    private readonly List<INamedTypeSymbol> _sourceTypes = [];
    // Per method body: the models it loads, and the source type the method returns (a stage's product when persisted).
    private readonly Dictionary<IOperation, (string Method, HashSet<string> Types, Spot Spot, string? Returns)> _loadsPerBody = [];

    // Stored models a method body saves; with _loadsPerBody, the stages of a pipeline that load and save in one method.
    private readonly Dictionary<IOperation, HashSet<string>> _savesPerBody = [];

    // Calls that take loaded models and return a model: Ocr(store.Load<PreprocessingCheckpoint>(id, 2)) -> OcrCheckpoint.
    private readonly Dictionary<IMethodSymbol, (HashSet<string> Reads, INamedTypeSymbol Returns, Spot Spot)> _stageCalls = new(SymbolEqualityComparer.Default);

    // The compilation's options and the compilation itself, for what the rules also read (version member names).
    private CheckpointAuditOptions? _options;
    private Compilation? _compilation;

    public EnvironmentSurvey(string root) => _root = root;

    // Never reported: the survey only collects facts, in the same pass (and the same binding) as the rules.
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Marker);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            _options = CheckpointAuditOptions.For(start.Compilation, start.Options.AnalyzerConfigOptionsProvider);
            _compilation = start.Compilation;
            var scope = new Scope(this, start.Compilation);
            start.RegisterSymbolAction(symbol => scope.Add(() => _sourceTypes.Add((INamedTypeSymbol)symbol.Symbol)), SymbolKind.NamedType);
            start.RegisterOperationAction(op => scope.Invocation((IInvocationOperation)op.Operation, SpotOf(op.Operation.Syntax)), OperationKind.Invocation);
            start.RegisterOperationAction(op => scope.Creation((IObjectCreationOperation)op.Operation, SpotOf(op.Operation.Syntax)), OperationKind.ObjectCreation);
            var handlers = UpdateHandlers.Of(start.Compilation);
            if (handlers.HasActions)
            {
                start.RegisterOperationAction(op => scope.Add(() => { if (handlers.OfAction(op) is { } handler) { scope.UpdateEndpoint(handler, SpotOf(op.Operation.Syntax)); } }), OperationKind.MethodBody);
            }
            start.RegisterSyntaxNodeAction(
                node =>
                {
                    switch (node.Node)
                    {
                        case CatchClauseSyntax { Declaration.Type: { } caught } when node.SemanticModel.GetTypeInfo(caught, node.CancellationToken).Type is { } exception
                            && Deserializers.Create(node.SemanticModel.Compilation)?.IsMalformedInputException(exception) == true:
                            scope.Add(() => _facts.Recovery.Add(new Evidence($"catches {exception.Name}", SpotOf(node.Node))));
                            break;
                        case LiteralExpressionSyntax literal when literal.IsKind(SyntaxKind.StringLiteralExpression):
                            scope.Text(literal.Token.ValueText, SpotOf(node.Node));
                            Backup(literal.Token.ValueText, node);
                            break;
                        case InterpolatedStringTextSyntax text:
                            scope.Text(text.TextToken.ValueText, SpotOf(node.Node));
                            Backup(text.TextToken.ValueText, node);
                            break;
                        case AssignmentExpressionSyntax assignment when node.SemanticModel.GetSymbolInfo(assignment.Left, node.CancellationToken).Symbol is IPropertySymbol property
                            && SqliteSymbols.For(node.SemanticModel.Compilation)?.IsProviderType(property.ContainingType) == true:
                            if (property.Name is "BusyTimeout" or "DefaultTimeout")
                            {
                                scope.Add(() => _facts.BusyTimeouts.Add(new Evidence($"{property.ContainingType.Name}.{property.Name} = {Short(assignment.Right.ToString())}", SpotOf(node.Node))));
                            }
                            else if (property.Name == "JournalMode")
                            {
                                scope.Add(() => _facts.JournalModes.Add(new Evidence($"JournalMode = {Short(assignment.Right.ToString())}", SpotOf(node.Node))));
                            }

                            break;
                    }
                },
                SyntaxKind.CatchClause,
                SyntaxKind.StringLiteralExpression,
                SyntaxKind.InterpolatedStringText,
                SyntaxKind.SimpleAssignmentExpression);
        });
    }

    // A ".bak" copy counts as a kept previous version only when it is kept or restored (see BackupCopies).
    private void Backup(string text, SyntaxNodeAnalysisContext node)
    {
        if (text.EndsWith(".bak", StringComparison.OrdinalIgnoreCase) && BackupCopies.IsKept(node.Node, node.SemanticModel, node.CancellationToken))
        {
            var backup = new Evidence($"keeps a backup copy (\"{text}\")", SpotOf(node.Node));
            lock (_gate)
            {
                _facts.Recovery.Add(backup);
                _facts.Backups.Add(backup);
            }
        }
    }

    private Spot SpotOf(SyntaxNode node) => new(ProjectAnalyzer.Relative(_root, node.SyntaxTree.FilePath), node.GetLocation().GetLineSpan().StartLinePosition.Line + 1);

    /// <summary>The facts, once the analysis pass is over: the persisted models are placed in their hierarchy here.</summary>
    public EnvironmentFacts Finish()
    {
        foreach (var (type, (serializers, storage, versionNames)) in _models.OrderBy(m => m.Key.ToDisplayString(), StringComparer.Ordinal))
        {
            var declaration = type.Locations.FirstOrDefault(l => l.IsInSource);
            if (declaration is null)
            {
                continue;
            }

            var spot = new Spot(ProjectAnalyzer.Relative(_root, declaration.SourceTree!.FilePath), declaration.GetLineSpan().StartLinePosition.Line + 1);
            var baseType = type.BaseType is { SpecialType: not SpecialType.System_Object } b && b.Locations.Any(l => l.IsInSource) ? b.Name : null;
            var derived = _sourceTypes.Where(t => InheritsFrom(t, type)).Select(t => t.Name).Distinct().Order(StringComparer.Ordinal).ToList();
            var nested = SerializedMembers.ReachableTypes([type])
                .Where(t => !SymbolEqualityComparer.Default.Equals(t, type.OriginalDefinition) && t.TypeKind != TypeKind.Enum && !InheritsFrom(type, t))
                .Select(t => t.Name).Distinct().Order(StringComparer.Ordinal).ToList();
            _facts.Models.Add(new ModelFact(
                type.Name,
                spot,
                // The names CKPT101 accepts at the calls that save or load the model, found as it finds them.
                SchemaVersionMember.Find(type, [.. versionNames], _compilation)?.Name,
                string.Join(", ", serializers),
                [.. storage],
                baseType,
                derived,
                nested));
        }

        // EF Core: migrations version the database schema (each release upgrades it in order); contexts and connection
        // interceptors tell the SQLite section that SaveChanges is transactional and where pragmas may be set.
        foreach (var type in _sourceTypes.OrderBy(t => t.ToDisplayString(), StringComparer.Ordinal))
        {
            if (type.Locations.FirstOrDefault(l => l.IsInSource) is not { } location)
            {
                continue;
            }

            var spot = new Spot(ProjectAnalyzer.Relative(_root, location.SourceTree!.FilePath), location.GetLineSpan().StartLinePosition.Line + 1);
            if (DerivesFromEfCore(type, "Migration", "Microsoft.EntityFrameworkCore.Migrations"))
            {
                _facts.SchemaMigrations.Add(new Evidence($"EF Core migration '{type.Name}'", spot));
            }
            else if (DerivesFromEfCore(type, "DbContext", "Microsoft.EntityFrameworkCore"))
            {
                _facts.EfCore.Add(new Evidence($"context '{type.Name}'", spot));
            }
            else if (DerivesFromEfCore(type, "DbConnectionInterceptor", "Microsoft.EntityFrameworkCore.Diagnostics"))
            {
                _facts.EfCore.Add(new Evidence($"connection interceptor '{type.Name}'", spot));
            }
        }

        // Stages: a method that loads stored models and saves one, or a call that turns loaded models into a persisted one.
        var persistedNames = _models.Keys.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var (body, loaded) in _loadsPerBody)
        {
            if (_savesPerBody.TryGetValue(body, out var saved))
            {
                _facts.StageFlows.Add(new StageFlow(loaded.Method, loaded.Spot, [.. loaded.Types.Order(StringComparer.Ordinal)], [.. saved.Order(StringComparer.Ordinal)]));
            }
            else if (loaded.Returns is { } product && persistedNames.Contains(product) && !loaded.Types.Contains(product))
            {
                // Loads stored models and returns a persisted one that its caller saves.
                _facts.StageFlows.Add(new StageFlow(loaded.Method, loaded.Spot, [.. loaded.Types.Order(StringComparer.Ordinal)], [product]));
            }
        }

        foreach (var (method, call) in _stageCalls)
        {
            if (persistedNames.Contains(call.Returns.Name) && !call.Reads.Contains(call.Returns.Name))
            {
                _facts.StageFlows.Add(new StageFlow($"{method.ContainingType?.Name}.{method.Name}", call.Spot, [.. call.Reads.Order(StringComparer.Ordinal)], [call.Returns.Name]));
            }
        }

        // A method that loads two or more stored models consumes what earlier stages saved; it checks them when it
        // throws on a failed condition before using them.
        foreach (var (body, loaded) in _loadsPerBody)
        {
            if (loaded.Types.Count >= 2)
            {
                var what = $"{loaded.Method} loads {string.Join(", ", loaded.Types.Order(StringComparer.Ordinal))}";
                _facts.StageInputs.Add(new Evidence(what, loaded.Spot));
                if (ChecksBeforeUse(body))
                {
                    _facts.CrossStageChecks.Add(new Evidence(what + " and throws on a failed check", loaded.Spot));
                }
            }
        }

        // Callbacks ran concurrently: put the facts in source order so the report is the same on every run.
        foreach (var list in new IList[] { _facts.Writes, _facts.Loads, _facts.Connections, _facts.JournalModes, _facts.BusyTimeouts, _facts.Transactions, _facts.Recovery, _facts.Backups, _facts.SchemaMigrations, _facts.EfCore, _facts.IntegrityChecks, _facts.Cleanup, _facts.Reconciliation, _facts.Retention, _facts.StageInputs, _facts.CrossStageChecks, _facts.StageFlows, _facts.UpdateEndpoints, _facts.VersionedUpdates, _facts.Broadcasts, _facts.ClientStorage })
        {
            SortBySpot(list);
        }

        return _facts;
    }

    /// <summary>
    /// Whether <paramref name="type"/> derives from EF Core's <paramref name="name"/> in <paramref name="ns"/>; where the
    /// package cannot be resolved (source-only analysis) the base is an error type, and a base of that name imported from
    /// that namespace still counts.
    /// </summary>
    private static bool DerivesFromEfCore(INamedTypeSymbol type, string name, string ns)
    {
        if (type.BaseType is IErrorTypeSymbol error && error.Name == name)
        {
            return type.DeclaringSyntaxReferences.Any(r => r.SyntaxTree.GetRoot() is CompilationUnitSyntax unit
                && unit.Usings.Any(u => u.Name?.ToString() == ns));
        }

        for (var current = type.BaseType; current is not null; current = current.BaseType)
        {
            if (current.Name == name && current.ContainingNamespace?.ToDisplayString() == ns)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A throw under a condition (if … throw, ?? throw, a guard method's throw is not followed) in the body.</summary>
    private static bool ChecksBeforeUse(IOperation body)
        => body.Descendants().OfType<IThrowOperation>().Any(t => UnderCondition(t)
            && !(PathKey.Unwrap(t.Exception)?.Type is { } thrown && IsArgumentCheck(thrown)));

    /// <summary>ArgumentException and its kind guard a caller's arguments, not the data a stage loaded.</summary>
    private static bool IsArgumentCheck(ITypeSymbol thrown)
    {
        for (var type = thrown; type is not null; type = type.BaseType)
        {
            if (type.Name == "ArgumentException" && type.ContainingNamespace?.ToDisplayString() == "System")
            {
                return true;
            }
        }

        return false;
    }

    private static bool UnderCondition(IOperation operation)
    {
        for (var parent = operation.Parent; parent is not null; parent = parent.Parent)
        {
            if (parent is IConditionalOperation or ICoalesceOperation)
            {
                return true;
            }
        }

        return false;
    }

    private static void SortBySpot(IList list)
    {
        static Spot SpotOf(object item) => item switch { WriteSite w => w.Spot, Evidence e => e.Spot, StageFlow f => f.Spot, _ => new Spot(string.Empty, 0) };
        var sorted = list.Cast<object>().OrderBy(i => SpotOf(i).File, StringComparer.Ordinal).ThenBy(i => SpotOf(i).Line).ThenBy(i => i.ToString(), StringComparer.Ordinal).ToList();
        list.Clear();
        foreach (var item in sorted)
        {
            list.Add(item);
        }
    }

    /// <summary>One compilation's well-known symbols and the handlers that record facts from its operations.</summary>
    private sealed class Scope
    {
        private readonly EnvironmentSurvey _survey;
        private readonly Compilation compilation;
        private readonly FileApiSymbols? apis;
        private readonly PersistedModels? persisted;
        private readonly Deserializers? deserializers;
        private readonly IntegrityHashes hashes;
        private readonly SqliteSymbols? sqlite;


        public Scope(EnvironmentSurvey survey, Compilation compilation)
        {
            _survey = survey;
            this.compilation = compilation;
            apis = FileApiSymbols.Create(compilation);
            persisted = PersistedModels.For(compilation);
            deserializers = Deserializers.Create(compilation);
            hashes = IntegrityHashes.For(compilation);
            sqlite = SqliteSymbols.For(compilation);
        }

        private EnvironmentFacts facts => _survey._facts;

        private Dictionary<INamedTypeSymbol, (SortedSet<string> Serializers, SortedSet<string> Storage, SortedSet<string> VersionNames)> models => _survey._models;

        public void Add(Action record)
        {
            lock (_survey._gate)
            {
                record();
            }
        }

        // Each handler records under the survey's lock: callbacks run concurrently, the work per call is small.
        public void Invocation(IInvocationOperation invocation, Spot spot) => Add(() => InvocationCore(invocation, spot));

        public void Creation(IObjectCreationOperation creation, Spot spot) => Add(() => CreationCore(creation, spot));

        public void Text(string value, Spot spot) => Add(() => TextCore(value, spot));

        /// <summary>A PUT/PATCH handler: recorded when it writes back an edited copy of stored state, with whether it checks the version.</summary>
        public void UpdateEndpoint(UpdateHandler handler, Spot spot)
        {
            var updates = StateUpdates.Of(compilation).OfHandler(handler.Body, handler.Declaration, CancellationToken.None);
            if (updates.ChangesState && updates.Copies)
            {
                // Versioned exactly when CKPT701 has nothing to say (a checked version, or EF Core's token sent by the client).
                var evidence = new Evidence(handler.Name, spot);
                facts.UpdateEndpoints.Add(evidence);
                if (updates.StaleEditRisk is null)
                {
                    facts.VersionedUpdates.Add(evidence);
                }
            }
        }

        private void InvocationCore(IInvocationOperation invocation, Spot spot)
        {
            var method = invocation.TargetMethod;
            if (StateUpdates.IsBroadcast(invocation))
            {
                facts.Broadcasts.Add(new Evidence($"{method.Name} in {OperationTree.MemberName(invocation) ?? "?"}", spot));
            }

            if (method.Name is "GetAsync" or "SetAsync" && method.ContainingType?.Name == "ProtectedBrowserStorage"
                || method.Name is "GetItemAsync" or "SetItemAsync" or "GetItem" or "SetItem" && method.ContainingNamespace?.ToDisplayString() is "Blazored.LocalStorage" or "Blazored.SessionStorage"
                || method.Name == "InvokeAsync" && invocation.Arguments.FirstOrDefault(a => a.Parameter?.Name == "identifier")?.Value.ConstantValue.Value is string identifier
                    && (identifier.StartsWith("localStorage.", StringComparison.Ordinal) || identifier.StartsWith("sessionStorage.", StringComparison.Ordinal)))
            {
                facts.ClientStorage.Add(new Evidence($"{(invocation.Instance?.Type ?? method.ContainingType)?.Name}.{method.Name}", spot));
            }

            foreach (var handler in UpdateHandlers.Of(compilation).OfMap(invocation, compilation, CancellationToken.None))
            {
                UpdateEndpoint(handler, spot);
            }

            if (method.Name == "UseSqlite" && method.ContainingNamespace?.ToDisplayString().StartsWith("Microsoft.EntityFrameworkCore", StringComparison.Ordinal) == true)
            {
                facts.SqliteProviders.Add("EF Core");
                facts.EfCore.Add(new Evidence("UseSqlite", spot));
                return;
            }

            if (apis is not null)
            {
                if (SymbolNames.IsType(method.ContainingType, "CheckpointAudit.CheckpointFile"))
                {
                    var path = OperationTree.ArgumentFor(invocation.Arguments, 0);
                    if (method.TypeArguments is [INamedTypeSymbol model] && model.Locations.Any(l => l.IsInSource))
                    {
                        AddModel(model, "CheckpointFile envelope", StoredInput.File, invocation.Syntax.SyntaxTree);
                    }

                    switch (method.Name)
                    {
                        case "WriteAllText" or "WriteAllBytes" or "WriteAllLines" or "WriteAllTextAsync" or "WriteAllBytesAsync" or "WriteAllLinesAsync":
                            facts.Writes.Add(new WriteSite(PathTemplate.Render(path, compilation), WriteStyle.Atomic, "CheckpointFile." + method.Name, spot));
                            break;
                        case "Save" or "SaveAsync":
                            facts.Writes.Add(new WriteSite(PathTemplate.Render(path, compilation), WriteStyle.Atomic, "CheckpointFile." + method.Name, spot));
                            facts.IntegrityChecks.Add(new Evidence("CheckpointFile.Save writes a SHA-256 envelope and keeps a .bak", spot));
                            break;
                        case "Load" or "TryLoad" or "LoadAsync" or "TryLoadAsync":
                            facts.Loads.Add(new Evidence("CheckpointFile." + method.Name, spot));
                            facts.IntegrityChecks.Add(new Evidence($"CheckpointFile.{method.Name} verifies the checksum", spot));
                            facts.Recovery.Add(new Evidence($"CheckpointFile.{method.Name} falls back to the .bak copy", spot));
                            facts.Backups.Add(new Evidence($"CheckpointFile.{method.Name} falls back to the .bak copy", spot));
                            break;
                        case "QuarantineCorrupt":
                            facts.Recovery.Add(new Evidence("moves a corrupt file aside (CheckpointFile.QuarantineCorrupt)", spot));
                            break;
                    }

                    return;
                }

                if (FilePromotion.TryMatchMoveOrReplace(invocation, apis, out _, out var target) && target is not null)
                {
                    facts.Writes.Add(new WriteSite(PathTemplate.Render(target, compilation), WriteStyle.Atomic, $"{method.ContainingType!.Name}.{method.Name}", spot));
                    if (method.Name == "Replace" && OperationTree.ArgumentFor(invocation.Arguments, method.ContainingType.Name == "FileInfo" ? 1 : 2) is { } backup
                        && backup.ConstantValue is not { HasValue: true, Value: null })
                    {
                        facts.Recovery.Add(new Evidence("File.Replace keeps the previous version as a backup", spot));
                        facts.Backups.Add(new Evidence("File.Replace keeps the previous version as a backup", spot));
                    }

                    return;
                }

                if (FileOverwrite.TryMatch(invocation, apis, out var overwrite))
                {
                    AddWrite(overwrite, spot);
                    return;
                }

                if (SymbolNames.IsType(method.ContainingType, "System.IO.File") && method.Name.StartsWith("AppendAll", StringComparison.Ordinal))
                {
                    facts.Writes.Add(new WriteSite(PathTemplate.Render(OperationTree.ArgumentFor(invocation.Arguments, 0), compilation), WriteStyle.Other, "File." + method.Name, spot));
                    return;
                }

                if (SymbolNames.IsType(method.ContainingType, "System.IO.Directory") && method.Name is "GetFiles" or "EnumerateFiles"
                    && OperationTree.ArgumentFor(invocation.Arguments, 1)?.ConstantValue.Value is string pattern
                    && pattern.Contains("tmp", StringComparison.OrdinalIgnoreCase))
                {
                    facts.Cleanup.Add(new Evidence($"lists leftover temp files ({pattern})", spot));
                    return;
                }
            }

            if (apis is not null && deserializers is not null && deserializers.TryMatch(invocation, out var input, out _, out var api) && input is not null
                && StoredInput.Source(input, OperationTree.Root(invocation), apis, deserializers) is { } source)
            {
                facts.Loads.Add(new Evidence($"{api} from a {source}", spot));
            }

            RecordHousekeeping(invocation, spot);

            // A stage's input loaded through the project's generic store: store.Load<LayoutCheckpoint>(id, 4).
            if ((method.IsGenericMethod || method.ContainingType is { IsGenericType: true }) && MethodSummaries.IsProjectMethod(method)
                && GenericStores.For(compilation).Of(method, CancellationToken.None) is { Loaded.IsEmpty: false } store)
            {
                AddStageInput(invocation, [.. store.Loaded.Select(t => MethodSummaries.TypeArgumentFor(invocation, t)).OfType<INamedTypeSymbol>().Where(t => t.Locations.Any(l => l.IsInSource))], spot);
            }

            if (persisted?.Match(invocation) is { } evidence)
            {
                if (!evidence.IsSave)
                {
                    AddStageInput(invocation, evidence.Models, spot);
                }
                else if (!evidence.Models.IsEmpty)
                {
                    var body = OperationTree.Root(invocation);
                    if (!_survey._savesPerBody.TryGetValue(body, out var saved))
                    {
                        saved = new HashSet<string>(StringComparer.Ordinal);
                        _survey._savesPerBody.Add(body, saved);
                    }

                    saved.UnionWith(evidence.Models.Select(m => m.Name));
                }

                foreach (var model in evidence.Models)
                {
                    AddModel(model, Display(evidence.Serializer), evidence.Storage, invocation.Syntax.SyntaxTree);
                }

                return;
            }

            if (method.Name is "BeginTransaction" or "BeginTransactionAsync" && sqlite?.IsConnection(method.ContainingType) == true)
            {
                facts.Transactions.Add(new Evidence($"{method.ContainingType!.Name}.{method.Name}", spot));
                return;
            }

            if (hashes.IsHashType(method.ContainingType))
            {
                // Not a checksum: a hash that names a file (cache keys, content-addressed names), one nothing compares or
                // stores (a key derived from a machine ID, a digest printed for the user), or one in migration code.
                if (method.Name is "HashData" or "ComputeHash" or "Hash" or "HashDataAsync" or "ComputeHashAsync" && TouchesStoredData(invocation)
                    && !NamesAFile(invocation) && IsComparedOrStored(invocation)
                    && MigrationCode.Around(invocation.SemanticModel?.GetEnclosingSymbol(invocation.Syntax.SpanStart)) is null)
                {
                    facts.IntegrityChecks.Add(new Evidence($"{method.ContainingType!.Name}.{method.Name} beside stored data", spot));
                }
            }
        }

        /// <summary>The stored models a method loads, directly or through the project's generic stores (store.Load&lt;T&gt;(id, stage)).</summary>
        private void AddStageInput(IInvocationOperation invocation, ImmutableArray<INamedTypeSymbol> loadedModels, Spot spot)
        {
            if (invocation.SemanticModel?.GetEnclosingSymbol(invocation.Syntax.SpanStart) is not IMethodSymbol loader || loadedModels.IsEmpty)
            {
                return;
            }

            var body = OperationTree.Root(invocation);
            if (!_survey._loadsPerBody.TryGetValue(body, out var loaded))
            {
                var returns = loader.MethodKind == MethodKind.Ordinary && Unwrapped(loader.ReturnType) is INamedTypeSymbol { TypeKind: TypeKind.Class or TypeKind.Struct } product && product.Locations.Any(l => l.IsInSource)
                    ? product.Name
                    : null;
                loaded = ($"{loader.ContainingType?.Name}.{loader.Name}", new HashSet<string>(StringComparer.Ordinal), spot, returns);
            }

            // The body's first load in source order is its place, whichever callback ran first.
            _survey._loadsPerBody[body] = loaded with { Spot = Earlier(spot, loaded.Spot) };

            loaded.Types.UnionWith(loadedModels.Select(m => m.Name));

            // Passed straight to a project method that returns a model: that method is a stage from these models to its result.
            var value = invocation.Parent;
            while (value is IConversionOperation or IAwaitOperation or IParenthesizedOperation)
            {
                value = value.Parent;
            }

            if (value is IArgumentOperation { Parent: IInvocationOperation consumer }
                && consumer.TargetMethod.OriginalDefinition is { } stage && stage.Locations.Any(l => l.IsInSource)
                && Unwrapped(stage.ReturnType) is INamedTypeSymbol { TypeKind: TypeKind.Class or TypeKind.Struct } result && result.Locations.Any(l => l.IsInSource))
            {
                if (!_survey._stageCalls.TryGetValue(stage, out var call))
                {
                    call = (new HashSet<string>(StringComparer.Ordinal), result, spot);
                }

                // The first call in source order names the stage's place, whichever callback ran first.
                _survey._stageCalls[stage] = call with { Spot = Earlier(spot, call.Spot) };
                call.Reads.UnionWith(loadedModels.Select(m => m.Name));
            }
        }

        private static Spot Earlier(Spot a, Spot b)
            => string.CompareOrdinal(a.File, b.File) is var order && (order < 0 || (order == 0 && a.Line <= b.Line)) ? a : b;

        // Task<T> and ValueTask<T> give T.
        private static ITypeSymbol Unwrapped(ITypeSymbol type)
            => type is INamedTypeSymbol { IsGenericType: true, Name: "Task" or "ValueTask", TypeArguments: [var result] } ? result : type;

        /// <summary>
        /// Reconciliation (directories listed in a body that also deletes or looks up records) and retention (files or
        /// folders deleted in a body that reads their age): what the survey reports when a project keeps files per record.
        /// </summary>
        private void RecordHousekeeping(IInvocationOperation invocation, Spot spot)
        {
            var method = invocation.TargetMethod;
            var type = method.ContainingType;
            if (type is null || apis is null)
            {
                return;
            }

            var body = OperationTree.Root(invocation);
            if (method.Name is "GetDirectories" or "EnumerateDirectories" && (apis.Is(type, apis.Directory) || apis.Is(type, apis.DirectoryInfo))
                && body.Descendants().OfType<IInvocationOperation>().Any(c => LooksUpOrDeletesRecords(c)))
            {
                facts.Reconciliation.Add(new Evidence($"lists directories ({type.Name}.{method.Name}) and looks up or deletes records in the same method", spot));
            }

            if (method.Name == "Delete" && (apis.Is(type, apis.File) || apis.Is(type, apis.Directory) || TypeRelations.InheritsFrom(type, apis.FileSystemInfo))
                && body.Descendants().Any(o => o is IPropertyReferenceOperation { Property.Name: "LastWriteTime" or "LastWriteTimeUtc" or "CreationTime" or "CreationTimeUtc" or "LastAccessTime" or "LastAccessTimeUtc" }
                    || o is IInvocationOperation { TargetMethod.Name: "GetLastWriteTime" or "GetLastWriteTimeUtc" or "GetCreationTime" or "GetCreationTimeUtc" }))
            {
                facts.Retention.Add(new Evidence($"deletes stored files by age ({type.Name}.Delete)", spot));
            }
        }

        /// <summary>A query, deletion or command on a database: EF Core (a DbSet or DbContext), SQLite (a command or connection).</summary>
        private bool LooksUpOrDeletesRecords(IInvocationOperation call)
        {
            var target = call.Instance?.Type ?? (call.TargetMethod.IsExtensionMethod && call.Arguments.Length > 0 ? call.Arguments[0].Value.Type : null);
            if (sqlite is not null && (sqlite.IsCommand(target) || sqlite.IsConnection(target)))
            {
                return true;
            }

            for (var current = target as INamedTypeSymbol; current is not null; current = current.BaseType)
            {
                if (current.Name is "DbSet" or "DbContext" && current.ContainingNamespace?.ToDisplayString() == "Microsoft.EntityFrameworkCore")
                {
                    return true;
                }
            }

            return false;
        }

        private void AddModel(INamedTypeSymbol model, string serializer, string storage, SyntaxTree site)
        {
            if (!models.TryGetValue(model, out var entry))
            {
                entry = (new SortedSet<string>(StringComparer.Ordinal), new SortedSet<string>(StringComparer.Ordinal), new SortedSet<string>(StringComparer.Ordinal));
                models.Add(model, entry);
            }

            entry.Serializers.Add(serializer);
            entry.Storage.Add(storage);
            entry.VersionNames.UnionWith(_survey._options?.SchemaVersionMembers(site) ?? SchemaVersionMember.DefaultNames);
        }

        private void AddWrite(FileOverwrite overwrite, Spot spot)
        {
            var root = OperationTree.Root(overwrite.Operation);
            var key = PathKey.From(overwrite.Target, apis!);
            var template = PathTemplate.Render(overwrite.Target, compilation);
            if (FilePromotion.IsPromotedIn(root, key, apis!))
            {
                return; // the temp file of an atomic write: its Move/Replace is counted instead
            }

            var scratch = template.Contains("{temp}", StringComparison.Ordinal) || template.Contains("{guid}", StringComparison.Ordinal) || template.Contains("{random}", StringComparison.Ordinal);
            facts.Writes.Add(new WriteSite(template, scratch ? WriteStyle.Other : WriteStyle.InPlace, overwrite.Api, spot));
        }

        private void CreationCore(IObjectCreationOperation creation, Spot spot)
        {
            if (apis is not null && FileOverwrite.TryMatch(creation, apis, out var overwrite))
            {
                AddWrite(overwrite, spot);
                return;
            }

            var type = creation.Type as INamedTypeSymbol;
            if (type is null || sqlite?.IsConnection(type) != true)
            {
                return;
            }

            facts.SqliteProviders.Add(type.ContainingNamespace.ToDisplayString());
            var owner = creation.Parent;
            while (owner is IConversionOperation)
            {
                owner = owner.Parent;
            }

            var lifetime = owner switch
            {
                ISimpleAssignmentOperation { Target: IFieldReferenceOperation field } => $"kept in field '{field.Field.Name}' (long-lived)",
                ISimpleAssignmentOperation { Target: IPropertyReferenceOperation property } => $"kept in property '{property.Property.Name}' (long-lived)",
                IFieldInitializerOperation field => $"kept in field '{field.InitializedFields.FirstOrDefault()?.Name}' (long-lived)",
                IPropertyInitializerOperation property => $"kept in property '{property.InitializedProperties.FirstOrDefault()?.Name}' (long-lived)",
                IReturnOperation => "returned by a factory (lifetime decided by callers)",
                IVariableInitializerOperation initializer when InUsing(initializer) => "one per operation (using local)",
                _ => "local",
            };
            facts.Connections.Add(new Evidence($"new {type.Name}: {lifetime}", spot));
        }

        private void TextCore(string value, Spot spot)
        {
            if (JournalModePragma().Match(value) is { Success: true } pragma)
            {
                facts.JournalModes.Add(new Evidence($"PRAGMA journal_mode={pragma.Groups[1].Value.ToUpperInvariant()}", spot));
            }
            else if (JournalModeSetting().Match(value) is { Success: true } setting)
            {
                facts.JournalModes.Add(new Evidence($"connection string Journal Mode={setting.Groups[1].Value}", spot));
            }

            if (BusyTimeoutPragma().Match(value) is { Success: true } busy)
            {
                facts.BusyTimeouts.Add(new Evidence($"PRAGMA busy_timeout={busy.Groups[1].Value}", spot));
            }
            else if (TimeoutSetting().Match(value) is { Success: true } timeout)
            {
                facts.BusyTimeouts.Add(new Evidence($"connection string {timeout.Groups[1].Value}={timeout.Groups[2].Value}", spot));
            }

            if (UserVersionPragma().IsMatch(value))
            {
                facts.SchemaMigrations.Add(new Evidence("PRAGMA user_version", spot));
            }
            else if (VersionTableQuery().Match(value) is { Success: true } table)
            {
                facts.SchemaMigrations.Add(new Evidence($"the database records its schema version (table {table.Groups[1].Value})", spot));
            }

            if (BeginStatement().IsMatch(value))
            {
                facts.Transactions.Add(new Evidence("SQL BEGIN", spot));
            }

        }

        /// <summary>The local a declaration or an assignment on the hash's way up stores it in, or null.</summary>
        private static ILocalSymbol? LocalHolding(IOperation parent) => parent switch
        {
            IVariableDeclaratorOperation declarator => declarator.Symbol,
            ISimpleAssignmentOperation { Target: ILocalReferenceOperation target } => target.Local,
            _ => null,
        };

        /// <summary>The hash flows (through conversions, string building or a local) into a path or file-name argument.</summary>
        private static bool NamesAFile(IOperation hash)
        {
            var value = hash;
            while (value.Parent is { } parent && parent is not (IExpressionStatementOperation or IBlockOperation or IReturnOperation))
            {
                if (parent is IInvocationOperation call && IsPathApi(call.TargetMethod.ContainingType) && value is IArgumentOperation argument && NamesPath(argument))
                {
                    return true;
                }

                if (LocalHolding(parent) is { } local)
                {
                    return OperationTree.Root(hash).Descendants().OfType<IInvocationOperation>().Any(use => IsPathApi(use.TargetMethod.ContainingType)
                        && use.Arguments.Any(a => NamesPath(a) && a.Value.DescendantsAndSelf().OfType<ILocalReferenceOperation>().Any(r => SymbolEqualityComparer.Default.Equals(r.Local, local))));
                }

                value = parent;
            }

            return false;
        }

        /// <summary>
        /// Whether the hash, directly or through locals built from it (<c>hex = Convert.ToHexString(hash)</c>), is compared
        /// (<c>==</c> on text, <c>Equals</c>, <c>SequenceEqual</c>, <c>FixedTimeEquals</c>…) or stored (written to a file, a
        /// database parameter) in the same body, or, for a helper that returns it, by a caller in the same file: what an
        /// integrity check does with it.
        /// </summary>
        private static bool IsComparedOrStored(IOperation hash, int depth = 0)
        {
            var root = OperationTree.Root(hash);
            var carrying = new HashSet<ILocalSymbol>(SymbolEqualityComparer.Default);
            for (var value = hash; value.Parent is { } parent && parent is not (IExpressionStatementOperation or IBlockOperation); value = parent)
            {
                // A checksum helper returns the hash: what its callers in this file do with it decides (one call deep).
                if (parent is IReturnOperation)
                {
                    return depth == 0 && OperationTree.InnermostFunction(parent) is null && hash.SemanticModel is { } model
                        && model.GetEnclosingSymbol(hash.Syntax.SpanStart) is IMethodSymbol helper
                        && SameFileReferences.Of(helper, model).OfType<IInvocationOperation>().Any(call => IsComparedOrStored(call, depth + 1));
                }

                if (UsesHash(parent, hash, carrying))
                {
                    return true;
                }

                if (LocalHolding(parent) is { } local)
                {
                    carrying = OperationTree.LocalsBuiltFrom(local, root);
                    return root.Descendants().Any(use => UsesHash(use, null, carrying));
                }
            }

            return false;
        }

        /// <summary>A comparison or a write whose operands include <paramref name="hash"/> or a local in <paramref name="carrying"/>.</summary>
        private static bool UsesHash(IOperation use, IOperation? hash, HashSet<ILocalSymbol> carrying)
        {
            bool Carries(IOperation? operand) => operand is not null && (operand == hash || operand.DescendantsAndSelf().Any(o => o == hash
                || o is ILocalReferenceOperation reference && carrying.Contains(reference.Local)));
            return use switch
            {
                // == on arrays compares references: only text or numbers compared this way are a check.
                IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals, LeftOperand.Type: not IArrayTypeSymbol } binary
                    => Carries(binary.LeftOperand) || Carries(binary.RightOperand),
                IInvocationOperation { TargetMethod.Name: "Equals" or "SequenceEqual" or "FixedTimeEquals" or "SequenceCompareTo" or "Compare" or "CompareOrdinal" } call
                    => Carries(call.Instance) || call.Arguments.Any(a => Carries(a.Value)),
                IInvocationOperation call when IsPathApi(call.TargetMethod.ContainingType) && call.TargetMethod.Name.StartsWith("Write", StringComparison.Ordinal)
                    => call.Arguments.Skip(1).Any(a => Carries(a.Value)),
                // Kept in the database beside the data: a command parameter's value.
                IInvocationOperation { TargetMethod.Name: "AddWithValue" } call => call.Arguments.Any(a => Carries(a.Value)),
                ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property.Name: "Value", Instance.Type.Name: { } owner } } assignment
                    when owner.EndsWith("Parameter", StringComparison.Ordinal) => Carries(assignment.Value),
                _ => false,
            };
        }

        /// <summary>An argument that is (part of) a path: any argument of Path's methods, a path parameter of File's and Directory's (not the text written).</summary>
        private static bool NamesPath(IArgumentOperation argument)
            => argument.Parent is IInvocationOperation { TargetMethod.ContainingType: var type } && SymbolNames.IsType(type, "System.IO.Path")
                || argument.Parameter?.Name is "path" or "sourceFileName" or "destFileName" or "destinationFileName" or "destinationBackupFileName" or "sourceDirName" or "destDirName";

        private static bool IsPathApi(INamedTypeSymbol? type)
            => SymbolNames.IsType(type, "System.IO.Path") || SymbolNames.IsType(type, "System.IO.File") || SymbolNames.IsType(type, "System.IO.Directory");

        private bool TouchesStoredData(IOperation operation)
            => OperationTree.Root(operation).Descendants().OfType<IInvocationOperation>().Any(i =>
                SymbolNames.IsType(i.TargetMethod.ContainingType, "System.IO.File") || SymbolNames.IsType(i.TargetMethod.ContainingType, "System.IO.FileStream") || persisted?.Match(i) is not null);
    }

    /// <summary>The declaration is a using declaration or a using statement's resource.</summary>
    private static bool InUsing(IOperation operation)
    {
        var current = operation.Parent;
        for (var i = 0; i < 4 && current is not null; i++, current = current.Parent)
        {
            if (current is IUsingDeclarationOperation or IUsingOperation)
            {
                return true;
            }
        }

        return false;
    }

    private static bool InheritsFrom(INamedTypeSymbol type, INamedTypeSymbol ancestor)
    {
        for (var current = type.BaseType; current is not null; current = current.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(current.OriginalDefinition, ancestor.OriginalDefinition))
            {
                return true;
            }
        }

        return type.AllInterfaces.Any(i => SymbolEqualityComparer.Default.Equals(i.OriginalDefinition, ancestor.OriginalDefinition));
    }

    private static string Display(SerializerKind kind) => kind switch
    {
        SerializerKind.SystemTextJson => "System.Text.Json",
        SerializerKind.Newtonsoft => "Newtonsoft.Json",
        SerializerKind.XmlSerializer => "XmlSerializer",
        _ => "DataContractSerializer",
    };

    private static string Short(string text)
    {
        text = Regex.Replace(text, @"\s+", " ");
        return text.Length <= 40 ? text : text[..37] + "...";
    }

    [GeneratedRegex(@"journal_mode\s*=\s*'?(\w+)", RegexOptions.IgnoreCase)]
    private static partial Regex JournalModePragma();

    [GeneratedRegex(@"Journal\s*Mode\s*=\s*(\w+)", RegexOptions.IgnoreCase)]
    private static partial Regex JournalModeSetting();

    [GeneratedRegex(@"\buser_version\b", RegexOptions.IgnoreCase)]
    private static partial Regex UserVersionPragma();

    // SELECT max(Version) FROM Version: a schema version kept in a table of its own, read to decide the upgrades to run.
    [GeneratedRegex(@"\bselect\s+(?:max\s*\(\s*)?[""\[]?\w*version[""\]]?\s*\)?\s+from\s+[""\[]?(\w*version\w*)", RegexOptions.IgnoreCase)]
    private static partial Regex VersionTableQuery();

    [GeneratedRegex(@"busy_timeout\s*=?\s*(\d+)", RegexOptions.IgnoreCase)]
    private static partial Regex BusyTimeoutPragma();

    [GeneratedRegex(@"(Default\s*Timeout|BusyTimeout|Command\s*Timeout)\s*=\s*(\d+)", RegexOptions.IgnoreCase)]
    private static partial Regex TimeoutSetting();

    [GeneratedRegex(@"^\s*BEGIN(\s+(IMMEDIATE|EXCLUSIVE|DEFERRED))?(\s+TRANSACTION)?\s*;?\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex BeginStatement();
}
