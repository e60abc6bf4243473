using System.Collections.Immutable;
using System.Linq;
using CheckpointAudit.Catalog;
using CheckpointAudit.Knowledge;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace CheckpointAudit.Corruption;

/// <summary>
/// CKPT304: a catch around the parse of a stored file resets to fresh defaults (returns or assigns a
/// new object, an empty collection or default) or deletes the file, without first moving or copying
/// the bad file aside — and the same file is saved again by code in the same source file (a write whose
/// path comes from the same member or method, or a serialization of the same type). The next save
/// then overwrites the damaged but often recoverable data, and nobody can find out what happened.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class CorruptionSwallowedAnalyzer : LoadRuleAnalyzer
{
    public CorruptionSwallowedAnalyzer()
        : base(RuleCatalog.CorruptionSwallowed, OperationKind.Try)
    {
    }

    private protected override void Analyze(OperationAnalysisContext context, LoadSymbols symbols, RuleScope scope)
    {
        var (apis, deserializers) = (symbols.Apis, symbols.Deserializers);
        var tryOperation = (ITryOperation)context.Operation;
        if (tryOperation.Catches.IsEmpty || !scope.Includes(context))
        {
            return;
        }

        foreach (var load in tryOperation.Body.Descendants().OfType<IInvocationOperation>())
        {
            if (!deserializers.TryMatch(load, out var input, out var malformed, out _) || input is null)
            {
                continue;
            }

            var root = OperationTree.Root(load);
            if (LoadedPath(load, input, root, apis) is not { } path)
            {
                continue;
            }

            var pathKey = PathKey.From(path, apis);
            foreach (var clause in tryOperation.Catches)
            {
                if (!CatchCoverage.Handles(clause, malformed) || Preserves(clause, pathKey, apis))
                {
                    continue;
                }

                var (reset, action) = Reset(clause, pathKey, apis);
                if (reset is null || !IsSavedAgain(load, path, root, apis))
                {
                    continue;
                }

                var statement = reset.Parent is IExpressionStatementOperation expressionStatement ? expressionStatement : reset;
                // The path rides along for the fix, which moves the file aside at the start of the catch.
                context.ReportDiagnostic(Diagnostic.Create(
                    Rule.Descriptor,
                    statement.Syntax.GetLocation(),
                    ImmutableArray.Create(path.Syntax.GetLocation(), clause.Handler.Syntax.GetLocation()),
                    null,
                    path.Syntax.ToString(),
                    action));
                return;
            }
        }
    }

    /// <summary>The path of the file the parse reads: XDocument.Load(path), or File.ReadAll*/Open*(path) behind the input.</summary>
    private static IOperation? LoadedPath(IInvocationOperation load, IOperation input, IOperation root, FileApiSymbols apis)
    {
        if (load.TargetMethod.Name is "Load" && load.Arguments[0].Parameter is { Type.SpecialType: SpecialType.System_String })
        {
            return input;
        }

        var value = PathKey.Unwrap(input);
        for (var depth = 0; depth < 6 && value is not null; depth++)
        {
            while (value is IAwaitOperation await)
            {
                value = PathKey.Unwrap(await.Operation);
            }

            switch (value)
            {
                case ILocalReferenceOperation local:
                    value = PathKey.Unwrap(OperationTree.DeclaredValue(local.Local, root));
                    continue;
                case IInvocationOperation call when apis.Is(call.TargetMethod.ContainingType, apis.File) && call.Arguments.Length > 0:
                    return call.Arguments[0].Value;
                case IInvocationOperation call when call.Instance is not null && call.TargetMethod.Name.StartsWith("Read", System.StringComparison.Ordinal):
                    value = PathKey.Unwrap(call.Instance); // reader.ReadToEnd()
                    continue;
                case IObjectCreationOperation creation when creation.Arguments.Length > 0:
                    value = PathKey.Unwrap(creation.Arguments[0].Value); // new StreamReader(path or stream), new FileStream(path, ...)
                    if (value?.Type?.SpecialType == SpecialType.System_String)
                    {
                        return value;
                    }

                    continue;
                default:
                    return null;
            }
        }

        return null;
    }

    /// <summary>A move, copy or replace of the loaded file inside the catch (any such call when the path is not known).</summary>
    private static bool Preserves(ICatchClauseOperation clause, PathKey path, FileApiSymbols apis)
    {
        foreach (var call in clause.Handler.Descendants().OfType<IInvocationOperation>())
        {
            if (FilePromotion.TryGetSource(call, apis, out var source) && PathKey.From(source, apis).Equals(path))
            {
                return true;
            }

            // A helper of the project's own (Quarantine(path), Backup(path)) given the path: trust it.
            if (call.TargetMethod.ContainingAssembly is { } assembly
                && SymbolEqualityComparer.Default.Equals(assembly, call.SemanticModel?.Compilation.Assembly)
                && call.Arguments.Any(a => PathKey.From(a.Value, apis).Equals(path)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The statement that throws the data away: a return or member assignment of fresh defaults, or a delete of the file.</summary>
    private static (IOperation? Reset, string Action) Reset(ICatchClauseOperation clause, PathKey path, FileApiSymbols apis)
    {
        foreach (var operation in clause.Handler.Descendants())
        {
            switch (operation)
            {
                case IReturnOperation { ReturnedValue: { } returned } when IsFresh(returned):
                    return (operation, "returns fresh defaults");
                case ISimpleAssignmentOperation { Target: IFieldReferenceOperation or IPropertyReferenceOperation } assignment when IsFresh(assignment.Value):
                    return (operation, "resets '" + assignment.Target.Syntax + "' to fresh defaults");
                case IInvocationOperation { TargetMethod.Name: "Delete" } delete when apis.Is(delete.TargetMethod.ContainingType, apis.File)
                    && delete.Arguments.Length > 0 && PathKey.From(delete.Arguments[0].Value, apis).Equals(path):
                    return (operation, "deletes it");
            }
        }

        return (null, string.Empty);
    }

    private static bool IsFresh(IOperation value)
    {
        value = PathKey.Unwrap(value)!;
        return value switch
        {
            IObjectCreationOperation or ITypeParameterObjectCreationOperation or IArrayCreationOperation => true,
            IDefaultValueOperation => true,
            { Kind: OperationKind.CollectionExpression } => true,
            IInvocationOperation { TargetMethod.Name: "Empty", TargetMethod.ContainingType.Name: "Array" or "Enumerable" } => true,
            _ => false,
        };
    }

    /// <summary>
    /// Whether code in the same source file saves that file again: a file write whose path comes from
    /// the same member or the same path-building method, or a serialization of the type the load produces.
    /// </summary>
    private static bool IsSavedAgain(IInvocationOperation load, IOperation path, IOperation root, FileApiSymbols apis)
    {
        var model = load.SemanticModel;
        if (model is null)
        {
            return false;
        }

        // Evidence by path when the path says where it comes from; by type only for paths handed in.
        var pathConstant = PathKey.Unwrap(path)?.ConstantValue is { HasValue: true, Value: string text } ? text : null;
        var pathOrigin = pathConstant is null ? Origin(path, root) : null;
        var loadedType = pathConstant is null && pathOrigin is null ? LoadedType(load) : null;
        foreach (var member in model.SyntaxTree.GetRoot().DescendantNodes().OfType<MemberDeclarationSyntax>())
        {
            if (member is not (BaseMethodDeclarationSyntax or PropertyDeclarationSyntax) || model.GetOperation(member) is not { } body)
            {
                continue;
            }

            foreach (var operation in body.DescendantsAndSelf())
            {
                if ((pathConstant is not null || pathOrigin is not null) && FileOverwrite.TryMatch(operation, apis, out var write))
                {
                    var target = PathKey.Unwrap(write.Target);
                    if (pathConstant is not null
                        ? target?.ConstantValue is { HasValue: true, Value: string written } && written == pathConstant
                        : SymbolEqualityComparer.Default.Equals(Origin(write.Target, body), pathOrigin))
                    {
                        return true;
                    }
                }

                if (loadedType is not null && operation is IInvocationOperation { TargetMethod.Name: "Serialize" or "SerializeAsync" or "SerializeObject" } serialize
                    && serialize.Arguments.Any(a => a.Parameter?.Type.SpecialType != SpecialType.System_String
                        && SymbolEqualityComparer.Default.Equals(PathKey.Unwrap(a.Value)?.Type, loadedType)))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>The member or method a path comes from (_path, Paths.Settings, PathFor(id)); null for parameters and locals of unknown origin.</summary>
    private static ISymbol? Origin(IOperation path, IOperation root)
    {
        var value = PathKey.Unwrap(path);
        if (value is ILocalReferenceOperation local)
        {
            value = PathKey.Unwrap(OperationTree.DeclaredValue(local.Local, root));
        }

        return value switch
        {
            IFieldReferenceOperation field => field.Field,
            IPropertyReferenceOperation property => property.Property,
            IInvocationOperation call when call.TargetMethod.ContainingType.SpecialType != SpecialType.System_String && call.TargetMethod.ContainingType.Name != "Path" => call.TargetMethod.OriginalDefinition,
            _ => null,
        };
    }

    /// <summary>The type the parse produces (T of Deserialize&lt;T&gt;), when it is a concrete type.</summary>
    private static ITypeSymbol? LoadedType(IInvocationOperation load)
    {
        var type = load.TargetMethod.IsGenericMethod && load.TargetMethod.TypeArguments.Length == 1 ? load.TargetMethod.TypeArguments[0] : null;
        return type is null or ITypeParameterSymbol ? null : type.WithNullableAnnotation(NullableAnnotation.NotAnnotated);
    }
}
