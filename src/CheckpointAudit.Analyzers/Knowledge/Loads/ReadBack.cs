using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace CheckpointAudit.Knowledge;

/// <summary>
/// Whether the program reads back a file it writes: a read (File.Read*, OpenRead, OpenText, a FileStream or
/// StreamReader opened on it, XDocument/XmlDocument.Load, or a project method that reads the path it is given, such as
/// <c>_diskProvider.ReadAllText(path)</c>) of the same constant path in the writing file, or of a path from the same
/// member or path-building method (<see cref="SavedState.Origin"/>) in any source file of the compilation. A file the
/// program reads back is its state, not output handed to someone else. Asked only for writes already found; other
/// files are searched only when their text names the path's member, and only members naming both it and a read are bound.
/// </summary>
internal static class ReadBack
{
    // Names of the reading calls and types matched below: members naming none of them are not bound.
    private static readonly HashSet<string> Names = new(System.StringComparer.Ordinal)
    {
        "ReadAllText", "ReadAllBytes", "ReadAllLines", "ReadAllTextAsync", "ReadAllBytesAsync", "ReadAllLinesAsync", "ReadLines",
        "OpenRead", "OpenText", "Load", "StreamReader", "FileStream",
    };

    /// <summary>
    /// Which file reads the path back and the member or constant it shares with <paramref name="target"/>, in words
    /// ("this file reads it back (the path from '_configFile')"); null when the program does not read it.
    /// </summary>
    public static string? Of(IOperation target, IOperation root)
    {
        if (target.SemanticModel is not { } model)
        {
            return null;
        }

        var constant = PathKey.Unwrap(target)?.ConstantValue is { HasValue: true, Value: string text } ? text : null;
        var origin = constant is null ? SavedState.Origin(target, root) : null;
        if (constant is null && origin is null)
        {
            return null;
        }

        if (ReadIn(model, constant, origin) is { } here)
        {
            return $"this file reads it back (the path from {here})";
        }

        // A path member other files can name (a property, a path-building method, a field of a partial type) is read
        // back there as often as here; answered once per compilation and member.
        // Only the project's own members: a framework member (FileInfo.FullName) is named in every file.
        return origin is null || origin.DeclaringSyntaxReferences.IsEmpty ? null
            : OtherFiles.GetValue(model.Compilation, _ => new(SymbolEqualityComparer.Default)).GetOrAdd(origin, o => ReadElsewhere(o, model));
    }

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<Compilation, System.Collections.Concurrent.ConcurrentDictionary<ISymbol, string?>> OtherFiles = new();

    /// <summary>A member named in more files than this is too common a name to search (Path, Name): a budget.</summary>
    private const int MaxOtherFiles = 12;

    private static string? ReadElsewhere(ISymbol origin, SemanticModel writer)
    {
        var trees = SourceSearch.TreesNaming(origin.Name, writer.Compilation, default).Take(MaxOtherFiles + 1).ToList();
        if (trees.Count > MaxOtherFiles)
        {
            return null;
        }

        foreach (var tree in trees)
        {
#pragma warning disable RS1030 // Only for a write already found whose file does not read it back; only files naming the member.
            if (tree != writer.SyntaxTree && ReadIn(writer.Compilation.GetSemanticModel(tree), null, origin) is { } read)
#pragma warning restore RS1030
            {
                return $"{System.IO.Path.GetFileName(tree.FilePath)} reads it back (the path from {read})";
            }
        }

        return null;
    }

    /// <summary>Whether a member of the model's file reads the constant path or a path from <paramref name="origin"/>.</summary>
    private static string? ReadIn(SemanticModel model, string? constant, ISymbol? origin)
    {
        // Only members that name both a read and the path's constant or origin are bound: this runs for every write found.
        foreach (var member in ReadingMember.InFile(model.SyntaxTree))
        {
            if (!member.Mentions(constant, origin?.Name) || model.GetOperation(member.Syntax) is not { } body)
            {
                continue;
            }

            bool Same(IOperation path)
                => (constant is not null && PathKey.Unwrap(path)?.ConstantValue is { HasValue: true, Value: string read } && read == constant)
                    || (origin is not null && SymbolEqualityComparer.Default.Equals(SavedState.Origin(path, body), origin));

            foreach (var operation in body.Descendants())
            {
                if (ReadPath(operation, model.Compilation, Same) is not null)
                {
                    return constant is not null ? $"\"{constant}\"" : $"'{origin!.Name}'";
                }
            }
        }

        return null;
    }

    /// <summary>The path a reading call or creation opens, when it is the one <paramref name="same"/> looks for; else null.</summary>
    private static IOperation? ReadPath(IOperation operation, Compilation compilation, System.Func<IOperation, bool> same)
    {
        var path = operation is IInvocationOperation { TargetMethod: { } method } call && NameWords.First(method.Name, ReadWords) is not null && MethodSummaries.IsProjectMethod(method)
            ? ProjectReadPath(call, compilation, same)
            : ApiReadPath(operation);
        return path is not null && same(path) ? path : null;
    }

    /// <summary>The path a framework reading call or creation opens, or null.</summary>
    private static IOperation? ApiReadPath(IOperation operation)
    {
        switch (operation)
        {
            case IInvocationOperation { TargetMethod: { ContainingType: { } type } method } call when call.Arguments.Length > 0 && Names.Contains(method.Name):
                var first = call.Arguments[0];
                if (first.Parameter?.Type.SpecialType != SpecialType.System_String)
                {
                    return null;
                }

                return SymbolNames.IsType(type, "System.IO.File")
                    || (method.Name == "Load" && (SymbolNames.IsType(type, "System.Xml.Linq.XDocument") || SymbolNames.IsType(type, "System.Xml.Linq.XElement") || SymbolNames.IsType(type, "System.Xml.XmlDocument")))
                    ? first.Value
                    : null;
            case IObjectCreationOperation { Type: { } created, Constructor: { Parameters: { Length: > 0 } parameters } } creation
                when parameters[0].Type.SpecialType == SpecialType.System_String && creation.Arguments.Length > 0:
                if (SymbolNames.IsType(created, "System.IO.StreamReader"))
                {
                    return creation.Arguments[0].Value;
                }

                // new FileStream(path, FileMode.Open[, ...]): 3 is FileMode.Open.
                return SymbolNames.IsType(created, "System.IO.FileStream") && creation.Arguments.Length > 1
                    && PathKey.Unwrap(creation.Arguments[1].Value) is { ConstantValue: { HasValue: true, Value: 3 } }
                    ? creation.Arguments[0].Value
                    : null;
            default:
                return null;
        }
    }

    // Words of the project's own reading methods (ReadAllText on an IDiskProvider, LoadJson, OpenConfig, Deserialize…).
    private static readonly HashSet<string> ReadWords = NameWords.Set("read", "load", "open", "deserialize", "parse", "import", "restore");

    /// <summary>
    /// The argument a project method reads as a file, by its summary (<see cref="PathUse.Reads"/>); summarised only
    /// when an argument is the path looked for.
    /// </summary>
    private static IOperation? ProjectReadPath(IInvocationOperation call, Compilation compilation, System.Func<IOperation, bool> same)
    {
        if (MethodSummaries.Of(compilation) is not { } summaries || !call.Arguments.Any(a => same(a.Value)))
        {
            return null;
        }

        var summary = summaries.For(call.TargetMethod, default);
        foreach (var argument in call.Arguments)
        {
            if ((summary.Use(argument.Parameter?.OriginalDefinition) & PathUse.Reads) != 0 && same(argument.Value))
            {
                return argument.Value;
            }
        }

        return null;
    }

    /// <summary>
    /// The methods and properties of a file that name a read API, each with the identifiers and string literals it
    /// holds: every write asks about the file it is in, so its tokens are read once per file, not once per write.
    /// </summary>
    private sealed class ReadingMember
    {
        private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<SyntaxTree, List<ReadingMember>> ByTree = new();

        private readonly HashSet<string> _identifiers;
        private readonly HashSet<string> _literals;

        private ReadingMember(MemberDeclarationSyntax syntax, HashSet<string> identifiers, HashSet<string> literals)
        {
            Syntax = syntax;
            _identifiers = identifiers;
            _literals = literals;
        }

        public MemberDeclarationSyntax Syntax { get; }

        public static List<ReadingMember> InFile(SyntaxTree tree) => ByTree.GetValue(tree, Index);

        /// <summary>Whether the member names the path's constant (as a string literal) or origin (as an identifier).</summary>
        public bool Mentions(string? constant, string? originName)
            => (originName is not null && _identifiers.Contains(originName)) || (constant is not null && _literals.Contains(constant));

        private static List<ReadingMember> Index(SyntaxTree tree)
        {
            var found = new List<ReadingMember>();
            foreach (var member in tree.GetRoot().DescendantNodes().OfType<MemberDeclarationSyntax>())
            {
                if (member is not (BaseMethodDeclarationSyntax or PropertyDeclarationSyntax))
                {
                    continue;
                }

                var read = false;
                var identifiers = new HashSet<string>(System.StringComparer.Ordinal);
                var literals = new HashSet<string>(System.StringComparer.Ordinal);
                foreach (var token in member.DescendantTokens())
                {
                    if (token.IsKind(SyntaxKind.IdentifierToken))
                    {
                        identifiers.Add(token.ValueText);
                        read = read || Names.Contains(token.ValueText) || NameWords.First(token.ValueText, ReadWords) is not null;
                    }
                    else if (token.IsKind(SyntaxKind.StringLiteralToken))
                    {
                        literals.Add(token.ValueText);
                    }
                }

                if (read)
                {
                    found.Add(new ReadingMember(member, identifiers, literals));
                }
            }

            return found;
        }
    }
}
