using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace CheckpointAudit.Knowledge;

/// <summary>
/// A converter of the project's own that stores enums by name (a System.Text.Json <c>JsonConverter</c> or a Newtonsoft
/// <c>JsonConverter</c> declared in source) and reads a name back with <c>Enum.Parse</c> that nothing in its read
/// method catches: like the built-in string-enum converters, it fails the whole load on a name it does not know, and
/// the <c>ArgumentException</c> it throws is not a <c>JsonException</c>, so a load's JSON catch does not take it either.
/// A parse under a condition that checks the name first (<c>Enum.IsDefined</c>, <c>TryParse</c>, the enum's names) is
/// not one.
/// </summary>
internal static class EnumNameConverter
{
    /// <summary>The uncaught <c>Enum.Parse</c> call in the converter's read method, or null (a converter compiled elsewhere, one that uses TryParse or catches).</summary>
    public static IInvocationOperation? UncaughtParse(INamedTypeSymbol converter, Compilation compilation, CancellationToken cancellationToken)
    {
        var type = converter.OriginalDefinition;
        if (!IsJsonConverter(type))
        {
            return null;
        }

        var argumentException = KnownTypes.Get(compilation, "System.ArgumentException");
        var thrown = argumentException is null ? ImmutableArray<INamedTypeSymbol>.Empty : ImmutableArray.Create(argumentException);
        foreach (var read in type.GetMembers().OfType<IMethodSymbol>().Where(m => m.Name is "Read" or "ReadJson" && m.IsOverride))
        {
            foreach (var (_, body) in SourceBodies.Of(read, compilation, cancellationToken))
            {
                foreach (var call in body.Descendants().OfType<IInvocationOperation>())
                {
                    if (call.TargetMethod is { Name: "Parse", ContainingType.SpecialType: SpecialType.System_Enum }
                        && (thrown.IsEmpty || !CatchCoverage.IsKeptInFunction(call, thrown)) && !NameCheckedFirst(call))
                    {
                        return call;
                    }
                }
            }
        }

        return null;
    }

    /// <summary>The parse runs only once the name is known: under a condition that asks Enum.IsDefined, TryParse or the enum's names.</summary>
    private static bool NameCheckedFirst(IOperation parse)
    {
        for (var parent = parse.Parent; parent is not null and not IAnonymousFunctionOperation and not ILocalFunctionOperation; parent = parent.Parent)
        {
            if (parent is IConditionalOperation { Condition: { } condition } && condition.DescendantsAndSelf().OfType<IInvocationOperation>()
                .Any(c => c.TargetMethod.Name is "IsDefined" or "TryParse" or "GetNames" or "GetValues"))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsJsonConverter(INamedTypeSymbol type)
    {
        if (type.Locations.IsEmpty || !type.Locations[0].IsInSource)
        {
            return false;
        }

        for (var current = type.BaseType; current is not null; current = current.BaseType)
        {
            if (current.Name == "JsonConverter"
                && (SymbolNames.IsNamespace(current.ContainingNamespace, "System.Text.Json.Serialization") || SymbolNames.IsNamespace(current.ContainingNamespace, "Newtonsoft.Json")))
            {
                return true;
            }
        }

        return false;
    }
}
