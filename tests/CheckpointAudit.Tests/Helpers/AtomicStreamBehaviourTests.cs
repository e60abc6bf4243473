using System.Text;
using Xunit;

namespace CheckpointAudit.Tests.Helpers;

/// <summary>
/// The generated helper's atomic streams (CheckpointFile.Create / CreateText / Commit): the same bytes as the stream
/// code they replace, the target replaced only when the write was committed and the stream closed, and no temp left.
/// </summary>
public sealed class AtomicStreamBehaviourTests : IDisposable
{
    private const string Old = "old content that is longer than the new one, to catch a stale tail";

    private readonly string _directory = Directory.CreateTempSubdirectory("ckpt-stream-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Expected => Path.Combine(_directory, "expected.bin");

    private string Actual => Path.Combine(_directory, "state.json");

    private string[] Files => Directory.GetFiles(_directory).Select(Path.GetFileName).Order().ToArray()!;

    public static TheoryData<string> Encodings => ["default", "utf8-bom", "unicode", "latin1"];

    [Theory]
    [MemberData(nameof(Encodings))]
    public void CreateText_writes_the_bytes_of_a_StreamWriter_on_the_path(string encodingName)
    {
        File.WriteAllText(Actual, Old);
        const string text = "{\"stage\":3,\"name\":\"héllo ✓\"}\n";
        var encoding = encodingName switch
        {
            "utf8-bom" => Encoding.UTF8,
            "unicode" => Encoding.Unicode,
            "latin1" => Encoding.Latin1,
            _ => null,
        };
        using (var expected = encoding is null ? new StreamWriter(Expected) : new StreamWriter(Expected, false, encoding))
        {
            expected.Write(text);
        }

        using (var writer = encoding is null ? CheckpointFile.CreateText(Actual) : CheckpointFile.CreateText(Actual, encoding))
        {
            writer.Write(text);
            CheckpointFile.Commit(writer);
        }

        Assert.Equal(File.ReadAllBytes(Expected), File.ReadAllBytes(Actual));
        Assert.Equal(["expected.bin", "state.json"], Files);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("utf-8")]
    [InlineData("utf-16")]
    public void An_xml_document_saved_to_the_stream_has_the_bytes_of_a_save_to_the_path(string? declared)
    {
        File.WriteAllText(Actual, Old);
        var document = new System.Xml.Linq.XDocument(new System.Xml.Linq.XElement("state", new System.Xml.Linq.XAttribute("stage", 3), new System.Xml.Linq.XElement("name", "héllo ✓")));
        if (declared is not null)
        {
            document.Declaration = new System.Xml.Linq.XDeclaration("1.0", declared, null);
        }

        document.Save(Expected);
        using (var stream = CheckpointFile.Create(Actual, FileAccess.Write))
        {
            document.Save(stream);
            CheckpointFile.Commit(stream);
        }

        Assert.Equal(File.ReadAllBytes(Expected), File.ReadAllBytes(Actual));

        var dom = new System.Xml.XmlDocument();
        dom.LoadXml(document.ToString());
        dom.Save(Expected);
        using (var stream = CheckpointFile.Create(Actual, FileAccess.Write))
        {
            dom.Save(stream);
            CheckpointFile.Commit(stream);
        }

        Assert.Equal(File.ReadAllBytes(Expected), File.ReadAllBytes(Actual));
        Assert.Equal(["expected.bin", "state.json"], Files);
    }

    [Fact]
    public void An_xml_dom_document_without_a_root_is_refused_as_a_save_to_the_path_refuses_it()
    {
        File.WriteAllText(Actual, Old);
        var empty = new System.Xml.XmlDocument();
        var refused = Assert.Throws<System.Xml.XmlException>(() => empty.Save(Expected));

        // The rewritten save, as the fix writes it.
        var rewritten = Assert.Throws<System.Xml.XmlException>(() =>
        {
            if (empty.DocumentElement == null)
                throw new System.Xml.XmlException("Invalid XML document. The document does not have a root element.");
            using (var stream = CheckpointFile.Create(Actual, FileAccess.Write))
            {
                empty.Save(stream);
                CheckpointFile.Commit(stream);
            }
        });

        Assert.Equal(refused.Message, rewritten.Message);
        Assert.Equal(Old, File.ReadAllText(Actual));
        Assert.Equal(["state.json"], Files);
    }

    [Fact]
    public void Create_replaces_the_file_with_the_bytes_written_when_committed_and_closed()
    {
        File.WriteAllText(Actual, Old);
        var bytes = Enumerable.Range(0, 100_000).Select(i => (byte)(i * 31)).ToArray();
        using (var stream = CheckpointFile.Create(Actual))
        {
            stream.Write(bytes, 0, 1000);
            stream.Write(bytes, 1000, bytes.Length - 1000);
            CheckpointFile.Commit(stream);

            // Committed, not yet closed: the target still holds the previous version.
            Assert.Equal(Old, File.ReadAllText(Actual));
        }

        Assert.Equal(bytes, File.ReadAllBytes(Actual));
        Assert.Equal(["state.json"], Files);
    }

    [Fact]
    public void An_exception_before_Commit_keeps_the_previous_file_and_deletes_the_temp()
    {
        File.WriteAllText(Actual, Old);
        void WriteAndFail()
        {
            using var writer = CheckpointFile.CreateText(Actual);
            writer.Write("half of the new ver");
            throw new InvalidDataException("the serializer failed");
        }

        Assert.Throws<InvalidDataException>(WriteAndFail);

        Assert.Equal(Old, File.ReadAllText(Actual));
        Assert.Equal(["state.json"], Files);
    }

    [Fact]
    public async Task Await_using_publishes_after_Commit()
    {
        File.WriteAllText(Actual, Old);
        await using (var stream = CheckpointFile.Create(Actual, 4096, FileOptions.Asynchronous))
        {
            await stream.WriteAsync(Encoding.UTF8.GetBytes("new"));
            CheckpointFile.Commit(stream);
        }

        Assert.Equal("new", File.ReadAllText(Actual));
        Assert.Equal(["state.json"], Files);
    }

    [Fact]
    public void A_stream_closed_before_Commit_fails_loudly_instead_of_losing_the_write()
    {
        File.WriteAllText(Actual, Old);
        var stream = CheckpointFile.Create(Actual);
        stream.WriteByte(1);
        stream.Dispose();

        var error = Assert.Throws<InvalidOperationException>(() => CheckpointFile.Commit(stream));
        Assert.Contains("closed before Commit", error.Message);
        Assert.Equal(Old, File.ReadAllText(Actual));
        Assert.Equal(["state.json"], Files);
    }

    [Fact]
    public void CreateAutoCommit_replaces_the_file_when_the_stream_is_closed()
    {
        File.WriteAllText(Actual, Old);
        var bytes = Enumerable.Range(0, 100_000).Select(i => (byte)(i * 31)).ToArray();
        using (var expected = new StreamWriter(File.Create(Expected)))
        {
            expected.Write("héllo ✓");
        }

        // Handed to a writer that closes it, as an exporter's writer object owns its stream.
        var writer = new StreamWriter(CheckpointFile.CreateAutoCommit(Actual));
        writer.Write("héllo ✓");
        writer.Flush();
        Assert.Equal(Old, File.ReadAllText(Actual));
        writer.Dispose();

        Assert.Equal(File.ReadAllBytes(Expected), File.ReadAllBytes(Actual));
        Assert.Equal(["expected.bin", "state.json"], Files);

        using (var stream = CheckpointFile.CreateAutoCommit(Actual, 4096, FileOptions.WriteThrough))
        {
            stream.Write(bytes, 0, 1000);
            stream.Write(bytes.AsSpan(1000));
        }

        Assert.Equal(bytes, File.ReadAllBytes(Actual));
        Assert.Equal(["expected.bin", "state.json"], Files);
    }

    [Fact]
    public void CreateAutoCommit_keeps_the_previous_file_when_a_write_failed()
    {
        File.WriteAllText(Actual, Old);
        void WriteAndFail()
        {
            using var stream = CheckpointFile.CreateAutoCommit(Actual, FileAccess.Write);
            stream.Write(Encoding.UTF8.GetBytes("half of the new ver"));
            stream.Write(new byte[4], 3, 2); // the write fails: what is on the stream is not the whole content
        }

        Assert.ThrowsAny<ArgumentException>(WriteAndFail);

        Assert.Equal(Old, File.ReadAllText(Actual));
        Assert.Equal(["state.json"], Files);
    }

    [Fact]
    public void Commit_after_a_failed_write_refuses_to_publish_the_incomplete_content()
    {
        File.WriteAllText(Actual, Old);
        using (var stream = CheckpointFile.Create(Actual, FileAccess.Write))
        {
            stream.Write(Encoding.UTF8.GetBytes("half"));
            Assert.ThrowsAny<ArgumentException>(() => stream.Write(new byte[4], 3, 2));
            var error = Assert.Throws<InvalidOperationException>(() => CheckpointFile.Commit(stream));
            Assert.Contains("incomplete", error.Message);
        }

        Assert.Equal(Old, File.ReadAllText(Actual));
        Assert.Equal(["state.json"], Files);
    }

    [Fact]
    public async Task CreateAutoCommit_publishes_at_await_using_and_not_after_a_cancelled_write()
    {
        File.WriteAllText(Actual, Old);
        await using (var stream = CheckpointFile.CreateAutoCommit(Actual, 4096, FileOptions.Asynchronous))
        {
            await stream.WriteAsync(Encoding.UTF8.GetBytes("new"));
        }

        Assert.Equal("new", File.ReadAllText(Actual));

        async Task WriteCancelled()
        {
            await using var stream = CheckpointFile.CreateAutoCommit(Actual, 4096, FileOptions.Asynchronous);
            await stream.WriteAsync(Encoding.UTF8.GetBytes("newer"), new CancellationToken(canceled: true));
        }

        await Assert.ThrowsAnyAsync<OperationCanceledException>(WriteCancelled);
        Assert.Equal("new", File.ReadAllText(Actual));
        Assert.Equal(["state.json"], Files);
    }

    [Fact]
    public void Commit_of_a_stream_the_helper_did_not_open_is_an_argument_error()
    {
        using var stream = new MemoryStream();
        Assert.Throws<ArgumentException>(() => CheckpointFile.Commit(stream));
    }

    [Fact]
    public void A_missing_folder_fails_as_File_Create_does()
    {
        var path = Path.Combine(_directory, "missing", "state.json");
        Assert.Throws<DirectoryNotFoundException>(() => File.Create(path));
        Assert.Throws<DirectoryNotFoundException>(() => CheckpointFile.Create(path));
    }
}
