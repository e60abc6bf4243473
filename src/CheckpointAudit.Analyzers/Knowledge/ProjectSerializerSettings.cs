using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace CheckpointAudit.Knowledge;

/// <summary>
/// What a project configures for its JSON serializers anywhere in its code, gathered while the Models rules run and
/// read at compilation end: a contract resolver of its own (then non-public setters may be written), fields
/// included, collections populated, Newtonsoft.Json type names. Any one place in the project counts: which options
/// object reaches which serializer call is not followed.
/// </summary>
internal sealed class ProjectSerializerSettings
{
    private const string StjOptions = "System.Text.Json.JsonSerializerOptions";

    private readonly INamedTypeSymbol? _newtonsoftResolver;
    private readonly INamedTypeSymbol? _stjResolver;
    private readonly INamedTypeSymbol? _stjDefaultResolver;
    private int _newtonsoftContract;
    private int _systemTextJsonContract;
    private int _includeFields;
    private int _populate;
    private int _typeNames;

    private ProjectSerializerSettings(Compilation compilation)
    {
        _newtonsoftResolver = compilation.GetTypeByMetadataName("Newtonsoft.Json.Serialization.IContractResolver");
        _stjResolver = compilation.GetTypeByMetadataName("System.Text.Json.Serialization.Metadata.IJsonTypeInfoResolver");
        _stjDefaultResolver = compilation.GetTypeByMetadataName("System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver");
    }

    /// <summary>Registers the scan on the analyzer's compilation; the answers are complete at compilation end.</summary>
    public static ProjectSerializerSettings Register(CompilationStartAnalysisContext start)
    {
        var settings = new ProjectSerializerSettings(start.Compilation);
        start.RegisterSymbolAction(c => settings.Inspect((INamedTypeSymbol)c.Symbol), SymbolKind.NamedType);
        start.RegisterOperationAction(c => settings.Inspect((IObjectCreationOperation)c.Operation), OperationKind.ObjectCreation);
        start.RegisterOperationAction(c => settings.Inspect((ISimpleAssignmentOperation)c.Operation), OperationKind.SimpleAssignment);
        return settings;
    }

    /// <summary>A Newtonsoft.Json contract resolver declared in the project.</summary>
    public bool CustomNewtonsoftContract => Volatile.Read(ref _newtonsoftContract) != 0;

    /// <summary>A System.Text.Json type-info resolver declared in the project, or a DefaultJsonTypeInfoResolver it configures.</summary>
    public bool CustomSystemTextJsonContract => Volatile.Read(ref _systemTextJsonContract) != 0;

    /// <summary>JsonSerializerOptions.IncludeFields = true.</summary>
    public bool IncludeFields => Volatile.Read(ref _includeFields) != 0;

    /// <summary>JsonSerializerOptions.PreferredObjectCreationHandling = Populate (or a value not known here).</summary>
    public bool PopulateCollections => Volatile.Read(ref _populate) != 0;

    /// <summary>TypeNameHandling set to anything but None on Newtonsoft.Json settings or a serializer.</summary>
    public bool NewtonsoftTypeNames => Volatile.Read(ref _typeNames) != 0;

    private void Inspect(INamedTypeSymbol type)
    {
        if (_newtonsoftResolver is not null && type.AllInterfaces.Contains(_newtonsoftResolver, SymbolEqualityComparer.Default))
        {
            Interlocked.Exchange(ref _newtonsoftContract, 1);
        }

        // Source-generated JsonSerializerContext classes implement the resolver too, and change nothing.
        if (_stjResolver is not null && type.TypeKind == TypeKind.Class && type.BaseType?.ToDisplayString() != "System.Text.Json.Serialization.JsonSerializerContext"
            && type.AllInterfaces.Contains(_stjResolver, SymbolEqualityComparer.Default))
        {
            Interlocked.Exchange(ref _systemTextJsonContract, 1);
        }
    }

    private void Inspect(IObjectCreationOperation creation)
    {
        if (_stjDefaultResolver is not null && creation.Type is INamedTypeSymbol created
            && (SymbolEqualityComparer.Default.Equals(created, _stjDefaultResolver) || SymbolEqualityComparer.Default.Equals(created.BaseType, _stjDefaultResolver)))
        {
            Interlocked.Exchange(ref _systemTextJsonContract, 1);
        }
    }

    private void Inspect(ISimpleAssignmentOperation assignment)
    {
        if (assignment.Target is not IPropertyReferenceOperation { Property: { } property })
        {
            return;
        }

        var owner = property.ContainingType?.ToDisplayString();
        var value = assignment.Value.ConstantValue;
        switch (property.Name)
        {
            case "IncludeFields" when owner == StjOptions && value.Value is true:
                Interlocked.Exchange(ref _includeFields, 1);
                break;
            case "PreferredObjectCreationHandling" when owner == StjOptions:
                Interlocked.Exchange(ref _populate, 1);
                break;
            case "TypeNameHandling" when property.ContainingType?.ContainingNamespace?.ToDisplayString() == "Newtonsoft.Json" && value.Value is not 0:
                Interlocked.Exchange(ref _typeNames, 1);
                break;
        }
    }
}
