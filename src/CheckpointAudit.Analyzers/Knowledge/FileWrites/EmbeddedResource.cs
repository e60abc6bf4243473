using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace CheckpointAudit.Knowledge;

/// <summary>
/// A stream of a resource embedded in the program (<c>Assembly.GetManifestResourceStream(name)</c>), directly or
/// through the project's own method or property that returns one (<c>Resource.GetStream(id)</c>,
/// <c>ModPreset.ResourceStream =&gt; Resource.GetStream(Id)</c>): a file written from it holds what the program
/// ships, and can be written again.
/// </summary>
internal static class EmbeddedResource
{
    private const int MaxDepth = 2;

    public const string Evidence = "the bytes are the program's own embedded resource";

    public static bool Opens(IOperation operation, Compilation compilation)
        => operation switch
        {
            IInvocationOperation call => Returns(call.TargetMethod, compilation, 0),
            IPropertyReferenceOperation { Property.GetMethod: { } getter } => Returns(getter, compilation, 0),
            _ => false,
        };

    private static bool Returns(IMethodSymbol method, Compilation compilation, int depth)
    {
        if (method.Name == "GetManifestResourceStream" && SymbolNames.IsType(method.ContainingType, "System.Reflection.Assembly"))
        {
            return true;
        }

        if (depth >= MaxDepth || method.DeclaringSyntaxReferences.IsEmpty || method.IsAbstract)
        {
            return false;
        }

        // Every value the method or getter returns opens a resource stream (a null-forgiving ! has no operation of its own).
        var any = false;
        foreach (var reference in method.DeclaringSyntaxReferences)
        {
            var syntax = reference.GetSyntax();
            if (DeclaringCompilation.Of(syntax.SyntaxTree, compilation) is not { } declaring)
            {
                return false;
            }

#pragma warning disable RS1030 // The body of the project's resource helper a copied stream comes from: a few small bodies, two calls deep at most.
            var body = declaring.GetSemanticModel(syntax.SyntaxTree).GetOperation(syntax);
#pragma warning restore RS1030
            foreach (var returned in OwnReturns(body))
            {
                if (!OpensDirectly(returned.ReturnedValue, declaring, depth + 1))
                {
                    return false;
                }

                any = true;
            }
        }

        return any;
    }

    /// <summary>The body's own returns, not those of a lambda or local function inside it (<c>names.Single(n =&gt; n.EndsWith(id))</c>).</summary>
    private static IEnumerable<IReturnOperation> OwnReturns(IOperation? body)
        => body?.Descendants().OfType<IReturnOperation>().Where(r => OperationTree.InnermostFunction(r) is null) ?? Enumerable.Empty<IReturnOperation>();

    /// <summary>The returned value is such a call or property, through conversions and a null-forgiving or <c>?.</c>.</summary>
    private static bool OpensDirectly(IOperation? value, Compilation compilation, int depth)
    {
        while (value is IConversionOperation conversion)
        {
            value = conversion.Operand;
        }

        return value switch
        {
            IInvocationOperation call => Returns(call.TargetMethod, compilation, depth),
            IPropertyReferenceOperation { Property.GetMethod: { } getter } => Returns(getter, compilation, depth),
            IConditionalAccessOperation access => OpensDirectly(access.WhenNotNull, compilation, depth),
            _ => false,
        };
    }
}
