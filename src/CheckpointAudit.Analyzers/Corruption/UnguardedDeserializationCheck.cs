using System.Collections.Immutable;
using System.Linq;
using CheckpointAudit.Catalog;
using CheckpointAudit.Checks;
using CheckpointAudit.Knowledge;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace CheckpointAudit.Corruption;

/// <summary>
/// CKPT301: a deserializer parses data read from a file or the database, and no catch around it (in
/// the same function, or around every call of a loader only this compilation calls) handles the
/// exception that parser throws for malformed input. A call of the project's own loader of the file it is given
/// (<c>JsonHelper.DeserializeFromFile&lt;T&gt;(path)</c>) is judged the same way, at the call: the loader itself is
/// not reported, since handling belongs to its callers. An XML file read by hand (<c>XmlReader.Create(path)</c> walked
/// with <c>Read()</c>) is a parse too. A single torn write or manual edit then makes
/// every later load throw: the application stops starting, or the state is silently replaced.
/// </summary>
public sealed class UnguardedDeserializationCheck : LoadRuleCheck
{
    public UnguardedDeserializationCheck()
        : base(RuleCatalog.UnguardedDeserialization, OperationKind.Invocation)
    {
    }

    private protected override void Analyze(OperationAnalysisContext context, LoadSymbols symbols, RuleScope scope)
    {
        var invocation = (IInvocationOperation)context.Operation;
        var load = MatchStoredLoad(invocation, context, symbols, scope, converters: true);
        if (load is not null && IsInPathLoader(invocation, context))
        {
            return; // a loader of the file it is given: reported where it is called
        }

        load ??= MatchProjectLoad(invocation, context, scope) ?? MatchHandReadXml(invocation, context, symbols, scope);
        if (load is null)
        {
            ReportNarrowCatchAroundLoader(invocation, context, symbols, scope);
            return;
        }

        if (CatchCoverage.IsCaught(invocation, context.ContainingSymbol, load.Malformed, context.Compilation, context.CancellationToken)
            || IsXmlSerializableRead(context.ContainingSymbol))
        {
            return;
        }

        // Where the exception leaves this project uncaught, for an audit that also reads the callers in other projects.
        var function = OperationTree.InnermostFunction(invocation) ?? context.ContainingSymbol as IMethodSymbol;
        var exits = function is null ? null : CompilationCallers.Exits(function, context.Compilation, invocation.SemanticModel, call => CatchCoverage.IsCaughtInFunction(call, load.Malformed) && CatchCoverage.IsKeptInFunction(call, load.Malformed), context.CancellationToken);
        context.ReportDiagnostic(DataHeldDiagnostic.Create(
            Rule,
            invocation.Syntax.GetLocation(),
            ImmutableArray<Location>.Empty,
            ThrownToCallers.Properties(exits, load.Malformed),
            LoadedData.Classify(invocation, load, symbols.Apis),
            load.Api,
            load.Input.Syntax.ToString(),
            load.Source,
            load.Malformed[0].Name));
    }

    /// <summary>
    /// A call of a project method that parses stored data and lets the parser's exceptions out, made inside a try whose
    /// catch takes some of them but not all (<c>catch (JsonReaderException)</c> around a loader that calls
    /// <c>PopulateObject</c>): the caller meant to recover from a damaged file, and a wrong-typed value still escapes.
    /// Reported at the call; one level of calls is read.
    /// </summary>
    private void ReportNarrowCatchAroundLoader(IInvocationOperation call, OperationAnalysisContext context, LoadSymbols symbols, RuleScope scope)
    {
        var callee = call.TargetMethod.OriginalDefinition;
        if (callee.MethodKind != MethodKind.Ordinary || callee.IsAbstract || !SymbolEqualityComparer.Default.Equals(callee.ContainingAssembly, context.Compilation.Assembly)
            || !CatchCoverage.TakesAnyInFunction(call, symbols.Deserializers.IsMalformedInputException) || !scope.Includes(context))
        {
            return; // the cheap tests first: this runs for every call in a try
        }

        foreach (var (_, body) in SourceBodies.Of(callee, context.Compilation, context.CancellationToken))
        {
            foreach (var parse in body.Descendants().OfType<IInvocationOperation>())
            {
                // A parse in a lambda or local function of the callee (an event handler it subscribes) does not throw through the call.
                if (OperationTree.InnermostFunction(parse) is not null
                    || !symbols.Deserializers.TryMatch(parse, out var input, out var malformed, out var api) || input is null
                    || CatchCoverage.IsCaughtInFunction(parse, malformed) || !CatchCoverage.IsPartlyCaughtInFunction(call, malformed)
                    || StoredSource(parse, input, body, symbols) is not { } source
                    || CatchCoverage.IsCaught(call, context.ContainingSymbol, malformed, context.Compilation, context.CancellationToken))
                {
                    continue;
                }

                var load = new StoredLoad(input, malformed, api, body, source);
                context.ReportDiagnostic(DataHeldDiagnostic.Create(
                    Rule,
                    call.Syntax.GetLocation(),
                    ImmutableArray<Location>.Empty,
                    ImmutableDictionary<string, string?>.Empty,
                    LoadedData.Classify(parse, load, symbols.Apis),
                    $"{callee.ContainingType.Name}.{callee.Name} (through {api})",
                    input.Syntax.ToString(),
                    source,
                    malformed[0].Name + " (the catch here takes only part of it)"));
                return;
            }
        }
    }

    /// <summary>
    /// IXmlSerializable.ReadXml runs inside an XmlSerializer load, which wraps whatever it throws in the
    /// InvalidOperationException that load's catch takes: the load is judged, not the callback.
    /// </summary>
    private static bool IsXmlSerializableRead(ISymbol? containing)
        => containing is IMethodSymbol { Name: "ReadXml" } method
            && method.ContainingType.AllInterfaces.Any(i => i.Name == "IXmlSerializable" && SymbolNames.IsNamespace(i.ContainingNamespace, "System.Xml.Serialization"));

    /// <summary>An XML file read by hand through <c>XmlReader.Create</c> (see <see cref="HandReadXml"/>).</summary>
    private static StoredLoad? MatchHandReadXml(IInvocationOperation invocation, OperationAnalysisContext context, LoadSymbols symbols, RuleScope scope)
        => HandReadXml.Input(invocation, symbols.Apis, symbols.Deserializers) is { } input && !symbols.Deserializers.XmlMalformed.IsDefaultOrEmpty && scope.Includes(context)
            ? new StoredLoad(input, symbols.Deserializers.XmlMalformed, "XmlReader.Create", OperationTree.Root(invocation), StoredInput.File)
            : null;
}
