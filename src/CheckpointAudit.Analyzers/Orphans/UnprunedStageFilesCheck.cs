using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using CheckpointAudit.Catalog;
using CheckpointAudit.Checks;
using CheckpointAudit.Knowledge;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace CheckpointAudit.Orphans;

/// <summary>
/// CKPT404 (MONITOR, compilation end): the program saves state per ID or stage — a file whose path is built from a
/// storage root (a field, property or constructor parameter) and from values the writing method is given or computes
/// (<c>Path.Combine(_root, documentId, $"stage-{stage}.json")</c>) — and nothing in the project deletes anything
/// under that root: no file or directory deletion whose path is built from the same root (directly or in a method of
/// the type that owns it), and no sweep whose pattern reaches the file's name. Every ID and stage ever processed
/// stays on disk. Temp and scratch files (CKPT403's) and regenerable output are left out; one finding per root and
/// set of keys.
/// </summary>
public sealed class UnprunedStageFilesCheck : RuleCheck
{
    public UnprunedStageFilesCheck()
        : base(RuleCatalog.UnprunedStageFiles)
    {
    }

    /// <summary>A write of a file per key: where, the path, the roots and the keys it is built from, and its name's shape.</summary>
    private sealed class KeyedWrite(IOperation write, IOperation path, List<ISymbol> roots, List<string> keys, string shape)
    {
        public IOperation Write { get; } = write;

        public IOperation Path { get; } = path;

        public List<ISymbol> Roots { get; } = roots;

        public List<string> Keys { get; } = keys;

        public string Shape { get; } = shape;
    }

    private protected override void OnCompilationStart(CheckStart start)
    {
        if (RecordFiles.Of(start.Compilation) is not { } files)
        {
            return;
        }

        var apis = files.Apis;
        var scope = new RuleScope(OptionsOf(start.Compilation, start.Options));
        var writes = new ConcurrentBag<(IOperation Write, IOperation Path, IOperation? Content)>();
        var sweeps = new ConcurrentBag<FileSweep>();
        var deletes = new ConcurrentBag<IInvocationOperation>();
        start.RegisterOperationAction(
            c =>
            {
                var operation = c.Operation;
                if (operation is IInvocationOperation call)
                {
                    if (FileSweep.TryMatch(call, apis) is { } sweep)
                    {
                        sweeps.Add(sweep);
                    }

                    // The deletions themselves: a project method that deletes is seen in its own body, where its path is built.
                    if (call.TargetMethod.Name == "Delete" && !MethodSummaries.IsProjectMethod(call.TargetMethod) && files.DeletesFiles(call, c.CancellationToken))
                    {
                        deletes.Add(call);
                    }

                    // A move saves new data only when it promotes a temp written here; a rename of existing data adds nothing.
                    if (FilePromotion.TryMatchMoveOrReplace(call, apis, out var source, out var destination) && destination is not null && scope.Includes(c))
                    {
                        if (files.WrittenIn(OperationTree.Root(call), PathKey.From(source, apis)))
                        {
                            writes.Add((call, destination, null));
                        }

                        return;
                    }
                }

                if (FileOverwrite.TryMatch(operation, apis, out var write) && write.Kind != FileOverwriteKind.ProjectMethod && scope.Includes(c))
                {
                    var content = operation is IInvocationOperation writeAll && write.Kind == FileOverwriteKind.WriteAll ? OperationTree.ArgumentFor(writeAll.Arguments, 1) : null;
                    writes.Add((operation, write.Target, content));
                }
            },
            OperationKind.Invocation,
            OperationKind.ObjectCreation);

        start.RegisterCompilationEndAction(end =>
        {
            var ct = end.CancellationToken;
            var keyed = writes
                .OrderBy(w => w.Write.Syntax.SyntaxTree.FilePath, System.StringComparer.Ordinal).ThenBy(w => w.Write.Syntax.SpanStart)
                .Select(w => Keyed(w.Write, w.Path, w.Content, files, ct))
                .Where(w => w is not null)
                .ToList();
            if (keyed.Count == 0)
            {
                return;
            }

            var deletedRoots = DeletedRoots(deletes, files, ct);
            var sweepList = sweeps.ToList();
            var reported = new HashSet<string>(System.StringComparer.Ordinal);
            foreach (var write in keyed)
            {
                if (write!.Roots.Any(deletedRoots.Contains) || sweepList.Any(s => s.Covers(write.Shape)))
                {
                    continue;
                }

                var roots = string.Join(", ", write.Roots.Select(r => r.Name).Distinct().OrderBy(n => n, System.StringComparer.Ordinal));
                var keys = string.Join(" and ", write.Keys);
                if (reported.Add(roots + "|" + keys))
                {
                    end.ReportDiagnostic(Diagnostic.Create(Rule.Descriptor, write.Write.Syntax.GetLocation(), write.Path.Syntax.ToString(), keys, roots));
                }
            }
        });
    }

    /// <summary>
    /// The write as a file per key, or null: state (not output, not one-shot, not a temp or scratch path), built from
    /// at least one root and at least one key — a parameter of the writing method (or a member of one) of a scalar type, not only enums.
    /// </summary>
    private static KeyedWrite? Keyed(IOperation write, IOperation path, IOperation? content, RecordFiles files, CancellationToken ct)
    {
        var root = OperationTree.Root(write);
        var unwrapped = PathKey.Unwrap(path);
        if (unwrapped is null or IParameterReferenceOperation || NamedByCaller(unwrapped, root, files.Apis))
        {
            return null;
        }

        var method = write.SemanticModel?.GetEnclosingSymbol(write.Syntax.SpanStart, ct) as IMethodSymbol;
        var roots = new List<ISymbol>();
        var keys = new List<string>();
        var hasOpenKey = false;
        foreach (var source in files.SourcesOf(path, root, ct))
        {
            if (IsStorageRoot(source))
            {
                roots.Add(source.Root);
            }
            else if (source.Root is IParameterSymbol parameter && SymbolEqualityComparer.Default.Equals(parameter.ContainingSymbol, method?.OriginalDefinition ?? method)
                    && IsScalar(source.Member is null ? parameter.Type : (source.Member as IPropertySymbol)?.Type ?? (source.Member as IFieldSymbol)?.Type))
            {
                keys.Add(source.Member is null ? parameter.Name : parameter.Name + "." + source.Member.Name);
                hasOpenKey |= (source.Member is null ? parameter.Type : (source.Member as IPropertySymbol)?.Type ?? (source.Member as IFieldSymbol)?.Type)?.TypeKind != TypeKind.Enum;
            }
        }

        // Keys that are all enums make as many files as the enum has members: nothing accumulates. What the file holds
        // is asked last: it is the costly question, and most writes are not built from a root and a key.
        return roots.Count > 0 && keys.Count > 0 && hasOpenKey
            && !PathOrigin.IsFreshOrScratch(path, root, files.Apis)
            && !FilePromotion.IsPromotedIn(root, PathKey.From(path, files.Apis), files.Apis)
            && WrittenData.Classify(write, path, content, root, files.Apis).Held is not (DataHeld.Output or DataHeld.OneShot)
            ? new KeyedWrite(write, path, roots, keys.Distinct().ToList(), TempNamePattern.FileNameShape(path, root, files.Apis))
            : null;
    }

    /// <summary>
    /// Whether a deletion removes stored data for good: not the cleanup of a failed save (in a catch or finally), not a
    /// temp or scratch file, and not the first half of a replacement (the same body writes or moves a file onto the path
    /// afterwards).
    /// </summary>
    private static bool Prunes(IInvocationOperation delete, IOperation path, FileApiSymbols apis)
    {
        for (var parent = delete.Parent; parent is not null; parent = parent.Parent)
        {
            if (parent is ICatchClauseOperation || parent.Parent is ITryOperation tryOperation && ReferenceEquals(tryOperation.Finally, parent))
            {
                return false;
            }
        }

        var root = OperationTree.Root(delete);
        var key = PathKey.From(path, apis);
        if (PathOrigin.IsFreshOrScratch(path, root, apis) || FilePromotion.IsPromotedIn(root, key, apis))
        {
            return false;
        }

        foreach (var operation in root.Descendants())
        {
            if (operation.Syntax.SpanStart > delete.Syntax.SpanStart
                && (FileOverwrite.TryMatch(operation, apis, out var write, anyNewContent: true) && PathKey.From(write.Target, apis).Equals(key)
                    || operation is IInvocationOperation move && FilePromotion.TryMatchMoveOrReplace(move, apis, out _, out var destination) && PathKey.From(destination, apis).Equals(key)))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// A file whose name is a parameter as given (<c>Path.Combine(_folder, file)</c>): a file API of the project, where
    /// what accumulates is up to its callers, not a file per ID or stage.
    /// </summary>
    private static bool NamedByCaller(IOperation path, IOperation root, FileApiSymbols apis)
    {
        if (path is ILocalReferenceOperation local && PathKey.Unwrap(OperationTree.DeclaredValue(local.Local, root)) is { } declared)
        {
            path = declared;
        }

        return path is IInvocationOperation { TargetMethod.Name: "Combine" or "Join", Arguments.Length: > 0 } combine
            && apis.Is(combine.TargetMethod.ContainingType, apis.Path)
            && PathKey.Unwrap(combine.Arguments[combine.Arguments.Length - 1].Value) switch
            {
                IParameterReferenceOperation => true,
                IArrayCreationOperation { Initializer.ElementValues: { Length: > 0 } parts } => PathKey.Unwrap(parts[parts.Length - 1]) is IParameterReferenceOperation,
                _ => false,
            };
    }

    /// <summary>A kept folder or path (a string or DirectoryInfo field, property or constructor parameter), not a constant file name, a lookup table or a count.</summary>
    private static bool IsStorageRoot(ValueSource source)
        => RecordFiles.IsKept(source) && source.Root is not IFieldSymbol { IsConst: true }
            && TypeRelations.StoredType(source.Root) is var type
            && (type ?? (source.Root as IParameterSymbol)?.Type) is { } kept
            && (kept.SpecialType == SpecialType.System_String || kept.Name is "DirectoryInfo");

    private static bool IsScalar(ITypeSymbol? type)
        => type is not null
            && (type.SpecialType is SpecialType.System_String or SpecialType.System_Int32 or SpecialType.System_Int64 or SpecialType.System_UInt32 or SpecialType.System_UInt64
                || type.Name == "Guid" || type.TypeKind == TypeKind.Enum);

    /// <summary>The roots something deletes under: the roots of each path File/Directory/FileInfo/DirectoryInfo.Delete removes for good.</summary>
    private static HashSet<ISymbol> DeletedRoots(IEnumerable<IInvocationOperation> deletes, RecordFiles files, CancellationToken ct)
    {
        var roots = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        foreach (var delete in deletes)
        {
            var method = delete.TargetMethod;
            var path = files.Apis.Is(method.ContainingType, files.Apis.File) || files.Apis.Is(method.ContainingType, files.Apis.Directory)
                ? OperationTree.ArgumentFor(delete.Arguments, 0)
                : delete.Instance;
            if (path is null || !Prunes(delete, path, files.Apis))
            {
                continue;
            }

            foreach (var source in files.SourcesOf(path, OperationTree.Root(delete), ct))
            {
                if (IsStorageRoot(source))
                {
                    roots.Add(source.Root);
                }
            }
        }

        return roots;
    }
}
