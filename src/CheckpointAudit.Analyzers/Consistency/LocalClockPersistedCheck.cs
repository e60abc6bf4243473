using System;
using CheckpointAudit.Catalog;
using CheckpointAudit.Checks;
using CheckpointAudit.Knowledge;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace CheckpointAudit.Consistency;

/// <summary>
/// CKPT502 (compilation end: whether a member is persisted depends on every serializer call): <c>DateTime.Now</c>
/// or <c>DateTime.Today</c> whose value (followed by <see cref="StoredValueFlow"/>: formatted, shifted, through a
/// local or a return) is stored: assigned to (or the initial value of) a serialized member of a persisted model,
/// or passed as a database parameter value. Comparisons, logging and display stay quiet, and so does a value
/// converted with ToUniversalTime, a component taken from it (a year, a day), and a member whose type keeps a UTC twin
/// (<c>Created</c> beside <c>CreatedUtc</c>). Reported on the DateTime.Now/Today expression.
/// </summary>
public sealed class LocalClockPersistedCheck : StoredValueRuleCheck
{
    public LocalClockPersistedCheck()
        : base(RuleCatalog.LocalClockPersisted)
    {
    }

    private protected override OperationKind SourceKind => OperationKind.PropertyReference;

    private protected override Func<IOperation, string?>? SourceMatcher(Compilation compilation)
    {
        var dateTime = compilation.GetSpecialType(SpecialType.System_DateTime);
        if (dateTime.TypeKind == TypeKind.Error)
        {
            return null;
        }

        return operation => operation is IPropertyReferenceOperation { Instance: null, Property.Name: "Now" or "Today" } clock
            && SymbolEqualityComparer.Default.Equals(clock.Property.ContainingType, dateTime)
                ? "DateTime." + clock.Property.Name
                : null;
    }

    /// <summary>
    /// Where the value stops being a local timestamp: converted to UTC, or made part of a longer text (a folder
    /// or export name built from the time is a name, not a stored time).
    /// </summary>
    private protected override bool Stops(IOperation parent)
        => parent is IInvocationOperation { TargetMethod.Name: "ToUniversalTime" or "ToFileTimeUtc" }
            or IInterpolationOperation
            or IBinaryOperation { Type.SpecialType: SpecialType.System_String }
            or IPropertyReferenceOperation
            {
                Property.Name: "Year" or "Month" or "Day" or "DayOfWeek" or "DayOfYear" or "Hour" or "Minute" or "Second" or "Millisecond" or "TimeOfDay",
                Instance.Type.SpecialType: SpecialType.System_DateTime,
            };

    /// <summary>
    /// A DateTime or DateTimeOffset member of a serialized model keeps its offset: System.Text.Json, Newtonsoft.Json,
    /// XmlSerializer and DataContractSerializer write a local time with its UTC offset and read the same instant back.
    /// What loses the offset is a database column (EF Core, SQLite stores the text without it) and a time formatted
    /// into a string member.
    /// </summary>
    private protected override bool CountsMember(ISymbol member, bool column)
    {
        var type = TypeRelations.StoredType(member);
        return (column || type is not ({ SpecialType: SpecialType.System_DateTime } or { Name: "DateTimeOffset", ContainingNamespace.Name: "System" }))
            && !HasUtcTwin(member);
    }

    /// <summary>
    /// The type keeps the same time in UTC beside it (<c>Created</c> and <c>CreatedUtc</c>): the local member is for
    /// display, and orderings and durations use the UTC one.
    /// </summary>
    private static bool HasUtcTwin(ISymbol member)
    {
        for (var type = member.ContainingType; type is not null; type = type.BaseType)
        {
            foreach (var twin in type.GetMembers())
            {
                if (twin.Name.Length == member.Name.Length + 3 && twin.Name.StartsWith(member.Name, StringComparison.Ordinal)
                    && twin.Name.EndsWith("Utc", StringComparison.OrdinalIgnoreCase) && twin is IPropertySymbol or IFieldSymbol
                    && TypeRelations.StoredType(twin) is { SpecialType: SpecialType.System_DateTime } or { Name: "DateTimeOffset" })
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>Stored timestamps: members, database values and document values (a local date in a file name names a file).</summary>
    private protected override bool Counts(SinkKind kind) => kind is SinkKind.Member or SinkKind.Database or SinkKind.Document;
}
