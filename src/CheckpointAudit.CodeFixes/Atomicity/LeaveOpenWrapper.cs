using System.Linq;
using System.Threading;
using CheckpointAudit.Knowledge;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CheckpointAudit.CodeFixes.Atomicity;

/// <summary>
/// A ZipArchive or compression stream over the stream of an atomic write, in a using statement of its own. Disposed,
/// it writes its last bytes (the archive's central directory, the compressed tail) and closes the stream under it,
/// which would end the write before the commit. Told to leave the stream open (the overload with <c>leaveOpen</c>,
/// which writes the same bytes), it is disposed where its using statement ends, and the commit after it publishes a
/// complete file.
/// </summary>
internal static class LeaveOpenWrapper
{
    /// <summary>The wrapper takes the stream as its first argument, lives in a using statement, and has a leaveOpen overload.</summary>
    public static bool CanLeaveOpen(ObjectCreationExpressionSyntax wrapper, ArgumentSyntax argument, SemanticModel model, CancellationToken cancellationToken)
        => wrapper.ArgumentList is { Arguments: { Count: 2 or 3 } arguments }
            && arguments[0] == argument
            && !arguments.Any(a => a.NameColon is not null)
            && wrapper.Parent is EqualsValueClauseSyntax { Parent: VariableDeclaratorSyntax { Parent: VariableDeclarationSyntax { Variables.Count: 1, Parent: UsingStatementSyntax } } }
            && model.GetSymbolInfo(wrapper, cancellationToken).Symbol is IMethodSymbol constructor
            && IsWrapper(constructor.ContainingType)
            && (arguments.Count == 2
                ? HasLeaveOpenOverload(constructor)
                : constructor.Parameters[2] is { Name: "leaveOpen", Type.SpecialType: SpecialType.System_Boolean }
                    && model.GetConstantValue(arguments[2].Expression, cancellationToken) is { HasValue: true, Value: false });

    /// <summary>The same creation with <c>true</c> for leaveOpen.</summary>
    public static ObjectCreationExpressionSyntax Opened(ObjectCreationExpressionSyntax wrapper)
    {
        var arguments = wrapper.ArgumentList!.Arguments;
        var leaveOpen = SyntaxFactory.Argument(SyntaxFactory.LiteralExpression(SyntaxKind.TrueLiteralExpression));
        var changed = arguments.Count == 2 ? arguments.Add(leaveOpen) : arguments.Replace(arguments[2], leaveOpen.WithTriviaFrom(arguments[2]));
        return wrapper.WithArgumentList(wrapper.ArgumentList.WithArguments(changed));
    }

    private static bool HasLeaveOpenOverload(IMethodSymbol constructor)
        => constructor.ContainingType.InstanceConstructors.Any(other => other.Parameters.Length == 3
            && SymbolEqualityComparer.Default.Equals(other.Parameters[0].Type, constructor.Parameters[0].Type)
            && SymbolEqualityComparer.Default.Equals(other.Parameters[1].Type, constructor.Parameters[1].Type)
            && other.Parameters[2] is { Name: "leaveOpen", Type.SpecialType: SpecialType.System_Boolean });

    private static bool IsWrapper(INamedTypeSymbol type)
        => type.Name is "ZipArchive" or "GZipStream" or "DeflateStream" or "BrotliStream" or "ZLibStream"
            && SymbolNames.IsNamespace(type.ContainingNamespace, "System.IO.Compression");
}
