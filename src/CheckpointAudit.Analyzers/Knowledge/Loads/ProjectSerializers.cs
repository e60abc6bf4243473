using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace CheckpointAudit.Knowledge;

/// <summary>
/// The project's own serializers. A source method named <c>Deserialize…</c> whose body hands its input to a
/// deserializer the analysis knows (<see cref="Deserializers"/>), directly or through one more such method of the
/// project — or, for an interface or abstract method (<c>IXmlSerializer.DeserializeFromBytes</c>), whose
/// implementations in this compilation do — parses stored input and throws what the known deserializer throws. A
/// method named <c>Serialize…</c> that calls a known serializer the same way writes a serialized object. Resolved
/// once per method and compilation.
/// </summary>
internal sealed class ProjectSerializers
{
    private const int MaxDepth = 2;

    private readonly Compilation _compilation;
    private readonly Deserializers _known;
    private readonly ConcurrentDictionary<IMethodSymbol, ImmutableArray<INamedTypeSymbol>> _thrownByMethod = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<IMethodSymbol, bool> _serializes = new(SymbolEqualityComparer.Default);
    private readonly INamedTypeSymbol? _stream;
    private readonly INamedTypeSymbol? _textReader;
    private readonly INamedTypeSymbol? _xmlReader;

    private ProjectSerializers(Compilation compilation, Deserializers known)
    {
        _compilation = compilation;
        _known = known;
        _stream = KnownTypes.Get(compilation, "System.IO.Stream");
        _textReader = KnownTypes.Get(compilation, "System.IO.TextReader");
        _xmlReader = KnownTypes.Get(compilation, "System.Xml.XmlReader");
    }

    public static ProjectSerializers? Of(Compilation compilation)
        => PerCompilation<ProjectSerializers>.Get(compilation, c => Deserializers.Create(c) is { } known ? new ProjectSerializers(c, known) : null);

    /// <summary>
    /// A call of a project deserializer: <paramref name="input"/> is its argument that carries the stored text, bytes,
    /// stream or reader, <paramref name="malformed"/> what the deserializer behind it throws for malformed input.
    /// </summary>
    public bool TryMatch(IInvocationOperation invocation, CancellationToken cancellationToken, out IOperation? input, out ImmutableArray<INamedTypeSymbol> malformed, out string api)
    {
        input = null;
        malformed = default;
        api = string.Empty;
        var method = invocation.TargetMethod.OriginalDefinition;
        if (!method.Name.StartsWith("Deserialize", System.StringComparison.Ordinal) || method.DeclaringSyntaxReferences.IsEmpty && !IsAbstract(method))
        {
            return false;
        }

        input = invocation.Arguments.FirstOrDefault(a => IsStoredInput(a.Parameter?.Type))?.Value;
        if (input is null)
        {
            return false;
        }

        malformed = Thrown(method, 0, cancellationToken);
        api = method.ContainingType.Name + "." + method.Name;
        return !malformed.IsDefaultOrEmpty;
    }

    /// <summary>
    /// Whether a call of <paramref name="method"/>, a source method named <c>Serialize…</c>, runs a serializer of
    /// <paramref name="isSerializer"/>'s kind (its body, one more such method, or an interface method's implementations).
    /// </summary>
    public bool Serializes(IMethodSymbol method, System.Func<IMethodSymbol, bool> isSerializer, CancellationToken cancellationToken)
        => method.Name.StartsWith("Serialize", System.StringComparison.Ordinal)
            && (!method.DeclaringSyntaxReferences.IsEmpty || IsAbstract(method))
            && Serializes(method.OriginalDefinition, isSerializer, 0, cancellationToken);

    private bool Serializes(IMethodSymbol method, System.Func<IMethodSymbol, bool> isSerializer, int depth, CancellationToken cancellationToken)
    {
        if (_serializes.TryGetValue(method, out var known))
        {
            return known;
        }

        var found = false;
        foreach (var body in Bodies(method, cancellationToken))
        {
            found = body.Descendants().OfType<IInvocationOperation>().Any(call => isSerializer(call.TargetMethod)
                || (depth < MaxDepth && call.TargetMethod.Name.StartsWith("Serialize", System.StringComparison.Ordinal)
                    && !call.TargetMethod.DeclaringSyntaxReferences.IsEmpty
                    && !SymbolEqualityComparer.Default.Equals(call.TargetMethod.OriginalDefinition, method)
                    && Serializes(call.TargetMethod.OriginalDefinition, isSerializer, depth + 1, cancellationToken)));
            if (found)
            {
                break;
            }
        }

        _serializes.TryAdd(method, found);
        return found;
    }

    private static bool IsAbstract(IMethodSymbol method) => SourceBodies.IsAbstract(method);

    private bool IsStoredInput(ITypeSymbol? type)
        => type is not null
            && (type.SpecialType == SpecialType.System_String
                || type is IArrayTypeSymbol { ElementType.SpecialType: SpecialType.System_Byte }
                || TypeRelations.InheritsFrom(type, _stream) || TypeRelations.InheritsFrom(type, _textReader) || TypeRelations.InheritsFrom(type, _xmlReader)
                || type is INamedTypeSymbol { Name: "ReadOnlySpan" or "ReadOnlyMemory", TypeArguments.Length: 1 } span
                    && span.TypeArguments[0].SpecialType is SpecialType.System_Byte or SpecialType.System_Char);

    private ImmutableArray<INamedTypeSymbol> Thrown(IMethodSymbol method, int depth, CancellationToken cancellationToken)
    {
        if (_thrownByMethod.TryGetValue(method, out var known))
        {
            return known;
        }

        var builder = ImmutableArray.CreateBuilder<INamedTypeSymbol>();
        foreach (var body in Bodies(method, cancellationToken))
        {
            foreach (var call in body.Descendants().OfType<IInvocationOperation>())
            {
                if (_known.TryMatch(call, out _, out var thrown, out _))
                {
                    builder.AddRange(thrown.Where(t => !builder.Contains(t, SymbolEqualityComparer.Default)));
                }
                else if (depth < MaxDepth && call.TargetMethod.Name.StartsWith("Deserialize", System.StringComparison.Ordinal)
                    && !SymbolEqualityComparer.Default.Equals(call.TargetMethod.OriginalDefinition, method))
                {
                    builder.AddRange(Thrown(call.TargetMethod.OriginalDefinition, depth + 1, cancellationToken).Where(t => !builder.Contains(t, SymbolEqualityComparer.Default)));
                }
            }
        }

        var result = builder.ToImmutable();
        _thrownByMethod.TryAdd(method, result);
        return result;
    }

    /// <summary>The bodies that run for a call of <paramref name="method"/>: its own, or its implementations' in this compilation.</summary>
    private System.Collections.Generic.IEnumerable<IOperation> Bodies(IMethodSymbol method, CancellationToken cancellationToken)
        => SourceBodies.Of(method, _compilation, cancellationToken).Select(b => b.Body);
}
