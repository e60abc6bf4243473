using System.Text;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace CheckpointAudit.Cli.Analysis;

/// <summary>
/// Renders a path expression as the template of the files it names, for the report's file layout:
/// <c>Path.Combine(DataRoot, documentId, $"stage-{stage:00}.json")</c> becomes
/// <c>{DataRoot}/{documentId}/stage-{stage}.json</c>. Locals, constants, static fields and one-expression
/// helpers in the project are followed a few levels; anything else becomes a named hole.
/// </summary>
internal static partial class PathTemplate
{
    private const int MaxDepth = 3;

    public static string Render(IOperation? operation, Compilation compilation)
    {
        var text = Normalize(Render(operation, compilation, 0));
        return text.Length <= 100 ? text : text[..97] + "...";
    }

    private static string Render(IOperation? operation, Compilation compilation, int depth)
    {
        operation = Unwrap(operation);
        if (operation is null)
        {
            return "{?}";
        }

        if (operation.ConstantValue is { HasValue: true, Value: string constant })
        {
            return constant;
        }

        switch (operation)
        {
            case IInterpolatedStringOperation interpolated:
                var builder = new StringBuilder();
                foreach (var part in interpolated.Parts)
                {
                    builder.Append(part switch
                    {
                        IInterpolatedStringTextOperation text => text.Text.ConstantValue.Value as string ?? string.Empty,
                        IInterpolationOperation hole => Render(hole.Expression, compilation, depth),
                        _ => "{?}",
                    });
                }

                return builder.ToString();
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Add } add:
                return Render(add.LeftOperand, compilation, depth) + Render(add.RightOperand, compilation, depth);
            case IParameterReferenceOperation parameter:
                return Hole(parameter.Parameter.Name);
            case ILocalReferenceOperation local:
                return depth < MaxDepth && DeclaredValue(local.Local, compilation) is { } value ? Render(value, compilation, depth + 1) : Hole(local.Local.Name);
            case IFieldReferenceOperation field:
                return depth < MaxDepth && field.Field.IsStatic && field.Field.IsReadOnly && InitializerOf(field.Field, compilation) is { } initial
                    ? Render(initial, compilation, depth + 1)
                    : Hole(field.Field.Name.TrimStart('_'));
            case IPropertyReferenceOperation property:
                return property.Property.ContainingType?.ToDisplayString() == "System.AppContext" && property.Property.Name == "BaseDirectory"
                    ? "{app}"
                    : Hole(property.Property.Name);
            case IInvocationOperation invocation:
                return RenderCall(invocation, compilation, depth);
            case IConditionalOperation conditional:
                return Hole(Short(conditional.Syntax.ToString()));
            default:
                return Hole(Short(operation.Syntax.ToString()));
        }
    }

    private static string RenderCall(IInvocationOperation invocation, Compilation compilation, int depth)
    {
        var method = invocation.TargetMethod;
        var type = method.ContainingType?.ToDisplayString();
        var arguments = invocation.Arguments.OrderBy(a => a.Parameter?.Ordinal ?? 0).Select(a => a.Value).ToList();
        switch (type, method.Name)
        {
            case ("System.IO.Path", "Combine" or "Join"):
                var parts = arguments.SelectMany(a => a is IArrayCreationOperation { Initializer: { } init } ? init.ElementValues : [a]);
                return string.Join("/", parts.Select(p => Render(p, compilation, depth).Trim('/', '\\')));
            case ("System.IO.Path", "GetTempPath"):
                return "{temp}/";
            case ("System.IO.Path", "GetTempFileName"):
                return "{temp}/{random}.tmp";
            case ("System.IO.Path", "GetRandomFileName"):
                return "{random}";
            case ("System.IO.Path", "ChangeExtension") when arguments.Count == 2:
                var path = Render(arguments[0], compilation, depth);
                var extension = Render(arguments[1], compilation, depth);
                return Regex.Replace(path, @"\.[A-Za-z0-9]+$", string.Empty) + (extension.StartsWith('.') ? extension : "." + extension);
            case ("System.IO.Path", "GetDirectoryName") when arguments.Count == 1:
                return Render(arguments[0], compilation, depth) + "/..";
            case ("System.IO.Path", "GetFullPath") when arguments.Count >= 1:
                return Render(arguments[0], compilation, depth);
            case ("System.Environment", "GetFolderPath") when arguments.Count >= 1:
                return Hole(Short(arguments[0].Syntax.ToString()).Split('.').Last());
            case ("System.Guid", _):
            case (_, "ToString") when invocation.Instance is IInvocationOperation { TargetMethod.Name: "NewGuid" }:
                return "{guid}";
            case (_, "ToString") when invocation.Instance is not null:
                return Render(invocation.Instance, compilation, depth);
            case ("string", "Format") when arguments.Count >= 2 && arguments[0].ConstantValue.Value is string format:
                return Regex.Replace(format, @"\{(\d+)(:[^}]*)?\}", m =>
                {
                    var index = int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) + 1;
                    var holes = arguments.Skip(1).SelectMany(a => a is IArrayCreationOperation { Initializer: { } init } ? init.ElementValues : [a]).ToList();
                    return index - 1 < holes.Count ? Render(holes[index - 1], compilation, depth) : m.Value;
                });
        }

        // The project's own path helpers: follow a one-expression body, when it renders as a path rather than one hole.
        if (depth < MaxDepth && ReturnedValue(method, compilation) is { } returned
            && Render(returned, compilation, depth + 1) is var followed && !IsSingleHole(followed))
        {
            return followed;
        }

        return Hole(Short(invocation.Syntax.ToString()));
    }

    private static IOperation? Unwrap(IOperation? operation)
    {
        while (operation is IConversionOperation or IParenthesizedOperation or IArgumentOperation)
        {
            operation = operation switch
            {
                IConversionOperation conversion => conversion.Operand,
                IParenthesizedOperation parenthesized => parenthesized.Operand,
                IArgumentOperation argument => argument.Value,
                _ => operation,
            };
        }

        return operation;
    }

    private static IOperation? DeclaredValue(ILocalSymbol local, Compilation compilation)
    {
        if (local.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax() is VariableDeclaratorSyntax { Initializer.Value: { } value } declarator)
        {
            return compilation.GetSemanticModel(declarator.SyntaxTree).GetOperation(value);
        }

        return null;
    }

    private static IOperation? InitializerOf(IFieldSymbol field, Compilation compilation)
    {
        if (field.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax() is VariableDeclaratorSyntax { Initializer.Value: { } value } declarator
            && compilation.ContainsSyntaxTree(declarator.SyntaxTree))
        {
            return compilation.GetSemanticModel(declarator.SyntaxTree).GetOperation(value);
        }

        return null;
    }

    /// <summary>The expression a source method returns when its body is that one expression.</summary>
    private static IOperation? ReturnedValue(IMethodSymbol method, Compilation compilation)
    {
        var syntax = method.OriginalDefinition.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax();
        ExpressionSyntax? expression = syntax switch
        {
            MethodDeclarationSyntax { ExpressionBody.Expression: { } body } => body,
            MethodDeclarationSyntax { Body.Statements: [ReturnStatementSyntax { Expression: { } value }] } => value,
            LocalFunctionStatementSyntax { ExpressionBody.Expression: { } body } => body,
            _ => null,
        };
        return expression is not null && compilation.ContainsSyntaxTree(expression.SyntaxTree)
            ? compilation.GetSemanticModel(expression.SyntaxTree).GetOperation(expression)
            : null;
    }

    private static bool IsSingleHole(string text) => text.StartsWith('{') && text.EndsWith('}') && text.IndexOf('}') == text.Length - 1;

    private static string Hole(string name) => "{" + name + "}";

    private static string Short(string text)
    {
        text = Regex.Replace(text, @"\s+", " ");
        return text.Length <= 30 ? text : text[..27] + "...";
    }

    private static string Normalize(string path) => Regex.Replace(path.Replace('\\', '/'), "/{2,}", "/");
}
