using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace CheckpointAudit.Cli.Analysis;

/// <summary>
/// Whether a ".bak" name in the code is a previous version the program or its user can come back to: a path built
/// with it is written (the destination of a File/FileInfo copy, move or write) and the same member does not delete it
/// again. A backup deleted right after the save recovers nothing, and a ".bak" the program only reads (a template
/// shipped beside it, such as ASP.NET's app_offline.bak) is not a copy it keeps: neither earns credit in the score.
/// A backup written through a project helper is not seen (known limit).
/// </summary>
internal static class BackupCopies
{
    /// <summary>
    /// Whether the path built around <paramref name="literal"/> (a string literal or interpolated text) is written and
    /// kept. A restore from it earns nothing by itself: when the program also writes that copy, the write is credited
    /// where it is; when it only reads it, it is a file shipped beside the program.
    /// </summary>
    public static bool IsKept(SyntaxNode literal, SemanticModel model, CancellationToken cancellationToken)
        => Of(literal, model, cancellationToken) == BackupUse.Written;

    /// <summary>What the code does with the path built around <paramref name="literal"/>: writes it and keeps it, restores from it, or neither.</summary>
    private static BackupUse Of(SyntaxNode literal, SemanticModel model, CancellationToken cancellationToken)
    {
        // The whole path expression: path + ".bak", $"{path}.bak", Path.ChangeExtension(path, ".bak")…
        var expression = literal;
        while (expression.Parent is BinaryExpressionSyntax or ParenthesizedExpressionSyntax or InterpolatedStringExpressionSyntax or InterpolationSyntax
            || expression.Parent is ArgumentSyntax { Parent.Parent: InvocationExpressionSyntax call } && IsPathBuilding(call, model, cancellationToken))
        {
            expression = expression.Parent is ArgumentSyntax argument ? argument.Parent!.Parent! : expression.Parent;
        }

        if (expression.Parent is ArgumentSyntax direct)
        {
            return Use(direct, model, cancellationToken) switch
            {
                BackupUse.Restored => BackupUse.Restored,
                BackupUse.Written when !DeletedIn(literal.FirstAncestorOrSelf<MemberDeclarationSyntax>(), expression.ToString(), null, model, cancellationToken) => BackupUse.Written,
                _ => BackupUse.Other,
            };
        }

        // Kept in a local or a member: its uses in the type's code decide.
        var holder = expression.Parent switch
        {
            EqualsValueClauseSyntax { Parent: VariableDeclaratorSyntax declarator } => model.GetDeclaredSymbol(declarator, cancellationToken),
            AssignmentExpressionSyntax assignment when assignment.Right == expression => model.GetSymbolInfo(assignment.Left, cancellationToken).Symbol,
            ArrowExpressionClauseSyntax { Parent: PropertyDeclarationSyntax property } => model.GetDeclaredSymbol(property, cancellationToken),
            _ => null,
        };
        var scope = holder is ILocalSymbol ? literal.FirstAncestorOrSelf<MemberDeclarationSyntax>() : literal.FirstAncestorOrSelf<TypeDeclarationSyntax>();
        if (holder is null || scope is null)
        {
            return BackupUse.Other;
        }

        var written = false;
        var restored = false;
        foreach (var name in scope.DescendantNodes())
        {
            if (name is IdentifierNameSyntax identifier && identifier.Identifier.ValueText == holder.Name
                && identifier.FirstAncestorOrSelf<ArgumentSyntax>() is { } argument
                && SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(identifier, cancellationToken).Symbol, holder))
            {
                switch (Use(argument, model, cancellationToken))
                {
                    case BackupUse.Restored:
                        restored = true;
                        break;
                    case BackupUse.Written:
                        written = true;
                        break;
                }
            }
        }

        return written && !DeletedIn(scope, null, holder, model, cancellationToken) ? BackupUse.Written
            : restored ? BackupUse.Restored
            : BackupUse.Other;
    }

    private enum BackupUse
    {
        Other,
        Restored,
        Written,
    }

    /// <summary>What a File/FileInfo call does with the argument: reads or restores from it, or writes it.</summary>
    private static BackupUse Use(ArgumentSyntax argument, SemanticModel model, CancellationToken cancellationToken)
    {
        if (RestoresFrom(argument, model, cancellationToken))
        {
            return BackupUse.Restored;
        }

        if (argument.Parent?.Parent is not InvocationExpressionSyntax invocation
            || model.GetOperation(invocation, cancellationToken) is not IInvocationOperation { TargetMethod: { ContainingType.Name: "File" or "FileInfo" } method })
        {
            return BackupUse.Other;
        }

        var index = invocation.ArgumentList.Arguments.IndexOf(argument);
        return (method.Name is "Copy" or "Move" or "Replace" && index >= 1) || (method.Name.StartsWith("Write", System.StringComparison.Ordinal) && index == 0)
            ? BackupUse.Written
            : BackupUse.Other;
    }

    /// <summary>A File.Delete in <paramref name="scope"/> of the same expression text or of <paramref name="holder"/>.</summary>
    private static bool DeletedIn(SyntaxNode? scope, string? text, ISymbol? holder, SemanticModel model, CancellationToken cancellationToken)
    {
        foreach (var invocation in scope?.DescendantNodes().OfType<InvocationExpressionSyntax>() ?? [])
        {
            if (invocation.Expression is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Delete" }
                && invocation.ArgumentList.Arguments.FirstOrDefault()?.Expression is { } deleted
                && (deleted.ToString() == text
                    || holder is not null && SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(deleted, cancellationToken).Symbol, holder)))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsPathBuilding(InvocationExpressionSyntax call, SemanticModel model, CancellationToken cancellationToken)
        => model.GetSymbolInfo(call, cancellationToken).Symbol is IMethodSymbol { ContainingType.Name: "Path" or "String" };

    /// <summary>The argument is the file a File/FileInfo call reads, or the source of its copy, move or replace.</summary>
    private static bool RestoresFrom(ArgumentSyntax argument, SemanticModel model, CancellationToken cancellationToken)
    {
        if (argument.Parent?.Parent is not InvocationExpressionSyntax invocation
            || model.GetOperation(invocation, cancellationToken) is not IInvocationOperation { TargetMethod: { ContainingType.Name: "File" or "FileInfo" } method } call)
        {
            return false;
        }

        var index = invocation.ArgumentList.Arguments.IndexOf(argument);
        return method.Name.StartsWith("Read", System.StringComparison.Ordinal) || method.Name is "OpenRead" or "OpenText"
            || (method.Name is "Copy" or "Move" or "Replace" && index == 0 && call.Instance is null);
    }
}
