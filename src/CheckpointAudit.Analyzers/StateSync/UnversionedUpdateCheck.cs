using System.Linq;
using CheckpointAudit.Catalog;
using CheckpointAudit.Checks;
using CheckpointAudit.Knowledge;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace CheckpointAudit.StateSync;

/// <summary>
/// CKPT701 (live): a PUT or PATCH handler — an MVC action marked [HttpPut]/[HttpPatch] (or [AcceptVerbs] with either),
/// or the handler of a minimal API MapPut/MapPatch, a lambda or a method — that changes stored state, itself or through
/// the project methods it calls (<see cref="StateUpdates"/>), with nothing that makes the change conditional on the
/// version the client saw. Also the form where the entity has a concurrency token but the handler loads the row and
/// saves it again without telling EF Core the client's token: the check then covers only the time between the load
/// and the save. Reported where the handler changes the state (the save, or the call that leads to it).
/// </summary>
public sealed class UnversionedUpdateCheck : RuleCheck
{
    public UnversionedUpdateCheck()
        : base(RuleCatalog.UnversionedUpdate)
    {
    }

    private protected override void OnCompilationStart(CheckStart start)
    {
        var put = KnownTypes.Get(start.Compilation, "Microsoft.AspNetCore.Mvc.HttpPutAttribute");
        var patch = KnownTypes.Get(start.Compilation, "Microsoft.AspNetCore.Mvc.HttpPatchAttribute");
        var acceptVerbs = KnownTypes.Get(start.Compilation, "Microsoft.AspNetCore.Mvc.AcceptVerbsAttribute");
        var routes = KnownTypes.Get(start.Compilation, "Microsoft.AspNetCore.Builder.EndpointRouteBuilderExtensions");
        if (put is not null)
        {
            start.RegisterOperationAction(context => AnalyzeAction(context, put, patch, acceptVerbs), OperationKind.MethodBody);
        }

        if (routes is not null)
        {
            start.RegisterOperationAction(context => AnalyzeMap(context, routes), OperationKind.Invocation);
        }
    }

    private void AnalyzeAction(OperationAnalysisContext context, INamedTypeSymbol put, INamedTypeSymbol? patch, INamedTypeSymbol? acceptVerbs)
    {
        if (context.ContainingSymbol is not IMethodSymbol method || Verb(method, put, patch, acceptVerbs) is not { } verb)
        {
            return;
        }

        var handler = "'" + method.ContainingType.Name + "." + method.Name + "' (" + verb + ")";
        Report(context, handler, context.Operation, context.Operation.Syntax);
    }

    private void AnalyzeMap(OperationAnalysisContext context, INamedTypeSymbol routes)
    {
        var map = (IInvocationOperation)context.Operation;
        if (map.TargetMethod.Name is not ("MapPut" or "MapPatch") || !SymbolEqualityComparer.Default.Equals(map.TargetMethod.ContainingType, routes)
            || Unconverted(map.Arguments.FirstOrDefault(a => a.Parameter?.Name == "handler")?.Value) is not IDelegateCreationOperation handler)
        {
            return;
        }

        var pattern = map.Arguments.FirstOrDefault(a => a.Parameter?.Name == "pattern")?.Value.ConstantValue is { HasValue: true, Value: string text } ? " " + text : "";
        var name = (map.TargetMethod.Name == "MapPut" ? "PUT" : "PATCH") + pattern;
        switch (handler.Target)
        {
            case IAnonymousFunctionOperation lambda:
                Report(context, name, lambda.Body, lambda.Syntax);
                break;
            case IMethodReferenceOperation reference:
                foreach (var (_, body) in SourceBodies.Of(reference.Method, context.Compilation, context.CancellationToken))
                {
                    // The change happens in another method: reported at the MapPut that makes it a PUT handler.
                    var facts = StateUpdates.Of(context.Compilation).OfHandler(body, body.Syntax, context.CancellationToken);
                    if (Problem(facts) is { } problem)
                    {
                        context.ReportDiagnostic(Diagnostic.Create(Rule.Descriptor, map.Syntax.GetLocation(), name, What(facts), problem));
                        return;
                    }
                }

                break;
        }
    }

    private void Report(OperationAnalysisContext context, string handler, IOperation body, SyntaxNode declaration)
    {
        var facts = StateUpdates.Of(context.Compilation).OfHandler(body, declaration, context.CancellationToken);
        if (Problem(facts) is { } problem && facts.Location is { } site)
        {
            context.ReportDiagnostic(Diagnostic.Create(Rule.Descriptor, site.Syntax.GetLocation(), handler, What(facts), problem));
        }
    }

    /// <summary>A lambda or method group handed to a Delegate parameter: its natural type, converted to Delegate.</summary>
    private static IOperation? Unconverted(IOperation? value)
    {
        while (value is IConversionOperation conversion)
        {
            value = conversion.Operand;
        }

        return value;
    }

    /// <summary>Why nothing stops a stale edit, or null when the handler changes nothing stored or checks the version.</summary>
    private static string? Problem(UpdateFacts facts)
    {
        if (!facts.ChangesState || facts.Guarded)
        {
            return null;
        }

        // An entity whose token came with the request (Update(dto), Attach) is checked by EF Core itself.
        if (facts.Rows is null && facts.File is null && !facts.Untokened && facts.FreshToken is null)
        {
            return null;
        }

        return facts.Rows is null && facts.File is null && !facts.Untokened && facts.FreshToken is { } token
            ? "but takes the concurrency token '" + token + "' from the row it just loaded, not from the client, so EF Core detects only a change made between that load and the save"
            : "with no concurrency check (no If-Match header read, no version compared)";
    }

    private static string What(UpdateFacts facts)
        => facts.Rows ?? facts.File ?? "saves changes to '" + facts.Entity + "' with EF Core";

    private static string? Verb(IMethodSymbol method, INamedTypeSymbol put, INamedTypeSymbol? patch, INamedTypeSymbol? acceptVerbs)
    {
        foreach (var attribute in method.GetAttributes())
        {
            if (TypeRelations.InheritsFrom(attribute.AttributeClass, put))
            {
                return "PUT";
            }

            if (patch is not null && TypeRelations.InheritsFrom(attribute.AttributeClass, patch))
            {
                return "PATCH";
            }

            if (acceptVerbs is not null && SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, acceptVerbs)
                && attribute.ConstructorArguments.SelectMany(a => a.Kind == TypedConstantKind.Array ? a.Values : [a])
                    .Select(v => (v.Value as string)?.ToUpperInvariant()).FirstOrDefault(v => v is "PUT" or "PATCH") is { } verb)
            {
                return verb;
            }
        }

        return null;
    }
}
