using System.Collections.Immutable;
using CheckpointAudit.Catalog;
using CheckpointAudit.Knowledge;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace CheckpointAudit.Checks;

/// <summary>
/// Base of the analyzers that look at file-system calls: one rule, operation actions of the given
/// kinds, nothing registered when System.IO.File is absent, generated code skipped.
/// </summary>
public abstract class FileRuleCheck : RuleCheck
{
    private readonly ImmutableArray<OperationKind> _kinds;

    private protected FileRuleCheck(RuleDefinition rule, params OperationKind[] kinds)
        : base(rule)
    {
        _kinds = ImmutableArray.Create(kinds);
    }

    private protected sealed override void OnCompilationStart(CheckStart start)
    {
        var apis = FileApiSymbols.Create(start.Compilation);
        if (apis is null || !AppliesTo(start.Compilation))
        {
            return;
        }

        var scope = new RuleScope(OptionsOf(start.Compilation, start.Options));
        start.RegisterOperationAction(c => Analyze(c, apis, scope), _kinds);
    }

    /// <summary>Whether the rule can apply to this compilation at all (e.g. not to Windows-only code).</summary>
    private protected virtual bool AppliesTo(Compilation compilation) => true;

    /// <summary>Called for every operation of the registered kinds; check <see cref="RuleScope.Includes"/> after the cheap match.</summary>
    private protected abstract void Analyze(OperationAnalysisContext context, FileApiSymbols apis, RuleScope scope);
}

/// <summary>Where a rule applies: not in test projects (unless asked) and not inside the user's atomic-write methods.</summary>
internal sealed class RuleScope(CheckpointAuditOptions options)
{
    public bool Includes(OperationAnalysisContext context) => IncludesMember(context.ContainingSymbol, context.Operation.Syntax.SyntaxTree);

    /// <summary>For code another operation leads to (a caller of the analyzed method in the same file).</summary>
    public bool IncludesMember(ISymbol? member, SyntaxTree tree)
        => options.IsAnalyzed(tree) && !AtomicWriteMethods.Contains(member, options.AtomicWriteMethods(tree));
}
