using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace CheckpointAudit.Knowledge;

/// <summary>
/// A sweep: a Directory/DirectoryInfo enumeration in a body that also deletes files, with the search pattern it lists
/// (or, without one, the constants its body filters names with). Whether it can reach files of a given name shape is
/// <see cref="Covers"/>.
/// </summary>
internal sealed class FileSweep
{
    private readonly string? _pattern;
    private readonly ImmutableArray<string> _bodyConstants;

    private FileSweep(string? pattern, ImmutableArray<string> bodyConstants)
    {
        _pattern = pattern;
        _bodyConstants = bodyConstants;
    }

    public static FileSweep? TryMatch(IInvocationOperation invocation, FileApiSymbols apis)
    {
        var method = invocation.TargetMethod;
        if (method.Name is not ("GetFiles" or "EnumerateFiles" or "GetFileSystemEntries" or "EnumerateFileSystemEntries"
                or "GetFileSystemInfos" or "EnumerateFileSystemInfos")
            || !(apis.Is(method.ContainingType, apis.Directory) || apis.Is(method.ContainingType, apis.DirectoryInfo)))
        {
            return null;
        }

        var root = OperationTree.Root(invocation);
        if (!DeletesFiles(root, apis))
        {
            return null;
        }

        string? pattern = null;
        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter?.Name == "searchPattern" && PathKey.Unwrap(argument.Value)?.ConstantValue is { HasValue: true, Value: string constant })
            {
                pattern = constant;
            }
        }

        if (pattern is not null && pattern is not ("*" or "*.*"))
        {
            return new FileSweep(pattern, ImmutableArray<string>.Empty);
        }

        // No pattern: the filter is in the body (EndsWith(".tmp"), GetExtension(f) == ".tmp").
        var constants = root.Descendants()
            .Select(o => o.ConstantValue)
            .Where(v => v.HasValue && v.Value is string { Length: >= 2 })
            .Select(v => (string)v.Value!)
            .Distinct()
            .ToImmutableArray();
        return new FileSweep(null, constants);
    }

    public bool Covers(string shape)
    {
        if (_pattern is not null)
        {
            return TempNamePattern.Overlaps(_pattern, shape);
        }

        foreach (var constant in _bodyConstants)
        {
            if (shape.EndsWith(constant, System.StringComparison.OrdinalIgnoreCase) || shape.StartsWith(constant, System.StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static bool DeletesFiles(IOperation root, FileApiSymbols apis)
    {
        foreach (var operation in root.Descendants())
        {
            var method = operation switch
            {
                IInvocationOperation call => call.TargetMethod,
                IMethodReferenceOperation reference => reference.Method,
                _ => null,
            };
            if (method?.Name == "Delete"
                && (apis.Is(method.ContainingType, apis.File) || apis.Is(method.ContainingType, apis.FileInfo) || apis.Is(method.ContainingType, apis.FileSystemInfo)))
            {
                return true;
            }
        }

        return false;
    }
}
