using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace CheckpointAudit.Knowledge;

/// <summary>
/// The operation body of a called method, by default only when it is declared in the same syntax tree as the call.
/// Staying in one tree reuses the caller's semantic model: helpers in the same class are followed
/// one level at no extra binding cost; helpers elsewhere are not.
/// </summary>
internal static class SameFileBody
{
    public static IOperation? Of(IInvocationOperation invocation) => Of(invocation, otherFiles: null);

    /// <summary>
    /// The body wherever it is declared in source, binding the other file with <paramref name="otherFiles"/> when
    /// needed: for rules that follow a call only after a cheaper check has found a finding to confirm.
    /// </summary>
    public static IOperation? Of(IInvocationOperation invocation, Compilation? otherFiles)
    {
        var method = invocation.TargetMethod.OriginalDefinition;
        var model = invocation.SemanticModel;
        if (model is null || method.MethodKind is not (MethodKind.Ordinary or MethodKind.LocalFunction) || method.DeclaringSyntaxReferences.Length != 1)
        {
            return null;
        }

        var reference = method.DeclaringSyntaxReferences[0];
        if (reference.SyntaxTree != model.SyntaxTree)
        {
            if (otherFiles is null || !otherFiles.ContainsSyntaxTree(reference.SyntaxTree))
            {
                return null;
            }

#pragma warning disable RS1030 // Only for a call already found to matter; the driver's model covers the current file only.
            model = otherFiles.GetSemanticModel(reference.SyntaxTree);
#pragma warning restore RS1030
        }

        var syntax = reference.GetSyntax();
        return syntax switch
        {
            BaseMethodDeclarationSyntax or LocalFunctionStatementSyntax => model.GetOperation(syntax),
            _ => null,
        };
    }
}
