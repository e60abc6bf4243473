using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace CheckpointAudit.Knowledge;

/// <summary>
/// Whether what a load reads is the program's own state: the same source file also saves it (a write
/// whose path comes from the same member, path-building method or constant, or — for a path handed in
/// or a database value — a serialization of the type the load produces). Files that are only read
/// (manifests of other programs, user-edited configuration) are input, not state.
/// </summary>
internal static class SavedState
{
    /// <summary>The path of the file the parse reads: XDocument.Load(path), or File.ReadAll*/Open*(path) behind the input.</summary>
    public static IOperation? LoadedPath(IInvocationOperation load, IOperation input, IOperation root, FileApiSymbols apis)
    {
        // XDocument.Load(path), XmlReader.Create(path): the load is given the path itself.
        if (load.TargetMethod.Name is "Load" && load.Arguments[0].Parameter is { Type.SpecialType: SpecialType.System_String }
            || StoredInput.OpensPath(load, apis))
        {
            return input;
        }

        return LoadedPathOf(input, root, apis, 0);
    }

    private static IOperation? LoadedPathOf(IOperation input, IOperation root, FileApiSymbols apis, int depth)
    {
        var value = PathKey.Unwrap(input);
        for (; depth < 6 && value is not null; depth++)
        {
            while (value is IAwaitOperation await)
            {
                value = PathKey.Unwrap(await.Operation);
            }

            switch (value)
            {
                case ILocalReferenceOperation local:
                    value = PathKey.Unwrap(OperationTree.StoredValue(local.Local, root));
                    continue;
                case IParameterReferenceOperation parameter when value.SemanticModel is { } model:
                    // A private parser's text: what its callers in the file read (the first one that reads a file).
                    foreach (var (passed, callerRoot) in PrivateCallers.ArgumentsFor(parameter.Parameter, model))
                    {
                        if (passed.SemanticModel is not null && LoadedPathOf(passed, callerRoot, apis, depth + 1) is { } fromCaller)
                        {
                            return fromCaller;
                        }
                    }

                    return null;
                case IInvocationOperation call when apis.Is(call.TargetMethod.ContainingType, apis.File) && call.Arguments.Length > 0:
                    return call.Arguments[0].Value;
                case IInvocationOperation call when call.Instance is not null && call.TargetMethod.Name.StartsWith("Read", System.StringComparison.Ordinal):
                    value = PathKey.Unwrap(call.Instance); // reader.ReadToEnd()
                    continue;
                case IObjectCreationOperation creation when creation.Arguments.Length > 0:
                    value = PathKey.Unwrap(creation.Arguments[0].Value); // new StreamReader(path or stream), new FileStream(path, ...)
                    if (value?.Type?.SpecialType == SpecialType.System_String)
                    {
                        return value;
                    }

                    continue;
                default:
                    return null;
            }
        }

        return null;
    }

    /// <summary>What a finding about such a file says of it (<see cref="IsOnlyRead"/>).</summary>
    public const string OnlyReadEvidence = "nothing in this source file writes the file: it may be another program's input rather than this program's state";

    /// <summary>
    /// A parsed file, whose path the load shows, in a source file that writes no file at all: a reader of another
    /// program's file (a browser's bookmarks, a plugin's manifest), input rather than state. A source file that writes
    /// something may write this file by a path the analysis cannot match, so it does not count.
    /// </summary>
    public static bool IsOnlyRead(IInvocationOperation load, IOperation input, IOperation root, FileApiSymbols apis)
        => load.SemanticModel is { } model && LoadedPath(load, input, root, apis) is { } path
            && !FileFacts.Of(model, apis).WritesAnything && !IsSavedAgain(load, path, root, apis);

    /// <summary>
    /// Whether code in the same source file saves that file again: a write of the same constant path; or a
    /// file write whose path comes from the same member or path-building method, or a serialization of the
    /// type the load produces.
    /// </summary>
    public static bool IsSavedAgain(IInvocationOperation load, IOperation? path, IOperation root, FileApiSymbols apis)
    {
        // A constant path needs a write of that constant; any other path, a write of the same origin or a
        // serialization of the loaded type (the write itself may sit in a helper of another file).
        if (path is not null && WrittenInMethod(path, root, apis))
        {
            return true;
        }

        var pathConstant = PathKey.Unwrap(path)?.ConstantValue is { HasValue: true, Value: string text } ? text : null;
        return load.SemanticModel is { } model
            && WrittenInFile(model, pathConstant, pathConstant is null && path is not null ? Origin(path, root) : null, pathConstant is null ? LoadedType(load) : null, apis);
    }

    /// <summary>A write of the same path (a parameter or local included) in the loading method itself.</summary>
    private static bool WrittenInMethod(IOperation path, IOperation root, FileApiSymbols apis)
    {
        var key = PathKey.From(path, apis);
        if (key.IsEmpty)
        {
            return false;
        }

        foreach (var operation in root.Descendants())
        {
            if (operation is IInvocationOperation or IObjectCreationOperation
                && FileOverwrite.TryMatch(operation, apis, out var write)
                && PathKey.From(write.Target, apis).Equals(key))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether code in the same source file writes the file at <paramref name="path"/>: the same constant, or a path from the same member or path-building method.</summary>
    public static bool IsWrittenInFile(IOperation path, IOperation root, SemanticModel model, FileApiSymbols apis)
    {
        var pathConstant = PathKey.Unwrap(path)?.ConstantValue is { HasValue: true, Value: string text } ? text : null;
        var pathOrigin = pathConstant is null ? Origin(path, root) : null;
        return (pathConstant is not null || pathOrigin is not null) && WrittenInFile(model, pathConstant, pathOrigin, loadedType: null, apis);
    }

    private static bool WrittenInFile(SemanticModel model, string? pathConstant, ISymbol? pathOrigin, ITypeSymbol? loadedType, FileApiSymbols apis)
    {
        var facts = FileFacts.Of(model, apis);
        if (pathConstant is not null && facts.WrittenConstants.Contains(pathConstant))
        {
            return true;
        }

        if (pathOrigin is not null && facts.WrittenOrigins.Contains(pathOrigin))
        {
            return true;
        }

        return loadedType is not null && facts.SerializedTypes.Contains(loadedType);
    }

    /// <summary>What one source file writes and serializes, read once per file (several loads and checks per file ask).</summary>
    private sealed class FileFacts
    {
        // Per compilation, then per file: a tree is reused by the next compilation of an edited project, its symbols are not.
        private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<Compilation, System.Collections.Concurrent.ConcurrentDictionary<SyntaxTree, FileFacts>> PerCompilation = new();

        public System.Collections.Generic.HashSet<string> WrittenConstants { get; } = new(System.StringComparer.Ordinal);

        public System.Collections.Generic.HashSet<ISymbol> WrittenOrigins { get; } = new(SymbolEqualityComparer.Default);

        public System.Collections.Generic.HashSet<ITypeSymbol> SerializedTypes { get; } = new(SymbolEqualityComparer.Default);

        /// <summary>Whether the file writes or serializes anything at all.</summary>
        public bool WritesAnything { get; set; }

        public static FileFacts Of(SemanticModel model, FileApiSymbols apis)
            => PerCompilation.GetValue(model.Compilation, _ => new()).GetOrAdd(model.SyntaxTree, _ => Read(model, apis));

        private static FileFacts Read(SemanticModel model, FileApiSymbols apis)
        {
            var facts = new FileFacts();
            var creationsByAlias = PerCompilation<FileTypeAliases>.Get(model.Compilation, c => new FileTypeAliases(c))!.Exist;
            // Members are found without descending into their bodies.
            foreach (var member in model.SyntaxTree.GetRoot().DescendantNodes(n => n is CompilationUnitSyntax or BaseNamespaceDeclarationSyntax or TypeDeclarationSyntax).OfType<MemberDeclarationSyntax>())
            {
                if (member is not (BaseMethodDeclarationSyntax or PropertyDeclarationSyntax)
                    || !MayWriteOrSerialize(member, creationsByAlias))
                {
                    continue;
                }

                // By the names it calls, before binding: code that does not compile here still writes.
                facts.WritesAnything |= member.DescendantTokens().Any(t => t.IsKind(SyntaxKind.IdentifierToken) && WriteNames.Contains(t.ValueText));
                if (model.GetOperation(member) is not { } body)
                {
                    continue;
                }

                foreach (var operation in body.DescendantsAndSelf())
                {
                    if (FileOverwrite.TryMatch(operation, apis, out var write))
                    {
                        facts.WritesAnything = true;
                        if (PathKey.Unwrap(write.Target)?.ConstantValue is { HasValue: true, Value: string written })
                        {
                            facts.WrittenConstants.Add(written);
                        }
                        else if (Origin(write.Target, body) is { } origin)
                        {
                            facts.WrittenOrigins.Add(origin);
                        }
                    }

                    if (operation is IInvocationOperation { TargetMethod.Name: "Serialize" or "SerializeAsync" or "SerializeObject" } serialize)
                    {
                        foreach (var argument in serialize.Arguments.Where(a => a.Parameter?.Type.SpecialType != SpecialType.System_String))
                        {
                            if (PathKey.Unwrap(argument.Value)?.Type is { } serialized)
                            {
                                facts.SerializedTypes.Add(serialized.WithNullableAnnotation(NullableAnnotation.NotAnnotated));
                                facts.WritesAnything = true;
                            }
                        }
                    }
                }
            }

            return facts;
        }

        // Names of every call and type matched in Read: a member with none of them is not bound (binding every body of
        // the file was most of the cost of the rules asking). Method names cannot be aliased; type names can.
        // Names that write whatever they bind to (unlike Open, Create or new(...), which also read or build objects).
        private static readonly System.Collections.Generic.HashSet<string> WriteNames = new(System.StringComparer.Ordinal)
        {
            "WriteAllText", "WriteAllBytes", "WriteAllLines", "WriteAllTextAsync", "WriteAllBytesAsync", "WriteAllLinesAsync",
            "OpenWrite", "CreateText", "Serialize", "SerializeAsync", "SerializeObject", "StreamWriter",
        };

        private static readonly System.Collections.Generic.HashSet<string> Names = new(System.StringComparer.Ordinal)
        {
            "WriteAllText", "WriteAllBytes", "WriteAllLines", "WriteAllTextAsync", "WriteAllBytesAsync", "WriteAllLinesAsync",
            "Create", "CreateText", "Open", "OpenHandle", "OpenWrite", "Copy", "CopyTo", "Save", "New",
            "Serialize", "SerializeAsync", "SerializeObject", "FileStream", "StreamWriter",
        };

        private static bool MayWriteOrSerialize(MemberDeclarationSyntax member, bool creationsByAlias)
        {
            var previous = default(SyntaxToken);
            foreach (var token in member.DescendantTokens())
            {
                if (token.IsKind(SyntaxKind.IdentifierToken) && Names.Contains(token.ValueText))
                {
                    return true;
                }

                // new(path, FileMode.Create): the type is not written; with an alias in the project, neither is its name.
                if (token.IsKind(SyntaxKind.OpenParenToken) && previous.IsKind(SyntaxKind.NewKeyword)
                    || creationsByAlias && token.IsKind(SyntaxKind.NewKeyword))
                {
                    return true;
                }

                previous = token;
            }

            return false;
        }
    }

    /// <summary>Whether a file of the compilation names FileStream or StreamWriter by an alias (using FS = System.IO.FileStream).</summary>
    private sealed class FileTypeAliases(Compilation compilation)
    {
        public bool Exist { get; } = compilation.SyntaxTrees.Any(HasAlias);

        private static bool HasAlias(SyntaxTree tree)
            => tree.GetRoot()
                .DescendantNodes(n => n is CompilationUnitSyntax or BaseNamespaceDeclarationSyntax)
                .OfType<UsingDirectiveSyntax>()
                .Any(u => u.Alias is not null && u.NamespaceOrType.ToString() is var target
                    && (target.EndsWith("FileStream", System.StringComparison.Ordinal) || target.EndsWith("StreamWriter", System.StringComparison.Ordinal)));
    }

    /// <summary>The member or method a path comes from (_path, Paths.Settings, PathFor(id)); null for parameters and locals of unknown origin.</summary>
    public static ISymbol? Origin(IOperation path, IOperation root)
    {
        var value = PathKey.Unwrap(path);
        if (value is ILocalReferenceOperation local)
        {
            value = PathKey.Unwrap(OperationTree.DeclaredValue(local.Local, root));
        }

        return value switch
        {
            IFieldReferenceOperation field => field.Field,
            IPropertyReferenceOperation property => property.Property,
            IInvocationOperation call when call.TargetMethod.ContainingType.SpecialType != SpecialType.System_String && call.TargetMethod.ContainingType.Name != "Path" => call.TargetMethod.OriginalDefinition,
            _ => null,
        };
    }

    /// <summary>The type the parse produces (T of Deserialize&lt;T&gt;), when it is a concrete type.</summary>
    private static ITypeSymbol? LoadedType(IInvocationOperation load)
    {
        var type = load.TargetMethod.IsGenericMethod && load.TargetMethod.TypeArguments.Length == 1 ? load.TargetMethod.TypeArguments[0] : null;
        return type is null or ITypeParameterSymbol ? null : type.WithNullableAnnotation(NullableAnnotation.NotAnnotated);
    }
}
