using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using CheckpointAudit.Catalog;
using CheckpointAudit.Checks;
using CheckpointAudit.Knowledge;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace CheckpointAudit.Schema;

/// <summary>
/// CKPT102 (MEDIUM, compilation end: a comparison may be anywhere in the project): a model with a schema
/// version member is loaded from a file or the database, and no code reads that member in a comparison
/// (==, &lt;, ..., a switch, an is-pattern), passes it to one of the project's methods (a migration helper)
/// or to CompareTo/Equals, or copies it into a local. Reported at the load. A call of the project's own loader that
/// hands the model out (returned, or through an out parameter) is a load too, where a stamp of the writing program's
/// release counts as the version.
/// </summary>
public sealed class VersionNeverCheckedCheck : SchemaRuleCheck
{
    public VersionNeverCheckedCheck()
        : base(RuleCatalog.VersionNeverChecked)
    {
    }

    private protected override void Register(CheckStart start, PersistedModels models, CheckpointAuditOptions options)
    {
        var loads = new ConcurrentBag<(Location Location, INamedTypeSymbol Model, ISymbol Member)>();
        var loaderCalls = new ConcurrentBag<(Location Location, INamedTypeSymbol Model, ISymbol Member, IMethodSymbol Loader)>();
        var loaders = ProjectLoaders.For(start.Compilation);
        start.RegisterOperationAction(
            c =>
            {
                var tree = c.Operation.Syntax.SyntaxTree;
                var invocation = (IInvocationOperation)c.Operation;
                if (models.Match(invocation) is { IsSave: false } evidence && options.IsAnalyzed(tree))
                {
                    foreach (var model in evidence.Models)
                    {
                        if (SchemaVersionMember.Find(model, options.SchemaVersionMembers(tree)) is { } member)
                        {
                            loads.Add((c.Operation.Syntax.GetLocation(), model, member));
                        }
                    }
                }
                else if (loaders.Loaded(invocation, c.CancellationToken) is { Count: > 0 } loaded && options.IsAnalyzed(tree))
                {
                    // A loader of the project hands the model here, where it is used: the release it was written by
                    // (a stamp of the writing program's version) counts as its version too.
                    var names = options.SchemaVersionMembers(tree);
                    var ownLoader = SymbolEqualityComparer.Default.Equals(invocation.TargetMethod.ContainingAssembly, c.Compilation.Assembly);
                    foreach (var model in loaded)
                    {
                        var named = SchemaVersionMember.Find(model, names);

                        // A member known by its name is already reported at the loader's own parse in this project. A
                        // release stamp is judged where the model is used: not in a loader that hands it on in turn
                        // (TryLoad calling its own Deserialize), nor where it is kept in a field or property, which
                        // code anywhere, in other projects too, may compare.
                        if ((ownLoader && named is not null)
                            || (named is null && (HandsOn(c.ContainingSymbol, model, loaders, c.CancellationToken) || KeptInMember(invocation)))
                            || SchemaVersionMember.Find(model, names, c.Compilation) is not { } member)
                        {
                            continue;
                        }

                        loaderCalls.Add((c.Operation.Syntax.GetLocation(), model, member, invocation.TargetMethod.OriginalDefinition));
                    }
                }
            },
            OperationKind.Invocation);
        start.RegisterCompilationEndAction(end =>
        {
            // Loads of versioned models are rare: only their version members are searched for, in the files that name them.
            var answers = new Dictionary<ISymbol, bool>(SymbolEqualityComparer.Default);

            // A loader of the project called in many places misses one check: reported at its first call in source order.
            var firstCalls = loaderCalls
                .GroupBy(call => (call.Loader, Member: call.Member.OriginalDefinition), LoaderAndMember.Instance)
                .Select(group => group.OrderBy(call => call.Location.SourceTree?.FilePath, System.StringComparer.Ordinal).ThenBy(call => call.Location.SourceSpan.Start).First())
                .Select(call => (call.Location, call.Model, call.Member));
            foreach (var load in loads.Concat(firstCalls))
            {
                var member = load.Member.OriginalDefinition;
                if (!answers.TryGetValue(member, out var isChecked))
                {
                    isChecked = VersionChecks.IsCheckedAnywhere(member, end.Compilation, end.CancellationToken);
                    answers.Add(member, isChecked);
                }

                if (!isChecked)
                {
                    end.ReportDiagnostic(Diagnostic.Create(Rule.Descriptor, load.Location, load.Model.Name, load.Member.Name));
                }
            }
        });
    }

    /// <summary>The method the call is in loads the same model and hands it out: its own callers judge it.</summary>
    private static bool HandsOn(ISymbol? containing, INamedTypeSymbol model, ProjectLoaders loaders, System.Threading.CancellationToken cancellationToken)
        => containing is IMethodSymbol method && loaders.LoadedBy(method, cancellationToken).Any(m => SymbolEqualityComparer.Default.Equals(m, model));

    /// <summary>The loaded model goes into a field or property (returned and assigned, or an <c>out</c> argument).</summary>
    private static bool KeptInMember(IInvocationOperation call)
    {
        IOperation value = call;
        while (value.Parent is IConversionOperation or IParenthesizedOperation)
        {
            value = value.Parent;
        }

        return value.Parent is ISimpleAssignmentOperation { Target: IMemberReferenceOperation } assignment && assignment.Value == value
            || call.Arguments.Any(a => a.Parameter?.RefKind == RefKind.Out && PathKey.Unwrap(a.Value) is IMemberReferenceOperation);
    }

    private sealed class LoaderAndMember : IEqualityComparer<(IMethodSymbol Loader, ISymbol Member)>
    {
        public static readonly LoaderAndMember Instance = new();

        public bool Equals((IMethodSymbol Loader, ISymbol Member) x, (IMethodSymbol Loader, ISymbol Member) y)
            => SymbolEqualityComparer.Default.Equals(x.Loader, y.Loader) && SymbolEqualityComparer.Default.Equals(x.Member, y.Member);

        public int GetHashCode((IMethodSymbol Loader, ISymbol Member) obj)
            => (SymbolEqualityComparer.Default.GetHashCode(obj.Loader) * 397) ^ SymbolEqualityComparer.Default.GetHashCode(obj.Member);
    }
}
