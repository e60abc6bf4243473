using System.Linq;
using System.Threading;
using CheckpointAudit.Helpers;
using CheckpointAudit.Knowledge;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace CheckpointAudit.CodeFixes.Atomicity;

/// <summary>
/// CKPT201's second fix, "Save as checksummed checkpoint": File.WriteAllText(path, Serialize(value))
/// becomes CheckpointFile.Save(path, value, ...), which writes atomically inside a checksummed envelope
/// and keeps the previous version as path + ".bak". The serializer stays the same: System.Text.Json's
/// generic Serialize becomes Save(path, value[, options]); JsonConvert.SerializeObject and the other
/// JsonSerializer.Serialize overloads are passed as the serialize delegate.
/// The file format changes (the title says so), so the fix is withheld when the same source file reads
/// that file or parses that type any other way than CheckpointFile.Load/TryLoad: such a reader would
/// see the envelope instead of its data.
/// </summary>
internal sealed class SaveCheckpointPlan
{
    private static readonly string[] LambdaParameterNames = { "state", "checkpoint", "savedValue" };

    private SaveCheckpointPlan(InvocationExpressionSyntax write, ExpressionSyntax save, LocalDeclarationStatementSyntax? serializeStatement)
    {
        Write = write;
        Save = save;
        SerializeStatement = serializeStatement;
    }

    /// <summary>The File.WriteAllText call to replace.</summary>
    public InvocationExpressionSyntax Write { get; }

    /// <summary>Its CheckpointFile.Save replacement, annotated for import and simplification.</summary>
    public ExpressionSyntax Save { get; }

    /// <summary>"var json = Serialize(value);" just before the write, folded into the save; null when the call was inline.</summary>
    public LocalDeclarationStatementSyntax? SerializeStatement { get; }

    public static SaveCheckpointPlan? Create(InvocationExpressionSyntax write, SemanticModel model, CancellationToken cancellationToken)
    {
        if (model.GetSymbolInfo(write, cancellationToken).Symbol is not IMethodSymbol { Name: "WriteAllText", Parameters.Length: 2 } method
            || method.ContainingType?.ToDisplayString() != "System.IO.File"
            || write.ArgumentList.Arguments.Any(a => a.NameColon is not null))
        {
            return null;
        }

        var path = write.ArgumentList.Arguments[0].Expression;
        var contents = write.ArgumentList.Arguments[1].Expression;
        LocalDeclarationStatementSyntax? serializeStatement = null;
        if (contents is IdentifierNameSyntax && AdjacentLocal.Find(contents, write, model, cancellationToken) is { } local)
        {
            (serializeStatement, contents) = (local.Declaration, local.Value);
        }

        if (contents is not InvocationExpressionSyntax serialize
            || model.GetSymbolInfo(serialize, cancellationToken).Symbol is not IMethodSymbol serializer
            || serializer.ReturnType.SpecialType != SpecialType.System_String
            || serialize.ArgumentList.Arguments.Count == 0
            || serialize.ArgumentList.Arguments.Any(a => a.NameColon is not null || !a.RefKindKeyword.IsKind(SyntaxKind.None)))
        {
            return null;
        }

        var serializerType = serializer.ContainingType?.ToDisplayString();
        var isSystemTextJson = serializerType == "System.Text.Json.JsonSerializer" && serializer.Name == "Serialize";
        var isNewtonsoft = serializerType == "Newtonsoft.Json.JsonConvert" && serializer.Name == "SerializeObject";
        var value = serialize.ArgumentList.Arguments[0].Expression;
        var valueType = model.GetTypeInfo(value, cancellationToken).Type;
        if (!(isSystemTextJson || isNewtonsoft) || valueType is null or IErrorTypeSymbol)
        {
            return null;
        }

        if (CheckpointFileCalls.VisibleHelper(model.Compilation) is not { } helper
            || ReadsOtherwise(write, path, valueType, model, cancellationToken))
        {
            return null;
        }

        var saves = helper.GetMembers("Save").OfType<IMethodSymbol>().ToList();
        const string Helper = "global::" + HelperFeatures.HelperMetadataName;
        string text;
        if (isSystemTextJson && serializer.IsGenericMethod && serializer.Parameters.Length is 1 or 2
            && (serializer.Parameters.Length == 1 || serializer.Parameters[1].Type.Name == "JsonSerializerOptions")
            && !(serialize.ArgumentList.Arguments.Count == 2 && IsNullLiteral(serialize.ArgumentList.Arguments[1].Expression))
            && saves.Any(s => s.Parameters.Length == 3 && s.Parameters[2].Type.Name == "JsonSerializerOptions"))
        {
            // Save(path, value[, options]): the same serializer and options; an explicit <T> is kept.
            var typeArguments = serialize.Expression is MemberAccessExpressionSyntax { Name: GenericNameSyntax generic } ? generic.TypeArgumentList.ToString() : string.Empty;
            var options = serialize.ArgumentList.Arguments.Count == 2 ? ", " + serialize.ArgumentList.Arguments[1].Expression : string.Empty;
            text = $"{Helper}.Save{typeArguments}({path}, {value}{options})";
        }
        else if (saves.Any(s => s.Parameters.Length == 3 && s.Parameters[2].Type.Name == "Func")
            && FreeName(serialize, model) is { } parameter)
        {
            // Save(path, value, state => Serialize(state, ...)): any other serializer keeps its call and settings.
            var call = serialize.ReplaceNode(value, SyntaxFactory.IdentifierName(parameter).WithTriviaFrom(value));
            text = $"{Helper}.Save({path}, {value}, {parameter} => {call.WithoutTrivia()})";
        }
        else
        {
            return null;
        }

        return new SaveCheckpointPlan(write, SyntaxCleanup.ParseGenerated(text, write), serializeStatement);
    }

    private static bool IsNullLiteral(ExpressionSyntax expression)
        => expression.IsKind(SyntaxKind.NullLiteralExpression) || expression.IsKind(SyntaxKind.DefaultLiteralExpression);

    /// <summary>A lambda parameter name that is not in scope at the call and not written in it.</summary>
    private static string? FreeName(InvocationExpressionSyntax serialize, SemanticModel model)
    {
        var written = serialize.DescendantTokens().Where(t => t.IsKind(SyntaxKind.IdentifierToken)).Select(t => t.ValueText).ToList();
        return LambdaParameterNames.FirstOrDefault(name => !written.Contains(name) && model.LookupSymbols(serialize.SpanStart, name: name).IsEmpty);
    }

    /// <summary>
    /// Whether the source file reads the saved file or parses the saved type other than through
    /// CheckpointFile: a parse producing the type, or a File/FileInfo/stream read whose path argument is
    /// the same member or constant as the write's.
    /// </summary>
    private static bool ReadsOtherwise(InvocationExpressionSyntax write, ExpressionSyntax path, ITypeSymbol savedType, SemanticModel model, CancellationToken cancellationToken)
    {
        var deserializers = Deserializers.Create(model.Compilation);
        var pathSymbol = StableSymbol(path, model, cancellationToken);
        var pathConstant = model.GetConstantValue(path, cancellationToken) is { HasValue: true, Value: string constant } ? constant : null;
        var savedTypeDefinition = savedType.WithNullableAnnotation(NullableAnnotation.NotAnnotated);
        foreach (var node in write.SyntaxTree.GetRoot(cancellationToken).DescendantNodes())
        {
            if (node is not (InvocationExpressionSyntax or ObjectCreationExpressionSyntax) || node == write
                || model.GetOperation(node, cancellationToken) is not { } operation)
            {
                continue;
            }

            var target = operation switch
            {
                IInvocationOperation invocation => invocation.TargetMethod,
                IObjectCreationOperation creation => creation.Constructor,
                _ => null,
            };
            if (target is null || target.ContainingType?.ToDisplayString() == HelperFeatures.HelperMetadataName)
            {
                continue;
            }

            if (deserializers is not null && operation is IInvocationOperation parse && deserializers.TryMatch(parse, out _, out _, out _)
                && (SymbolEqualityComparer.Default.Equals(parse.Type?.WithNullableAnnotation(NullableAnnotation.NotAnnotated), savedTypeDefinition)
                    || parse.TargetMethod.TypeArguments.Any(t => SymbolEqualityComparer.Default.Equals(t.WithNullableAnnotation(NullableAnnotation.NotAnnotated), savedTypeDefinition))))
            {
                return true;
            }

            if ((pathSymbol is not null || pathConstant is not null) && IsFileRead(target)
                && ArgumentsOf(node).FirstOrDefault()?.Expression is { } readPath
                && ((pathSymbol is not null && SymbolEqualityComparer.Default.Equals(StableSymbol(readPath, model, cancellationToken), pathSymbol))
                    || (pathConstant is not null && model.GetConstantValue(readPath, cancellationToken) is { HasValue: true, Value: string read } && read == pathConstant)))
            {
                return true;
            }
        }

        return false;
    }

    private static SeparatedSyntaxList<ArgumentSyntax> ArgumentsOf(SyntaxNode node) => node switch
    {
        InvocationExpressionSyntax invocation => invocation.ArgumentList.Arguments,
        ObjectCreationExpressionSyntax { ArgumentList: { } arguments } => arguments.Arguments,
        _ => default,
    };

    /// <summary>File.Read*/Open*, StreamReader/FileStream/FileInfo made from a path, XDocument/XElement.Load of a path.</summary>
    private static bool IsFileRead(IMethodSymbol target)
    {
        var type = target.ContainingType?.ToDisplayString();
        return type switch
        {
            "System.IO.File" => target.Name.StartsWith("Read", System.StringComparison.Ordinal) || target.Name.StartsWith("Open", System.StringComparison.Ordinal),
            "System.IO.StreamReader" or "System.IO.FileStream" or "System.IO.FileInfo" => target.MethodKind == MethodKind.Constructor,
            "System.Xml.Linq.XDocument" or "System.Xml.Linq.XElement" or "System.Xml.XmlDocument" => target.Name is "Load" or "LoadAsync",
            _ => false,
        };
    }

    /// <summary>The field, property or constant a path comes from: the same in every method of the file.</summary>
    private static ISymbol? StableSymbol(ExpressionSyntax path, SemanticModel model, CancellationToken cancellationToken)
        => model.GetSymbolInfo(path, cancellationToken).Symbol is { Kind: SymbolKind.Field or SymbolKind.Property } symbol ? symbol.OriginalDefinition : null;
}
