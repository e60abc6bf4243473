using CheckpointAudit.Atomicity;
using CheckpointAudit.CodeFixes.Atomicity;
using CheckpointAudit.Tests.Infrastructure;
using Xunit;

namespace CheckpointAudit.Tests.Atomicity;

public class StaleTailWriteTests
{
    private static string Wrap(string body) => $$"""
        using System;
        using System.IO;
        using System.Text.Json;

        class Store
        {
            private static void Use(object stream) { }

        {{body}}
        }
        """;

    private static Task Verify205(string body) => Verify.AnalyzerAsync<StaleTailWriteCheck>(Wrap(body));

    // A file opened only when it does not exist yet has no old content: an installer's "skip what is there" loop.
    [Fact]
    public async Task Quiet_when_the_file_is_opened_only_when_absent()
    {
        await Verify205("""
                void Install(string[] paths, byte[] data)
                {
                    foreach (var path in paths)
                    {
                        if (File.Exists(path))
                            continue;

                        using var stream = File.OpenWrite(path);
                        stream.Write(data);
                    }
                }

                void Init(string path, object defaults)
                {
                    if (!File.Exists(path))
                    {
                        using var stream = File.Open(path, FileMode.OpenOrCreate, FileAccess.Write);
                        JsonSerializer.Serialize(stream, defaults);
                    }
                }

                // Deleted first: no old tail is left (the rewrite in place is CKPT201's).
                void Rewrite(string path, object state)
                {
                    File.Delete(path);
                    using var stream = File.OpenWrite(path);
                    JsonSerializer.Serialize(stream, state);
                }
            """);
    }

    // The temp half of a save is the settings file's next version: reported at the rule's severity, not as output.
    [Fact]
    public async Task Flags_a_temp_file_opened_without_truncation_before_it_replaces_the_target()
    {
        await Verify205("""
                void Save(string path, object settings)
                {
                    var tempFilePath = path + ".tmp";
                    using (var stream = {|CKPT205:new FileStream(tempFilePath, FileMode.OpenOrCreate, FileAccess.Write)|})
                    {
                        JsonSerializer.Serialize(stream, settings);
                    }

                    File.Replace(tempFilePath, path, path + ".bak");
                }
            """);
    }

    // A guard on another file proves nothing about this one.
    [Fact]
    public async Task Flags_when_the_guard_tests_another_file()
    {
        await Verify205("""
                void Install(string path, string marker, byte[] data)
                {
                    if (File.Exists(marker))
                        return;

                    using var stream = {|CKPT205:File.OpenWrite(path)|};
                    stream.Write(data);
                }
            """);
    }

    [Theory]
    [InlineData("File.OpenWrite(path)")]
    [InlineData("new FileInfo(path).OpenWrite()")]
    [InlineData("File.Open(path, FileMode.OpenOrCreate, FileAccess.Write)")]
    [InlineData("new FileStream(path, FileMode.Open, FileAccess.ReadWrite)")]
    [InlineData("new FileStream(path, FileMode.OpenOrCreate, FileAccess.Write, FileShare.None)")]
    [InlineData("new FileInfo(path).Open(FileMode.OpenOrCreate, FileAccess.Write)")]
    [InlineData("new FileStream(path, FileMode.Open)")]
    [InlineData("File.Open(path, FileMode.OpenOrCreate)")]
    public async Task Flags_opens_for_writing_without_truncation(string open)
    {
        await Verify205($$"""
                void Save(string path, object state)
                {
                    using var stream = {|CKPT205:{{open}}|};
                    JsonSerializer.Serialize(stream, state);
                }
            """);
    }

    [Fact]
    public async Task Quiet_for_truncating_reading_positioned_and_scratch_opens()
    {
        await Verify205("""
                void A(string path) => Use(File.Create(path));
                void B(string path) => Use(new FileStream(path, FileMode.Open, FileAccess.Read));
                void C(string path) => Use(new FileStream(path, FileMode.Open));

                string C2(string path)
                {
                    using var stream = new FileStream(path, FileMode.Open);
                    using var reader = new StreamReader(stream);
                    return reader.ReadToEnd();
                }
                void D(string path) => Use(new FileStream(path, FileMode.Append, FileAccess.Write));

                void E(string path, byte[] data)
                {
                    using var stream = File.OpenWrite(path);
                    stream.Write(data);
                    stream.SetLength(stream.Position);
                }

                void F(string path, long offset, byte[] page)
                {
                    using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
                    stream.Seek(offset, SeekOrigin.Begin);
                    stream.Write(page);
                }

                void G(byte[] data) => Use(File.OpenWrite(Path.GetTempFileName()));
            """);
    }

    [Fact]
    public async Task Quiet_for_probes_and_streams_handed_to_callers()
    {
        await Verify205("""
                bool IsInUse(string path)
                {
                    FileStream? stream = null;
                    try
                    {
                        stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
                    }
                    catch (IOException)
                    {
                        return true;
                    }
                    finally
                    {
                        stream?.Dispose();
                    }

                    return false;
                }

                Stream OpenLock(string path) => new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);

                Lazy<Stream> LazyOutput(string path) => new(() => File.Open(path, FileMode.OpenOrCreate, FileAccess.ReadWrite));

                // A file-system wrapper: whichever stream it opens, the caller writes it.
                Stream OpenForWrite(string path) => !File.Exists(path) ? File.Create(path) : File.OpenWrite(path);

                Stream OpenExisting(string path, Stream? cached) => cached ?? File.OpenWrite(path);
            """);
    }

    [Theory]
    [InlineData("File.OpenWrite(path)", "new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None)")]
    [InlineData("info.OpenWrite()", "info.Open(FileMode.Create, FileAccess.Write, FileShare.None)")]
    [InlineData("File.Open(path, FileMode.OpenOrCreate, FileAccess.Write)", "File.Open(path, FileMode.Create, FileAccess.Write)")]
    [InlineData("new FileStream(path, FileMode.Open, FileAccess.Write)", "new FileStream(path, FileMode.Truncate, FileAccess.Write)")]
    [InlineData("new FileStream(path, FileMode.Open)", "new FileStream(path, FileMode.Truncate)")]
    public async Task Fix_truncates_when_opening(string before, string after)
    {
        var body = """
                void Save(string path, FileInfo info, object state)
                {
                    using var stream = CALL;
                    JsonSerializer.Serialize(stream, state);
                }
            """;
        await Verify.CodeFix<StaleTailWriteCheck, TruncateOnOpenCodeFixProvider>(
            Wrap(body.Replace("CALL", "{|CKPT205:" + before + "|}")),
            Wrap(body.Replace("CALL", after))).RunAsync();
    }

    [Fact]
    public async Task Fix_all_in_document()
    {
        var test = Verify.CodeFix<StaleTailWriteCheck, TruncateOnOpenCodeFixProvider>(
            Wrap("""
                    void A(string path, object state) { using var s = {|CKPT205:File.OpenWrite(path)|}; JsonSerializer.Serialize(s, state); }
                    void B(string path, object state) { using var s = {|CKPT205:File.Open(path, FileMode.OpenOrCreate, FileAccess.Write)|}; JsonSerializer.Serialize(s, state); }
                """),
            Wrap("""
                    void A(string path, object state) { using var s = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None); JsonSerializer.Serialize(s, state); }
                    void B(string path, object state) { using var s = File.Open(path, FileMode.Create, FileAccess.Write); JsonSerializer.Serialize(s, state); }
                """));
        test.NumberOfIncrementalIterations = 2;
        test.NumberOfFixAllIterations = 1;
        await test.RunAsync();
    }
}
