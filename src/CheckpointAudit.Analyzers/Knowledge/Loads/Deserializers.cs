using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace CheckpointAudit.Knowledge;

/// <summary>
/// The deserializers the Corruption rules know, resolved once per compilation, and what each throws
/// for malformed input; also the data reader and command types whose values come from the database.
/// Null when the compilation references no deserializer.
/// </summary>
internal sealed class Deserializers
{
    private readonly INamedTypeSymbol? _stjSerializer;
    private readonly INamedTypeSymbol? _stjDocument;
    private readonly INamedTypeSymbol? _stjNode;
    private readonly INamedTypeSymbol? _newtonsoftConvert;
    private readonly INamedTypeSymbol? _newtonsoftSerializer;
    private readonly INamedTypeSymbol? _newtonsoftToken;
    private readonly INamedTypeSymbol? _xmlSerializer;
    private readonly INamedTypeSymbol? _xmlObjectSerializer;
    private readonly INamedTypeSymbol? _xDocument;
    private readonly INamedTypeSymbol? _xElement;
    private readonly INamedTypeSymbol? _xmlDocument;
    private readonly INamedTypeSymbol? _binaryFormatter;

    private readonly ImmutableArray<INamedTypeSymbol> _stjMalformed;
    private readonly ImmutableArray<INamedTypeSymbol> _newtonsoftMalformed;
    private readonly ImmutableArray<INamedTypeSymbol> _xmlSerializerMalformed;
    private readonly ImmutableArray<INamedTypeSymbol> _dataContractMalformed;
    private readonly ImmutableArray<INamedTypeSymbol> _xmlMalformed;
    private readonly ImmutableArray<INamedTypeSymbol> _validationMalformed;
    private readonly ImmutableArray<INamedTypeSymbol> _binaryMalformed;
    private readonly INamedTypeSymbol? _typeConverter;
    private readonly ImmutableArray<INamedTypeSymbol> _converterMalformed;

    private Deserializers(Compilation compilation)
    {
        INamedTypeSymbol? Type(string name) => KnownTypes.Get(compilation, name);
        ImmutableArray<INamedTypeSymbol> Types(params string[] names)
        {
            var builder = ImmutableArray.CreateBuilder<INamedTypeSymbol>();
            foreach (var name in names)
            {
                if (Type(name) is { } type)
                {
                    builder.Add(type);
                }
            }

            return builder.ToImmutable();
        }

        _stjSerializer = Type("System.Text.Json.JsonSerializer");
        _stjDocument = Type("System.Text.Json.JsonDocument");
        _stjNode = Type("System.Text.Json.Nodes.JsonNode");
        _newtonsoftConvert = Type("Newtonsoft.Json.JsonConvert");
        _newtonsoftSerializer = Type("Newtonsoft.Json.JsonSerializer");
        _newtonsoftToken = Type("Newtonsoft.Json.Linq.JToken");
        _xmlSerializer = Type("System.Xml.Serialization.XmlSerializer");
        _xmlObjectSerializer = Type("System.Runtime.Serialization.XmlObjectSerializer");
        _xDocument = Type("System.Xml.Linq.XDocument");
        _xElement = Type("System.Xml.Linq.XElement");
        _xmlDocument = Type("System.Xml.XmlDocument");
        _binaryFormatter = Type("System.Runtime.Serialization.Formatters.Binary.BinaryFormatter");
        _typeConverter = Type("System.ComponentModel.TypeConverter");

        _stjMalformed = Types("System.Text.Json.JsonException");
        _newtonsoftMalformed = Types("Newtonsoft.Json.JsonException", "Newtonsoft.Json.JsonReaderException", "Newtonsoft.Json.JsonSerializationException");
        // XmlSerializer wraps the XmlException in an InvalidOperationException: catching XmlException misses it.
        _xmlSerializerMalformed = Types("System.InvalidOperationException");
        _dataContractMalformed = Types("System.Runtime.Serialization.SerializationException", "System.Xml.XmlException");
        _xmlMalformed = Types("System.Xml.XmlException");
        _binaryMalformed = Types("System.Runtime.Serialization.SerializationException");
        // Each TypeConverter throws its own exception for text it cannot read (FormatException, ArgumentException,
        // NotSupportedException, InvalidOperationException…): only a catch of Exception takes them all.
        _converterMalformed = Types("System.Exception");
        // What code that validates stored data itself throws: the .NET convention for bad data, a stored value that
        // does not parse, and the generated helper's verdict on a damaged checkpoint.
        _validationMalformed = Types("System.IO.InvalidDataException", "System.FormatException", "CheckpointAudit.CorruptCheckpointException");

        DbDataReader = Type("System.Data.Common.DbDataReader");
        DataRecord = Type("System.Data.IDataRecord");
        DbCommand = Type("System.Data.Common.DbCommand");
        DataCommand = Type("System.Data.IDbCommand");
        DataParameter = Type("System.Data.IDataParameter");
    }

    /// <summary>Data readers and commands: values read through them come from the database.</summary>
    public INamedTypeSymbol? DbDataReader { get; }

    public INamedTypeSymbol? DataRecord { get; }

    public INamedTypeSymbol? DbCommand { get; }

    public INamedTypeSymbol? DataCommand { get; }

    /// <summary>A command parameter: text assigned to its Value is written to the database.</summary>
    public INamedTypeSymbol? DataParameter { get; }

    /// <summary>
    /// A parse that returns whatever graph the file holds (BinaryFormatter.Deserialize, typed object): cast with
    /// <c>as</c>, a stored graph of another type, or none, gives null. (XmlSerializer and DataContractSerializer are made
    /// for one type and throw on another.)
    /// </summary>
    public bool ReturnsAnyGraph(IMethodSymbol method)
        => method.ReturnType.SpecialType == SpecialType.System_Object && method.ContainingType?.OriginalDefinition is { } type && Is(type, _binaryFormatter);

    /// <summary>What an XML reader throws for malformed input (XmlException).</summary>
    public ImmutableArray<INamedTypeSymbol> XmlMalformed => _xmlMalformed;

    /// <summary>
    /// An exception that says stored input is damaged: one a parser throws on malformed text (XmlSerializer's
    /// InvalidOperationException left out: it means much else), or one code validating stored data throws. Catching
    /// it around a load is a recovery path.
    /// </summary>
    public bool IsMalformedInputException(ITypeSymbol? exception)
        => exception is INamedTypeSymbol named
            && (_stjMalformed.Contains(named, SymbolEqualityComparer.Default) || _newtonsoftMalformed.Contains(named, SymbolEqualityComparer.Default)
                || _dataContractMalformed.Contains(named, SymbolEqualityComparer.Default) || _xmlMalformed.Contains(named, SymbolEqualityComparer.Default)
                || _validationMalformed.Contains(named, SymbolEqualityComparer.Default));

    /// <summary>One instance per compilation.</summary>
    public static Deserializers? Create(Compilation compilation)
        => PerCompilation<Deserializers>.Get(compilation, Resolve);

    private static Deserializers? Resolve(Compilation compilation)
    {
        var deserializers = new Deserializers(compilation);
        return deserializers._stjSerializer is null && deserializers._stjDocument is null && deserializers._newtonsoftConvert is null
            && deserializers._xmlSerializer is null && deserializers._xmlObjectSerializer is null && deserializers._xDocument is null && deserializers._binaryFormatter is null
            ? null
            : deserializers;
    }

    /// <summary>Whether a method of this name can be a parse <see cref="TryMatch"/> knows (every library <c>Parse…</c> included).</summary>
    public static bool MayBeNamed(string name)
        => name.StartsWith("Deserialize", System.StringComparison.Ordinal) || name.StartsWith("Parse", System.StringComparison.Ordinal)
            || name is "PopulateObject" or "Populate" or "ReadObject" or "Load" or "LoadAsync" or "LoadXml";

    /// <summary>
    /// A call that parses stored text or bytes into objects. <paramref name="input"/> is what it parses
    /// (text, bytes, stream, reader or path); <paramref name="malformed"/> the exceptions that signal
    /// malformed input, any of which (or a base) a catch must handle.
    /// </summary>
    public bool TryMatch(IInvocationOperation invocation, out IOperation? input, out ImmutableArray<INamedTypeSymbol> malformed, out string api)
    {
        input = null;
        malformed = default;
        api = string.Empty;
        var method = invocation.TargetMethod;
        var name = method.Name;

        // The cheap test first: this runs for every invocation of the compilation.
        if (!MayBeNamed(name))
        {
            return false;
        }

        var type = method.ContainingType?.OriginalDefinition;
        if (type is null)
        {
            return false;
        }

        if (Is(type, _stjSerializer) && name.StartsWith("Deserialize", System.StringComparison.Ordinal))
        {
            malformed = _stjMalformed;
        }
        else if ((Is(type, _stjDocument) && name is "Parse" or "ParseAsync") || (Is(type, _stjNode) && name is "Parse" or "ParseAsync"))
        {
            malformed = _stjMalformed;
        }
        else if (Is(type, _newtonsoftConvert) && name is "DeserializeObject" or "PopulateObject" or "DeserializeXmlNode" or "DeserializeXNode")
        {
            malformed = _newtonsoftMalformed;
        }
        else if (Is(type, _newtonsoftSerializer) && name is "Deserialize" or "Populate")
        {
            malformed = _newtonsoftMalformed;
        }
        else if (name is "Parse" && TypeRelations.InheritsFrom(type, _newtonsoftToken))
        {
            malformed = _newtonsoftMalformed;
        }
        else if (Is(type, _xmlSerializer) && name == "Deserialize")
        {
            malformed = _xmlSerializerMalformed;
        }
        else if (name == "ReadObject" && TypeRelations.InheritsFrom(type, _xmlObjectSerializer))
        {
            malformed = _dataContractMalformed;
        }
        else if ((Is(type, _xDocument) || Is(type, _xElement)) && name is "Load" or "LoadAsync" or "Parse")
        {
            malformed = _xmlMalformed;
        }
        else if (Is(type, _xmlDocument) && name is "Load" or "LoadXml")
        {
            malformed = _xmlMalformed;
        }
        else if (Is(type, _binaryFormatter) && name == "Deserialize")
        {
            malformed = _binaryMalformed; // still found in programs that began on .NET Framework
        }
        else
        {
            return false;
        }

        // What is parsed: the first argument (Populate/Deserialize(reader, type) included), or the reader
        // passed to a Newtonsoft JsonSerializer.
        input = invocation.Arguments.Length > 0 ? invocation.Arguments[0].Value : null;
        api = type.Name + "." + name;
        return input is not null && !malformed.IsDefaultOrEmpty;
    }

    /// <summary>
    /// <c>TypeConverter.ConvertFrom</c>/<c>ConvertFromString</c>/<c>ConvertFromInvariantString</c>: a parse of one value's
    /// text, whose malformed input any exception may signal (each converter throws its own). Kept apart from
    /// <see cref="TryMatch"/>: only the rule about uncaught parses asks about it.
    /// </summary>
    public bool TryMatchConverter(IInvocationOperation invocation, out IOperation? input, out ImmutableArray<INamedTypeSymbol> malformed, out string api)
    {
        input = null;
        malformed = _converterMalformed;
        api = string.Empty;
        var method = invocation.TargetMethod;
        if (method.Name is not ("ConvertFrom" or "ConvertFromString" or "ConvertFromInvariantString") || !TypeRelations.InheritsFrom(method.ContainingType, _typeConverter))
        {
            return false; // the cheap test first: this runs for every invocation
        }

        // The text is the last argument (after the descriptor context and culture of the longer overloads).
        input = OperationTree.ArgumentFor(invocation.Arguments, method.Parameters.Length - 1);
        api = method.ContainingType.Name + "." + method.Name;
        return input is not null && !malformed.IsDefaultOrEmpty;
    }

    private static bool Is(ITypeSymbol type, INamedTypeSymbol? expected)
        => expected is not null && SymbolEqualityComparer.Default.Equals(type, expected);
}
