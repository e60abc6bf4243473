using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace CheckpointAudit.Knowledge;

/// <summary>
/// Parses of one line of text that throw on malformed input, beyond the deserializers: a library's static
/// <c>Parse</c>/<c>ParseExact</c> (<c>long.Parse</c>, <c>Guid.Parse</c>, <c>OutPoint.Parse</c>), and the project's own
/// methods that parse a parameter with either and catch nothing (<c>Offender.FromStringLine(line)</c>).
/// </summary>
internal sealed class LineParsers(Compilation compilation, Deserializers deserializers)
{
    private readonly ConcurrentDictionary<(IMethodSymbol Method, int Ordinal), bool> _parses = new(MethodOrdinalComparer.Instance);

    /// <summary>What a library parse throws on text it cannot read.</summary>
    public ImmutableArray<INamedTypeSymbol> FormatFailures { get; } = KnownTypes.Get(compilation, "System.FormatException") is { } format
        ? ImmutableArray.Create(format)
        : ImmutableArray<INamedTypeSymbol>.Empty;

    /// <summary>For a library's static Parse/ParseExact of text, the text parsed; otherwise null.</summary>
    public IOperation? BclParse(IInvocationOperation call)
    {
        var method = call.TargetMethod;
        return method is { IsStatic: true, Name: "Parse" or "ParseExact" } && method.DeclaringSyntaxReferences.IsEmpty
            && method.Parameters.Length > 0 && method.Parameters[0].Type.SpecialType == SpecialType.System_String
            && call.Arguments.FirstOrDefault(a => a.Parameter?.Ordinal == 0) is { } text
            ? text.Value
            : null;
    }

    /// <summary>Whether the project method parses the parameter at <paramref name="ordinal"/> with a parse that throws, and catches nothing.</summary>
    public bool Parses(IMethodSymbol method, int ordinal, CancellationToken cancellationToken)
    {
        method = method.OriginalDefinition;
        if (ordinal >= method.Parameters.Length || method.Parameters[ordinal].Type.SpecialType != SpecialType.System_String)
        {
            return false;
        }

        return _parses.GetOrAdd((method, ordinal), key => NamesAParse(key.Method, cancellationToken) && Compute(key.Method, key.Ordinal, cancellationToken));
    }

    /// <summary>
    /// Whether every body that can run for the method can call a parse at all: its declaration has an identifier that a
    /// deserializer's or a library's parse is named by. <see cref="Compute"/> answers no as soon as one body parses
    /// nothing, and a body that names no parse cannot parse, so a method with such a body is answered without binding
    /// any (for a virtual or interface method, its implementations are looked at).
    /// </summary>
    private bool NamesAParse(IMethodSymbol method, CancellationToken cancellationToken)
        => SourceBodies.EveryBodyNames(method, compilation, (_, declaration) => NamesAParse(declaration), cancellationToken);

    private static bool NamesAParse(SyntaxNode declaration)
    {
        foreach (var token in declaration.DescendantTokens())
        {
            // Every deserializer name, and Parse/ParseExact for the library parses.
            if (token.IsKind(Microsoft.CodeAnalysis.CSharp.SyntaxKind.IdentifierToken) && Deserializers.MayBeNamed(token.ValueText))
            {
                return true;
            }
        }

        return false;
    }

    private bool Compute(IMethodSymbol method, int ordinal, CancellationToken cancellationToken)
    {
        var any = false;
        foreach (var (implementation, body) in SourceBodies.Of(method, compilation, cancellationToken))
        {
            var parameter = implementation.Parameters[ordinal];
            if (body.Descendants().Any(o => o is ITryOperation { Catches.IsEmpty: false }))
            {
                return false;
            }

            var parses = false;
            foreach (var call in body.Descendants().OfType<IInvocationOperation>())
            {
                var input = deserializers.TryMatch(call, out var parsed, out _, out _) ? parsed : BclParse(call);
                if (input is null)
                {
                    continue;
                }

                var sources = new List<ValueSource>();
                ValueSources.Collect(input, body, _ => [], sources);
                if (sources.Any(s => SymbolEqualityComparer.Default.Equals(s.Root, parameter)))
                {
                    parses = true;
                    break;
                }
            }

            if (!parses)
            {
                return false;
            }

            any = true;
        }

        return any;
    }

    private sealed class MethodOrdinalComparer : IEqualityComparer<(IMethodSymbol Method, int Ordinal)>
    {
        public static readonly MethodOrdinalComparer Instance = new();

        public bool Equals((IMethodSymbol Method, int Ordinal) x, (IMethodSymbol Method, int Ordinal) y)
            => x.Ordinal == y.Ordinal && SymbolEqualityComparer.Default.Equals(x.Method, y.Method);

        public int GetHashCode((IMethodSymbol Method, int Ordinal) obj) => (SymbolEqualityComparer.Default.GetHashCode(obj.Method) * 31) + obj.Ordinal;
    }
}
