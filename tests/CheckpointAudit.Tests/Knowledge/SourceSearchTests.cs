using System.Text;
using CheckpointAudit.Knowledge;
using Microsoft.CodeAnalysis.Text;
using Xunit;

namespace CheckpointAudit.Tests.Knowledge;

/// <summary><see cref="SourceSearch.Names"/>: a name found anywhere in a file's text, large files (held in chunks, searched window by window) included.</summary>
public class SourceSearchTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(8190)]
    [InlineData(8191)]
    [InlineData(8192)]
    [InlineData(8200)]
    [InlineData(16375)]
    [InlineData(99990)]
    public void A_name_is_found_wherever_it_starts(int position)
    {
        var text = Filler(100_000);
        text.Remove(position, "Checkpoint".Length).Insert(position, "Checkpoint");

        Assert.True(SourceSearch.Names(Large(text.ToString()), "Checkpoint"));
        Assert.True(SourceSearch.Names(SourceText.From(text.ToString()), "Checkpoint"));
    }

    [Fact]
    public void Prefixes_and_names_cut_at_the_end_are_not_matches()
    {
        var text = Filler(50_000).Append(" Checkpoin").ToString();

        Assert.False(SourceSearch.Names(Large(text), "Checkpoint"));
        Assert.True(SourceSearch.Names(Large(text), "Checkpoin"));
        Assert.False(SourceSearch.Names(SourceText.From("Check"), "Checkpoint"));
        Assert.False(SourceSearch.Names(SourceText.From(string.Empty), "Checkpoint"));
    }

    [Fact]
    public void A_name_longer_than_the_window_is_still_searched()
    {
        var name = new string('x', 5000) + "y";
        var text = Filler(30_000).Append(name).Append(Filler(30_000)).ToString();

        Assert.True(SourceSearch.Names(Large(text), name));
        Assert.False(SourceSearch.Names(Large(Filler(30_000).ToString()), name));
    }

    [Theory]
    [InlineData("journal_mode=WAL", true)]
    [InlineData("Journal Mode=Wal", true)]
    [InlineData("WALK", true)]
    [InlineData("w a l", false)]
    [InlineData("WA", false)]
    public void Ignoring_case_matches_as_ordinal_ignore_case_does(string tail, bool expected)
    {
        var text = Filler(60_000).Append(tail).ToString();

        Assert.Equal(expected, SourceSearch.Names(Large(text), "wal", ignoreCase: true));
        Assert.Equal(text.Contains("wal", System.StringComparison.OrdinalIgnoreCase), SourceSearch.Names(Large(text), "wal", ignoreCase: true));
        Assert.False(SourceSearch.Names(Large(text), "wal"));
    }

    /// <summary>
    /// <see cref="SourceSearch.NamesAny"/> searches the names' shared stem once: it must say what a search per name
    /// says, wherever a name starts (a window's end included) and whichever name it is.
    /// </summary>
    [Theory]
    [InlineData(-1, null)]
    [InlineData(0, "ReadAllText")]
    [InlineData(8185, "ReadAllLines")]
    [InlineData(8189, "ReadLine")]
    [InlineData(8191, "ReadAllText")]
    [InlineData(8192, "ReadLine")]
    [InlineData(16368, "ReadAllLines")]
    [InlineData(99988, "ReadAllLines")]
    [InlineData(99992, "ReadLine")]
    public void Any_of_names_with_a_stem_is_found_as_a_search_per_name_finds_it(int position, string? name)
    {
        // Near misses of every name: the stem alone, and each name cut short.
        var text = new StringBuilder(100_000);
        while (text.Length < 100_000)
        {
            text.Append("Read ReadAll ReadLin ReadAllTex Reader\n");
        }

        text.Length = 100_000;
        if (name is not null)
        {
            text.Remove(position, name.Length).Insert(position, name);
        }

        string[] names = ["ReadLine", "ReadAllLines", "ReadAllText"];
        foreach (var source in new[] { Large(text.ToString()), SourceText.From(text.ToString()), SourceText.From(text.ToString(99_000, 1_000)) })
        {
            Assert.Equal(names.Any(n => SourceSearch.Names(source, n)), SourceSearch.NamesAny(source, names));
        }

        Assert.Equal(name is not null, SourceSearch.NamesAny(Large(text.ToString()), names));
    }

    /// <summary>Text with many near misses of the name ('C', "Check") and none of the name itself.</summary>
    private static StringBuilder Filler(int length)
    {
        var text = new StringBuilder(length);
        while (text.Length < length)
        {
            text.Append("Check C Cx checkpoint\n");
        }

        text.Length = length;
        return text;
    }

    /// <summary>As a compiler reads a large file: decoded from a stream, held in chunks.</summary>
    private static SourceText Large(string text)
        => SourceText.From(new MemoryStream(Encoding.UTF8.GetBytes(text)), Encoding.UTF8);
}
