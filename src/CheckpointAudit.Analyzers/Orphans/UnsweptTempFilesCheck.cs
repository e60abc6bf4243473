using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Linq;
using CheckpointAudit.Catalog;
using CheckpointAudit.Checks;
using CheckpointAudit.Knowledge;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace CheckpointAudit.Orphans;

/// <summary>
/// CKPT403 (MONITOR, compilation end): the program writes temp files under a new name on every save
/// (a GUID, a random name, GetTempFileName) and moves them into place, but nowhere in the project
/// enumerates and deletes files of that shape. Each crash or kill mid-save leaves one more behind.
/// A sweep is a Directory/DirectoryInfo enumeration in a body that also deletes files, whose search
/// pattern fits the temp's name shape — or, without a pattern, whose body names the temp's
/// leading or trailing constant (EndsWith(".tmp")).
/// </summary>
public sealed class UnsweptTempFilesCheck : RuleCheck
{
    public UnsweptTempFilesCheck()
        : base(RuleCatalog.UnsweptTempFiles)
    {
    }

    private protected override void OnCompilationStart(CheckStart start)
    {
        var apis = FileApiSymbols.Create(start.Compilation);
        if (apis is null)
        {
            return;
        }

        var scope = new RuleScope(OptionsOf(start.Compilation, start.Options));
        var temps = new ConcurrentBag<(Location Location, string Temp, string Shape)>();
        var sweeps = new ConcurrentBag<Sweep>();
        start.RegisterOperationAction(
            c =>
            {
                var invocation = (IInvocationOperation)c.Operation;
                if (Sweep.TryMatch(invocation, apis) is { } sweep)
                {
                    sweeps.Add(sweep);
                }
                else if (FilePromotion.TryMatchMoveOrReplace(invocation, apis, out var source, out _) && scope.Includes(c))
                {
                    var root = OperationTree.Root(invocation);
                    if (TempFileDurability.Of(PathKey.From(source, apis), root, invocation, apis, out _) != TempWriteState.Unknown
                        && PathOrigin.IsUnique(source, root, apis))
                    {
                        temps.Add((invocation.Syntax.GetLocation(), source.Syntax.ToString(), TempNamePattern.FileNameShape(source, root, apis)));
                    }
                }
            },
            OperationKind.Invocation);
        start.RegisterCompilationEndAction(end =>
        {
            var found = sweeps.ToArray();
            foreach (var temp in temps)
            {
                if (!found.Any(s => s.Covers(temp.Shape)))
                {
                    end.ReportDiagnostic(Diagnostic.Create(Rule.Descriptor, temp.Location, temp.Temp, "names like " + TempNamePattern.Display(temp.Shape)));
                }
            }
        });
    }

    /// <summary>A directory enumeration in a body that deletes files.</summary>
    private sealed class Sweep
    {
        private readonly string? _pattern;
        private readonly ImmutableArray<string> _bodyConstants;

        private Sweep(string? pattern, ImmutableArray<string> bodyConstants)
        {
            _pattern = pattern;
            _bodyConstants = bodyConstants;
        }

        public static Sweep? TryMatch(IInvocationOperation invocation, FileApiSymbols apis)
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
                return new Sweep(pattern, ImmutableArray<string>.Empty);
            }

            // No pattern: the filter is in the body (EndsWith(".tmp"), GetExtension(f) == ".tmp").
            var constants = root.Descendants()
                .Select(o => o.ConstantValue)
                .Where(v => v.HasValue && v.Value is string { Length: >= 2 })
                .Select(v => (string)v.Value!)
                .Distinct()
                .ToImmutableArray();
            return new Sweep(null, constants);
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
}
