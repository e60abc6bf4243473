using System.Collections.Concurrent;
using System.Linq;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace CheckpointAudit.Knowledge;

/// <summary>
/// A member of a model that every new instance fills with the release of the program that creates it: initialised
/// from the program's assembly version (<c>Assembly.GetName().Version</c>, <c>AssemblyInformationalVersionAttribute</c>,
/// <c>FileVersionInfo.ProductVersion</c>, <c>Application.ProductVersion</c>), directly or through a method of the
/// project that returns it (<c>string revision = GetVersion();</c>, a property whose getter returns that field). A
/// saved file then records which build wrote it, so data of older builds can be told apart and migrated by release,
/// even when the readers that compare it are in another project.
/// </summary>
internal static class ReleaseStamp
{
    public static ISymbol? Find(INamedTypeSymbol type, Compilation compilation)
    {
        var known = Stamps.GetValue(compilation, _ => new ConcurrentDictionary<ISymbol, bool>(SymbolEqualityComparer.Default));
        for (var current = type; current is not null && current.SpecialType != SpecialType.System_Object; current = current.BaseType)
        {
            foreach (var member in current.GetMembers())
            {
                if (!member.IsStatic && !member.IsImplicitlyDeclared && member is IPropertySymbol or IFieldSymbol && !SerializedMembers.IsIgnored(member)
                    && known.GetOrAdd(member.OriginalDefinition, m => IsStamped(m, compilation)))
                {
                    return member;
                }
            }
        }

        return null;
    }

    private static readonly ConditionalWeakTable<Compilation, ConcurrentDictionary<ISymbol, bool>> Stamps = new();

    private static bool IsStamped(ISymbol member, Compilation compilation)
    {
        foreach (var reference in member.DeclaringSyntaxReferences)
        {
            var syntax = reference.GetSyntax();
            var initial = syntax switch
            {
                VariableDeclaratorSyntax field => field.Initializer?.Value,
                PropertyDeclarationSyntax property => property.Initializer?.Value ?? ReturnedField(property),
                _ => null,
            };
            if (initial is not null && IsRelease(initial, compilation, depth: 0))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The initializer of the field a property's getter returns (<c>get =&gt; revision;</c>).</summary>
    private static ExpressionSyntax? ReturnedField(PropertyDeclarationSyntax property)
    {
        var get = property.AccessorList?.Accessors.FirstOrDefault(a => a.Keyword.ValueText == "get");
        var getter = property.ExpressionBody?.Expression ?? get?.ExpressionBody?.Expression
            ?? (get?.Body is { Statements.Count: 1 } body && body.Statements[0] is ReturnStatementSyntax { Expression: { } returned } ? returned : null);
        if (getter is not IdentifierNameSyntax name || property.Parent is not TypeDeclarationSyntax type)
        {
            return null;
        }

        return type.Members.OfType<FieldDeclarationSyntax>().SelectMany(f => f.Declaration.Variables)
            .FirstOrDefault(v => v.Identifier.ValueText == name.Identifier.ValueText)?.Initializer?.Value;
    }

    private static bool IsRelease(SyntaxNode expression, Compilation compilation, int depth)
    {
#pragma warning disable RS1030 // An initializer of a persisted model's member, bound once per member and compilation (cached above).
        if (DeclaringCompilation.Of(expression.SyntaxTree, compilation)?.GetSemanticModel(expression.SyntaxTree).GetOperation(expression) is not { } value)
#pragma warning restore RS1030
        {
            return false;
        }

        foreach (var operation in value.DescendantsAndSelf())
        {
            switch (operation)
            {
                case IPropertyReferenceOperation { Property: var property } when IsReleaseProperty(property):
                    return true;
                case IInvocationOperation { TargetMethod: var method } when depth == 0 && MethodSummaries.IsProjectMethod(method) && !SourceBodies.IsAbstract(method):
                    foreach (var (_, body) in SourceBodies.Of(method, compilation, default))
                    {
                        if (body.Descendants().OfType<IReturnOperation>().Any(r => r.ReturnedValue is { } returned && IsRelease(returned.Syntax, compilation, depth + 1)))
                        {
                            return true;
                        }
                    }

                    break;
            }
        }

        return false;
    }

    /// <summary>A property that reads the version of an assembly or executable.</summary>
    private static bool IsReleaseProperty(IPropertySymbol property)
        => property.Name switch
        {
            "Version" => SymbolNames.IsType(property.ContainingType, "System.Reflection.AssemblyName")
                || SymbolNames.IsType(property.ContainingType, "System.Reflection.AssemblyFileVersionAttribute"),
            "InformationalVersion" => SymbolNames.IsType(property.ContainingType, "System.Reflection.AssemblyInformationalVersionAttribute"),
            "ProductVersion" or "FileVersion" => SymbolNames.IsType(property.ContainingType, "System.Diagnostics.FileVersionInfo")
                || SymbolNames.IsType(property.ContainingType, "System.Windows.Forms.Application"),
            _ => false,
        };
}
