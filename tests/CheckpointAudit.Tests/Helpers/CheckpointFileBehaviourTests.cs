using System.Text;
using Xunit;

namespace CheckpointAudit.Tests.Helpers;

/// <summary>
/// The generated helper (emitted into this test assembly by the package's own generator) writes
/// exactly the bytes File.* writes, replaces the target in one step and leaves no temp behind.
/// </summary>
public sealed class CheckpointFileBehaviourTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("ckpt-helper-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Expected => Path.Combine(_directory, "expected.bin");

    private string Actual => Path.Combine(_directory, "state.json");

    private void AssertSameBytesAndNoTemp()
    {
        Assert.Equal(File.ReadAllBytes(Expected), File.ReadAllBytes(Actual));
        Assert.Equal(new[] { "expected.bin", "state.json" }, Directory.GetFiles(_directory).Select(Path.GetFileName).Order().ToArray());
    }

    public static TheoryData<string?, string> Texts => new()
    {
        { "{\"stage\":3,\"name\":\"OCR\"}", "default" },
        { "", "default" },
        { null, "default" },
        { "héllo wörld ✓", "utf8-bom" },
        { "héllo wörld ✓", "unicode" },
        { "", "utf8-bom" },
        { "caf\u00e9", "latin1" },
    };

    private static Encoding? EncodingFor(string name) => name switch
    {
        "utf8-bom" => Encoding.UTF8,
        "unicode" => Encoding.Unicode,
        "latin1" => Encoding.Latin1,
        _ => null,
    };

    [Theory]
    [MemberData(nameof(Texts))]
    public void WriteAllText_writes_the_same_bytes_as_File(string? text, string encodingName)
    {
        File.WriteAllText(Actual, "old content that is longer than the new one, to catch a stale tail");
        var encoding = EncodingFor(encodingName);
        if (encoding is null)
        {
            File.WriteAllText(Expected, text);
            CheckpointFile.WriteAllText(Actual, text);
        }
        else
        {
            File.WriteAllText(Expected, text, encoding);
            CheckpointFile.WriteAllText(Actual, text, encoding);
        }

        AssertSameBytesAndNoTemp();
    }

    [Theory]
    [MemberData(nameof(Texts))]
    public async Task WriteAllTextAsync_writes_the_same_bytes_as_File(string? text, string encodingName)
    {
        var encoding = EncodingFor(encodingName);
        if (encoding is null)
        {
            await File.WriteAllTextAsync(Expected, text);
            await CheckpointFile.WriteAllTextAsync(Actual, text);
        }
        else
        {
            await File.WriteAllTextAsync(Expected, text, encoding);
            await CheckpointFile.WriteAllTextAsync(Actual, text, encoding);
        }

        AssertSameBytesAndNoTemp();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(100_000)]
    public async Task WriteAllBytes_sync_and_async_write_the_same_bytes(int length)
    {
        var bytes = Enumerable.Range(0, length).Select(i => (byte)(i * 31)).ToArray();
        File.WriteAllBytes(Expected, bytes);
        CheckpointFile.WriteAllBytes(Actual, bytes);
        AssertSameBytesAndNoTemp();

        await CheckpointFile.WriteAllBytesAsync(Actual, bytes);
        AssertSameBytesAndNoTemp();

        CheckpointFile.WriteAllBytes(Actual, new ReadOnlySpan<byte>(bytes));
        AssertSameBytesAndNoTemp();

        await CheckpointFile.WriteAllBytesAsync(Actual, new ReadOnlyMemory<byte>(bytes));
        AssertSameBytesAndNoTemp();
    }

    [Fact]
    public async Task WriteAllLines_all_overloads_write_the_same_bytes()
    {
        string[] lines = ["first", "", "thïrd ✓"];
        File.WriteAllLines(Expected, lines);
        CheckpointFile.WriteAllLines(Actual, lines);
        AssertSameBytesAndNoTemp();
        CheckpointFile.WriteAllLines(Actual, lines.AsEnumerable());
        AssertSameBytesAndNoTemp();
        await CheckpointFile.WriteAllLinesAsync(Actual, lines);
        AssertSameBytesAndNoTemp();

        File.WriteAllLines(Expected, lines, Encoding.UTF8);
        CheckpointFile.WriteAllLines(Actual, lines, Encoding.UTF8);
        AssertSameBytesAndNoTemp();
        CheckpointFile.WriteAllLines(Actual, lines.AsEnumerable(), Encoding.UTF8);
        AssertSameBytesAndNoTemp();
        await CheckpointFile.WriteAllLinesAsync(Actual, lines, Encoding.UTF8);
        AssertSameBytesAndNoTemp();
    }

    [Fact]
    public async Task Span_and_memory_text_overloads_write_the_same_bytes()
    {
        File.WriteAllText(Expected, "span ✓".AsSpan());
        CheckpointFile.WriteAllText(Actual, "span ✓".AsSpan());
        AssertSameBytesAndNoTemp();
        await CheckpointFile.WriteAllTextAsync(Actual, "span ✓".AsMemory());
        AssertSameBytesAndNoTemp();
        File.WriteAllText(Expected, "span ✓".AsSpan(), Encoding.UTF8);
        CheckpointFile.WriteAllText(Actual, "span ✓".AsSpan(), Encoding.UTF8);
        AssertSameBytesAndNoTemp();
    }

    [Fact]
    public void Failed_write_keeps_the_old_content_and_deletes_the_temp()
    {
        CheckpointFile.WriteAllText(Actual, "old");
        // UTF-8 without BOM throws on a lone surrogate, after the temp file exists.
        Assert.ThrowsAny<EncoderFallbackException>(() => CheckpointFile.WriteAllLines(Actual, ["ok", "\uD800"]));
        Assert.Equal("old", File.ReadAllText(Actual));
        Assert.Equal(new[] { "state.json" }, Directory.GetFiles(_directory).Select(Path.GetFileName).ToArray());
    }

    [Fact]
    public async Task Cancelled_write_keeps_the_old_content_and_deletes_the_temp()
    {
        CheckpointFile.WriteAllText(Actual, "old");
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => CheckpointFile.WriteAllTextAsync(Actual, "new", cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => CheckpointFile.WriteAllLinesAsync(Actual, Enumerable.Repeat("x", 10), cancelled.Token));
        Assert.Equal("old", File.ReadAllText(Actual));
        Assert.Single(Directory.GetFiles(_directory));
    }

    [Fact]
    public void Argument_errors_match_File()
    {
        Assert.Throws<ArgumentNullException>(() => CheckpointFile.WriteAllText(null!, "x"));
        Assert.Throws<ArgumentException>(() => CheckpointFile.WriteAllText("", "x"));
        Assert.Throws<ArgumentNullException>(() => CheckpointFile.WriteAllBytes(Actual, (byte[])null!));
        Assert.Throws<ArgumentNullException>(() => CheckpointFile.WriteAllLines(Actual, (string[])null!));
        Assert.Throws<DirectoryNotFoundException>(() => CheckpointFile.WriteAllText(Path.Combine(_directory, "missing", "a.json"), "x"));
        Assert.Empty(Directory.GetFiles(_directory));
    }

    [Fact]
    public void Relative_paths_resolve_like_File()
    {
        var previous = Environment.CurrentDirectory;
        try
        {
            Environment.CurrentDirectory = _directory;
            CheckpointFile.WriteAllText("relative.json", "{}");
            Assert.Equal("{}", File.ReadAllText(Path.Combine(_directory, "relative.json")));
        }
        finally
        {
            Environment.CurrentDirectory = previous;
        }
    }

    [Fact]
    public void TempPathFor_gives_a_temp_beside_the_target_that_is_written_directly_and_durably()
    {
        var temp = CheckpointFile.TempPathFor(Actual);
        Assert.Equal(_directory, Path.GetDirectoryName(temp));
        Assert.Matches(@"^\.state\.json\.\d+\.[0-9a-f]{32}\.tmp$", Path.GetFileName(temp));
        Assert.NotEqual(temp, CheckpointFile.TempPathFor(Actual));

        // Written in place (it is private until moved): no second temp, then moved over the target by the caller.
        CheckpointFile.WriteAllText(temp, "new");
        Assert.Equal(new[] { Path.GetFileName(temp) }, Directory.GetFiles(_directory).Select(Path.GetFileName).ToArray());
        File.Move(temp, Actual, overwrite: true);
        Assert.Equal("new", File.ReadAllText(Actual));
    }

    [Fact]
    public void A_later_process_sweeps_temps_that_dead_writers_left_and_keeps_live_ones()
    {
        // Dated a year back: older than this process's first use of the helper, as an earlier process's temps are.
        var target = Path.Combine(_directory, "swept.json");
        var deadWriter = Path.Combine(_directory, $".swept.json.{int.MaxValue - 7}.{Guid.NewGuid():N}.tmp");
        var liveWriter = Path.Combine(_directory, $".swept.json.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        var otherFile = Path.Combine(_directory, ".swept.json.backup.tmp");
        foreach (var file in new[] { deadWriter, liveWriter, otherFile })
        {
            File.WriteAllText(file, "partial");
            File.SetLastWriteTimeUtc(file, DateTime.UtcNow.AddYears(-1));
        }

        CheckpointFile.WriteAllText(target, "state");

        Assert.False(File.Exists(deadWriter), "a temp whose writer no longer runs, older than this process's first write, is deleted");
        Assert.True(File.Exists(liveWriter), "a temp of a running writer stays");
        Assert.True(File.Exists(otherFile), "files not named as the helper names its temps stay");
        Assert.Equal("state", File.ReadAllText(target));
    }
}
