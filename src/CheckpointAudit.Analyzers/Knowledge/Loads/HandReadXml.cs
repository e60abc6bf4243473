using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace CheckpointAudit.Knowledge;

/// <summary>
/// An XML file read by hand: <c>XmlReader.Create(path)</c> (or over a stream of a file) whose reader the code walks
/// itself (<c>reader.Read()</c>, <c>ReadToFollowing</c>, a project method given the reader) instead of handing it to
/// a deserializer that the load rules already judge (<c>XmlSerializer.Deserialize(reader)</c>, <c>XDocument.Load(reader)</c>).
/// Each read throws <c>XmlException</c> at the first malformed byte: a torn or hand-edited file fails the load like any parse.
/// </summary>
internal static class HandReadXml
{
    /// <summary>The file (path, or the stream read from it) an XmlReader.Create call opens for reading by hand; null otherwise.</summary>
    public static IOperation? Input(IInvocationOperation create, FileApiSymbols apis, Deserializers deserializers)
    {
        if (create.TargetMethod is not { Name: "Create", ContainingType.Name: "XmlReader" } || create.Arguments.Length == 0)
        {
            return null; // the cheap test first: this runs for every invocation
        }

        var input = create.Arguments[0].Value;
        var root = OperationTree.Root(create);
        if (!StoredInput.OpensPath(create, apis) && StoredInput.Source(input, root, apis, deserializers) != StoredInput.File)
        {
            return null;
        }

        return HandedToDeserializer(create, root, deserializers) ? null : input;
    }

    /// <summary>The reader, inline or through the local it is kept in, is the input of a parse the load rules know.</summary>
    private static bool HandedToDeserializer(IInvocationOperation create, IOperation root, Deserializers deserializers)
    {
        IOperation value = create;
        while (value.Parent is IConversionOperation or IParenthesizedOperation)
        {
            value = value.Parent;
        }

        if (IsParsedBy(value, deserializers))
        {
            return true;
        }

        var local = value.Parent switch
        {
            IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator } => declarator.Symbol,
            ISimpleAssignmentOperation { Target: ILocalReferenceOperation target } => target.Local,
            _ => null,
        };
        return local is not null && root.Descendants().OfType<ILocalReferenceOperation>()
            .Any(reference => SymbolEqualityComparer.Default.Equals(reference.Local, local) && IsParsedBy(reference, deserializers));
    }

    private static bool IsParsedBy(IOperation reader, Deserializers deserializers)
    {
        var parent = reader.Parent;
        while (parent is IConversionOperation)
        {
            parent = parent.Parent;
        }

        return parent is IArgumentOperation { Parent: IInvocationOperation parse } && deserializers.TryMatch(parse, out _, out _, out _);
    }
}
