using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
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

    /// <summary>An XML or JSON document's value (an attribute, element, node or property): text that is saved or sent.</summary>
    Document,
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

    /// <summary>How many locals a value is followed through (<c>var h = s.GetHashCode(); var name = h.ToString("x8");</c>).</summary>
    private const int MaxLocals = 2;

    /// <summary>How many files naming a returning member are read to find where its callers keep the value.</summary>
    private const int MaxCallerFiles = 16;

    public IEnumerable<ValueSink> Sinks(IOperation value, Func<IOperation, bool> stops)
        => Sinks(value, stops, locals: 0, throughReturn: false, throughCallee: false);

    private IEnumerable<ValueSink> Sinks(IOperation value, Func<IOperation, bool> stops, int locals, bool throughReturn, bool throughCallee)
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
                case { Kind: OperationKind.Invalid or OperationKind.None } when IsReceiverOfUnboundMember(parent, current):
                    // hash.ToGuid() from a package that is not restored here: what a member of the value returns is taken
                    // to carry it, as a bound conversion would; it is reported only if it reaches a stored place.
                    current = parent;
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
                    else if (IsDocumentValue(call.TargetMethod, argument.Parameter))
                    {
                        yield return new ValueSink("in an XML or JSON document", null, SinkKind.Document);
                    }
                    else if (IsFold(call, argument))
                    {
                        current = call; // values.Select(v => v.GetHashCode()), Aggregate(seed, fold)
                        continue;
                    }
                    else if (!throughCallee && argument.Parameter is { } parameter && call.TargetMethod is { MethodKind: MethodKind.Ordinary, IsStatic: true } converter
                        && (converter.ReturnType.SpecialType is SpecialType.System_String or SpecialType.System_Int32 or SpecialType.System_UInt32 or SpecialType.System_Int64 or SpecialType.System_UInt64
                            || converter.ReturnType.Name == "Guid"))
                    {
                        // The project's own conversion (ToGuid(hash), Format(hash)): where the callee puts the parameter,
                        // and, when it returns it, where this call's result goes.
                        foreach (var sink in CalleeSinks(call, parameter, stops, locals, throughReturn))
                        {
                            yield return sink;
                        }
                    }

                    yield break;
                case IArgumentOperation { Parent: IObjectCreationOperation creation } argument
                    when IsFileSystemType(creation.Type) && argument.Parameter?.Type.SpecialType == SpecialType.System_String:
                    yield return new ValueSink("in a file or directory name", null, SinkKind.FileName);
                    yield break;
                case IArgumentOperation { Parent: IObjectCreationOperation creation } argument when IsDocumentNode(creation.Type) && argument.Parameter?.Ordinal > 0:
                    yield return new ValueSink("in an XML or JSON document", null, SinkKind.Document);
                    yield break;
                case IArgumentOperation { Parent: IObjectCreationOperation creation } when IsPreservingCreation(creation.Type):
                    current = creation; // new Guid(bytes-of-hash), new StringBuilder(hash.ToString())
                    continue;
                case ICompoundAssignmentOperation { Target: ILocalReferenceOperation folded } compound when compound.Value == current && locals < MaxLocals:
                    // hash += item.GetHashCode(): the running total carries it.
                    foreach (var sink in LocalSinks(folded.Local, compound, stops, locals + 1, throughReturn, throughCallee))
                    {
                        yield return sink;
                    }

                    yield break;
                case ISimpleAssignmentOperation assignment when assignment.Value == current:
                    switch (assignment.Target)
                    {
                        case IPropertyReferenceOperation { Property.Name: "Value" } parameter when _dataParameter is not null
                            && parameter.Property.ContainingType.AllInterfaces.Contains(_dataParameter, SymbolEqualityComparer.Default):
                            yield return new ValueSink("as a database value", null, SinkKind.Database);
                            break;
                        case IPropertyReferenceOperation property when IsDocumentNode(property.Property.ContainingType) && (property.Property.IsIndexer || property.Property.Name == "Value"):
                            yield return new ValueSink("in an XML or JSON document", null, SinkKind.Document); // jobject["id"] = …, element.Value = …
                            break;
                        case IPropertyReferenceOperation property:
                            yield return new ValueSink(string.Empty, property.Property, SinkKind.Member);
                            break;
                        case IFieldReferenceOperation field:
                            yield return new ValueSink(string.Empty, field.Field, SinkKind.Member);
                            break;
                        case ILocalReferenceOperation local when locals < MaxLocals:
                            foreach (var sink in LocalSinks(local.Local, assignment, stops, locals + 1, throughReturn, throughCallee))
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
                case IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator } when locals < MaxLocals:
                    foreach (var sink in LocalSinks(declarator.Symbol, declarator, stops, locals + 1, throughReturn, throughCallee))
                    {
                        yield return sink;
                    }

                    yield break;
                case IReturnOperation when OperationTree.InnermostFunction(parent) is null && throughCallee:
                    yield break; // the callee's result: the caller follows it on
                case IReturnOperation when !throughReturn && OperationTree.InnermostFunction(parent) is null:
                    foreach (var sink in CallerSinks(parent, stops, locals))
                    {
                        yield return sink;
                    }

                    yield break;
                case IReturnOperation { Parent: IBlockOperation { Parent: IAnonymousFunctionOperation { Parent: IDelegateCreationOperation { Parent: IArgumentOperation { Parent: IInvocationOperation fold } } } } }
                    when IsEnumerableCall(fold):
                    current = fold; // the lambda of Select/Aggregate/Sum: its results make the call's
                    continue;
                default:
                    yield break;
            }
        }
    }

    private IEnumerable<ValueSink> LocalSinks(ILocalSymbol local, IOperation declaration, Func<IOperation, bool> stops, int locals, bool throughReturn, bool throughCallee)
    {
        foreach (var read in OperationTree.Root(declaration).Descendants().OfType<ILocalReferenceOperation>())
        {
            if (SymbolEqualityComparer.Default.Equals(read.Local, local) && !(read.Parent is IAssignmentOperation assignment && assignment.Target == read))
            {
                foreach (var sink in Sinks(read, stops, locals, throughReturn, throughCallee))
                {
                    yield return sink;
                }
            }
        }
    }

    /// <summary>
    /// A value a method or property getter returns goes where its callers put it: the callers in the same file, or, for
    /// a member others can see, in every file that names it.
    /// </summary>
    private IEnumerable<ValueSink> CallerSinks(IOperation returned, Func<IOperation, bool> stops, int locals)
    {
        var function = returned.SemanticModel?.GetEnclosingSymbol(returned.Syntax.SpanStart);
        ISymbol? member = function switch
        {
            IMethodSymbol { MethodKind: MethodKind.Ordinary } method => method.OriginalDefinition,
            IMethodSymbol { MethodKind: MethodKind.PropertyGet, AssociatedSymbol: IPropertySymbol property } => property.OriginalDefinition,
            IPropertySymbol property => property.OriginalDefinition,
            _ => null,
        };
        if (member is null)
        {
            yield break;
        }

        // GetHashCode overrides and the like are called through the base member: only their own file is read.
        // Budget: a member named in more files than this is a general-purpose one; its callers are not searched.
        var trees = member.DeclaredAccessibility == Accessibility.Private || function is IMethodSymbol { IsOverride: true }
            ? new List<SyntaxTree> { returned.Syntax.SyntaxTree }
            : SourceSearch.TreesNaming(member.Name, _compilation, default).Take(MaxCallerFiles + 1).ToList();
        if (trees.Count > MaxCallerFiles)
        {
            trees = [returned.Syntax.SyntaxTree];
        }
        foreach (var use in SourceSearch.Uses(member.Name, trees, _compilation, returned.SemanticModel, default))
        {
            ISymbol? used = use switch
            {
                IInvocationOperation call => call.TargetMethod.OriginalDefinition,
                IPropertyReferenceOperation property => property.Property.OriginalDefinition,
                _ => null,
            };
            if (SymbolEqualityComparer.Default.Equals(used, member) && !(use.Parent is IAssignmentOperation assignment && assignment.Target == use))
            {
                foreach (var sink in Sinks(use, stops, locals, throughReturn: true, throughCallee: false))
                {
                    yield return sink;
                }
            }
        }
    }

    /// <summary>Where a project method puts the parameter it is given, and where its callers put what it returns from it.</summary>
    private IEnumerable<ValueSink> CalleeSinks(IInvocationOperation call, IParameterSymbol parameter, Func<IOperation, bool> stops, int locals, bool throughReturn)
    {
        var method = call.TargetMethod.OriginalDefinition;
        if (method.DeclaringSyntaxReferences.Length != 1 || method.IsAbstract)
        {
            yield break;
        }

        var returnsIt = false;
        foreach (var (_, body) in SourceBodies.Of(method, _compilation, default))
        {
            foreach (var read in body.Descendants().OfType<IParameterReferenceOperation>())
            {
                if (!SymbolEqualityComparer.Default.Equals(read.Parameter.OriginalDefinition, parameter.OriginalDefinition))
                {
                    continue;
                }

                foreach (var sink in Sinks(read, stops, locals, throughReturn: true, throughCallee: true))
                {
                    yield return sink;
                }

                returnsIt |= ReachesReturn(read, stops);
            }
        }

        if (returnsIt)
        {
            foreach (var sink in Sinks(call, stops, locals, throughReturn, throughCallee: true))
            {
                yield return sink;
            }
        }
    }

    /// <summary>Whether the value is (a formatting or conversion of) what its method returns.</summary>
    private static bool ReachesReturn(IOperation value, Func<IOperation, bool> stops)
    {
        for (var current = value; current.Parent is { } parent; current = parent)
        {
            if (stops(parent) || parent.Type?.SpecialType == SpecialType.System_Boolean)
            {
                return false;
            }

            switch (parent)
            {
                case IReturnOperation:
                    return OperationTree.InnermostFunction(parent) is null;
                case IConversionOperation or IParenthesizedOperation or IInterpolationOperation or IInterpolatedStringOperation or IBinaryOperation:
                case IInvocationOperation call when call.Instance == current:
                case IArgumentOperation { Parent: IInvocationOperation { TargetMethod.ContainingType.SpecialType: SpecialType.System_String } }:
                case IArgumentOperation { Parent: IObjectCreationOperation creation } when IsPreservingCreation(creation.Type):
                    continue;
                case IArgumentOperation:
                    return false;
                case IInvocationOperation or IObjectCreationOperation:
                    continue; // the argument's call: string.Format(…), new Guid(…)
                default:
                    return false;
            }
        }

        return false;
    }

    /// <summary>The value is the receiver of a member or call that does not bind (<c>value.ToGuid()</c>, <c>value.Text</c>).</summary>
    private static bool IsReceiverOfUnboundMember(IOperation unbound, IOperation value)
    {
        var access = unbound.Syntax is InvocationExpressionSyntax invocation ? invocation.Expression : unbound.Syntax;
        if (access is not MemberAccessExpressionSyntax member)
        {
            return access == value.Syntax; // the call over an unbound member access that is an operation of its own
        }

        var receiver = member.Expression;
        while (receiver is ParenthesizedExpressionSyntax parenthesized)
        {
            receiver = parenthesized.Expression; // (hash % 64).ToGuid()
        }

        return access == value.Syntax || receiver == value.Syntax;
    }

    /// <summary>A LINQ call whose lambda results or input elements make its result (Select, Aggregate, Sum, string.Join's input).</summary>
    private static bool IsEnumerableCall(IInvocationOperation call)
        => call.TargetMethod.ContainingType is { Name: "Enumerable" } type && SymbolNames.IsNamespace(type.ContainingNamespace, "System.Linq")
            && call.TargetMethod.Name is "Select" or "Aggregate" or "Sum";

    private static bool IsFold(IInvocationOperation call, IArgumentOperation argument)
        => IsEnumerableCall(call) && argument.Parameter?.Ordinal > 0 && call.TargetMethod.Name == "Aggregate";

    /// <summary>Types made from a value that keep it: a Guid or a string built from the hash.</summary>
    private static bool IsPreservingCreation(ITypeSymbol? type)
        => type is { Name: "Guid" or "StringBuilder" } && type.ContainingNamespace is { } ns && (ns.Name == "System" || ns.Name == "Text");

    /// <summary>XElement/XAttribute/XText, Newtonsoft's JObject/JProperty/JValue/JToken, System.Text.Json's JsonObject/JsonNode/JsonValue.</summary>
    private static bool IsDocumentNode(ITypeSymbol? type)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            if (current.Name is "XObject" or "JToken" or "JsonNode" && current.ContainingNamespace is { } ns
                && (SymbolNames.IsNamespace(ns, "System.Xml.Linq") || SymbolNames.IsNamespace(ns, "Newtonsoft.Json.Linq") || SymbolNames.IsNamespace(ns, "System.Text.Json.Nodes")))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>XElement.SetAttributeValue/SetElementValue/SetValue, JObject.Add(name, value), JsonObject.Add(name, value): the value argument.</summary>
    private static bool IsDocumentValue(IMethodSymbol method, IParameterSymbol? parameter)
        => parameter is not null && method.Name is "SetAttributeValue" or "SetElementValue" or "SetValue" or "Add"
            && parameter.Ordinal == method.Parameters.Length - 1 && method.Parameters.Length >= 1
            && IsDocumentNode(method.ContainingType);

    private bool IsDistributedCacheCall(IInvocationOperation call)
    {
        var receiver = call.TargetMethod.IsExtensionMethod ? call.Arguments.FirstOrDefault(a => a.Parameter?.Ordinal == 0)?.Value.Type : call.Instance?.Type;
        return receiver is not null && (SymbolEqualityComparer.Default.Equals(receiver, _distributedCache) || receiver.AllInterfaces.Contains(_distributedCache!, SymbolEqualityComparer.Default));
    }
}
