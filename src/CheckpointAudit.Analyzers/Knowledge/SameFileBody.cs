using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace CheckpointAudit.Knowledge;

/// <summary>
/// The operation body of a called method when it is declared in the same syntax tree as the call.
/// Staying in one tree reuses the caller's semantic model: helpers in the same class are followed
/// one level at no extra binding cost; helpers elsewhere are not.
/// </summary>
internal static class SameFileBody
{
    public static IOperation? Of(IInvocationOperation invocation)
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
            return null;
        }

        var syntax = reference.GetSyntax();
        return syntax switch
        {
            BaseMethodDeclarationSyntax or LocalFunctionStatementSyntax => model.GetOperation(syntax),
            _ => null,
        };
    }
}
