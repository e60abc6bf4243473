using System.Collections.Generic;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace CheckpointAudit.Knowledge;

/// <summary>A database file a SQLite connection opens: the path expression, its provider, and whether its connections are pooled.</summary>
internal sealed class SqliteDataSource
{
    public SqliteDataSource(IOperation path, INamedTypeSymbol provider, bool pooled)
    {
        Path = path;
        Provider = provider;
        Pooled = pooled;
    }

    /// <summary>The expression that names the file (a hole of the connection string, the builder's DataSource value, a call's argument).</summary>
    public IOperation Path { get; }

    /// <summary>The provider's connection type: where ClearAllPools is.</summary>
    public INamedTypeSymbol Provider { get; }

    public bool Pooled { get; }
}

/// <summary>
/// Where a method body names the database file of a SQLite connection: the value after <c>Data Source=</c> (or
/// <c>DataSource=</c>, <c>Filename=</c>) in a connection string handed to a provider type or UseSqlite, or a builder's
/// <c>DataSource</c>.
/// Pooling as the provider decides it: Microsoft.Data.Sqlite pools (from 6.0, where ClearAllPools exists) unless told
/// <c>Pooling=False</c>; System.Data.SQLite pools only when told <c>Pooling=True</c>.
/// </summary>
internal sealed class SqliteDataSources
{
    private static readonly Regex DataSourceKey = new(@"(^|;)\s*(data\s*source|datasource|filename)\s*=\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
    private static readonly Regex PoolingOff = new(@"pooling\s*=\s*(false|no)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
    private static readonly Regex PoolingOn = new(@"pooling\s*=\s*(true|yes)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    private readonly SqliteSymbols _sqlite;
    private readonly INamedTypeSymbol? _microsoft;
    private readonly INamedTypeSymbol? _systemData;
    private readonly bool _microsoftPools;

    public SqliteDataSources(Compilation compilation, SqliteSymbols sqlite)
    {
        _sqlite = sqlite;
        _microsoft = KnownTypes.Get(compilation, "Microsoft.Data.Sqlite.SqliteConnection");
        _systemData = sqlite.SystemDataSqliteConnection;
        _microsoftPools = _microsoft is not null && !_microsoft.GetMembers("ClearAllPools").IsEmpty;
    }

    /// <summary>
    /// The data sources one operation names directly (nothing for most operations): a provider's constructor or
    /// builder, UseSqlite, a ConnectionString or DataSource assignment. A project method whose parameter becomes one is
    /// seen where the driver visits its body: its source's path is then that parameter.
    /// </summary>
    public IEnumerable<SqliteDataSource> Of(IOperation operation)
    {
        switch (operation)
        {
            case IObjectCreationOperation creation when _sqlite.TakesConnectionString(creation.Type):
                return FromArguments(creation.Arguments, ProviderOf(creation.Type));
            case IInvocationOperation call when _sqlite.IsUseSqlite(call.TargetMethod):
                return FromArguments(call.Arguments, _microsoft);
            case ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property.Name: "ConnectionString" } property } assignment
                when _sqlite.TakesConnectionString(property.Property.ContainingType) && FromConnectionString(assignment.Value, ProviderOf(property.Property.ContainingType)) is { } assigned:
                return [assigned];
            case ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property.Name: "DataSource" } property } assignment
                when _sqlite.TakesConnectionString(property.Property.ContainingType) && ProviderOf(property.Property.ContainingType) is { } builderProvider:
                return [new SqliteDataSource(assignment.Value, builderProvider, BuilderPooled(assignment, builderProvider))];
            default:
                return [];
        }
    }

    /// <summary>The data sources of the connection strings among a constructor's or UseSqlite's arguments.</summary>
    private IEnumerable<SqliteDataSource> FromArguments(System.Collections.Immutable.ImmutableArray<IArgumentOperation> arguments, INamedTypeSymbol? provider)
    {
        foreach (var argument in arguments)
        {
            if (argument.Parameter?.Type.SpecialType == SpecialType.System_String && FromConnectionString(argument.Value, provider) is { } source)
            {
                yield return source;
            }
        }
    }

    private INamedTypeSymbol? ProviderOf(ITypeSymbol? type)
        => _sqlite.IsSystemDataSqlite(type) ? _systemData : _microsoft;

    /// <summary>The path after "Data Source=" in an interpolated or concatenated connection string, through one local.</summary>
    private SqliteDataSource? FromConnectionString(IOperation value, INamedTypeSymbol? provider)
    {
        value = PathKey.Unwrap(value)!;
        if (value is ILocalReferenceOperation local)
        {
            value = PathKey.Unwrap(OperationTree.DeclaredValue(local.Local, OperationTree.Root(value)))!;
        }

        if (value is null || provider is null)
        {
            return null;
        }

        var parts = new List<IOperation>();
        Flatten(value, parts);
        var text = string.Empty;
        IOperation? path = null;
        foreach (var part in parts)
        {
            if (part.ConstantValue is { HasValue: true, Value: string constant })
            {
                text += constant;
            }
            else
            {
                if (path is null && DataSourceKey.IsMatch(text))
                {
                    path = part;
                }

                text += ";";
            }
        }

        return path is null ? null : new SqliteDataSource(path, provider, Pooled(provider, text));
    }

    private static void Flatten(IOperation value, List<IOperation> parts)
    {
        switch (PathKey.Unwrap(value))
        {
            case IInterpolatedStringOperation interpolated:
                foreach (var part in interpolated.Parts)
                {
                    switch (part)
                    {
                        case IInterpolatedStringTextOperation text:
                            parts.Add(text.Text);
                            break;
                        case IInterpolationOperation hole:
                            parts.Add(hole.Expression);
                            break;
                    }
                }

                break;
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Add } add when add.ConstantValue is not { HasValue: true }:
                Flatten(add.LeftOperand, parts);
                Flatten(add.RightOperand, parts);
                break;
            case { } other:
                parts.Add(other);
                break;
        }
    }

    private bool Pooled(INamedTypeSymbol provider, string text)
        => SymbolEqualityComparer.Default.Equals(provider, _systemData) ? PoolingOn.IsMatch(text) : _microsoftPools && !PoolingOff.IsMatch(text);

    /// <summary>A builder's pooling: its Pooling property set to a constant anywhere in the same body, else the provider's default.</summary>
    private bool BuilderPooled(IOperation assignment, INamedTypeSymbol provider)
    {
        foreach (var operation in OperationTree.Root(assignment).Descendants())
        {
            if (operation is ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property.Name: "Pooling" } pooling, Value.ConstantValue: { HasValue: true, Value: bool on } }
                && _sqlite.TakesConnectionString(pooling.Property.ContainingType))
            {
                return on && (_microsoftPools || SymbolEqualityComparer.Default.Equals(provider, _systemData));
            }
        }

        return Pooled(provider, string.Empty);
    }
}
