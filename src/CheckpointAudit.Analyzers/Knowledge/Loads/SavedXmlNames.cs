using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace CheckpointAudit.Knowledge;

/// <summary>
/// An element or attribute that a type reads from XML by a name its own code writes one under
/// (<c>section.Element("WindowBounds")</c> in a type that builds <c>new XElement("WindowBounds", …)</c>): the type's
/// hand-written mapping of the XML it saves, read back. Whoever hands it the XElement, the text is the type's saved state.
/// </summary>
internal static class SavedXmlNames
{
    /// <summary>Whether the call reads back, by a constant name, an element or attribute its containing type writes.</summary>
    public static bool IsReadBack(IInvocationOperation read)
    {
        var method = read.TargetMethod;
        if (method.Name is not ("Element" or "Attribute" or "Elements" or "Attributes") || read.Arguments.Length != 1
            || method.ContainingType is not { Name: "XContainer" or "XElement" } xml || !SymbolNames.IsNamespace(xml.ContainingNamespace, "System.Xml.Linq"))
        {
            return false; // the cheap tests first
        }

        // XName converts from the string implicitly: the constant is the conversion's operand.
        return PathKey.Unwrap(read.Arguments[0].Value) is var name && name is not null
            && (name.ConstantValue.HasValue ? name.ConstantValue.Value : (name as IConversionOperation)?.Operand.ConstantValue.Value) is string text
            && FindType(read) is { } type && Written(type, read.SemanticModel!.Compilation).Contains(text);
    }

    private static INamedTypeSymbol? FindType(IOperation operation)
        => operation.SemanticModel?.GetEnclosingSymbol(operation.Syntax.SpanStart) is { } symbol
            ? symbol as INamedTypeSymbol ?? symbol.ContainingType
            : null;

    /// <summary>The names the type's own code gives new elements and attributes (a literal or nameof), read from its syntax once.</summary>
    private static HashSet<string> Written(INamedTypeSymbol type, Compilation compilation)
        => PerCompilation<ConcurrentDictionary<INamedTypeSymbol, HashSet<string>>>.Get(compilation, _ => new(SymbolEqualityComparer.Default))!
            .GetOrAdd(type.OriginalDefinition, t => [.. t.DeclaringSyntaxReferences.SelectMany(r => r.GetSyntax().DescendantNodes()).Select(WrittenName).OfType<string>()]);

    private static string? WrittenName(SyntaxNode node)
    {
        var (created, arguments) = node switch
        {
            ObjectCreationExpressionSyntax creation => (creation.Type.ToString(), creation.ArgumentList),
            InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax access } call => (access.Name.Identifier.ValueText, call.ArgumentList),
            _ => (null, null),
        };
        if (created is null || arguments is not { Arguments.Count: > 0 } list
            || !(created.EndsWith("XElement", System.StringComparison.Ordinal) || created.EndsWith("XAttribute", System.StringComparison.Ordinal)
                || created is "SetElementValue" or "SetAttributeValue"))
        {
            return null;
        }

        return list.Arguments[0].Expression switch
        {
            LiteralExpressionSyntax literal when literal.IsKind(SyntaxKind.StringLiteralExpression) => literal.Token.ValueText,
            InvocationExpressionSyntax { Expression: IdentifierNameSyntax { Identifier.ValueText: "nameof" }, ArgumentList.Arguments.Count: 1 } nameOf => LastName(nameOf.ArgumentList.Arguments[0].Expression),
            _ => null,
        };
    }

    private static string? LastName(ExpressionSyntax expression) => expression switch
    {
        IdentifierNameSyntax identifier => identifier.Identifier.ValueText,
        MemberAccessExpressionSyntax access => access.Name.Identifier.ValueText,
        _ => null,
    };
}
