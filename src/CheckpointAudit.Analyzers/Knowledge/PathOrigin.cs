using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace CheckpointAudit.Knowledge;

/// <summary>Where a path value comes from, as far as one method body shows.</summary>
internal static class PathOrigin
{
    /// <summary>
    /// True when the path is freshly made unique (Path.GetTempFileName, Path.GetRandomFileName,
    /// Guid.NewGuid in the name): no earlier content lives there, so nothing can be lost by
    /// overwriting it.
    /// </summary>
    public static bool IsFreshUniqueFile(IOperation path, IOperation root, FileApiSymbols apis)
    {
        var value = PathKey.Unwrap(path);
        if (value is ILocalReferenceOperation local)
        {
            value = OperationTree.DeclaredValue(local.Local, root);
        }
        else if (value is IPropertyReferenceOperation { Property.Name: "FullName" } fullName && fullName.Instance is ILocalReferenceOperation infoLocal)
        {
            value = OperationTree.DeclaredValue(infoLocal.Local, root);
        }

        if (value is null)
        {
            return false;
        }

        foreach (var operation in value.DescendantsAndSelf())
        {
            if (operation is IInvocationOperation invocation)
            {
                var method = invocation.TargetMethod;
                if ((apis.Is(method.ContainingType, apis.Path) && method.Name is "GetTempFileName" or "GetRandomFileName")
                    || (apis.Is(method.ContainingType, apis.Guid) && method.Name == "NewGuid"))
                {
                    return true;
                }
            }
        }

        return false;
    }
}
