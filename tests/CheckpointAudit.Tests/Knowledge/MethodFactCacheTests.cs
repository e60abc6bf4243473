using CheckpointAudit.Knowledge;
using Microsoft.CodeAnalysis;
using Xunit;

namespace CheckpointAudit.Tests.Knowledge;

/// <summary>
/// A fact about a project method must not depend on which caller asked first: an answer cut off at the depth limit
/// under a deep caller is not the answer for a caller that has the depth to see further.
/// </summary>
public class MethodFactCacheTests
{
    // Durable0 flushes; DurableN reaches it through N calls. The depth limit is three levels of the same fact.
    private const string Source = """
        using System.IO;

        static class Chain
        {
            public static void Durable0(FileStream stream) => stream.Flush(true);
            public static void Durable1(FileStream stream) => Durable0(stream);
            public static void Durable2(FileStream stream) => Durable1(stream);
            public static void Durable3(FileStream stream) => Durable2(stream);
            public static void Recursive(FileStream stream, int n) { if (n > 0) Recursive(stream, n - 1); else Durable1(stream); }
        }
        """;

    [Fact]
    public void A_fact_cut_off_under_a_deep_caller_is_computed_again_for_a_shallow_one()
    {
        var (summaries, method) = Summaries();

        Assert.False(summaries.FlushesToDisk(method("Durable3"), default)); // Durable0 lies past the limit
        Assert.True(summaries.FlushesToDisk(method("Durable2"), default));  // asked first, it would say the same
        Assert.True(summaries.FlushesToDisk(method("Durable1"), default));
    }

    [Theory]
    [InlineData("Durable1")]
    [InlineData("Durable2")]
    [InlineData("Durable3")]
    [InlineData("Recursive")]
    public void Answers_do_not_depend_on_the_order_of_questions(string name)
    {
        var (alone, aloneMethod) = Summaries();
        var expected = alone.FlushesToDisk(aloneMethod(name), default);

        var (after, afterMethod) = Summaries();
        foreach (var other in new[] { "Recursive", "Durable3", "Durable2", "Durable1", "Durable0" })
        {
            after.FlushesToDisk(afterMethod(other), default);
        }

        Assert.Equal(expected, after.FlushesToDisk(afterMethod(name), default));
    }

    [Fact]
    public void A_recursive_method_is_followed_until_its_depth_is_spent()
    {
        var (summaries, method) = Summaries();
        Assert.True(summaries.FlushesToDisk(method("Recursive"), default));   // through Durable1, within the depth
    }

    private static (MethodSummaries Summaries, Func<string, IMethodSymbol> Method) Summaries()
    {
        var probe = new Probe(Source);
        var chain = probe.Type("Chain");
        return (MethodSummaries.Of(probe.Compilation)!, name => chain.GetMembers(name).OfType<IMethodSymbol>().Single());
    }
}
