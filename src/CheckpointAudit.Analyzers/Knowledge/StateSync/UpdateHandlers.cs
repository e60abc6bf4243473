using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace CheckpointAudit.Knowledge;

/// <summary>
/// A request handler that changes existing state (PUT or PATCH): an MVC action marked [HttpPut]/[HttpPatch] (or a
/// derived attribute, or [AcceptVerbs] with either), or the handler of a minimal API MapPut/MapPatch, a lambda or a
/// method. <see cref="Body"/> is what runs; <see cref="Reported"/> is where a finding goes when the change happens
/// outside the code of the registration (a method group: the MapPut call), else null (report at the change).
/// </summary>
internal readonly struct UpdateHandler(string name, IOperation body, SyntaxNode declaration, IOperation? reported)
{
    /// <summary>"PUT /items/{id}" or "'ItemsController.Put' (PUT)".</summary>
    public string Name { get; } = name;

    public IOperation Body { get; } = body;

    /// <summary>The lambda or method declaration, parameters included (a [FromHeader] parameter is part of it).</summary>
    public SyntaxNode Declaration { get; } = declaration;

    public IOperation? Reported { get; } = reported;
}

/// <summary>Finds <see cref="UpdateHandler"/>s: one operation action per kind, registered only when ASP.NET Core is referenced.</summary>
internal sealed class UpdateHandlers
{
    private readonly INamedTypeSymbol? _put;
    private readonly INamedTypeSymbol? _patch;
    private readonly INamedTypeSymbol? _acceptVerbs;
    private readonly INamedTypeSymbol? _routes;

    private readonly INamedTypeSymbol? _controllerBase;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<INamedTypeSymbol, bool> _controllers = new(SymbolEqualityComparer.Default);

    private UpdateHandlers(Compilation compilation)
    {
        _controllerBase = KnownTypes.Get(compilation, "Microsoft.AspNetCore.Mvc.ControllerBase");
        _put = KnownTypes.Get(compilation, "Microsoft.AspNetCore.Mvc.HttpPutAttribute");
        _patch = KnownTypes.Get(compilation, "Microsoft.AspNetCore.Mvc.HttpPatchAttribute");
        _acceptVerbs = KnownTypes.Get(compilation, "Microsoft.AspNetCore.Mvc.AcceptVerbsAttribute");
        _routes = KnownTypes.Get(compilation, "Microsoft.AspNetCore.Builder.EndpointRouteBuilderExtensions");
    }

    public static UpdateHandlers Of(Compilation compilation) => PerCompilation<UpdateHandlers>.Get(compilation, c => new UpdateHandlers(c))!;

    /// <summary>Actions (method bodies) can be handlers.</summary>
    public bool HasActions => _put is not null;

    /// <summary>MapPut/MapPatch calls can register handlers.</summary>
    public bool HasMaps => _routes is not null;

    /// <summary>The action whose body this is, when it handles PUT or PATCH.</summary>
    public UpdateHandler? OfAction(OperationAnalysisContext context)
        => context.ContainingSymbol is IMethodSymbol { MethodKind: MethodKind.Ordinary, DeclaredAccessibility: Accessibility.Public } method
            && IsController(method.ContainingType) && Verb(method) is { } verb
            ? new UpdateHandler("'" + method.ContainingType.Name + "." + method.Name + "' (" + verb + ")", context.Operation, context.Operation.Syntax, null)
            : null;

    /// <summary>
    /// A controller, as MVC finds them: a public class derived from ControllerBase, or named …Controller, or marked
    /// [Controller]/[ApiController] (asked once per type: reading a method's attributes binds them, and most methods of
    /// a web project are not actions).
    /// </summary>
    private bool IsController(INamedTypeSymbol? type)
        => type is { TypeKind: TypeKind.Class, IsAbstract: false } && _controllers.GetOrAdd(type, t =>
            TypeRelations.InheritsFrom(t, _controllerBase) || t.Name.EndsWith("Controller", System.StringComparison.Ordinal)
            || KnownAttributes.HasAny(t, ["Microsoft.AspNetCore.Mvc.ControllerAttribute", "Microsoft.AspNetCore.Mvc.ApiControllerAttribute"]));

    /// <summary>Whether a call may register a handler: named MapPut or MapPatch (the cheap test before anything else).</summary>
    public static bool MayRegister(IInvocationOperation call) => call.TargetMethod.Name is "MapPut" or "MapPatch";

    /// <summary>The handlers a MapPut/MapPatch call registers (a method group: each body that runs for it).</summary>
    public IEnumerable<UpdateHandler> OfMap(IInvocationOperation map, Compilation compilation, System.Threading.CancellationToken cancellationToken)
    {
        if (!MayRegister(map) || Registration(map.TargetMethod, compilation, cancellationToken) is not var (verb, handlerParameter, patternParameter)
            || Unconverted(map.Arguments.FirstOrDefault(a => a.Parameter?.Ordinal == handlerParameter.Ordinal)?.Value) is not IDelegateCreationOperation handler)
        {
            yield break;
        }

        var pattern = map.Arguments.FirstOrDefault(a => patternParameter is not null && a.Parameter?.Ordinal == patternParameter.Ordinal)?.Value.ConstantValue is { HasValue: true, Value: string text } ? " " + text : "";
        var name = verb + pattern;
        switch (handler.Target)
        {
            case IAnonymousFunctionOperation lambda:
                yield return new UpdateHandler(name, lambda.Body, lambda.Syntax, null);
                break;
            case IMethodReferenceOperation reference:
                foreach (var (_, body) in SourceBodies.Of(reference.Method, compilation, cancellationToken))
                {
                    yield return new UpdateHandler(name, body, body.Syntax, map);
                }

                break;
        }
    }

    /// <summary>
    /// What a call of <paramref name="method"/> registers: ASP.NET Core's MapPut/MapPatch, or the project's own wrapper
    /// (a method that hands its Delegate parameter to one of them, with its pattern parameter): the verb and the
    /// handler and pattern parameters. Null for any other method.
    /// </summary>
    private (string Verb, IParameterSymbol Handler, IParameterSymbol? Pattern)? Registration(IMethodSymbol method, Compilation compilation, System.Threading.CancellationToken cancellationToken)
    {
        method = method.ReducedFrom ?? method;
        if (method.Name is not ("MapPut" or "MapPatch"))
        {
            return null;
        }

        if (SymbolEqualityComparer.Default.Equals(method.ContainingType, _routes))
        {
            return method.Parameters.FirstOrDefault(p => p.Name == "handler") is { } handler
                ? (method.Name == "MapPut" ? "PUT" : "PATCH", handler, method.Parameters.FirstOrDefault(p => p.Name == "pattern"))
                : null;
        }

        return _wrappers.GetOrAdd(method.OriginalDefinition, m => Wrapper(m, compilation, cancellationToken));
    }

    private (string Verb, IParameterSymbol Handler, IParameterSymbol? Pattern)? Wrapper(IMethodSymbol wrapper, Compilation compilation, System.Threading.CancellationToken cancellationToken)
    {
        foreach (var (implementation, body) in SourceBodies.Of(wrapper, compilation, cancellationToken))
        {
            foreach (var inner in body.Descendants().OfType<IInvocationOperation>())
            {
                var target = inner.TargetMethod.ReducedFrom ?? inner.TargetMethod;
                // Only the wrapper's own parameters (not a lambda's inside it) are what its callers pass.
                if (target.Name is "MapPut" or "MapPatch" && SymbolEqualityComparer.Default.Equals(target.ContainingType, _routes)
                    && Unconverted(inner.Arguments.FirstOrDefault(a => a.Parameter?.Name == "handler")?.Value) is IParameterReferenceOperation handler
                    && OwnParameter(handler.Parameter, implementation, wrapper) is { } handlerParameter)
                {
                    var pattern = Unconverted(inner.Arguments.FirstOrDefault(a => a.Parameter?.Name == "pattern")?.Value) as IParameterReferenceOperation;
                    return (target.Name == "MapPut" ? "PUT" : "PATCH", handlerParameter, pattern is null ? null : OwnParameter(pattern.Parameter, implementation, wrapper));
                }
            }
        }

        return null;
    }

    /// <summary>The wrapper's parameter that <paramref name="parameter"/> (seen in its body) is, or null for a parameter of a nested function.</summary>
    private static IParameterSymbol? OwnParameter(IParameterSymbol parameter, IMethodSymbol implementation, IMethodSymbol wrapper)
        => SymbolEqualityComparer.Default.Equals(parameter.ContainingSymbol.OriginalDefinition, implementation.OriginalDefinition)
            && parameter.Ordinal < wrapper.Parameters.Length
                ? wrapper.Parameters[parameter.Ordinal]
                : null;

    private readonly System.Collections.Concurrent.ConcurrentDictionary<IMethodSymbol, (string Verb, IParameterSymbol Handler, IParameterSymbol? Pattern)?> _wrappers
        = new(SymbolEqualityComparer.Default);

    /// <summary>A lambda or method group handed to a Delegate parameter: its natural type, converted to Delegate.</summary>
    private static IOperation? Unconverted(IOperation? value)
    {
        while (value is IConversionOperation conversion)
        {
            value = conversion.Operand;
        }

        return value;
    }

    private string? Verb(IMethodSymbol method)
    {
        foreach (var attribute in method.GetAttributes())
        {
            if (TypeRelations.InheritsFrom(attribute.AttributeClass, _put))
            {
                return "PUT";
            }

            if (_patch is not null && TypeRelations.InheritsFrom(attribute.AttributeClass, _patch))
            {
                return "PATCH";
            }

            if (_acceptVerbs is not null && SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, _acceptVerbs)
                && attribute.ConstructorArguments.SelectMany(a => a.Kind == TypedConstantKind.Array ? a.Values : [a])
                    .Select(v => (v.Value as string)?.ToUpperInvariant()).FirstOrDefault(v => v is "PUT" or "PATCH") is { } verb)
            {
                return verb;
            }
        }

        return null;
    }
}
