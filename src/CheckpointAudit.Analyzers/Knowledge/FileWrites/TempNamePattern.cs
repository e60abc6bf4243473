using System;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace CheckpointAudit.Knowledge;

/// <summary>
/// The shape of a file name built by an expression: its constant text kept, every part that is not
/// a constant (a path variable, a GUID, a random name) replaced by <see cref="AnyText"/>.
/// "path + '.' + Guid.NewGuid() + '.tmp'" has the name shape "¤.¤.tmp". Shapes are matched
/// against directory search patterns ("*.tmp") to tell whether a sweep can find such files.
/// </summary>
internal static class TempNamePattern
{
    /// <summary>Stands for any text in a shape.</summary>
    public const char AnyText = '\u0001';

    private const int MaxDepth = 4;

    /// <summary>The file-name part of the shape of <paramref name="path"/>.</summary>
    public static string FileNameShape(IOperation path, IOperation root, FileApiSymbols apis)
    {
        var shape = new StringBuilder();
        Append(PathKey.Unwrap(path), root, apis, shape, 0);
        var text = shape.ToString();
        var separator = text.LastIndexOfAny(['/', '\\']);
        var name = separator < 0 ? text : text.Substring(separator + 1);
        return name.Length == 0 ? AnyText.ToString() : name;
    }

    /// <summary>The shape as users write search patterns: "*.*.tmp".</summary>
    public static string Display(string shape)
    {
        var display = new StringBuilder();
        foreach (var c in shape)
        {
            if (c != AnyText)
            {
                display.Append(c);
            }
            else if (display.Length == 0 || display[display.Length - 1] != '*')
            {
                display.Append('*');
            }
        }

        return display.ToString();
    }

    /// <summary>
    /// Whether some file name fits both the search pattern (* and ?) and the shape (whose
    /// <see cref="AnyText"/> parts fit anything), ignoring case as Windows and macOS do.
    /// </summary>
    public static bool Overlaps(string pattern, string shape)
    {
        var memo = new bool?[pattern.Length + 1, shape.Length + 1];
        return Match(pattern, 0, shape, 0, memo);
    }

    private static bool Match(string pattern, int i, string shape, int j, bool?[,] memo)
    {
        if (memo[i, j] is { } known)
        {
            return known;
        }

        bool result;
        if (i == pattern.Length && j == shape.Length)
        {
            result = true;
        }
        else if (i < pattern.Length && pattern[i] == '*')
        {
            result = Match(pattern, i + 1, shape, j, memo) || (j < shape.Length && Match(pattern, i, shape, j + 1, memo));
        }
        else if (j < shape.Length && shape[j] == AnyText)
        {
            result = Match(pattern, i, shape, j + 1, memo) || (i < pattern.Length && Match(pattern, i + 1, shape, j, memo));
        }
        else
        {
            result = i < pattern.Length && j < shape.Length
                && (pattern[i] == '?' || char.ToUpperInvariant(pattern[i]) == char.ToUpperInvariant(shape[j]))
                && Match(pattern, i + 1, shape, j + 1, memo);
        }

        memo[i, j] = result;
        return result;
    }

    private static void Append(IOperation? value, IOperation root, FileApiSymbols apis, StringBuilder shape, int depth)
    {
        value = PathKey.Unwrap(value);
        if (value is null || depth > MaxDepth)
        {
            shape.Append(AnyText);
            return;
        }

        if (value.ConstantValue is { HasValue: true, Value: string constant })
        {
            shape.Append(constant);
            return;
        }

        switch (value)
        {
            case IInterpolatedStringOperation interpolated:
                foreach (var part in interpolated.Parts)
                {
                    if (part is IInterpolatedStringTextOperation text)
                    {
                        Append(text.Text, root, apis, shape, depth);
                    }
                    else
                    {
                        shape.Append(AnyText); // formatted values: unknown text
                    }
                }

                return;
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Add } add:
                Append(add.LeftOperand, root, apis, shape, depth);
                Append(add.RightOperand, root, apis, shape, depth);
                return;
            case ILocalReferenceOperation local:
                Append(OperationTree.DeclaredValue(local.Local, root), root, apis, shape, depth + 1);
                return;
            case IObjectCreationOperation or IInvocationOperation when apis.FileInfoPath(value) is { } infoPath:
                Append(infoPath, root, apis, shape, depth);
                return;
            case IInvocationOperation invocation when apis.Is(invocation.TargetMethod.ContainingType, apis.Path):
                AppendPathCall(invocation, root, apis, shape, depth);
                return;
            case IInvocationOperation { TargetMethod: { Name: "Concat", ContainingType.SpecialType: SpecialType.System_String } } concat:
                foreach (var argument in concat.Arguments)
                {
                    Append(argument.Value, root, apis, shape, depth);
                }

                return;
        }

        shape.Append(AnyText);
    }

    private static void AppendPathCall(IInvocationOperation invocation, IOperation root, FileApiSymbols apis, StringBuilder shape, int depth)
    {
        switch (invocation.TargetMethod.Name)
        {
            case "GetTempFileName":
                shape.Append("/tmp").Append(AnyText).Append(".tmp");
                return;
            case "Combine" or "Join":
                foreach (var argument in invocation.Arguments)
                {
                    var value = PathKey.Unwrap(argument.Value);
                    if (value is IArrayCreationOperation { Initializer: { } initializer })
                    {
                        foreach (var element in initializer.ElementValues)
                        {
                            shape.Append('/');
                            Append(element, root, apis, shape, depth);
                        }
                    }
                    else
                    {
                        shape.Append('/');
                        Append(value, root, apis, shape, depth);
                    }
                }

                return;
            case "ChangeExtension" when invocation.Arguments.Length == 2:
                var stem = new StringBuilder();
                Append(invocation.Arguments[0].Value, root, apis, stem, depth);
                var text = stem.ToString();
                var dot = text.LastIndexOf('.');
                shape.Append(dot > Math.Max(text.LastIndexOf('/'), text.LastIndexOf(AnyText)) ? text.Substring(0, dot) : text);
                var extension = new StringBuilder();
                Append(invocation.Arguments[1].Value, root, apis, extension, depth);
                if (extension.Length > 0 && extension[0] != '.')
                {
                    shape.Append('.');
                }

                shape.Append(extension);
                return;
            default:
                shape.Append(AnyText);
                return;
        }
    }
}
