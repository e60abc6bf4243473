using System.Linq;
using System.Threading;
using CheckpointAudit.Knowledge;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace CheckpointAudit.CodeFixes.Atomicity;

/// <summary>
/// Whether a call the stream of an atomic write is handed to leaves it open, so that a commit after the call still
/// finds it writable. Library calls are judged by name (serializers, copies, saves of documents and images); a method
/// of the project is read: it leaves the stream open when every use of its parameter writes to it, directly or by
/// handing it on to calls that do, up to a few calls deep. A method that can be overridden, or whose body is not in
/// the compilation, is not taken on trust.
/// </summary>
internal static class StreamLeftOpen
{
    private const int MaxDepth = 3;

    /// <summary>Members of a stream or writer that end the write or expose the file behind it (a temp after the fix).</summary>
    private static bool ClosesOrExposes(string member)
        => member is "Close" or "Dispose" or "DisposeAsync" || ExposesFile(member);

    /// <summary>Members of a file stream that name or hold the file behind it: after an atomic rewrite, the temp's.</summary>
    public static bool ExposesFile(string member)
        => member is "Name" or "Handle" or "SafeFileHandle";

    /// <summary>The call <paramref name="argument"/> is passed to writes to it and leaves it open.</summary>
    public static bool LeavesOpen(ArgumentSyntax argument, SemanticModel model, CancellationToken cancellationToken)
        => LeavesOpen(argument, model, 0, cancellationToken);

    /// <summary>
    /// <c>stream.Member(…)</c>: a member of the stream's own type, or an extension method of the project that
    /// only writes to it.
    /// </summary>
    public static bool MemberLeavesOpen(MemberAccessExpressionSyntax access, SemanticModel model, CancellationToken cancellationToken)
        => MemberLeavesOpen(access, model, 0, cancellationToken);

    private static bool LeavesOpen(ArgumentSyntax argument, SemanticModel model, int depth, CancellationToken cancellationToken)
    {
        if (argument.Parent?.Parent is not InvocationExpressionSyntax call || !argument.RefKindKeyword.IsKind(Microsoft.CodeAnalysis.CSharp.SyntaxKind.None))
        {
            return false;
        }

        var info = model.GetSymbolInfo(call, cancellationToken);
        if (IsLibraryCall(info))
        {
            return WritesWithoutClosing(call);
        }

        return model.GetOperation(argument, cancellationToken) is IArgumentOperation { Parameter: { } parameter }
            && parameter.ContainingSymbol is IMethodSymbol method
            && OnlyWritesTo(method, parameter.Ordinal, model.Compilation, depth + 1, cancellationToken);
    }

    private static bool MemberLeavesOpen(MemberAccessExpressionSyntax access, SemanticModel model, int depth, CancellationToken cancellationToken)
    {
        if (ClosesOrExposes(access.Name.Identifier.ValueText))
        {
            return false;
        }

        // A property that hands out a stream (a writer's BaseStream): what is done with it is not followed.
        if (access.Parent is not InvocationExpressionSyntax && model.GetSymbolInfo(access, cancellationToken).Symbol is IPropertySymbol or IFieldSymbol
            && model.GetTypeInfo(access, cancellationToken).Type is { } type && IsStreamOrWriter(type))
        {
            return false;
        }

        // An extension method of the project called on the stream: its first parameter is the stream.
        return model.GetSymbolInfo(access, cancellationToken).Symbol is not IMethodSymbol { ReducedFrom: { } extension }
            || !extension.DeclaringSyntaxReferences.Any()
            || OnlyWritesTo(extension, 0, model.Compilation, depth + 1, cancellationToken);
    }

    /// <summary>Every use of the parameter at <paramref name="ordinal"/> in the method's body writes to it and leaves it open.</summary>
    private static bool OnlyWritesTo(IMethodSymbol method, int ordinal, Compilation compilation, int depth, CancellationToken cancellationToken)
    {
        method = method.OriginalDefinition;
        if (depth > MaxDepth || method.IsVirtual || method.IsAbstract || method.IsOverride || method.IsExtern
            || method.ContainingType?.TypeKind == TypeKind.Interface
            || ordinal >= method.Parameters.Length || method.Parameters[ordinal] is not { RefKind: RefKind.None } parameter
            || method.DeclaringSyntaxReferences.Length != 1
            || method.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken) is not { } declaration
            || !compilation.ContainsSyntaxTree(declaration.SyntaxTree))
        {
            return false;
        }

        SyntaxNode? body = declaration switch
        {
            BaseMethodDeclarationSyntax member => (SyntaxNode?)member.Body ?? member.ExpressionBody,
            LocalFunctionStatementSyntax local => (SyntaxNode?)local.Body ?? local.ExpressionBody,
            _ => null,
        };
        if (body is null)
        {
            return false;
        }

        var model = compilation.GetSemanticModel(declaration.SyntaxTree);
        foreach (var name in body.DescendantNodes().OfType<IdentifierNameSyntax>())
        {
            if (name.Identifier.ValueText != parameter.Name
                || !SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(name, cancellationToken).Symbol, parameter))
            {
                continue;
            }

            // A lambda or local function may run after the caller's commit.
            if (name.Ancestors().TakeWhile(n => n != body).Any(n => n is AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax))
            {
                return false;
            }

            var handedOn = name.Parent switch
            {
                MemberAccessExpressionSyntax access when access.Expression == name => MemberLeavesOpen(access, model, depth, cancellationToken),
                ArgumentSyntax { Parent.Parent: ObjectCreationExpressionSyntax creation } argument => WrapperLeavesOpen(creation, argument, body, model, depth, cancellationToken),
                ArgumentSyntax argument => LeavesOpen(argument, model, depth, cancellationToken),
                BinaryExpressionSyntax comparison => comparison.IsKind(Microsoft.CodeAnalysis.CSharp.SyntaxKind.EqualsExpression)
                    || comparison.IsKind(Microsoft.CodeAnalysis.CSharp.SyntaxKind.NotEqualsExpression), // a null check
                _ => false,
            };
            if (!handedOn)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// <c>var writer = new BinaryWriter(stream)</c> (or a StreamWriter) kept in a local that is never disposed nor closed
    /// and only written through: the stream stays open (a writer closes it only when it is itself closed). What a
    /// StreamWriter still buffers is lost as it was before the fix.
    /// </summary>
    private static bool WrapperLeavesOpen(ObjectCreationExpressionSyntax creation, ArgumentSyntax argument, SyntaxNode body, SemanticModel model, int depth, CancellationToken cancellationToken)
    {
        if (creation.ArgumentList?.Arguments.IndexOf(argument) != 0
            || model.GetTypeInfo(creation, cancellationToken).Type is not INamedTypeSymbol { Name: "BinaryWriter" or "StreamWriter" } writerType
            || !SymbolNames.IsNamespace(writerType.ContainingNamespace, "System.IO")
            || creation.Parent is not EqualsValueClauseSyntax { Parent: VariableDeclaratorSyntax { Parent: VariableDeclarationSyntax { Parent: LocalDeclarationStatementSyntax declaration } } declarator }
            || declaration.UsingKeyword.RawKind != 0
            || model.GetDeclaredSymbol(declarator, cancellationToken) is not ILocalSymbol writer)
        {
            return false;
        }

        foreach (var name in body.DescendantNodes().OfType<IdentifierNameSyntax>())
        {
            if (name.Identifier.ValueText != writer.Name
                || !SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(name, cancellationToken).Symbol, writer))
            {
                continue;
            }

            var written = !name.Ancestors().TakeWhile(n => n != body).Any(n => n is AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax)
                && name.Parent switch
                {
                    MemberAccessExpressionSyntax access when access.Expression == name => MemberLeavesOpen(access, model, depth, cancellationToken),
                    BinaryExpressionSyntax comparison => comparison.IsKind(Microsoft.CodeAnalysis.CSharp.SyntaxKind.EqualsExpression)
                        || comparison.IsKind(Microsoft.CodeAnalysis.CSharp.SyntaxKind.NotEqualsExpression),
                    _ => false,
                };
            if (!written)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Library calls known to write to a stream they are given and leave it open: serializers, copies, saves of
    /// documents and images. Other library calls may close it (a workbook's Write, XmlWriter.Create with CloseOutput, a
    /// PDF writer), and the commit would then come after the stream was closed.
    /// </summary>
    private static bool WritesWithoutClosing(InvocationExpressionSyntax call)
        => (call.Expression switch
        {
            MemberAccessExpressionSyntax access => access.Name.Identifier.ValueText,
            IdentifierNameSyntax identifier => identifier.Identifier.ValueText,
            _ => string.Empty,
        }) is var method
            && (method.StartsWith("Serialize", System.StringComparison.Ordinal)
                || method is "WriteObject" or "Save" or "SaveAsync" or "Copy" or "CopyTo" or "CopyToAsync" or "WriteTo" or "WriteToAsync");

    /// <summary>
    /// A method declared outside the project; or a call that does not bind at all (a package not restored where the code
    /// is read): the project's own methods always bind, at least to candidates.
    /// </summary>
    private static bool IsLibraryCall(SymbolInfo info)
        => info.Symbol is IMethodSymbol method
            ? method.DeclaringSyntaxReferences.IsEmpty && method.MethodKind != MethodKind.DelegateInvoke // a delegate may run anything
            : info.CandidateSymbols.IsEmpty;

    private static bool IsStreamOrWriter(ITypeSymbol type)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            if (current.Name is "Stream" or "TextWriter" or "BinaryWriter" && SymbolNames.IsNamespace(current.ContainingNamespace, "System.IO"))
            {
                return true;
            }
        }

        return false;
    }
}
