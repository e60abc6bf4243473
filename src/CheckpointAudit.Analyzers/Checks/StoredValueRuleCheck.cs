using System.Collections.Generic;
using System;
using System.Collections.Concurrent;
using System.Linq;
using CheckpointAudit.Catalog;
using CheckpointAudit.Knowledge;
using Microsoft.CodeAnalysis;

namespace CheckpointAudit.Checks;

/// <summary>
/// Base of the rules about a value that must not be kept (CKPT501, CKPT502): the subclass recognises the
/// operation that produces it; this base follows it with <see cref="StoredValueFlow"/> and reports where it is kept.
/// A database value, file name or cache key is reported at once; a member only at compilation end, and only when
/// a persisted model reaches it or it is a property of an EF Core entity (a column). The message takes the source's name and where it is kept.
/// </summary>
public abstract class StoredValueRuleCheck : RuleCheck
{
    private protected StoredValueRuleCheck(RuleDefinition rule)
        : base(rule)
    {
    }

    /// <summary>The kind of operation that can produce the value.</summary>
    private protected abstract OperationKind SourceKind { get; }

    /// <summary>For one compilation: names an operation that produces the value (null for others); null when the compilation cannot produce it.</summary>
    private protected abstract Func<IOperation, string?>? SourceMatcher(Compilation compilation);

    /// <summary>Where the value stops being what the rule is about (converted, made part of something else).</summary>
    private protected virtual bool Stops(IOperation parent) => false;

    /// <summary>Whether keeping the value in this kind of place is what the rule reports.</summary>
    private protected virtual bool Counts(SinkKind kind) => true;

    /// <summary>
    /// Whether a member that holds the value is a place the rule reports: <paramref name="column"/> when it is an EF
    /// Core entity's property (a database column), else a member of a model a serializer writes.
    /// </summary>
    private protected virtual bool CountsMember(ISymbol member, bool column) => true;

    private protected sealed override void OnCompilationStart(CheckStart start)
    {
        if (SourceMatcher(start.Compilation) is not { } source)
        {
            return;
        }

        var options = OptionsOf(start.Compilation, start.Options);
        var flow = new StoredValueFlow(start.Compilation);
        var models = PersistedModels.For(start.Compilation);
        var roots = models is null ? null : SchemaRuleCheck.CollectRoots(start, models, options);
        var storedInMembers = new ConcurrentBag<(IOperation Source, string Name, ISymbol Member)>();
        start.RegisterOperationAction(
            c =>
            {
                if (source(c.Operation) is not { } name || !options.IsAnalyzed(c.Operation.Syntax.SyntaxTree))
                {
                    return;
                }

                foreach (var sink in flow.Sinks(c.Operation, Stops))
                {
                    if (!Counts(sink.Kind))
                    {
                        continue;
                    }

                    if (sink.Member is null)
                    {
                        c.ReportDiagnostic(Diagnostic.Create(Rule.Descriptor, c.Operation.Syntax.GetLocation(), name, sink.Where));
                        return;
                    }

                    storedInMembers.Add((c.Operation, name, sink.Member));
                }
            },
            SourceKind);
        start.RegisterCompilationEndAction(end =>
        {
            if (storedInMembers.IsEmpty)
            {
                return;
            }

            var persisted = roots is null
                ? new HashSet<INamedTypeSymbol>(SymbolEqualityComparer.Default)
                : SerializedMembers.ReachableTypes(roots.Select(r => r.Model).Distinct(SymbolEqualityComparer.Default).Cast<INamedTypeSymbol>());
            var entities = EfCoreEntities.Of(end.Compilation, end.CancellationToken);
            var handMapped = new Dictionary<INamedTypeSymbol, HashSet<ISymbol>>(SymbolEqualityComparer.Default);
            bool HandMapped(ISymbol member)
            {
                var type = member.ContainingType.OriginalDefinition;
                if (!handMapped.TryGetValue(type, out var mapped))
                {
                    mapped = HandMappedMembers.Of(type, end.Compilation, end.CancellationToken);
                    handMapped.Add(type, mapped);
                }

                return mapped.Contains(member.OriginalDefinition);
            }

            foreach (var group in storedInMembers.GroupBy(s => s.Source.Syntax))
            {
                // Reported once per source, for the first member it reaches that a persisted model or an EF Core entity stores.
                foreach (var (value, name, member) in group)
                {
                    var type = member.ContainingType.OriginalDefinition;
                    var column = entities.Contains(type) && member is IPropertySymbol { IsStatic: false, SetMethod: not null };
                    if (((column || persisted.Contains(type)) && SerializedMembers.IsSerialized(member, dataContract: false)
                            || HandMapped(member))
                        && CountsMember(member, column))
                    {
                        end.ReportDiagnostic(Diagnostic.Create(Rule.Descriptor, value.Syntax.GetLocation(), name, $"in '{member.ContainingType.Name}.{member.Name}'"));
                        break;
                    }
                }
            }
        });
    }
}
