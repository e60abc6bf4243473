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
/// or <c>DateTime.Today</c> whose value — directly, formatted, shifted (AddDays, a TimeSpan added) or through a
/// local — is stored: assigned to (or the initial value of) a serialized member of a persisted model, or passed
/// as a database parameter value (AddWithValue, IDataParameter.Value). Comparisons, logging and display stay
/// quiet, and so does a value converted with ToUniversalTime. Reported on the DateTime.Now/Today expression.
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
        var dataParameter = start.Compilation.GetTypeByMetadataName("System.Data.IDataParameter");
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

                foreach (var sink in Sinks(clock, dateTime, dataParameter))
                {
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

    private readonly struct Sink
    {
        public Sink(string where, ISymbol? member)
        {
            Where = where;
            Member = member;
        }

        /// <summary>For a database value: how the message names it.</summary>
        public string Where { get; }

        /// <summary>The model member it is assigned to (judged at compilation end), or null for a database value.</summary>
        public ISymbol? Member { get; }
    }

    /// <summary>Where the clock's value ends up, following it through formatting, arithmetic and one local.</summary>
    private static IEnumerable<Sink> Sinks(IOperation value, INamedTypeSymbol dateTime, INamedTypeSymbol? dataParameter, bool throughLocal = false)
    {
        var current = value;
        while (current.Parent is { } parent)
        {
            switch (parent)
            {
                case IConversionOperation or IParenthesizedOperation:
                    current = parent;
                    continue;
                case IInvocationOperation call when call.Instance == current && SymbolEqualityComparer.Default.Equals(call.TargetMethod.ContainingType, dateTime):
                    if (call.TargetMethod.Name is "ToUniversalTime")
                    {
                        yield break;
                    }

                    current = parent;
                    continue;
                case IPropertyReferenceOperation member when member.Instance == current && SymbolEqualityComparer.Default.Equals(member.Property.ContainingType, dateTime)
                    && SymbolEqualityComparer.Default.Equals(member.Type, dateTime):
                    current = parent; // .Date
                    continue;
                case IBinaryOperation arithmetic when SymbolEqualityComparer.Default.Equals(arithmetic.Type, dateTime):
                    current = parent; // Now - TimeSpan, Now + TimeSpan
                    continue;
                case IArgumentOperation { Parameter.Ordinal: 1, Parent: IInvocationOperation { TargetMethod.Name: "AddWithValue" } add }:
                    var name = add.Arguments.FirstOrDefault(a => a.Parameter?.Ordinal == 0)?.Value.ConstantValue.Value as string;
                    yield return new Sink(name is null ? "as a database value" : $"as the database value '{name}'", null);
                    yield break;
                case ISimpleAssignmentOperation assignment when assignment.Value == current:
                    switch (assignment.Target)
                    {
                        case IPropertyReferenceOperation { Property.Name: "Value" } parameter when dataParameter is not null
                            && parameter.Property.ContainingType.AllInterfaces.Contains(dataParameter, SymbolEqualityComparer.Default):
                            yield return new Sink("as a database value", null);
                            break;
                        case IPropertyReferenceOperation property:
                            yield return new Sink(string.Empty, property.Property);
                            break;
                        case IFieldReferenceOperation field:
                            yield return new Sink(string.Empty, field.Field);
                            break;
                        case ILocalReferenceOperation local when !throughLocal:
                            foreach (var sink in LocalSinks(local.Local, assignment, dateTime, dataParameter))
                            {
                                yield return sink;
                            }

                            break;
                    }

                    yield break;
                case IPropertyInitializerOperation initializer:
                    foreach (var property in initializer.InitializedProperties)
                    {
                        yield return new Sink(string.Empty, property);
                    }

                    yield break;
                case IFieldInitializerOperation initializer:
                    foreach (var field in initializer.InitializedFields)
                    {
                        yield return new Sink(string.Empty, field);
                    }

                    yield break;
                case IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator } when !throughLocal:
                    foreach (var sink in LocalSinks(declarator.Symbol, declarator, dateTime, dataParameter))
                    {
                        yield return sink;
                    }

                    yield break;
                default:
                    yield break;
            }
        }
    }

    /// <summary>The sinks of every read of a local the clock's value was put in (one level).</summary>
    private static IEnumerable<Sink> LocalSinks(ILocalSymbol local, IOperation declaration, INamedTypeSymbol dateTime, INamedTypeSymbol? dataParameter)
    {
        foreach (var read in OperationTree.Root(declaration).Descendants().OfType<ILocalReferenceOperation>())
        {
            if (SymbolEqualityComparer.Default.Equals(read.Local, local) && !(read.Parent is ISimpleAssignmentOperation assignment && assignment.Target == read))
            {
                foreach (var sink in Sinks(read, dateTime, dataParameter, throughLocal: true))
                {
                    yield return sink;
                }
            }
        }
    }
}
