using CheckpointAudit.Knowledge;
using Xunit;

namespace CheckpointAudit.Tests.Knowledge;

/// <summary>
/// What the rules and the audit's survey both ask: which exceptions mean damaged stored input
/// (<see cref="Deserializers.IsMalformedInputException"/>) and which types compute an integrity hash (<see cref="IntegrityHashes"/>).
/// </summary>
public class StoredDataKnowledgeTests
{
    private const string Source = """
        using System.Text.Json;
        class Loader { object Load(string text) => JsonSerializer.Deserialize<object>(text); }
        """;

    [Theory]
    [InlineData("System.Text.Json.JsonException", true)]
    [InlineData("System.Xml.XmlException", true)]
    [InlineData("System.Runtime.Serialization.SerializationException", true)]
    [InlineData("System.IO.InvalidDataException", true)]
    [InlineData("System.FormatException", true)]
    [InlineData("System.InvalidOperationException", false)]
    [InlineData("System.IO.IOException", false)]
    [InlineData("System.Exception", false)]
    public void Exceptions_that_mean_damaged_input(string exception, bool malformed)
    {
        var probe = new Probe(Source);
        Assert.Equal(malformed, Deserializers.Create(probe.Compilation)!.IsMalformedInputException(probe.Type(exception)));
    }

    [Theory]
    [InlineData("System.Security.Cryptography.SHA256", true)]
    [InlineData("System.Security.Cryptography.MD5", true)]
    [InlineData("System.Security.Cryptography.HMACSHA256", true)]
    [InlineData("System.Security.Cryptography.HashAlgorithm", true)]
    [InlineData("System.Random", false)]
    [InlineData("System.HashCode", false)]
    public void Types_that_compute_an_integrity_hash(string type, bool hash)
    {
        var probe = new Probe(Source);
        Assert.Equal(hash, IntegrityHashes.For(probe.Compilation).IsHashType(probe.Type(type)));
    }
}
