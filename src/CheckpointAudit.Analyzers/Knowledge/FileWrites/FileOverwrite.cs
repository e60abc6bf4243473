using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace CheckpointAudit.Knowledge;

/// <summary>Which family of API truncates the file; decides which fixes can apply.</summary>
internal enum FileOverwriteKind
{
    /// <summary>File.WriteAllText/Bytes/Lines (+Async): the whole content in one call.</summary>
    WriteAll,

    /// <summary>A stream or writer opened with truncation; the content follows in later calls.</summary>
    Stream,

    /// <summary>File.Copy / FileInfo.CopyTo with overwrite.</summary>
    Copy,

    /// <summary>XmlWriter.Create(path), XDocument/XElement/XmlDocument.Save(path).</summary>
    XmlSave,

    /// <summary>A call of the project's own method that writes the file (known from its summary); no fix rewrites it.</summary>
    ProjectMethod,
}

/// <summary>
/// An operation that truncates an existing file and rewrites it in place. Recognises the
/// APIs listed in docs/rules/CKPT201.md; appends and non-truncating opens are not overwrites.
/// </summary>
internal readonly struct FileOverwrite
{
    private FileOverwrite(IOperation operation, IOperation target, string api, FileOverwriteKind kind)
    {
        Operation = operation;
        Target = target;
        Api = api;
        Kind = kind;
    }

    /// <summary>The invocation or object creation.</summary>
    public IOperation Operation { get; }

    /// <summary>The expression naming the file that is overwritten (path or FileInfo).</summary>
    public IOperation Target { get; }

    /// <summary>Display name of the API, e.g. "File.WriteAllText".</summary>
    public string Api { get; }

    public FileOverwriteKind Kind { get; }

    private const int FileModeCreate = 2;
    private const int FileModeTruncate = 5;

    private const int FileModeCreateNew = 1;
    private const int FileModeOpenOrCreate = 4;

    /// <summary>A write of the whole file through the generated CheckpointFile helper (atomic and durable).</summary>
    public static FileOverwrite HelperWrite(IInvocationOperation invocation, IOperation target)
        => new(invocation, target, "CheckpointFile." + invocation.TargetMethod.Name, FileOverwriteKind.WriteAll);

    /// <summary>A write of a file by the project's own method (see <see cref="MethodSummaries"/>).</summary>
    public static FileOverwrite ProjectMethodWrite(IInvocationOperation invocation, IOperation target)
        => new(invocation, target, invocation.TargetMethod.ContainingType.Name + "." + invocation.TargetMethod.Name, FileOverwriteKind.ProjectMethod);

    /// <summary>
    /// Matches a call that truncates and rewrites a file. With <paramref name="anyNewContent"/> it also
    /// matches opens that write a new or reused file without truncating (CreateNew, OpenOrCreate,
    /// OpenWrite): what a temp file is written with.
    /// </summary>
    public static bool TryMatch(IOperation operation, FileApiSymbols apis, out FileOverwrite overwrite, bool anyNewContent = false)
    {
        overwrite = default;
        return operation switch
        {
            IInvocationOperation invocation => TryMatchInvocation(invocation, apis, anyNewContent, out overwrite),
            IObjectCreationOperation creation => TryMatchCreation(creation, apis, anyNewContent, out overwrite),
            _ => false,
        };
    }

    private static bool TryMatchInvocation(IInvocationOperation invocation, FileApiSymbols apis, bool anyNewContent, out FileOverwrite overwrite)
    {
        overwrite = default;
        var method = invocation.TargetMethod;
        if (!IsOverwritingName(method.Name))
        {
            return false; // the cheap test first: this runs for every invocation
        }

        var type = method.ContainingType;
        var parameters = method.Parameters;
        IOperation? target = null;
        var kind = FileOverwriteKind.Stream;

        if (apis.Is(type, apis.File))
        {
            switch (method.Name)
            {
                case "WriteAllText":
                case "WriteAllBytes":
                case "WriteAllLines":
                case "WriteAllTextAsync":
                case "WriteAllBytesAsync":
                case "WriteAllLinesAsync":
                    target = OperationTree.ArgumentFor(invocation.Arguments, 0);
                    kind = FileOverwriteKind.WriteAll;
                    break;
                case "Create":
                case "CreateText":
                    target = OperationTree.ArgumentFor(invocation.Arguments, 0);
                    break;
                case "Open":
                case "OpenHandle":
                    if (Truncates(invocation.Arguments, parameters, 1, apis, anyNewContent))
                    {
                        target = OperationTree.ArgumentFor(invocation.Arguments, 0);
                    }

                    break;
                case "OpenWrite" when anyNewContent || DeletedBefore(invocation, OperationTree.ArgumentFor(invocation.Arguments, 0), apis):
                    target = OperationTree.ArgumentFor(invocation.Arguments, 0);
                    break;
                case "Copy" when parameters.Length == 3 && IsTrue(OperationTree.ArgumentFor(invocation.Arguments, 2)):
                    target = OperationTree.ArgumentFor(invocation.Arguments, 1);
                    kind = FileOverwriteKind.Copy;
                    break;
            }
        }
        else if (apis.Is(type, apis.FileInfo) && invocation.Instance is not null)
        {
            switch (method.Name)
            {
                case "Create":
                case "CreateText":
                    target = invocation.Instance;
                    break;
                case "Open":
                    if (Truncates(invocation.Arguments, parameters, 0, apis, anyNewContent))
                    {
                        target = invocation.Instance;
                    }

                    break;
                case "OpenWrite" when anyNewContent || DeletedBefore(invocation, invocation.Instance, apis):
                    target = invocation.Instance;
                    break;
                case "CopyTo" when parameters.Length == 2 && IsTrue(OperationTree.ArgumentFor(invocation.Arguments, 1)):
                    target = OperationTree.ArgumentFor(invocation.Arguments, 0);
                    kind = FileOverwriteKind.Copy;
                    break;
            }
        }
        else if (apis.Is(type, apis.XmlWriter))
        {
            if (method.Name == "Create" && FirstParameterIsString(parameters, apis))
            {
                target = OperationTree.ArgumentFor(invocation.Arguments, 0);
                kind = FileOverwriteKind.XmlSave;
            }
        }
        else if (apis.Is(type, apis.XDocument) || apis.Is(type, apis.XElement) || apis.Is(type, apis.XmlDocument))
        {
            if (method.Name == "Save" && FirstParameterIsString(parameters, apis))
            {
                target = OperationTree.ArgumentFor(invocation.Arguments, 0);
                kind = FileOverwriteKind.XmlSave;
            }
        }

        else if (method.Name == "New" && FirstParameterIsString(parameters, apis) && TypeRelations.Implements(type, apis.FileStreamFactory))
        {
            // IFileSystem.FileStream.New(path, mode, ...) takes the FileStream constructor's parameters.
            if (Truncates(invocation.Arguments, parameters, 1, apis, anyNewContent))
            {
                target = OperationTree.ArgumentFor(invocation.Arguments, 0);
            }
        }

        if (target is null)
        {
            return false;
        }

        overwrite = new FileOverwrite(invocation, target, type.Name + "." + method.Name, kind);
        return true;
    }

    /// <summary>The method names of every overwriting call matched below.</summary>
    private static bool IsOverwritingName(string name)
        => name is "WriteAllText" or "WriteAllBytes" or "WriteAllLines" or "WriteAllTextAsync" or "WriteAllBytesAsync" or "WriteAllLinesAsync"
            or "Create" or "CreateText" or "Open" or "OpenHandle" or "OpenWrite" or "Copy" or "CopyTo" or "Save" or "New";

    private static bool TryMatchCreation(IObjectCreationOperation creation, FileApiSymbols apis, bool anyNewContent, out FileOverwrite overwrite)
    {
        overwrite = default;

        // The type first: this runs for every object creation, and only these open a path for writing.
        var isFileStream = apis.Is(creation.Type, apis.FileStream);
        if (!isFileStream && !apis.Is(creation.Type, apis.StreamWriter))
        {
            return IsXmlTextWriterOnPath(creation, apis, out overwrite);
        }

        var constructor = creation.Constructor;
        if (constructor is null || !FirstParameterIsString(constructor.Parameters, apis))
        {
            return false;
        }

        var parameters = constructor.Parameters;
        var truncates = false;
        if (isFileStream)
        {
            truncates = Truncates(creation.Arguments, parameters, 1, apis, anyNewContent);
        }
        else if (apis.Is(creation.Type, apis.StreamWriter))
        {
            if (parameters.Length == 1)
            {
                truncates = true; // new StreamWriter(path) truncates.
            }
            else if (parameters[1].Type.SpecialType == SpecialType.System_Boolean)
            {
                truncates = IsFalse(OperationTree.ArgumentFor(creation.Arguments, 1));
            }
            else
            {
                truncates = Truncates(creation.Arguments, parameters, parameters.Length - 1, apis, anyNewContent);
            }
        }

        if (!truncates)
        {
            return false;
        }

        var target = OperationTree.ArgumentFor(creation.Arguments, 0);
        if (target is null)
        {
            return false;
        }

        overwrite = new FileOverwrite(creation, target, "new " + creation.Type!.Name, FileOverwriteKind.Stream);
        return true;
    }

    /// <summary>
    /// The same body deletes the file before opening it for writing without truncation (<c>File.Delete(p);
    /// File.OpenWrite(p)</c>): the old content is gone first, so the open rewrites the file in place all the same.
    /// </summary>
    public static bool DeletedBefore(IOperation open, IOperation? target, FileApiSymbols apis)
    {
        var key = PathKey.From(target, apis);
        if (key.IsEmpty)
        {
            return false;
        }

        foreach (var operation in OperationTree.Root(open).Descendants())
        {
            if (operation.Syntax.SpanStart >= open.Syntax.SpanStart)
            {
                continue;
            }

            if (IsDeleteOf(operation, key, apis))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>File.Delete(path) or FileInfo.Delete() of the file <paramref name="key"/> names.</summary>
    public static bool IsDeleteOf(IOperation operation, PathKey key, FileApiSymbols apis)
        => operation is IInvocationOperation { TargetMethod.Name: "Delete" } delete
            && (apis.Is(delete.TargetMethod.ContainingType, apis.File) && PathKey.From(OperationTree.ArgumentFor(delete.Arguments, 0), apis).Equals(key)
                || apis.Is(delete.TargetMethod.ContainingType, apis.FileInfo) && PathKey.From(delete.Instance, apis).Equals(key));

    /// <summary>new XmlTextWriter(path, encoding): opens the file with FileMode.Create.</summary>
    private static bool IsXmlTextWriterOnPath(IObjectCreationOperation creation, FileApiSymbols apis, out FileOverwrite overwrite)
    {
        overwrite = default;
        if (creation.Type is not INamedTypeSymbol { Name: "XmlTextWriter", ContainingNamespace.Name: "Xml" } type || type.ContainingNamespace.ContainingNamespace?.Name != "System"
            || creation.Constructor is not { } constructor || !FirstParameterIsString(constructor.Parameters, apis)
            || OperationTree.ArgumentFor(creation.Arguments, 0) is not { } target)
        {
            return false;
        }

        overwrite = new FileOverwrite(creation, target, "new XmlTextWriter", FileOverwriteKind.Stream);
        return true;
    }

    /// <summary>True when the FileMode (or FileStreamOptions.Mode) at <paramref name="ordinal"/> is Create or Truncate.</summary>
    private static bool Truncates(System.Collections.Immutable.ImmutableArray<IArgumentOperation> arguments, System.Collections.Immutable.ImmutableArray<IParameterSymbol> parameters, int ordinal, FileApiSymbols apis, bool anyNewContent)
    {
        if (ordinal >= parameters.Length)
        {
            return false;
        }

        var value = PathKey.Unwrap(OperationTree.ArgumentFor(arguments, ordinal));
        if (value is null)
        {
            return false;
        }

        if (apis.Is(parameters[ordinal].Type, apis.FileMode))
        {
            return IsTruncatingMode(value, anyNewContent);
        }

        if (apis.Is(parameters[ordinal].Type, apis.FileStreamOptions))
        {
            if (value is ILocalReferenceOperation local)
            {
                value = PathKey.Unwrap(OperationTree.DeclaredValue(local.Local, OperationTree.Root(value)));
            }

            if (value is IObjectCreationOperation { Initializer: { } initializer })
            {
                foreach (var init in initializer.Initializers)
                {
                    if (init is ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property.Name: "Mode" } } assignment)
                    {
                        return IsTruncatingMode(PathKey.Unwrap(assignment.Value), anyNewContent);
                    }
                }
            }
        }

        // Unknown or default (FileStreamOptions.Mode defaults to Open): not a truncation.
        return false;
    }

    private static bool IsTruncatingMode(IOperation? value, bool anyNewContent)
        => value is not null && value.ConstantValue.HasValue && value.ConstantValue.Value is int mode
            && (mode == FileModeCreate || mode == FileModeTruncate
                || (anyNewContent && (mode == FileModeCreateNew || mode == FileModeOpenOrCreate)));

    private static bool IsTrue(IOperation? value)
        => PathKey.Unwrap(value) is { ConstantValue: { HasValue: true, Value: true } };

    private static bool IsFalse(IOperation? value)
        => PathKey.Unwrap(value) is { ConstantValue: { HasValue: true, Value: false } };

    private static bool FirstParameterIsString(System.Collections.Immutable.ImmutableArray<IParameterSymbol> parameters, FileApiSymbols apis)
        => parameters.Length > 0 && parameters[0].Type.SpecialType == SpecialType.System_String;
}
