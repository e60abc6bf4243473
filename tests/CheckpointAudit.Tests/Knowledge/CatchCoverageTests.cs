using System.Collections.Immutable;
using CheckpointAudit.Knowledge;
using Microsoft.CodeAnalysis;
using Xunit;

namespace CheckpointAudit.Tests.Knowledge;

/// <summary><see cref="CatchCoverage.IsCaughtInFunction"/>: whether a try of the same function handles what a call throws.</summary>
public class CatchCoverageTests
{
    private const string Source = """
        using System;
        using System.IO;
        using System.Text.Json;

        class Loader
        {
            object Load(string text)
            {
                try { return JsonSerializer.Deserialize<object>(text + "exact"); } catch (JsonException) { return null; }
                try { return JsonSerializer.Deserialize<object>(text + "base"); } catch (Exception) { return null; }
                try { return JsonSerializer.Deserialize<object>(text + "other"); } catch (IOException) { return null; }
                try { return JsonSerializer.Deserialize<object>(text + "filtered"); } catch (Exception e) when (e is IOException) { return null; }
                try { return JsonSerializer.Deserialize<object>(text + "negated"); } catch (Exception e) when (e is not OperationCanceledException) { return null; }
                try { Func<object> later = () => JsonSerializer.Deserialize<object>(text + "lambda"); return later; } catch (JsonException) { return null; }
                return JsonSerializer.Deserialize<object>(text + "bare");
            }
        }
        """;

    [Theory]
    [InlineData("exact", true)]
    [InlineData("base", true)]
    [InlineData("other", false)]
    [InlineData("filtered", false)]
    [InlineData("negated", true)]
    [InlineData("lambda", false)]
    [InlineData("bare", false)]
    public void A_parse_is_covered_by_the_catches_of_its_own_function(string site, bool caught)
    {
        var probe = new Probe(Source);
        var call = probe.Expression($"JsonSerializer.Deserialize<object>(text + \"{site}\")");
        ImmutableArray<INamedTypeSymbol> thrown = [probe.Type("System.Text.Json.JsonException")];

        Assert.Equal(caught, CatchCoverage.IsCaughtInFunction(call, thrown));
    }
}
