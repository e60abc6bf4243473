using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace CheckpointAudit.Knowledge;

/// <summary>
/// A temp path that is the same on every save (target + ".tmp", a literal or constant, a readonly field): concurrent
/// saves share it (CKPT206), and a failed save leaves at most one file behind, which the next save replaces (CKPT401
/// stays quiet for it).
/// </summary>
internal static class FixedTempName
{
    /// <summary>
    /// Whether every save uses the same temp path: a local declared with a value that has a
    /// constant part and nothing unique (no GUID, random name, GetTempFileName, timestamp), the
    /// same kind of expression written inline, or a readonly field. <paramref name="declared"/> is
    /// the value a fix can rewrite (a local's initializer in this body).
    /// </summary>
    public static bool Is(IOperation source, IOperation root, FileApiSymbols apis, out IOperation? declared)
    {
        declared = null;
        var value = PathKey.Unwrap(source);
        if (apis.FileInfoPath(value) is { } infoPath)
        {
            value = PathKey.Unwrap(infoPath);
        }

        switch (value)
        {
            case IFieldReferenceOperation { Field: { IsReadOnly: true } or { IsConst: true } }:
                return true;
            case ILocalReferenceOperation local:
                value = PathKey.Unwrap(OperationTree.DeclaredValue(local.Local, root));
                if (apis.FileInfoPath(value) is { } localInfoPath)
                {
                    value = PathKey.Unwrap(localInfoPath);
                }

                declared = value;
                break;
            case IBinaryOperation or IInterpolatedStringOperation or IInvocationOperation:
                break;
            case ILiteralOperation { ConstantValue: { HasValue: true, Value: string } }:
                break; // File.Move("state.json.tmp", "state.json")
            default:
                return false;
        }

        return value is not null && HasConstantPart(value, 0) && !PathOrigin.IsUnique(value, root, apis);
    }

    private static bool HasConstantPart(IOperation value, int depth)
    {
        foreach (var part in value.DescendantsAndSelf())
        {
            if (part is IInterpolatedStringTextOperation || part.ConstantValue is { HasValue: true, Value: string })
            {
                return true;
            }

            if (depth < 2 && part is IInvocationOperation call && SameFileBody.Of(call) is { } body)
            {
                foreach (var inner in body.Descendants())
                {
                    if (inner is IReturnOperation { ReturnedValue: { } returned } && HasConstantPart(returned, depth + 1))
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }
}
