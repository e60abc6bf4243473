using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Linq;
using CheckpointAudit.Catalog;
using CheckpointAudit.Checks;
using CheckpointAudit.Knowledge;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace CheckpointAudit.Schema;

/// <summary>
/// CKPT107 (HIGH): stored data is validated on its way in with validation that throws, so one value an older build
/// wrote (a rule tightened since, a field now required, an enum member renamed) makes the whole file unloadable:
/// <list type="bullet">
/// <item><c>Validator.ValidateObject</c>, FluentValidation's <c>ValidateAndThrow(Async)</c>, or
/// <c>Validator.TryValidateObject</c> whose failure branch throws, on a value just deserialized from a file or a
/// database value (or returned by the project's own loader), with no catch of that exception around it (or around
/// every call of the method, as far as <see cref="CatchCoverage"/> looks);</item>
/// <item>a custom JSON converter of a persisted model whose <c>Read</c>/<c>ReadJson</c> throws on a value it does not
/// know: a throw in a <c>switch</c>'s default (or <c>_</c> arm), or <c>Enum.Parse</c> of the token.</item>
/// </list>
/// A converter counts when a type the project saves or loads (or one of its members) names it in
/// <c>[JsonConverter(typeof(…))]</c>, which is known at compilation end: the rule reports there.
/// </summary>
public sealed class ValidationRejectsOldDataCheck : RuleCheck
{
    public ValidationRejectsOldDataCheck()
        : base(RuleCatalog.ValidationRejectsOldData)
    {
    }

    private protected override void OnCompilationStart(CheckStart start)
    {
        if (FileApiSymbols.Create(start.Compilation) is not { } apis || Deserializers.Create(start.Compilation) is not { } deserializers)
        {
            return;
        }

        var options = OptionsOf(start.Compilation, start.Options);
        var compilation = start.Compilation;
        var dataAnnotationsFailure = KnownTypes.Get(compilation, "System.ComponentModel.DataAnnotations.ValidationException");
        var fluentFailure = KnownTypes.Get(compilation, "FluentValidation.ValidationException");
        var stjConverter = KnownTypes.Get(compilation, "System.Text.Json.Serialization.JsonConverter");
        var newtonsoftConverter = KnownTypes.Get(compilation, "Newtonsoft.Json.JsonConverter");
        var models = PersistedModels.For(compilation);
        var rejections = new ConcurrentBag<(INamedTypeSymbol Converter, IOperation Throw, string What)>();

        // Reported at compilation end with the converters (whether a converter's model is stored is known only then).
        var validations = new ConcurrentBag<Diagnostic>();
        start.RegisterCompilationEndAction(end =>
        {
            foreach (var diagnostic in validations)
            {
                end.ReportDiagnostic(diagnostic);
            }
        });

        if (dataAnnotationsFailure is not null || fluentFailure is not null)
        {
            start.RegisterOperationAction(
                c =>
                {
                    var call = (IInvocationOperation)c.Operation;
                    if (Validation(call, dataAnnotationsFailure, fluentFailure) is not { } validation || !options.IsAnalyzed(call.Syntax.SyntaxTree)
                        || LoadedModel(validation.Instance, apis, deserializers, c) is not { } model)
                    {
                        return;
                    }

                    if (!CatchCoverage.IsCaught(validation.Throws, c.ContainingSymbol, ImmutableArray.Create(validation.Exception), c.Compilation, c.CancellationToken))
                    {
                        validations.Add(Diagnostic.Create(
                            Rule.Descriptor,
                            call.Syntax.GetLocation(),
                            validation.Api,
                            model,
                            "and nothing on the load path catches " + validation.Exception.Name + " to migrate or set the data aside"));
                    }
                },
                OperationKind.Invocation);
        }

        if ((stjConverter is null && newtonsoftConverter is null) || models is null)
        {
            return;
        }

        // Converters: what each Read rejects, and which types the project persists.
        start.RegisterOperationAction(
            c =>
            {
                switch (c.Operation)
                {
                    case IInvocationOperation call:
                        if (call.TargetMethod is { Name: "Parse", ContainingType.SpecialType: SpecialType.System_Enum } && ConverterRead(c.ContainingSymbol, stjConverter, newtonsoftConverter) is { } parsing)
                        {
                            rejections.Add((parsing, call, "Enum.Parse"));
                        }

                        break;
                    case IThrowOperation thrown when IsUnknownValueBranch(thrown) && ConverterRead(c.ContainingSymbol, stjConverter, newtonsoftConverter) is { } converter:
                        rejections.Add((converter, thrown, "a throw for values it does not know"));
                        break;
                }
            },
            OperationKind.Invocation,
            OperationKind.Throw);

        start.RegisterCompilationEndAction(end =>
        {
            var reported = new System.Collections.Generic.HashSet<INamedTypeSymbol>(SymbolEqualityComparer.Default);
            foreach (var (converter, thrown, what) in rejections.OrderBy(r => r.Throw.Syntax.SyntaxTree.FilePath, System.StringComparer.Ordinal).ThenBy(r => r.Throw.Syntax.SpanStart))
            {
                if (!options.IsAnalyzed(thrown.Syntax.SyntaxTree) || reported.Contains(converter)
                    || PersistedUser(converter, end.Compilation, models, end.CancellationToken) is not { } model)
                {
                    continue;
                }

                reported.Add(converter);
                end.ReportDiagnostic(Diagnostic.Create(
                    Rule.Descriptor,
                    thrown.Syntax.GetLocation(),
                    converter.Name + ".Read",
                    model,
                    "with " + what + ", and a stored value it does not accept fails the whole load"));
            }
        });
    }

    /// <summary>A validation that throws: the validated instance, the API, what it throws and the operation that throws it.</summary>
    private sealed class ThrowingValidation(IOperation instance, string api, INamedTypeSymbol exception, IOperation throws)
    {
        public IOperation Instance { get; } = instance;

        public string Api { get; } = api;

        public INamedTypeSymbol Exception { get; } = exception;

        public IOperation Throws { get; } = throws;
    }

    private static ThrowingValidation? Validation(IInvocationOperation call, INamedTypeSymbol? dataAnnotationsFailure, INamedTypeSymbol? fluentFailure)
    {
        var method = call.TargetMethod;
        var instance = call.Arguments.FirstOrDefault(a => a.Parameter?.Name == "instance")?.Value;
        if (instance is null)
        {
            return null;
        }

        if (dataAnnotationsFailure is not null && method.ContainingType?.Name == "Validator"
            && method.ContainingNamespace?.ToString() == "System.ComponentModel.DataAnnotations")
        {
            if (method.Name == "ValidateObject")
            {
                return new ThrowingValidation(instance, "Validator.ValidateObject", dataAnnotationsFailure, call);
            }

            // if (!Validator.TryValidateObject(...)) throw …;
            if (method.Name == "TryValidateObject" && FailureThrow(call) is { } thrown && PathKey.Unwrap(thrown.Exception)?.Type is INamedTypeSymbol thrownType)
            {
                return new ThrowingValidation(instance, "Validator.TryValidateObject and a throw", thrownType, thrown);
            }

            return null;
        }

        return fluentFailure is not null && method.Name is "ValidateAndThrow" or "ValidateAndThrowAsync"
            && method.ContainingNamespace?.ToString() == "FluentValidation"
            ? new ThrowingValidation(instance, method.Name, fluentFailure, call)
            : null;
    }

    /// <summary>The throw in the branch an <c>if</c> takes when the validation fails.</summary>
    private static IThrowOperation? FailureThrow(IInvocationOperation call)
    {
        var negated = call.Parent is IUnaryOperation { OperatorKind: UnaryOperatorKind.Not };
        var condition = negated ? call.Parent! : call;
        if (condition.Parent is not IConditionalOperation conditional || !ReferenceEquals(conditional.Condition, condition))
        {
            return null;
        }

        var failure = negated ? conditional.WhenTrue : conditional.WhenFalse;
        return failure?.DescendantsAndSelf().OfType<IThrowOperation>().FirstOrDefault();
    }

    /// <summary>The persisted model a validated value is: just deserialized from stored input, or returned by a loader of the project.</summary>
    private static string? LoadedModel(IOperation instance, FileApiSymbols apis, Deserializers deserializers, Microsoft.CodeAnalysis.Diagnostics.OperationAnalysisContext context)
    {
        var root = OperationTree.Root(instance);
        var value = PathKey.Unwrap(instance);
        if (value is ILocalReferenceOperation local)
        {
            // Loaded, then changed from new input, then validated before a save: what is rejected is the new input.
            if (root.Descendants().Any(o => o is IAssignmentOperation { Target: IMemberReferenceOperation { Instance: ILocalReferenceOperation changed } } assignment
                && SymbolEqualityComparer.Default.Equals(changed.Local, local.Local) && assignment.Syntax.SpanStart < instance.Syntax.SpanStart))
            {
                return null;
            }

            value = PathKey.Unwrap(OperationTree.StoredValue(local.Local, root));
        }

        if (value is IAwaitOperation awaited)
        {
            value = PathKey.Unwrap(awaited.Operation);
        }

        if (value is not IInvocationOperation load)
        {
            return null;
        }

        if (deserializers.TryMatch(load, out var input, out _, out _) && input is not null
            && (StoredInput.LoadsPathArgument(load) || StoredInput.Source(input, root, apis, deserializers) is not null))
        {
            return load.Type?.Name;
        }

        return MethodSummaries.Of(context.Compilation)?.ReturnsStored(load.TargetMethod, context.CancellationToken) is not null ? load.Type?.Name : null;
    }

    /// <summary>The converter whose Read (System.Text.Json) or ReadJson (Newtonsoft) override holds the operation.</summary>
    private static INamedTypeSymbol? ConverterRead(ISymbol containing, INamedTypeSymbol? stjConverter, INamedTypeSymbol? newtonsoftConverter)
    {
        return OperationTree.MemberOf(containing) is IMethodSymbol { IsOverride: true, Name: "Read" or "ReadJson" } read
            && (TypeRelations.InheritsFrom(read.ContainingType, stjConverter) || TypeRelations.InheritsFrom(read.ContainingType, newtonsoftConverter))
            ? read.ContainingType
            : null;
    }

    /// <summary>A throw in a switch's default section or its discard arm: the branch for values the code does not know.</summary>
    private static bool IsUnknownValueBranch(IThrowOperation thrown)
    {
        for (var parent = thrown.Parent; parent is not null; parent = parent.Parent)
        {
            switch (parent)
            {
                case ISwitchCaseOperation section:
                    return section.Clauses.Any(c => c.CaseKind == CaseKind.Default) && section.Parent is ISwitchOperation { Value: var value } && !IsTokenKind(value);
                case ISwitchExpressionArmOperation arm:
                    return arm.Pattern is IDiscardPatternOperation && arm.Parent is ISwitchExpressionOperation { Value: var armValue } && !IsTokenKind(armValue);
                case IAnonymousFunctionOperation or ILocalFunctionOperation or IMethodBodyOperation:
                    return false;
            }
        }

        return false;
    }

    /// <summary>
    /// A switch over the kind of token (<c>reader.TokenType</c>, <c>token.Type</c>) rejects malformed JSON, not a stored
    /// value the converter does not know: only switches over the value itself are reported.
    /// </summary>
    private static bool IsTokenKind(IOperation value)
        => PathKey.Unwrap(value) is IPropertyReferenceOperation { Property.Name: "TokenType" or "Type" } property
            && property.Property.Type.Name is "JsonTokenType" or "JsonToken" or "JTokenType";

    /// <summary>
    /// A type the project saves that names the converter in [JsonConverter(typeof(…))], on itself, on one of its members
    /// or on a member's type. Asked at the end, only for a converter that rejects values: the types naming it are found
    /// in the files that name it, and whether one is saved is asked of those alone.
    /// </summary>
    private static string? PersistedUser(INamedTypeSymbol converter, Compilation compilation, PersistedModels models, System.Threading.CancellationToken cancellationToken)
    {
        var users = new System.Collections.Generic.List<INamedTypeSymbol>();
        foreach (var tree in SourceSearch.TreesNaming(converter.Name, compilation, cancellationToken))
        {
#pragma warning disable RS1030 // Only for a converter that rejects values, only files naming it.
            var model = compilation.GetSemanticModel(tree);
#pragma warning restore RS1030
            foreach (var declaration in tree.GetRoot(cancellationToken).DescendantNodes().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.TypeDeclarationSyntax>())
            {
                if (model.GetDeclaredSymbol(declaration, cancellationToken) is INamedTypeSymbol type
                    && (NamesConverter(type, converter)
                        || type.GetMembers().Any(m => m is IPropertySymbol or IFieldSymbol && (NamesConverter(m, converter) || TypeRelations.StoredType(m) is { } stored && NamesConverter(stored, converter)))))
                {
                    users.Add(type);
                }
            }

            // An enum (or other type) carrying the converter itself: the types whose members hold it are found by name too.
            foreach (var declaration in tree.GetRoot(cancellationToken).DescendantNodes().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.BaseTypeDeclarationSyntax>())
            {
                if (model.GetDeclaredSymbol(declaration, cancellationToken) is INamedTypeSymbol carrier && NamesConverter(carrier, converter) && carrier.TypeKind == TypeKind.Enum)
                {
                    foreach (var holderTree in SourceSearch.TreesNaming(carrier.Name, compilation, cancellationToken))
                    {
#pragma warning disable RS1030 // Only for an enum whose converter rejects values.
                        var holderModel = compilation.GetSemanticModel(holderTree);
#pragma warning restore RS1030
                        foreach (var holder in holderTree.GetRoot(cancellationToken).DescendantNodes().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.TypeDeclarationSyntax>())
                        {
                            if (holderModel.GetDeclaredSymbol(holder, cancellationToken) is INamedTypeSymbol type
                                && type.GetMembers().Any(m => m is IPropertySymbol or IFieldSymbol && SymbolEqualityComparer.Default.Equals(TypeRelations.StoredType(m)?.OriginalDefinition, carrier)))
                            {
                                users.Add(type);
                            }
                        }
                    }
                }
            }
        }

        // In name order: several models may share a converter, and the message names the same one on every run.
        return users.Distinct<INamedTypeSymbol>(SymbolEqualityComparer.Default)
            .OrderBy(t => t.Name, System.StringComparer.Ordinal)
            .FirstOrDefault(t => SavedModels.IsSavedAnywhere(t, compilation, models, cancellationToken))?.Name;
    }

    private static bool NamesConverter(ISymbol symbol, INamedTypeSymbol converter)
        => symbol.GetAttributes().Any(a => KnownAttributes.IsAny(a, KnownAttributes.Converter)
            && a.ConstructorArguments.Any(arg => arg.Value is INamedTypeSymbol named && SymbolEqualityComparer.Default.Equals(named.OriginalDefinition, converter.OriginalDefinition)));
}
