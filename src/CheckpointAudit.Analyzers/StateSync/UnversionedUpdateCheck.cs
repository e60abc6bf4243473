using System.Collections.Immutable;
using System.Linq;
using CheckpointAudit.Catalog;
using CheckpointAudit.Knowledge;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace CheckpointAudit.StateSync;

/// <summary>
/// CKPT701 (live): a PUT or PATCH handler (<see cref="UpdateHandlers"/>) that changes stored state, itself or through
/// the project methods it calls (<see cref="StateUpdates"/>), by writing back a copy the client edited (a whole entity,
/// a file, two or more fields from the request: <see cref="UpdateFacts.Copies"/>), with nothing that makes the change conditional on the
/// version the client saw. Also the form where the entity has a concurrency token but the handler loads the row and
/// saves it again without telling EF Core the client's token: the check then covers only the time between the load
/// and the save. Reported where the handler changes the state (the save, or the call that leads to it), or at the
/// MapPut of a handler given as a method.
/// </summary>
public sealed class UnversionedUpdateCheck : UpdateHandlerCheck
{
    /// <summary>The local holding the loaded row (set only when the fix can hand EF Core the client's token).</summary>
    public const string RowProperty = "Row";

    /// <summary>The entity's concurrency token property.</summary>
    public const string TokenProperty = "Token";

    /// <summary>The request's copy of the token: "parameter.Member".</summary>
    public const string ClientTokenProperty = "ClientToken";

    /// <summary>How the handler answers a conflict: <see cref="MinimalApiConflict"/>, <see cref="ControllerConflict"/>, or absent (the exception propagates).</summary>
    public const string ConflictProperty = "Conflict";

    public const string MinimalApiConflict = "Results";

    public const string ControllerConflict = "Controller";

    public UnversionedUpdateCheck()
        : base(RuleCatalog.UnversionedUpdate)
    {
    }

    private protected override bool Report(OperationAnalysisContext context, UpdateHandler handler)
    {
        var facts = StateUpdates.Of(context.Compilation).OfHandler(handler.Body, handler.Declaration, context.CancellationToken);
        if (facts.StaleEditRisk is not { } problem || (handler.Reported ?? facts.Location) is not { } site)
        {
            return false;
        }

        var properties = handler.Reported is null && facts.TokenFromLoadedRow && site == facts.Save ? ClientTokenFix(context, handler, facts) : null;
        context.ReportDiagnostic(Diagnostic.Create(Rule.Descriptor, site.Syntax.GetLocation(), properties, handler.Name, What(facts), problem));
        return true;
    }

    private static string What(UpdateFacts facts)
        => facts.Rows ?? facts.File ?? "saves changes to '" + facts.EditedEntity + "' with EF Core";

    /// <summary>
    /// What the fix needs to set the token's original value to the client's (<c>db.Entry(row).Property(…).OriginalValue
    /// = dto.RowVersion</c>): the handler loads the row into a local declared before the save, saves it itself through
    /// an EF Core context (not in a lambda inside the handler), and one of its parameters (not nullable) carries a
    /// readable instance member of the token's name and exact type. Null when any of that is missing.
    /// </summary>
    private static ImmutableDictionary<string, string?>? ClientTokenFix(OperationAnalysisContext context, UpdateHandler handler, UpdateFacts facts)
    {
        if (facts.FreshTokenRow is not { } row || facts.FreshTokenProperty is not { } token
            || facts.Save is not IInvocationOperation { TargetMethod.Name: "SaveChanges" or "SaveChangesAsync", Instance: { } saved } save
            || !TypeRelations.InheritsFrom(saved.Type, KnownTypes.Get(context.Compilation, "Microsoft.EntityFrameworkCore.DbContext"))
            || OperationTree.FunctionBody(save).Syntax != handler.Body.Syntax
            || !row.DeclaringSyntaxReferences.Any(r => r.Span.End <= save.Syntax.SpanStart)
            || Function(context, handler) is not { } function)
        {
            return null;
        }

        foreach (var parameter in function.Parameters)
        {
            var member = parameter.Type.GetMembers(token.Name).FirstOrDefault(m => !m.IsStatic && m.DeclaredAccessibility == Accessibility.Public
                && m is IPropertySymbol { GetMethod: not null } or IFieldSymbol);
            var type = (member as IPropertySymbol)?.Type ?? (member as IFieldSymbol)?.Type;

            // The same type: the untyped OriginalValue takes an object, and EF Core casts it to the token's type.
            if (type is not null && SymbolEqualityComparer.Default.Equals(type, token.Type)
                && parameter.NullableAnnotation != NullableAnnotation.Annotated
                && Microsoft.CodeAnalysis.CSharp.SyntaxFacts.GetKeywordKind(parameter.Name) == Microsoft.CodeAnalysis.CSharp.SyntaxKind.None)
            {
                var properties = ImmutableDictionary<string, string?>.Empty
                    .Add(RowProperty, row.Name)
                    .Add(TokenProperty, token.Name)
                    .Add(ClientTokenProperty, parameter.Name + "." + member!.Name);
                return Conflict(function, context.Compilation) is { } conflict ? properties.Add(ConflictProperty, conflict) : properties;
            }
        }

        return null;
    }

    /// <summary>The lambda or action the handler's body belongs to.</summary>
    private static IMethodSymbol? Function(OperationAnalysisContext context, UpdateHandler handler)
        => handler.Body.Parent is IAnonymousFunctionOperation lambda ? lambda.Symbol
            : handler.Body is IMethodBodyOperation ? context.ContainingSymbol as IMethodSymbol
            : null;

    /// <summary>
    /// How a conflict can be answered from this function: a minimal API handler returning IResult gets
    /// <c>Results.Conflict()</c>, a controller action returning IActionResult or ActionResult gets <c>Conflict()</c>.
    /// </summary>
    private static string? Conflict(IMethodSymbol function, Compilation compilation)
    {
        var returned = function.ReturnType is INamedTypeSymbol { Name: "Task" or "ValueTask", TypeArguments.Length: 1 } task ? task.TypeArguments[0] : function.ReturnType;
        if (SymbolEqualityComparer.Default.Equals(returned, KnownTypes.Get(compilation, "Microsoft.AspNetCore.Http.IResult")))
        {
            return MinimalApiConflict;
        }

        var controllerBase = KnownTypes.Get(compilation, "Microsoft.AspNetCore.Mvc.ControllerBase");
        return function.MethodKind == MethodKind.Ordinary && TypeRelations.InheritsFrom(function.ContainingType, controllerBase)
            && (SymbolEqualityComparer.Default.Equals(returned, KnownTypes.Get(compilation, "Microsoft.AspNetCore.Mvc.IActionResult"))
                || SymbolEqualityComparer.Default.Equals(returned.OriginalDefinition, KnownTypes.Get(compilation, "Microsoft.AspNetCore.Mvc.ActionResult"))
                || SymbolEqualityComparer.Default.Equals(returned.OriginalDefinition, KnownTypes.Get(compilation, "Microsoft.AspNetCore.Mvc.ActionResult`1")))
            ? ControllerConflict
            : null;
    }
}
