using System;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace CheckpointAudit.Knowledge;

/// <summary>
/// Identity of a path expression inside one method body: the local, parameter, field or
/// property it reads, or else its normalised source text. Two writes/moves "touch the
/// same file" when their keys are equal.
/// </summary>
internal readonly struct PathKey : IEquatable<PathKey>
{
    private readonly ISymbol? _symbol;
    private readonly ISymbol? _owner;
    private readonly string? _text;

    private PathKey(ISymbol? symbol, string? text, ISymbol? owner = null)
    {
        _symbol = symbol;
        _text = text;
        _owner = owner;
    }

    public bool IsEmpty => _symbol is null && _text is null;

    /// <summary>A field or property of this object or type: state visible to its other methods.</summary>
    public bool IsMember => _owner is null && _symbol is IFieldSymbol or IPropertySymbol;

    public static PathKey ForParameter(IParameterSymbol parameter) => new(parameter, null);

    public static PathKey From(IOperation? operation, FileApiSymbols apis)
    {
        operation = Unwrap(operation);
        switch (operation)
        {
            case null:
                return default;
            case ILocalReferenceOperation local:
                return new PathKey(local.Local, null);
            case IParameterReferenceOperation parameter:
                return new PathKey(parameter.Parameter.OriginalDefinition, null);
            case IFieldReferenceOperation field when IsThisOrStatic(field.Instance):
                return new PathKey(field.Field, null);
            case IFieldReferenceOperation field when OwnerOf(field.Instance) is { } fieldOwner:
                // item.Path in two loops over different 'item' locals names two different files.
                return new PathKey(field.Field, null, fieldOwner);
            case IPropertyReferenceOperation property when property.Arguments.Length == 0:
                // fileInfo.FullName names the same file as fileInfo itself.
                if (property.Property.Name is "FullName" && property.Instance is not null && apis.Is(property.Instance.Type, apis.FileInfo))
                {
                    return From(property.Instance, apis);
                }

                if (IsThisOrStatic(property.Instance))
                {
                    return new PathKey(property.Property, null);
                }

                if (OwnerOf(property.Instance) is { } propertyOwner)
                {
                    return new PathKey(property.Property, null, propertyOwner);
                }

                break;
            case IObjectCreationOperation or IInvocationOperation when apis.FileInfoPath(operation) is { } infoPath:
                // new FileInfo(path) (or IFileSystem.FileInfo.New(path)) names the file at path.
                return From(infoPath, apis);
        }

        return new PathKey(null, Normalize(operation.Syntax.ToString()));
    }

    public static IOperation? Unwrap(IOperation? operation)
    {
        while (true)
        {
            switch (operation)
            {
                case IConversionOperation conversion:
                    operation = conversion.Operand;
                    continue;
                case IArgumentOperation argument:
                    operation = argument.Value;
                    continue;
                default:
                    return operation;
            }
        }
    }

    /// <summary>The local or parameter a member is read from (x in x.Path), if that is what it is.</summary>
    private static ISymbol? OwnerOf(IOperation? instance) => Unwrap(instance) switch
    {
        ILocalReferenceOperation local => local.Local,
        IParameterReferenceOperation parameter => parameter.Parameter.OriginalDefinition,
        _ => null,
    };

    private static bool IsThisOrStatic(IOperation? instance)
        => instance is null || instance is IInstanceReferenceOperation;

    private static string Normalize(string text)
    {
        var chars = new char[text.Length];
        var length = 0;
        foreach (var c in text)
        {
            if (!char.IsWhiteSpace(c))
            {
                chars[length++] = c;
            }
        }

        return new string(chars, 0, length);
    }

    public bool Equals(PathKey other)
        => _symbol is not null
            ? SymbolEqualityComparer.Default.Equals(_symbol, other._symbol) && SymbolEqualityComparer.Default.Equals(_owner, other._owner)
            : other._symbol is null && _text is not null && string.Equals(_text, other._text, StringComparison.Ordinal);

    public override bool Equals(object? obj) => obj is PathKey other && Equals(other);

    public override int GetHashCode()
        => _symbol is not null ? SymbolEqualityComparer.Default.GetHashCode(_symbol) : _text?.GetHashCode() ?? 0;
}
