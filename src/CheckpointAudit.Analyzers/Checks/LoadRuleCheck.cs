using System.Collections.Immutable;
using System.Linq;
using CheckpointAudit.Catalog;
using CheckpointAudit.Knowledge;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace CheckpointAudit.Checks;

/// <summary>
/// Base of the analyzers that look at loads of stored data (the Corruption family): one rule,
/// operation actions of one kind, nothing registered when neither System.IO.File nor a known
/// deserializer is in the compilation, generated code skipped.
/// </summary>
public abstract class LoadRuleCheck : RuleCheck
{
    private readonly OperationKind _kind;

    private protected LoadRuleCheck(RuleDefinition rule, OperationKind kind)
        : base(rule)
    {
        _kind = kind;
    }

    private protected sealed override void OnCompilationStart(CheckStart start)
    {
        var apis = FileApiSymbols.Create(start.Compilation);
        var deserializers = apis is null ? null : Deserializers.Create(start.Compilation);
        if (apis is null || deserializers is null)
        {
            return;
        }

        var symbols = new LoadSymbols(apis, deserializers, start.Compilation);
        var scope = new RuleScope(OptionsOf(start.Compilation, start.Options));
        start.RegisterOperationAction(c => Analyze(c, symbols, scope), _kind);
    }

    /// <summary>Called for every operation of the registered kind; check <see cref="RuleScope.Includes"/> after the cheap match.</summary>
    private protected abstract void Analyze(OperationAnalysisContext context, LoadSymbols symbols, RuleScope scope);

    /// <summary>
    /// The invocation as a parse of stored data (file or database) in scope, or null: a known deserializer
    /// whose input comes from a read in the same body, or XDocument/XmlDocument.Load(path), which reads the file itself.
    /// With <paramref name="converters"/>, a TypeConverter's ConvertFrom* too.
    /// </summary>
    private protected static StoredLoad? MatchStoredLoad(IInvocationOperation invocation, OperationAnalysisContext context, LoadSymbols symbols, RuleScope scope, bool converters = false)
    {
        if (!(symbols.Deserializers.TryMatch(invocation, out var input, out var malformed, out var api)
                || (converters && symbols.Deserializers.TryMatchConverter(invocation, out input, out malformed, out api)))
            || input is null || !scope.Includes(context))
        {
            return null;
        }

        var root = OperationTree.Root(invocation);
        return StoredSource(invocation, input, root, symbols) is { } source ? new StoredLoad(input, malformed, api, root, source) : null;
    }

    /// <summary>Where a parse's input was read from ("file", "database value"), or null when it is not known to be stored.</summary>
    private protected static string? StoredSource(IInvocationOperation parse, IOperation input, IOperation root, LoadSymbols symbols)
        => StoredInput.LoadsPathArgument(parse) ? StoredInput.File : StoredInput.Source(input, root, symbols.Apis, symbols.Deserializers);

    /// <summary>
    /// A call of the project's own loader of the file it is given (see <see cref="MethodSummary.ParsesPathThrows"/>):
    /// <c>JsonHelper.DeserializeFromFile&lt;Config&gt;(path)</c> parses stored data as much as the deserializer inside it.
    /// </summary>
    private protected static StoredLoad? MatchProjectLoad(IInvocationOperation invocation, OperationAnalysisContext context, RuleScope scope)
    {
        if (MethodSummaries.Of(context.Compilation) is not { } summaries || !summaries.MayParsePath(invocation.TargetMethod) || !scope.Includes(context))
        {
            return null;
        }

        var summary = summaries.For(invocation.TargetMethod, context.CancellationToken);
        if (summary.ParsesPathThrows.IsEmpty
            || invocation.Arguments.FirstOrDefault(a => (summary.Use(a.Parameter?.OriginalDefinition) & PathUse.Reads) != 0)?.Value is not { } path)
        {
            return null;
        }

        var api = invocation.TargetMethod.ContainingType.Name + "." + invocation.TargetMethod.Name;
        return new StoredLoad(path, summary.ParsesPathThrows, api, OperationTree.Root(invocation), StoredInput.File);
    }

    /// <summary>
    /// The load is the body of a loader of the file its method is given: its callers handle (or not) what it throws,
    /// and the rules judge them instead (<see cref="MatchProjectLoad"/>).
    /// </summary>
    private protected static bool IsInPathLoader(IOperation load, OperationAnalysisContext context)
        => (OperationTree.InnermostFunction(load) ?? context.ContainingSymbol as IMethodSymbol) is { } method
            && MethodSummaries.Of(context.Compilation) is { } summaries
            && summaries.MayParsePath(method)
            && !summaries.For(method, context.CancellationToken).ParsesPathThrows.IsEmpty;

}

/// <summary>A parse of stored data: what is parsed, what malformed input throws, the API's name, the body, and "file" or "database value".</summary>
internal sealed class StoredLoad(IOperation input, ImmutableArray<INamedTypeSymbol> malformed, string api, IOperation root, string source)
{
    public IOperation Input { get; } = input;
    public ImmutableArray<INamedTypeSymbol> Malformed { get; } = malformed;
    public string Api { get; } = api;
    public IOperation Root { get; } = root;
    public string Source { get; } = source;
}

/// <summary>What the load rules resolve once per compilation.</summary>
internal sealed class LoadSymbols(FileApiSymbols apis, Deserializers deserializers, Compilation compilation)
{
    public FileApiSymbols Apis { get; } = apis;

    public Deserializers Deserializers { get; } = deserializers;

    /// <summary>The hash algorithms of an integrity check.</summary>
    public IntegrityHashes Hashes { get; } = IntegrityHashes.For(compilation);
}
