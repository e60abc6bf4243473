using System;
using System.Collections.Generic;
using System.Linq;
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

    /// <summary>
    /// Whether the temp's name is the same on every save of the same target, so that a failed save leaves at most one
    /// file, which the next save replaces: a fixed name (<see cref="Is"/>) whose local is never reassigned, and whose
    /// every varying part is part of the target's own path (<c>path + ".tmp"</c> for <c>path</c>,
    /// <c>Path.Combine(dir, name + ".tmp")</c> for <c>Path.Combine(dir, name)</c>) or a value that cannot change between
    /// saves (a constant, a field or property read). A counter, a random or time-based part, or another argument
    /// (<c>attempt</c>) gives a new name on every save. A readonly field counts when its initializer is of that kind.
    /// </summary>
    public static bool IsSameForTarget(IOperation source, IOperation? target, IOperation root, FileApiSymbols apis)
    {
        if (target is null || !Is(source, root, apis, out _))
        {
            return false;
        }

        var value = PathKey.Unwrap(source);
        if (apis.FileInfoPath(value) is { } infoPath)
        {
            value = PathKey.Unwrap(infoPath);
        }

        if (value is ILocalReferenceOperation local)
        {
            if (OperationTree.AssignmentsTo(local.Local, root).Count > 0 || OperationTree.DeclaredValue(local.Local, root) is not { } declared)
            {
                return false;
            }

            value = PathKey.Unwrap(declared);
            if (apis.FileInfoPath(value) is { } localInfoPath)
            {
                value = PathKey.Unwrap(localInfoPath);
            }
        }

        if (value is IFieldReferenceOperation { Field: var field })
        {
            return field.IsConst || (field.IsReadOnly && root.SemanticModel?.Compilation is { } compilation && OperationTree.FieldInitializer(field, compilation) is { } initial && Leaves(initial).All(IsRead));
        }

        if (value is null || PathKey.Unwrap(target) is not { } destination)
        {
            return false;
        }

        var targetParts = new HashSet<string>(Leaves(destination).Append(destination).Select(Text), StringComparer.Ordinal);
        return Leaves(value).All(leaf => targetParts.Contains(Text(leaf)) || IsRead(leaf));
    }

    /// <summary>The parts a path is built from: through concatenation, interpolation and Path's builders, down to what varies.</summary>
    private static IEnumerable<IOperation> Leaves(IOperation operation)
    {
        if (PathKey.Unwrap(operation) is not { } value || value.ConstantValue.HasValue)
        {
            yield break;
        }

        IEnumerable<IOperation> parts = value switch
        {
            IBinaryOperation binary => [binary.LeftOperand, binary.RightOperand],
            IInterpolatedStringOperation interpolated => interpolated.Parts.OfType<IInterpolationOperation>().Select(p => p.Expression),
            IInvocationOperation { TargetMethod: var method } call
                when (method.ContainingType.SpecialType == SpecialType.System_String || SymbolNames.IsType(method.ContainingType, "System.IO.Path"))
                && method.Name is "Combine" or "Join" or "Concat" or "Format" or "ChangeExtension" or "GetDirectoryName" or "GetFileName" or "GetFileNameWithoutExtension"
                => call.Arguments.Select(a => a.Value),
            _ => [],
        };
        var any = false;
        foreach (var part in parts)
        {
            any = true;
            foreach (var leaf in Leaves(part))
            {
                yield return leaf;
            }
        }

        if (!any && !(value is IBinaryOperation or IInterpolatedStringOperation))
        {
            yield return value;
        }
    }

    // A read of a field or property: the same on every save of one store (an invocation, a counter or a clock is not).
    private static bool IsRead(IOperation leaf) => leaf is IFieldReferenceOperation or IPropertyReferenceOperation { Arguments.IsEmpty: true };

    private static string Text(IOperation operation) => string.Concat(operation.Syntax.ToString().Where(c => !char.IsWhiteSpace(c)));
}
