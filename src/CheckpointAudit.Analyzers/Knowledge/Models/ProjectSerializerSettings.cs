using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace CheckpointAudit.Knowledge;

/// <summary>
/// What a project configures for its JSON serializers anywhere in its code: a contract resolver of its own (then
/// non-public setters may be written), fields included, collections populated, Newtonsoft.Json type names. Any one
/// place in the project counts: which options object reaches which serializer call is not followed.
/// </summary>
/// <remarks>
/// The Models rules need these facts only when they have a member to report, which most projects never have, so
/// each fact is looked up on first use and kept for the compilation, shared by every rule: files whose text does
/// not name the setting are skipped unread, instead of every rule inspecting every type and assignment.
/// </remarks>
internal sealed class ProjectSerializerSettings
{
    private const string StjOptions = "System.Text.Json.JsonSerializerOptions";
    private const int Unknown = -1;

    private static readonly ConditionalWeakTable<Compilation, ProjectSerializerSettings> PerCompilation = new();

    private readonly Compilation _compilation;
    private readonly INamedTypeSymbol? _newtonsoftResolver;
    private readonly INamedTypeSymbol? _stjResolver;
    private readonly INamedTypeSymbol? _stjDefaultResolver;
    private int _newtonsoftContract = Unknown;
    private int _systemTextJsonContract = Unknown;
    private int _includeFields = Unknown;
    private int _populate = Unknown;
    private int _typeNames = Unknown;

    private ProjectSerializerSettings(Compilation compilation)
    {
        _compilation = compilation;
        _newtonsoftResolver = KnownTypes.Get(compilation, "Newtonsoft.Json.Serialization.IContractResolver");
        _stjResolver = KnownTypes.Get(compilation, "System.Text.Json.Serialization.Metadata.IJsonTypeInfoResolver");
        _stjDefaultResolver = KnownTypes.Get(compilation, "System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver");
    }

    /// <summary>The compilation's instance, shared by its analyzers.</summary>
    public static ProjectSerializerSettings For(Compilation compilation)
        => PerCompilation.GetValue(compilation, c => new ProjectSerializerSettings(c));

    /// <summary>A Newtonsoft.Json contract resolver declared in the project.</summary>
    public bool CustomNewtonsoftContract(CancellationToken cancellationToken)
        => Answer(ref _newtonsoftContract, () => _newtonsoftResolver is not null && DeclaresResolver(_newtonsoftResolver, cancellationToken));

    /// <summary>A System.Text.Json type-info resolver declared in the project, or a DefaultJsonTypeInfoResolver it configures.</summary>
    public bool CustomSystemTextJsonContract(CancellationToken cancellationToken)
        => Answer(ref _systemTextJsonContract, () => _stjResolver is not null
            && (DeclaresResolver(_stjResolver, cancellationToken) || CreatesDefaultResolver(cancellationToken)));

    /// <summary>JsonSerializerOptions.IncludeFields = true.</summary>
    public bool IncludeFields(CancellationToken cancellationToken)
        => Answer(ref _includeFields, () => Assigned("IncludeFields", a => IsOnStjOptions(a) && a.Value.ConstantValue.Value is true, cancellationToken));

    /// <summary>JsonSerializerOptions.PreferredObjectCreationHandling = Populate (or a value not known here).</summary>
    public bool PopulateCollections(CancellationToken cancellationToken)
        => Answer(ref _populate, () => Assigned("PreferredObjectCreationHandling", a => IsOnStjOptions(a), cancellationToken));

    /// <summary>TypeNameHandling set to anything but None on Newtonsoft.Json settings or a serializer.</summary>
    public bool NewtonsoftTypeNames(CancellationToken cancellationToken)
        => Answer(ref _typeNames, () => Assigned(
            "TypeNameHandling",
            a => SymbolNames.IsNamespace(((IPropertyReferenceOperation)a.Target).Property.ContainingType?.ContainingNamespace, "Newtonsoft.Json")
                && a.Value.ConstantValue.Value is not 0,
            cancellationToken));

    /// <summary>Computes a fact once; a cancelled computation is not kept, so the next caller computes it again.</summary>
    private static bool Answer(ref int cached, System.Func<bool> compute)
    {
        var known = Volatile.Read(ref cached);
        if (known == Unknown)
        {
            known = compute() ? 1 : 0;
            Volatile.Write(ref cached, known);
        }

        return known == 1;
    }

    private static bool IsOnStjOptions(ISimpleAssignmentOperation assignment)
        => SymbolNames.IsType(((IPropertyReferenceOperation)assignment.Target).Property.ContainingType, StjOptions);

    /// <summary>
    /// A class of the project that implements the resolver interface. Implementing one means naming it or a base
    /// type that does (IContractResolver, DefaultContractResolver, IJsonTypeInfoResolver, a project base class that
    /// names one), so only files whose text says "Resolver" are read.
    /// </summary>
    private bool DeclaresResolver(INamedTypeSymbol resolver, CancellationToken cancellationToken)
    {
        foreach (var tree in SourceSearch.TreesNaming("Resolver", _compilation, cancellationToken))
        {
            SemanticModel? model = null;
            foreach (var declaration in tree.GetRoot(cancellationToken).DescendantNodes(n => n is CompilationUnitSyntax or BaseNamespaceDeclarationSyntax or TypeDeclarationSyntax))
            {
                if (declaration is not ClassDeclarationSyntax { BaseList: not null } declared)
                {
                    continue;
                }

#pragma warning disable RS1030 // Only files that name a resolver, once per compilation, when a rule has a member to judge.
                model ??= _compilation.GetSemanticModel(tree);
#pragma warning restore RS1030

                // Source-generated JsonSerializerContext classes implement the resolver too, and change nothing.
                if (model.GetDeclaredSymbol(declared, cancellationToken) is INamedTypeSymbol type
                    && !SymbolNames.IsType(type.BaseType, "System.Text.Json.Serialization.JsonSerializerContext")
                    && type.AllInterfaces.Contains(resolver, SymbolEqualityComparer.Default))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary><c>new DefaultJsonTypeInfoResolver { Modifiers = ... }</c> (or a subclass) anywhere in the project.</summary>
    private bool CreatesDefaultResolver(CancellationToken cancellationToken)
    {
        if (_stjDefaultResolver is null)
        {
            return false;
        }

        foreach (var tree in SourceSearch.TreesNaming("Resolver", _compilation, cancellationToken))
        {
            SemanticModel? model = null;
            foreach (var creation in tree.GetRoot(cancellationToken).DescendantNodes().OfType<BaseObjectCreationExpressionSyntax>())
            {
#pragma warning disable RS1030 // As above.
                model ??= _compilation.GetSemanticModel(tree);
#pragma warning restore RS1030
                if (model.GetTypeInfo(creation, cancellationToken).Type is INamedTypeSymbol created
                    && (SymbolEqualityComparer.Default.Equals(created, _stjDefaultResolver) || SymbolEqualityComparer.Default.Equals(created.BaseType, _stjDefaultResolver)))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>An assignment to a property named <paramref name="property"/> that <paramref name="counts"/> anywhere in the project.</summary>
    private bool Assigned(string property, System.Func<ISimpleAssignmentOperation, bool> counts, CancellationToken cancellationToken)
    {
        foreach (var use in SourceSearch.Uses(property, _compilation.SyntaxTrees, _compilation, null, cancellationToken))
        {
            if (use is IPropertyReferenceOperation && use.Parent is ISimpleAssignmentOperation assignment && assignment.Target == use && counts(assignment))
            {
                return true;
            }
        }

        return false;
    }
}
