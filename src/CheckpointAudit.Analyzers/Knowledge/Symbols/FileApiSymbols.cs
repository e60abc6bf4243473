using Microsoft.CodeAnalysis;

namespace CheckpointAudit.Knowledge;

/// <summary>File-system and XML types resolved once per compilation.</summary>
internal sealed class FileApiSymbols
{
    private FileApiSymbols(Compilation compilation, INamedTypeSymbol file)
    {
        File = file;
        FileInfo = KnownTypes.Get(compilation, "System.IO.FileInfo");
        FileSystemInfo = KnownTypes.Get(compilation, "System.IO.FileSystemInfo");
        Directory = KnownTypes.Get(compilation, "System.IO.Directory");
        DirectoryInfo = KnownTypes.Get(compilation, "System.IO.DirectoryInfo");
        FileStream = KnownTypes.Get(compilation, "System.IO.FileStream");
        FileMode = KnownTypes.Get(compilation, "System.IO.FileMode");
        FileStreamOptions = KnownTypes.Get(compilation, "System.IO.FileStreamOptions");
        StreamWriter = KnownTypes.Get(compilation, "System.IO.StreamWriter");
        Path = KnownTypes.Get(compilation, "System.IO.Path");
        Guid = KnownTypes.Get(compilation, "System.Guid");
        DateTime = compilation.GetSpecialType(SpecialType.System_DateTime);
        DateTimeOffset = KnownTypes.Get(compilation, "System.DateTimeOffset");
        XmlWriter = KnownTypes.Get(compilation, "System.Xml.XmlWriter");
        XmlDocument = KnownTypes.Get(compilation, "System.Xml.XmlDocument");
        XDocument = KnownTypes.Get(compilation, "System.Xml.Linq.XDocument");
        XElement = KnownTypes.Get(compilation, "System.Xml.Linq.XElement");
        String = compilation.GetSpecialType(SpecialType.System_String);
        CheckpointFile = KnownTypes.Get(compilation, "CheckpointAudit.CheckpointFile");
        IOException = KnownTypes.Get(compilation, "System.IO.IOException");
        FileNotFoundException = KnownTypes.Get(compilation, "System.IO.FileNotFoundException");

        // System.IO.Abstractions (IFileSystem.File.*, .FileInfo.New(path), .FileStream.New(...)):
        // the same operations behind interfaces, so that code written for testability is judged alike.
        var abstractions = new (INamedTypeSymbol? Type, string Interface)[]
        {
            (File, "IFile"), (FileInfo, "IFileInfo"), (FileSystemInfo, "IFileSystemInfo"), (Path, "IPath"),
            (Directory, "IDirectory"), (DirectoryInfo, "IDirectoryInfo"),
        };
        foreach (var (type, name) in abstractions)
        {
            if (type is not null && KnownTypes.Get(compilation, "System.IO.Abstractions." + name) is { } counterpart)
            {
                _counterparts ??= new System.Collections.Generic.Dictionary<INamedTypeSymbol, INamedTypeSymbol>(SymbolEqualityComparer.Default);
                _counterparts[type] = counterpart;
            }
        }

        FileInfoFactory = KnownTypes.Get(compilation, "System.IO.Abstractions.IFileInfoFactory");
        FileStreamFactory = KnownTypes.Get(compilation, "System.IO.Abstractions.IFileStreamFactory");
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

    /// <summary>Null when the compilation has no System.IO.File: nothing to analyze. One instance per compilation.</summary>
    public static FileApiSymbols? Create(Compilation compilation)
        => PerCompilation<FileApiSymbols>.Get(compilation, c => KnownTypes.Get(c, "System.IO.File") is { } file ? new FileApiSymbols(c, file) : null);

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
    private static bool SameMetadataType(INamedTypeSymbol type, INamedTypeSymbol expected)
        => type.Arity == expected.Arity
            && SameNamespace(type.ContainingNamespace, expected.ContainingNamespace)
            && (type.ContainingType is null) == (expected.ContainingType is null);

    private static bool SameNamespace(INamespaceSymbol? a, INamespaceSymbol? b)
    {
        for (; a is not null && b is not null; a = a.ContainingNamespace, b = b.ContainingNamespace)
        {
            if (a.Name != b.Name)
            {
                return false;
            }
        }

        return a is null && b is null;
    }

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

        // A body of a referenced project (summarised for a call from here) is bound in that project's compilation,
        // whose framework symbols are other instances, even from another assembly (netstandard's FileStream), when
        // the reference sets differ: the same type by namespace and name.
        if (type.Name == expected.Name && type.OriginalDefinition is INamedTypeSymbol named && SameMetadataType(named, expected))
        {
            return true;
        }

        return _counterparts is not null && _counterparts.TryGetValue(expected, out var counterpart) && TypeRelations.Implements(type, counterpart);
    }

}
