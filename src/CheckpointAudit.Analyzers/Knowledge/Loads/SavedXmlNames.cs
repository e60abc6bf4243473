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

        // XName converts from the string implicitly: the argument's value is the constant.
        return PathKey.Unwrap(read.Arguments[0].Value)?.ConstantValue is { HasValue: true, Value: string name }
            && FindType(read) is { } type && read.SemanticModel is { } model
            && PerCompilation<WrittenNames>.Get(model.Compilation, _ => new WrittenNames())!.Of(type).Contains(name);
    }

    private static INamedTypeSymbol? FindType(IOperation operation)
        => operation.SemanticModel?.GetEnclosingSymbol(operation.Syntax.SpanStart) is { } symbol
            ? symbol as INamedTypeSymbol ?? symbol.ContainingType
            : null;

    /// <summary>The names each type's own code gives new elements and attributes (a literal or nameof), read from its syntax once.</summary>
    private sealed class WrittenNames
    {
        private readonly ConcurrentDictionary<INamedTypeSymbol, HashSet<string>> _names = new(SymbolEqualityComparer.Default);

        public HashSet<string> Of(INamedTypeSymbol type)
            => _names.GetOrAdd(type.OriginalDefinition, t => [.. t.DeclaringSyntaxReferences.SelectMany(r => OwnNodes(r.GetSyntax())).Select(WrittenName).OfType<string>()]);
    }

    /// <summary>The type's nodes, without those of the types nested in it (their writes are theirs).</summary>
    private static IEnumerable<SyntaxNode> OwnNodes(SyntaxNode type)
        => type.DescendantNodes(node => node == type || node is not BaseTypeDeclarationSyntax);

    private static string? WrittenName(SyntaxNode node)
    {
        var arguments = node switch
        {
            ObjectCreationExpressionSyntax creation when IsXmlNodeType(creation.Type) => creation.ArgumentList,
            InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "SetElementValue" or "SetAttributeValue" } } call => call.ArgumentList,
            _ => null,
        };
        if (arguments is not { Arguments.Count: > 0 } list)
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

    /// <summary><c>XElement</c> or <c>XAttribute</c>, bare or qualified (System.Xml.Linq.XElement).</summary>
    private static bool IsXmlNodeType(TypeSyntax type)
        => (type is QualifiedNameSyntax qualified ? qualified.Right : type) is IdentifierNameSyntax { Identifier.ValueText: "XElement" or "XAttribute" };

    private static string? LastName(ExpressionSyntax expression) => expression switch
    {
        IdentifierNameSyntax identifier => identifier.Identifier.ValueText,
        MemberAccessExpressionSyntax access => access.Name.Identifier.ValueText,
        _ => null,
    };
}
