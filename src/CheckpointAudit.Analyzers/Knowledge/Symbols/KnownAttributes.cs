using System.Linq;
using Microsoft.CodeAnalysis;

namespace CheckpointAudit.Knowledge;

/// <summary>
/// The library attributes the rules read, by full type name, compared namespace and name together (SymbolNames):
/// System.Text.Json and Newtonsoft.Json share simple names, and a project's own attribute named like one of them is
/// not the library's.
/// </summary>
internal static class KnownAttributes
{
    public const string DataContract = "System.Runtime.Serialization.DataContractAttribute";
    public const string DataMember = "System.Runtime.Serialization.DataMemberAttribute";
    public const string IgnoreDataMember = "System.Runtime.Serialization.IgnoreDataMemberAttribute";
    public const string NonSerialized = "System.NonSerializedAttribute";
    public const string XmlIgnore = "System.Xml.Serialization.XmlIgnoreAttribute";
    public const string XmlElement = "System.Xml.Serialization.XmlElementAttribute";
    public const string XmlAttribute = "System.Xml.Serialization.XmlAttributeAttribute";

    public const string StjIgnore = "System.Text.Json.Serialization.JsonIgnoreAttribute";
    public const string StjInclude = "System.Text.Json.Serialization.JsonIncludeAttribute";
    public const string StjPropertyName = "System.Text.Json.Serialization.JsonPropertyNameAttribute";
    public const string StjConverter = "System.Text.Json.Serialization.JsonConverterAttribute";
    public const string StjConstructor = "System.Text.Json.Serialization.JsonConstructorAttribute";
    public const string StjRequired = "System.Text.Json.Serialization.JsonRequiredAttribute";
    public const string StjDerivedType = "System.Text.Json.Serialization.JsonDerivedTypeAttribute";
    public const string StjPolymorphic = "System.Text.Json.Serialization.JsonPolymorphicAttribute";
    public const string StjObjectCreationHandling = "System.Text.Json.Serialization.JsonObjectCreationHandlingAttribute";

    public const string NewtonsoftIgnore = "Newtonsoft.Json.JsonIgnoreAttribute";
    public const string NewtonsoftProperty = "Newtonsoft.Json.JsonPropertyAttribute";
    public const string NewtonsoftConverter = "Newtonsoft.Json.JsonConverterAttribute";
    public const string NewtonsoftConstructor = "Newtonsoft.Json.JsonConstructorAttribute";
    public const string NewtonsoftRequired = "Newtonsoft.Json.JsonRequiredAttribute";
    public const string NewtonsoftObject = "Newtonsoft.Json.JsonObjectAttribute";

    public const string SupportedOSPlatform = "System.Runtime.Versioning.SupportedOSPlatformAttribute";
    public const string LibraryImport = "System.Runtime.InteropServices.LibraryImportAttribute";
    public const string MethodImpl = "System.Runtime.CompilerServices.MethodImplAttribute";
    public const string ThreadStatic = "System.ThreadStaticAttribute";

    /// <summary>JsonObjectCreationHandling.Populate, as the attribute's constructor argument holds it.</summary>
    public const int PopulateCreationHandling = 1;

    /// <summary>A serializer skips the member: [JsonIgnore] (either library), [XmlIgnore], [IgnoreDataMember], [NonSerialized].</summary>
    public static readonly string[] Ignore = [StjIgnore, NewtonsoftIgnore, XmlIgnore, IgnoreDataMember, NonSerialized];

    /// <summary>A serializer includes the member whatever its accessibility.</summary>
    public static readonly string[] Include = [StjInclude, NewtonsoftProperty, StjPropertyName, DataMember];

    /// <summary>The member's stored name is set explicitly.</summary>
    public static readonly string[] ExplicitName = [StjPropertyName, NewtonsoftProperty, DataMember, XmlElement, XmlAttribute];

    /// <summary>[JsonConverter] of either library.</summary>
    public static readonly string[] Converter = [StjConverter, NewtonsoftConverter];

    /// <summary>[JsonConstructor] of either library.</summary>
    public static readonly string[] Constructor = [StjConstructor, NewtonsoftConstructor];

    public static bool Is(AttributeData attribute, string fullName) => SymbolNames.IsType(attribute.AttributeClass, fullName);

    public static bool IsAny(AttributeData attribute, string[] fullNames)
    {
        foreach (var fullName in fullNames)
        {
            if (SymbolNames.IsType(attribute.AttributeClass, fullName))
            {
                return true;
            }
        }

        return false;
    }

    public static bool Has(ISymbol symbol, string fullName) => Find(symbol, fullName) is not null;

    public static bool HasAny(ISymbol symbol, string[] fullNames) => symbol.GetAttributes().Any(a => IsAny(a, fullNames));

    /// <summary>The first attribute of that type on the symbol, or null.</summary>
    public static AttributeData? Find(ISymbol symbol, string fullName)
    {
        foreach (var attribute in symbol.GetAttributes())
        {
            if (Is(attribute, fullName))
            {
                return attribute;
            }
        }

        return null;
    }
}
