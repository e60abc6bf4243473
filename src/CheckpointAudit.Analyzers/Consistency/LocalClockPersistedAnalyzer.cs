using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using CheckpointAudit.Catalog;
using CheckpointAudit.Knowledge;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace CheckpointAudit.Consistency;

/// <summary>
/// CKPT502 (compilation end: whether a member is persisted depends on every serializer call): <c>DateTime.Now</c>
/// or <c>DateTime.Today</c> whose value (followed by <see cref="StoredValueFlow"/>: formatted, shifted, through a
/// local or a return) is stored: assigned to (or the initial value of) a serialized member of a persisted model,
/// or passed as a database parameter value. Comparisons, logging and display stay quiet, and so does a value
/// converted with ToUniversalTime. Reported on the DateTime.Now/Today expression.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class LocalClockPersistedAnalyzer : RuleAnalyzer
{
    public LocalClockPersistedAnalyzer()
        : base(RuleCatalog.LocalClockPersisted)
    {
    }

    private protected override void OnCompilationStart(CompilationStartAnalysisContext start)
    {
        var dateTime = start.Compilation.GetSpecialType(SpecialType.System_DateTime);
        if (dateTime.TypeKind == TypeKind.Error)
        {
            return;
        }

        var options = OptionsOf(start.Compilation, start.Options);
        var flow = new StoredValueFlow(start.Compilation);
        var models = PersistedModels.For(start.Compilation);
        var roots = models is null ? null : SchemaRuleAnalyzer.CollectRoots(start, models, options);
        var storedInMembers = new ConcurrentBag<(IPropertyReferenceOperation Clock, ISymbol Member)>();
        start.RegisterOperationAction(
            c =>
            {
                var clock = (IPropertyReferenceOperation)c.Operation;
                if (clock.Instance is not null || clock.Property.Name is not ("Now" or "Today")
                    || !SymbolEqualityComparer.Default.Equals(clock.Property.ContainingType, dateTime) || !options.IsAnalyzed(c.Operation.Syntax.SyntaxTree))
                {
                    return;
                }

                foreach (var sink in flow.Sinks(clock, EndsAsTimestamp))
                {
                    // A local date in a file name (a log per day) names a file; it is not a stored timestamp.
                    if (sink.Member is null && !sink.Where.Contains("database"))
                    {
                        continue;
                    }

                    if (sink.Member is null)
                    {
                        c.ReportDiagnostic(Diagnostic.Create(Rule.Descriptor, clock.Syntax.GetLocation(), "DateTime." + clock.Property.Name, sink.Where));
                        return;
                    }

                    storedInMembers.Add((clock, sink.Member));
                }
            },
            OperationKind.PropertyReference);
        start.RegisterCompilationEndAction(end =>
        {
            if (roots is null || storedInMembers.IsEmpty)
            {
                return;
            }

            var persisted = SerializedMembers.ReachableTypes(roots.Select(r => r.Model).Distinct(SymbolEqualityComparer.Default).Cast<INamedTypeSymbol>());
            foreach (var group in storedInMembers.GroupBy(s => s.Clock.Syntax))
            {
                var (clock, member) = group.First();
                if (persisted.Contains(member.ContainingType.OriginalDefinition) && SerializedMembers.IsSerialized(member, dataContract: false))
                {
                    end.ReportDiagnostic(Diagnostic.Create(Rule.Descriptor, clock.Syntax.GetLocation(), "DateTime." + clock.Property.Name, $"in '{member.ContainingType.Name}.{member.Name}'"));
                }
            }
        });
    }

    /// <summary>
    /// Where the value stops being a local timestamp: converted to UTC, or made part of a longer text (a folder
    /// or export name built from the time is a name, not a stored time).
    /// </summary>
    private static bool EndsAsTimestamp(IOperation parent)
        => parent is IInvocationOperation { TargetMethod.Name: "ToUniversalTime" or "ToFileTimeUtc" }
            or IInterpolationOperation
            or IBinaryOperation { Type.SpecialType: SpecialType.System_String };
}
