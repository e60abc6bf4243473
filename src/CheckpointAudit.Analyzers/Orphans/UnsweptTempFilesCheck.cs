using System.Collections.Concurrent;
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
        var sweeps = new ConcurrentBag<FileSweep>();
        start.RegisterOperationAction(
            c =>
            {
                var invocation = (IInvocationOperation)c.Operation;
                if (FileSweep.TryMatch(invocation, apis) is { } sweep)
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
}
