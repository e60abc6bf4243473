using System.Collections.Immutable;
using System.Linq;
using System.Text.RegularExpressions;
using CheckpointAudit.Catalog;
using CheckpointAudit.Checks;
using CheckpointAudit.Knowledge;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace CheckpointAudit.Concurrency;

/// <summary>
/// CKPT603: a SQLite connection in shared-cache mode — <c>Cache=Shared</c> in a constant connection string
/// (a literal, a constant, or the constant parts of an interpolation or concatenation, through locals and either
/// branch of a conditional) given to SqliteConnection /
/// SQLiteConnection / a connection string builder / UseSqlite, or assigned to their ConnectionString, or
/// <c>Cache = SqliteCacheMode.Shared</c> on Microsoft.Data.Sqlite's builder. In-memory databases shared by
/// name (<c>Mode=Memory;Cache=Shared</c>) are exempt: sharing one in-memory database between connections is
/// what shared cache is for there. Nothing is registered when no SQLite provider is referenced.
/// </summary>
public sealed class SqliteSharedCacheCheck : SqliteRuleCheck
{
    private static readonly Regex SharedCache = new(@"(^|;)\s*cache\s*=\s*shared\s*(;|$)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
    private static readonly Regex InMemory = new(@"mode\s*=\s*memory|:memory:", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    public SqliteSharedCacheCheck()
        : base(RuleCatalog.SqliteSharedCache)
    {
    }

    private protected override void Register(CheckStart start, SqliteSymbols sqlite, CheckpointAuditOptions options)
    {
        // The connection string where it is handed to a SQLite type: a constructor or UseSqlite argument, or the ConnectionString property.
        start.RegisterOperationAction(
            c =>
            {
                var creation = (IObjectCreationOperation)c.Operation;
                if (IsHandOff(creation, sqlite))
                {
                    CheckArguments(c, creation.Arguments, options);
                }
            },
            OperationKind.ObjectCreation);
        start.RegisterOperationAction(
            c =>
            {
                var call = (IInvocationOperation)c.Operation;
                if (IsHandOff(call, sqlite))
                {
                    CheckArguments(c, call.Arguments, options);
                }
            },
            OperationKind.Invocation);
        start.RegisterOperationAction(
            c =>
            {
                var assignment = (ISimpleAssignmentOperation)c.Operation;
                if (IsHandOff(assignment, sqlite))
                {
                    Check(c, assignment.Value, options);
                }

                // Cache = SqliteCacheMode.Shared on the builder.
                if (sqlite.CacheMode is { } cacheMode && PathKey.Unwrap(assignment.Value) is IFieldReferenceOperation { Field.Name: "Shared" } field
                    && SymbolEqualityComparer.Default.Equals(field.Field.ContainingType, cacheMode) && options.IsAnalyzed(field.Syntax.SyntaxTree)
                    && !DesignTimeCode.Contains(c.ContainingSymbol))
                {
                    c.ReportDiagnostic(Diagnostic.Create(Rule.Descriptor, field.Syntax.GetLocation(), "SqliteCacheMode.Shared"));
                }
            },
            OperationKind.SimpleAssignment);

        // A connection string by its own text ("Data Source=…;Cache=…") built in a method that hands no connection string
        // to SQLite itself: kept in a dictionary or passed to the project's own registration helper.
        start.RegisterOperationAction(
            c =>
            {
                // A literal's own text (numbers and text parts of an interpolation are not strings here), or an interpolation's.
                var text = c.Operation switch
                {
                    ILiteralOperation { ConstantValue: { HasValue: true, Value: string literal }, Parent: not (IInterpolatedStringTextOperation or IInterpolationOperation) } => literal,
                    IInterpolatedStringOperation { Parent: not IInterpolationOperation } interpolated => interpolated.Syntax.ToString(),
                    _ => null,
                };
                if (text is null || text.IndexOf("cache", System.StringComparison.OrdinalIgnoreCase) < 0 || text.IndexOf("data source", System.StringComparison.OrdinalIgnoreCase) < 0
                    || HandsToSqlite(OperationTree.Root(c.Operation), sqlite))
                {
                    return;
                }

                Check(c, c.Operation, options);
            },
            OperationKind.InterpolatedString,
            OperationKind.Literal);
    }

    /// <summary>
    /// Where a connection string is handed to SQLite: a SQLite connection or builder created with it, UseSqlite, or an
    /// assignment to their ConnectionString.
    /// </summary>
    private static bool IsHandOff(IOperation operation, SqliteSymbols sqlite) => operation switch
    {
        IObjectCreationOperation creation => sqlite.TakesConnectionString(creation.Type),
        IInvocationOperation call => sqlite.IsUseSqlite(call.TargetMethod),
        ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property.Name: "ConnectionString" } property } => sqlite.TakesConnectionString(property.Property.ContainingType),
        _ => false,
    };

    /// <summary>The body hands a connection string to SQLite somewhere: the checks above see its strings there.</summary>
    private static bool HandsToSqlite(IOperation root, SqliteSymbols sqlite)
        => root is not (IMethodBodyOperation or IConstructorBodyOperation or IBlockOperation) || root.Descendants().Any(o => IsHandOff(o, sqlite));

    private void CheckArguments(OperationAnalysisContext context, ImmutableArray<IArgumentOperation> arguments, CheckpointAuditOptions options)
    {
        foreach (var argument in arguments)
        {
            if (argument.Parameter?.Type.SpecialType == SpecialType.System_String)
            {
                Check(context, argument.Value, options);
            }
        }
    }

    /// <summary>A connection string whose constant text asks for a shared cache.</summary>
    private void Check(OperationAnalysisContext context, IOperation value, CheckpointAuditOptions options)
    {
        // A design-time factory's connection serves `dotnet ef`, not the running program.
        if (DesignTimeCode.Contains(context.ContainingSymbol))
        {
            return;
        }

        // Any text the value can have: a local's value, either branch of a conditional ("Shared" unless a flag is set).
        foreach (var text in SqliteSymbols.ConstantTextVariants(value))
        {
            if (text.IndexOf("shared", System.StringComparison.OrdinalIgnoreCase) >= 0
                && SharedCache.IsMatch(text) && !InMemory.IsMatch(text) && options.IsAnalyzed(value.Syntax.SyntaxTree))
            {
                context.ReportDiagnostic(Diagnostic.Create(Rule.Descriptor, value.Syntax.GetLocation(), "'Cache=Shared' in the connection string"));
                return;
            }
        }
    }
}
