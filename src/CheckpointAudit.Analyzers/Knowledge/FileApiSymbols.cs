using Microsoft.CodeAnalysis;

namespace CheckpointAudit.Knowledge;

/// <summary>File-system and XML types resolved once per compilation.</summary>
internal sealed class FileApiSymbols
{
    private FileApiSymbols(Compilation compilation, INamedTypeSymbol file)
    {
        File = file;
        FileInfo = compilation.GetTypeByMetadataName("System.IO.FileInfo");
        FileSystemInfo = compilation.GetTypeByMetadataName("System.IO.FileSystemInfo");
        Directory = compilation.GetTypeByMetadataName("System.IO.Directory");
        DirectoryInfo = compilation.GetTypeByMetadataName("System.IO.DirectoryInfo");
        FileStream = compilation.GetTypeByMetadataName("System.IO.FileStream");
        FileMode = compilation.GetTypeByMetadataName("System.IO.FileMode");
        FileStreamOptions = compilation.GetTypeByMetadataName("System.IO.FileStreamOptions");
        StreamWriter = compilation.GetTypeByMetadataName("System.IO.StreamWriter");
        Path = compilation.GetTypeByMetadataName("System.IO.Path");
        Guid = compilation.GetTypeByMetadataName("System.Guid");
        DateTime = compilation.GetSpecialType(SpecialType.System_DateTime);
        DateTimeOffset = compilation.GetTypeByMetadataName("System.DateTimeOffset");
        XmlWriter = compilation.GetTypeByMetadataName("System.Xml.XmlWriter");
        XmlDocument = compilation.GetTypeByMetadataName("System.Xml.XmlDocument");
        XDocument = compilation.GetTypeByMetadataName("System.Xml.Linq.XDocument");
        XElement = compilation.GetTypeByMetadataName("System.Xml.Linq.XElement");
        String = compilation.GetSpecialType(SpecialType.System_String);
    }

    public INamedTypeSymbol File { get; }
    public INamedTypeSymbol? FileInfo { get; }
    public INamedTypeSymbol? FileSystemInfo { get; }
    public INamedTypeSymbol? Directory { get; }
    public INamedTypeSymbol? DirectoryInfo { get; }
    public INamedTypeSymbol? FileStream { get; }
    public INamedTypeSymbol? FileMode { get; }
    public INamedTypeSymbol? FileStreamOptions { get; }
    public INamedTypeSymbol? StreamWriter { get; }
    public INamedTypeSymbol? Path { get; }
    public INamedTypeSymbol? Guid { get; }
    public INamedTypeSymbol? DateTime { get; }
    public INamedTypeSymbol? DateTimeOffset { get; }
    public INamedTypeSymbol? XmlWriter { get; }
    public INamedTypeSymbol? XmlDocument { get; }
    public INamedTypeSymbol? XDocument { get; }
    public INamedTypeSymbol? XElement { get; }
    public INamedTypeSymbol String { get; }

    /// <summary>Null when the compilation has no System.IO.File: nothing to analyze.</summary>
    public static FileApiSymbols? Create(Compilation compilation)
    {
        var file = compilation.GetTypeByMetadataName("System.IO.File");
        return file is null ? null : new FileApiSymbols(compilation, file);
    }

    public bool Is(ITypeSymbol? type, INamedTypeSymbol? expected)
        => expected is not null && SymbolEqualityComparer.Default.Equals(type?.OriginalDefinition, expected);
}
