using CheckpointAudit.Checks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace CheckpointAudit.Knowledge;

/// <summary>What a loaded file holds, for the load rules' findings (CKPT301, CKPT302, CKPT303, CKPT101 on loads).</summary>
internal static class LoadedData
{
    /// <summary>
    /// What the parsed file holds. A file whose path is known and that nothing in this source file writes may be another program's file (a
    /// browser's bookmarks, a metadata file beside a media file): input the program reads, not state it keeps. The
    /// finding says so, and the audit lists it for review instead of scoring it.
    /// </summary>
    public static WrittenDataClass Classify(IInvocationOperation invocation, StoredLoad load, FileApiSymbols apis)
    {
        // A project loader, XmlReader.Create(path) and XDocument.Load(path) are given the path itself; a deserializer, text or a stream read from it.
        var path = load.Source != StoredInput.File ? null
            : MethodSummaries.IsProjectMethod(invocation.TargetMethod) || StoredInput.OpensPath(invocation, apis) || StoredInput.LoadsPathArgument(invocation) ? load.Input
            : StoredInput.PathOf(load.Input, load.Root, apis);

        // A cache, a download or a log (by its path, or the project helper that builds it), or a file the program ships, is regenerable.
        if (path is not null && ClassifyPath(invocation, path, load.Root) is { } output)
        {
            return output;
        }

        // A file the user picks to import (a dialog, a drop): a corrupt one fails that import, not the next start.
        if (path is not null && UserPickedFile.Is(path, load.Root))
        {
            return new WrittenDataClass(DataHeld.Unclassified, UserPickedFile.Evidence);
        }

        return load.Source == StoredInput.File && SavedState.IsOnlyRead(invocation, load.Input, load.Root, apis)
            ? new WrittenDataClass(DataHeld.Unclassified, SavedState.OnlyReadEvidence)
            : new WrittenDataClass(DataHeld.Unclassified, string.Empty);
    }

    /// <summary>
    /// Regenerable output by the read file's path: a cache, a download or a log (<see cref="WrittenData.ClassifyRead"/>), or
    /// a file the program ships and only reads (<see cref="InstallAsset"/>); null otherwise.
    /// </summary>
    public static WrittenDataClass? ClassifyPath(IOperation access, IOperation path, IOperation root)
        => WrittenData.ClassifyRead(access, path, root) is { Held: DataHeld.Output } output ? output
            : access is IInvocationOperation load && InstallAsset.Evidence(load, path, root) is { } asset ? new WrittenDataClass(DataHeld.Output, asset)
            : null;
}
