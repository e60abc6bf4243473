using System.Collections.Immutable;
using System.Text.RegularExpressions;
using CheckpointAudit.Catalog;
using CheckpointAudit.Knowledge;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace CheckpointAudit.Concurrency;

/// <summary>
/// CKPT603: a SQLite connection in shared-cache mode — <c>Cache=Shared</c> in a constant connection string
/// given to SqliteConnection / SQLiteConnection / UseSqlite / a connection string builder, or
/// <c>Cache = SqliteCacheMode.Shared</c> on Microsoft.Data.Sqlite's builder. In-memory databases shared by
/// name (<c>Mode=Memory;Cache=Shared</c>) are exempt: sharing one in-memory database between connections is
/// what shared cache is for there. Nothing is registered when no SQLite provider is referenced.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class SqliteSharedCacheAnalyzer : DiagnosticAnalyzer
{
    private static readonly RuleDefinition Rule = RuleCatalog.SqliteSharedCache;

    private static readonly Regex SharedCache = new(@"(^|;)\s*cache\s*=\s*shared\s*(;|$)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
    private static readonly Regex InMemory = new(@"mode\s*=\s*memory|:memory:", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Rule.Descriptor);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            var compilation = start.Compilation;
            var cacheMode = compilation.GetTypeByMetadataName("Microsoft.Data.Sqlite.SqliteCacheMode");
            var consumers = ImmutableArray.Create(
                compilation.GetTypeByMetadataName("Microsoft.Data.Sqlite.SqliteConnection"),
                compilation.GetTypeByMetadataName("Microsoft.Data.Sqlite.SqliteConnectionStringBuilder"),
                compilation.GetTypeByMetadataName("System.Data.SQLite.SQLiteConnection"),
                compilation.GetTypeByMetadataName("System.Data.SQLite.SQLiteConnectionStringBuilder")).RemoveAll(t => t is null);
            if (consumers.IsEmpty)
            {
                return;
            }

            var options = new CheckpointAuditOptions(start.Options.AnalyzerConfigOptionsProvider, compilation);
            start.RegisterOperationAction(
                c =>
                {
                    // The connection string literal wherever it is handed to a SQLite type: ctor or UseSqlite argument, ConnectionString property.
                    var literal = (ILiteralOperation)c.Operation;
                    if (literal.ConstantValue is { HasValue: true, Value: string text } && SharedCache.IsMatch(text) && !InMemory.IsMatch(text)
                        && GoesToSqlite(literal, consumers) && options.IsAnalyzed(literal.Syntax.SyntaxTree))
                    {
                        c.ReportDiagnostic(Diagnostic.Create(Rule.Descriptor, literal.Syntax.GetLocation(), "'Cache=Shared' in the connection string"));
                    }
                },
                OperationKind.Literal);
            if (cacheMode is not null)
            {
                start.RegisterOperationAction(
                    c =>
                    {
                        var field = (IFieldReferenceOperation)c.Operation;
                        if (field.Field.Name == "Shared" && SymbolEqualityComparer.Default.Equals(field.Field.ContainingType, cacheMode)
                            && options.IsAnalyzed(field.Syntax.SyntaxTree))
                        {
                            c.ReportDiagnostic(Diagnostic.Create(Rule.Descriptor, field.Syntax.GetLocation(), "SqliteCacheMode.Shared"));
                        }
                    },
                    OperationKind.FieldReference);
            }
        });
    }

    /// <summary>The literal is (part of) an argument of a SQLite connection type or UseSqlite, or assigned to its ConnectionString; through a local or constant, as far as this body shows.</summary>
    private static bool GoesToSqlite(IOperation literal, ImmutableArray<INamedTypeSymbol?> consumers)
    {
        for (var value = literal.Parent; value is not null; value = value.Parent)
        {
            switch (value)
            {
                case IArgumentOperation { Parent: IObjectCreationOperation { Type: { } created } }:
                    return consumers.Contains(created as INamedTypeSymbol, SymbolEqualityComparer.Default);
                case IArgumentOperation { Parent: IInvocationOperation call }:
                    return call.TargetMethod.Name == "UseSqlite";
                case ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property.Name: "ConnectionString" } property }:
                    return consumers.Contains(property.Property.ContainingType, SymbolEqualityComparer.Default);
                case IVariableInitializerOperation or IFieldInitializerOperation:
                    // const string ConnectionString = "...;Cache=Shared": a connection string kept for later.
                    return true;
                case IBlockOperation or IExpressionStatementOperation:
                    return false;
            }
        }

        return false;
    }
}
