using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace CheckpointAudit.Knowledge;

/// <summary>
/// Whether a serializer call stores or loads its model in a file that holds regenerable output, by the file's path: a
/// stream opened on a cache path (<c>File.Create(cachePath)</c>), or text read from one. A model whose every file is
/// such output is a cache: losing it costs a recomputation, not the user's state.
/// </summary>
internal static class RegenerableModelSite
{
    /// <summary>The output class with its evidence, or null when the call's file is not known to be output.</summary>
    public static WrittenDataClass? Output(IInvocationOperation invocation, PersistedEvidence evidence, Compilation compilation)
    {
        if (evidence.Storage != StoredInput.File || FileApiSymbols.Create(compilation) is not { } apis)
        {
            return null;
        }

        var root = OperationTree.Root(invocation);
        IOperation? path;
        if (evidence.IsSave)
        {
            // Saved to a stream opened on the file (SerializeAsync(stream, value) with stream = File.Create(cachePath)).
            var stream = KnownTypes.Get(compilation, "System.IO.Stream");
            var target = invocation.Arguments.FirstOrDefault(a => a.Value.Type is { } type
                && (TypeRelations.InheritsFrom(type, stream) || type.Name is "TextWriter" or "StreamWriter"))?.Value;
            path = target is null ? null : StoredOutput.WrittenPath(target, root, apis) ?? StoredInput.PathOf(target, root, apis);
        }
        else
        {
            path = Deserializers.Create(compilation) is { } deserializers && deserializers.TryMatch(invocation, out var input, out _, out _) && input is not null
                ? StoredInput.PathOf(input, root, apis)
                : null;
        }

        return path is null ? null
            : evidence.IsSave ? (WrittenData.ClassifyRead(invocation, path, root) is { Held: DataHeld.Output } output ? output : null)
            : LoadedData.ClassifyPath(invocation, path, root);
    }
}
