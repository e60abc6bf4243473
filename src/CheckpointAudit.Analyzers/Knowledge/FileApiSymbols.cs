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
        CheckpointFile = compilation.GetTypeByMetadataName("CheckpointAudit.CheckpointFile");
        IOException = compilation.GetTypeByMetadataName("System.IO.IOException");
        FileNotFoundException = compilation.GetTypeByMetadataName("System.IO.FileNotFoundException");

        // System.IO.Abstractions (IFileSystem.File.*, .FileInfo.New(path), .FileStream.New(...)):
        // the same operations behind interfaces, so that code written for testability is judged alike.
        var abstractions = new (INamedTypeSymbol? Type, string Interface)[]
        {
            (File, "IFile"), (FileInfo, "IFileInfo"), (FileSystemInfo, "IFileSystemInfo"), (Path, "IPath"),
            (Directory, "IDirectory"), (DirectoryInfo, "IDirectoryInfo"),
        };
        foreach (var (type, name) in abstractions)
        {
            if (type is not null && compilation.GetTypeByMetadataName("System.IO.Abstractions." + name) is { } counterpart)
            {
                _counterparts ??= new System.Collections.Generic.Dictionary<INamedTypeSymbol, INamedTypeSymbol>(SymbolEqualityComparer.Default);
                _counterparts[type] = counterpart;
            }
        }

        FileInfoFactory = compilation.GetTypeByMetadataName("System.IO.Abstractions.IFileInfoFactory");
        FileStreamFactory = compilation.GetTypeByMetadataName("System.IO.Abstractions.IFileStreamFactory");
    }

    private readonly System.Collections.Generic.Dictionary<INamedTypeSymbol, INamedTypeSymbol>? _counterparts;

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

    /// <summary>What a file operation throws when another process got there first (a catch of it handles a race).</summary>
    public INamedTypeSymbol? IOException { get; }

    public INamedTypeSymbol? FileNotFoundException { get; }

    /// <summary>The generated helper: its WriteAll* write a file atomically and durably.</summary>
    public INamedTypeSymbol? CheckpointFile { get; }

    /// <summary>System.IO.Abstractions.IFileInfoFactory: New(path) is new FileInfo(path).</summary>
    public INamedTypeSymbol? FileInfoFactory { get; }

    /// <summary>System.IO.Abstractions.IFileStreamFactory: New(path, mode, ...) is new FileStream(path, mode, ...).</summary>
    public INamedTypeSymbol? FileStreamFactory { get; }

    /// <summary>Null when the compilation has no System.IO.File: nothing to analyze.</summary>
    public static FileApiSymbols? Create(Compilation compilation)
    {
        var file = compilation.GetTypeByMetadataName("System.IO.File");
        return file is null ? null : new FileApiSymbols(compilation, file);
    }

    /// <summary>The path argument of new FileInfo(path) or IFileSystem.FileInfo.New(path); null for anything else.</summary>
    public IOperation? FileInfoPath(IOperation? value)
    {
        switch (value)
        {
            case Microsoft.CodeAnalysis.Operations.IObjectCreationOperation creation when Is(creation.Type, FileInfo) && creation.Arguments.Length == 1:
                return creation.Arguments[0].Value;
            case Microsoft.CodeAnalysis.Operations.IInvocationOperation call
                when call.TargetMethod.Name == "New" && call.Arguments.Length == 1 && TypeRelations.Implements(call.TargetMethod.ContainingType, FileInfoFactory):
                return call.Arguments[0].Value;
            default:
                return null;
        }
    }

    /// <summary>
    /// Whether <paramref name="type"/> is <paramref name="expected"/>, or its System.IO.Abstractions
    /// interface (or a type implementing it) when the compilation references that library.
    /// </summary>
    public bool Is(ITypeSymbol? type, INamedTypeSymbol? expected)
    {
        if (expected is null || type is null)
        {
            return false;
        }

        if (SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, expected))
        {
            return true;
        }

        return _counterparts is not null && _counterparts.TryGetValue(expected, out var counterpart) && TypeRelations.Implements(type, counterpart);
    }

}
