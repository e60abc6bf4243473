using CheckpointAudit.Catalog;
using CheckpointAudit.Knowledge;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace CheckpointAudit.Corruption;

/// <summary>
/// CKPT301: a deserializer parses data read from a file or the database, and no catch around it (in
/// the same function, or around every call of a private loader in the same file) handles the
/// exception that parser throws for malformed input. A single torn write or manual edit then makes
/// every later load throw: the application stops starting, or the state is silently replaced.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class UnguardedDeserializationAnalyzer : LoadRuleAnalyzer
{
    public UnguardedDeserializationAnalyzer()
        : base(RuleCatalog.UnguardedDeserialization, OperationKind.Invocation)
    {
    }

    private protected override void Analyze(OperationAnalysisContext context, LoadSymbols symbols, RuleScope scope)
    {
        var (apis, deserializers) = (symbols.Apis, symbols.Deserializers);
        var invocation = (IInvocationOperation)context.Operation;
        if (!deserializers.TryMatch(invocation, out var input, out var malformed, out var api) || input is null || !scope.Includes(context))
        {
            return;
        }

        var root = OperationTree.Root(invocation);
        var source = IsPathArgument(invocation) ? StoredInput.File : StoredInput.Source(input, root, apis);
        if (source is null || CatchCoverage.IsCaught(invocation, context.ContainingSymbol, malformed))
        {
            return;
        }

        context.ReportDiagnostic(Diagnostic.Create(
            Rule.Descriptor,
            invocation.Syntax.GetLocation(),
            api,
            input.Syntax.ToString(),
            source,
            malformed[0].Name));
    }

    /// <summary>XDocument.Load(path), XmlDocument.Load(filename): the parser reads the file itself.</summary>
    private static bool IsPathArgument(IInvocationOperation invocation)
        => invocation.TargetMethod.Name is "Load" or "LoadAsync"
            && invocation.Arguments.Length > 0
            && invocation.Arguments[0].Parameter is { Type.SpecialType: SpecialType.System_String, Name: "uri" or "filename" };
}
