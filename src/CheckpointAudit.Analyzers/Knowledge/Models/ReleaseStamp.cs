using System.Collections.Generic;
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
/// project that returns it (<c>string revision = GetVersion();</c>, a property whose getter returns that field), or
/// assigned it where the project makes one (<c>new SettingsInfo { Version = AssemblyManager.Current.Version.ToString() }</c>,
/// through a holder of the project that is only ever given the entry assembly's version). A
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
                if (member is IPropertySymbol or IFieldSymbol && SerializedMembers.IsSerialized(member, dataContract: false)
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

        // Set where the project makes a new one: new SettingsInfo { Version = AssemblyManager.Current.Version.ToString() }.
        // The search reads every file that names the member: only for a text or Version member named for a version.
        return MayHoldRelease(member) && AssignedValues(member, compilation).Any(value => IsReleaseValue(value, value, compilation, depth: 0));
    }

    private static bool MayHoldRelease(ISymbol member)
    {
        var type = TypeRelations.StoredType(member);
        return (type?.SpecialType == SpecialType.System_String || type?.Name == "Version" && SymbolNames.IsNamespace(type.ContainingNamespace, "System"))
            && (member.Name.IndexOf("Version", System.StringComparison.OrdinalIgnoreCase) >= 0 || member.Name.IndexOf("Revision", System.StringComparison.OrdinalIgnoreCase) >= 0);
    }

    /// <summary>
    /// The values the project's code assigns to the member (object initializers included), in the member's own
    /// compilation: where a model is made for saving.
    /// </summary>
    private static IEnumerable<IOperation> AssignedValues(ISymbol member, Compilation compilation)
    {
        var declaring = member.Locations.FirstOrDefault(l => l.IsInSource)?.SourceTree is { } tree ? DeclaringCompilation.Of(tree, compilation) : null;
        if (declaring is null)
        {
            yield break;
        }

        foreach (var use in SourceSearch.Uses(member.Name, declaring.SyntaxTrees, declaring, null, default))
        {
            if (use is IMemberReferenceOperation reference && SymbolEqualityComparer.Default.Equals(reference.Member.OriginalDefinition, member.OriginalDefinition)
                && use.Parent is ISimpleAssignmentOperation assignment && assignment.Target == use)
            {
                yield return assignment.Value;
            }
        }
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
        return DeclaringCompilation.Of(expression.SyntaxTree, compilation)?.GetSemanticModel(expression.SyntaxTree).GetOperation(expression) is { } value
            && IsReleaseValue(value, value, compilation, depth);
#pragma warning restore RS1030
    }

    /// <summary>
    /// The value is the version itself, not something computed from it (a comparison, a title): a version property of
    /// this program's assembly or executable, through conversions, <c>?.</c>, the left of <c>??</c>, <c>ToString()</c>,
    /// or what one project method returns.
    /// </summary>
    private static bool IsReleaseValue(IOperation value, IOperation root, Compilation compilation, int depth)
    {
        switch (value)
        {
            case IConversionOperation conversion:
                return IsReleaseValue(conversion.Operand, root, compilation, depth);
            case IConditionalAccessOperation access:
                return IsReleaseValue(access.WhenNotNull, root, compilation, depth);
            case ICoalesceOperation coalesce:
                return IsReleaseValue(coalesce.Value, root, compilation, depth);
            case IInvocationOperation { TargetMethod.Name: "ToString", Arguments.Length: 0, Instance: { } instance }:
                return IsReleaseValue(instance, root, compilation, depth);
            case IPropertyReferenceOperation reference when IsReleaseProperty(reference.Property):
                return reference.Instance is null || IsOwnAssembly(root); // a?.b?.Version: the chain is in the root
            case IMemberReferenceOperation { Member: IPropertySymbol or IFieldSymbol } own when depth == 0 && !own.Member.DeclaringSyntaxReferences.IsEmpty:
                // The project's own holder of the release (AssemblyManager.Current.Version, set once from the entry
                // assembly): every value the project gives it is the release.
                var values = AssignedValues(own.Member, compilation).ToList();
                if (MemberValue.Of(own.Member, compilation) is { } initial)
                {
                    values.Add(initial); // Version { get; } = typeof(App).Assembly.GetName().Version
                }

                return values.Count > 0 && values.All(v => IsReleaseValue(v, v, compilation, depth + 1));
            case IInvocationOperation { TargetMethod: var method } when depth == 0 && MethodSummaries.IsProjectMethod(method) && !SourceBodies.IsAbstract(method):
                foreach (var (_, body) in SourceBodies.Of(method, compilation, default))
                {
                    var returned = body.Descendants().OfType<IReturnOperation>().Select(r => r.ReturnedValue).ToList();
                    if (returned.Count > 0 && returned.All(r => r is not null && IsReleaseValue(r!, r!, compilation, depth + 1)))
                    {
                        return true;
                    }
                }

                return false;
            default:
                return false;
        }
    }

    /// <summary>
    /// The assembly, attribute or file the version in <paramref name="instance"/> is read from is this program's own: the entry or executing assembly,
    /// <c>typeof(T).Assembly</c> or <c>GetType().Assembly</c> of a type declared in source, or the running executable
    /// (<c>Environment.ProcessPath</c>, <c>Application.ExecutablePath</c>, the current process's main module).
    /// </summary>
    private static bool IsOwnAssembly(IOperation instance) => IsOwnAssembly(instance, 0);

    private static bool IsOwnAssembly(IOperation instance, int depth)
        => instance.DescendantsAndSelf().Any(o => o switch
        {
            // var assembly = Assembly.GetEntryAssembly(); var name = assembly.GetName(); … name.Version
            ILocalReferenceOperation local when depth < 3 => OperationTree.DeclaredValue(local.Local, OperationTree.Root(local)) is { } declared && IsOwnAssembly(declared, depth + 1),
            IInvocationOperation { TargetMethod.Name: "GetEntryAssembly" or "GetExecutingAssembly" or "GetCallingAssembly" or "GetCurrentProcess" } => true,
            IInvocationOperation { TargetMethod.Name: "GetType", Instance: IInstanceReferenceOperation } => true,
            ITypeOfOperation { TypeOperand: var type } => !type.DeclaringSyntaxReferences.IsEmpty,
            IPropertyReferenceOperation { Property.Name: "ProcessPath" or "ExecutablePath" } => true,
            _ => false,
        });

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
