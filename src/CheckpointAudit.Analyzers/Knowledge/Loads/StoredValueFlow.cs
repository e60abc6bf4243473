using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace CheckpointAudit.Knowledge;

/// <summary>The kinds of place a value can be kept in.</summary>
internal enum SinkKind
{
    /// <summary>A field or property: stored only if its type is persisted (decided at compilation end).</summary>
    Member,
    Database,
    FileName,
    CacheKey,
}

/// <summary>Where a value ends up: a member (persisted or not: decided at compilation end) or a place that is stored or shared.</summary>
internal readonly struct ValueSink
{
    public ValueSink(string where, ISymbol? member, SinkKind kind)
    {
        Where = where;
        Member = member;
        Kind = kind;
    }

    public SinkKind Kind { get; }

    /// <summary>How a message names a stored place ("as a database value", "in a file or directory name").</summary>
    public string Where { get; }

    /// <summary>The field or property the value is assigned to, or null for the other places.</summary>
    public ISymbol? Member { get; }
}

/// <summary>
/// Follows a value upward from where it is produced — through conversions, formatting (ToString, interpolation,
/// concatenation, string.Format), arithmetic, members read from it, one local variable and one return to the
/// call sites in the same file — to the places where it is kept: a field or property, a database parameter value
/// (AddWithValue, IDataParameter.Value), a file or directory name (an argument of File, Directory, Path,
/// FileInfo, DirectoryInfo, FileStream or StreamWriter), or a distributed-cache key. Comparisons and other
/// boolean results end the flow; so does whatever <c>stops</c> says (a conversion to UTC, say).
/// </summary>
internal sealed class StoredValueFlow
{
    private static readonly string[] FileSystemTypes =
    [
        "File", "Directory", "Path", "FileInfo", "DirectoryInfo", "FileStream", "StreamWriter",
    ];

    private static bool IsFileSystemType(ITypeSymbol? type)
        => type is not null && System.Array.IndexOf(FileSystemTypes, type.Name) >= 0 && type.ContainingType is null && SymbolNames.IsNamespace(type.ContainingNamespace, "System.IO");

    private readonly Compilation _compilation;
    private readonly INamedTypeSymbol? _dataParameter;
    private readonly INamedTypeSymbol? _distributedCache;

    public StoredValueFlow(Compilation compilation)
    {
        _compilation = compilation;
        _dataParameter = KnownTypes.Get(compilation, "System.Data.IDataParameter");
        _distributedCache = KnownTypes.Get(compilation, "Microsoft.Extensions.Caching.Distributed.IDistributedCache");
    }

    public IEnumerable<ValueSink> Sinks(IOperation value, Func<IOperation, bool> stops)
        => Sinks(value, stops, throughLocal: false, throughReturn: false);

    private IEnumerable<ValueSink> Sinks(IOperation value, Func<IOperation, bool> stops, bool throughLocal, bool throughReturn)
    {
        var current = value;
        while (current.Parent is { } parent)
        {
            if (stops(parent) || parent.Type?.SpecialType == SpecialType.System_Boolean)
            {
                yield break;
            }

            switch (parent)
            {
                case IConversionOperation or IParenthesizedOperation or IInterpolationOperation or IInterpolatedStringOperation or IBinaryOperation:
                    current = parent;
                    continue;
                case IInvocationOperation call when call.Instance == current:
                    current = parent; // value.ToString("x8"), value.AddDays(1)
                    continue;
                case IPropertyReferenceOperation member when member.Instance == current:
                    current = parent; // value.Date
                    continue;
                case IArgumentOperation { Parent: IInvocationOperation call } argument:
                    var type = call.TargetMethod.ContainingType;
                    if (type is { SpecialType: SpecialType.System_String } || SymbolNames.IsType(type, "System.Math") || SymbolNames.IsType(type, "System.Convert"))
                    {
                        current = call; // string.Format, string.Concat, Math.Abs, Convert.ToString
                        continue;
                    }

                    if (call.TargetMethod.Name == "AddWithValue" && argument.Parameter?.Ordinal == 1)
                    {
                        var name = call.Arguments.FirstOrDefault(a => a.Parameter?.Ordinal == 0)?.Value.ConstantValue.Value as string;
                        yield return new ValueSink(name is null ? "as a database value" : $"as the database value '{name}'", null, SinkKind.Database);
                    }
                    else if (IsFileSystemType(type) && argument.Parameter?.Type.SpecialType == SpecialType.System_String)
                    {
                        yield return new ValueSink("in a file or directory name", null, SinkKind.FileName);
                    }
                    else if (_distributedCache is not null && argument.Parameter?.Name == "key" && IsDistributedCacheCall(call))
                    {
                        yield return new ValueSink("as a distributed cache key", null, SinkKind.CacheKey);
                    }

                    yield break;
                case IArgumentOperation { Parent: IObjectCreationOperation creation } argument
                    when IsFileSystemType(creation.Type) && argument.Parameter?.Type.SpecialType == SpecialType.System_String:
                    yield return new ValueSink("in a file or directory name", null, SinkKind.FileName);
                    yield break;
                case ISimpleAssignmentOperation assignment when assignment.Value == current:
                    switch (assignment.Target)
                    {
                        case IPropertyReferenceOperation { Property.Name: "Value" } parameter when _dataParameter is not null
                            && parameter.Property.ContainingType.AllInterfaces.Contains(_dataParameter, SymbolEqualityComparer.Default):
                            yield return new ValueSink("as a database value", null, SinkKind.Database);
                            break;
                        case IPropertyReferenceOperation property:
                            yield return new ValueSink(string.Empty, property.Property, SinkKind.Member);
                            break;
                        case IFieldReferenceOperation field:
                            yield return new ValueSink(string.Empty, field.Field, SinkKind.Member);
                            break;
                        case ILocalReferenceOperation local when !throughLocal:
                            foreach (var sink in LocalSinks(local.Local, assignment, stops, throughReturn))
                            {
                                yield return sink;
                            }

                            break;
                    }

                    yield break;
                case IPropertyInitializerOperation initializer:
                    foreach (var property in initializer.InitializedProperties)
                    {
                        yield return new ValueSink(string.Empty, property, SinkKind.Member);
                    }

                    yield break;
                case IFieldInitializerOperation initializer:
                    foreach (var field in initializer.InitializedFields)
                    {
                        yield return new ValueSink(string.Empty, field, SinkKind.Member);
                    }

                    yield break;
                case IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator } when !throughLocal:
                    foreach (var sink in LocalSinks(declarator.Symbol, declarator, stops, throughReturn))
                    {
                        yield return sink;
                    }

                    yield break;
                case IReturnOperation when !throughReturn && OperationTree.InnermostFunction(parent) is null:
                    foreach (var sink in CallerSinks(parent, stops, throughLocal))
                    {
                        yield return sink;
                    }

                    yield break;
                default:
                    yield break;
            }
        }
    }

    private IEnumerable<ValueSink> LocalSinks(ILocalSymbol local, IOperation declaration, Func<IOperation, bool> stops, bool throughReturn)
    {
        foreach (var read in OperationTree.Root(declaration).Descendants().OfType<ILocalReferenceOperation>())
        {
            if (SymbolEqualityComparer.Default.Equals(read.Local, local) && !(read.Parent is ISimpleAssignmentOperation assignment && assignment.Target == read))
            {
                foreach (var sink in Sinks(read, stops, throughLocal: true, throughReturn))
                {
                    yield return sink;
                }
            }
        }
    }

    /// <summary>A value a method returns goes where its callers in the same file put it.</summary>
    private IEnumerable<ValueSink> CallerSinks(IOperation returned, Func<IOperation, bool> stops, bool throughLocal)
    {
        if (returned.SemanticModel?.GetEnclosingSymbol(returned.Syntax.SpanStart) is not IMethodSymbol method || method.MethodKind != MethodKind.Ordinary)
        {
            yield break;
        }

        var tree = returned.Syntax.SyntaxTree;
        var model = _compilation.GetSemanticModel(tree);
        foreach (var node in tree.GetRoot().DescendantNodes().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.InvocationExpressionSyntax>())
        {
            if (model.GetOperation(node) is IInvocationOperation call && SymbolEqualityComparer.Default.Equals(call.TargetMethod.OriginalDefinition, method))
            {
                foreach (var sink in Sinks(call, stops, throughLocal, throughReturn: true))
                {
                    yield return sink;
                }
            }
        }
    }

    private bool IsDistributedCacheCall(IInvocationOperation call)
    {
        var receiver = call.TargetMethod.IsExtensionMethod ? call.Arguments.FirstOrDefault(a => a.Parameter?.Ordinal == 0)?.Value.Type : call.Instance?.Type;
        return receiver is not null && (SymbolEqualityComparer.Default.Equals(receiver, _distributedCache) || receiver.AllInterfaces.Contains(_distributedCache!, SymbolEqualityComparer.Default));
    }
}
