using CheckpointAudit.Atomicity;
using CheckpointAudit.CodeFixes.Atomicity;
using CheckpointAudit.Tests.Infrastructure;
using Xunit;

namespace CheckpointAudit.Tests.Atomicity;

/// <summary>
/// CKPT201's "Write atomically" where no statement can commit the stream: it is opened with
/// CheckpointFile.CreateAutoCommit when something is sure to close it (a using, an owning object of the project,
/// every caller of an abstraction that returns it), and not offered where nothing is.
/// </summary>
public class AutoCommitStreamCodeFixTests
{
    [Fact]
    public async Task A_stream_in_a_using_handed_to_a_method_that_closes_it()
    {
        // As ShareX's SerializeToFile: the serializer's StreamWriter closes the stream, so a commit after it would fail.
        const string Before = """
            using System.IO;

            static class Json
            {
                public static void SerializeToFile(string text, string filePath)
                {
                    using (FileStream fileStream = {|CKPT201:new FileStream(filePath, FileMode.Create, FileAccess.Write, FileShare.Read, 4096, FileOptions.WriteThrough)|})
                    {
                        SerializeToStream(text, fileStream);
                    }
                }

                public static void SerializeToStream(string text, Stream stream)
                {
                    using (StreamWriter writer = new StreamWriter(stream))
                    {
                        writer.Write(text);
                    }
                }
            }
            """;
        const string After = """
            using System.IO;
            using CheckpointAudit;

            static class Json
            {
                public static void SerializeToFile(string text, string filePath)
                {
                    using (FileStream fileStream = CheckpointFile.CreateAutoCommit(filePath, FileAccess.Write, 4096, FileOptions.WriteThrough))
                    {
                        SerializeToStream(text, fileStream);
                    }
                }

                public static void SerializeToStream(string text, Stream stream)
                {
                    using (StreamWriter writer = new StreamWriter(stream))
                    {
                        writer.Write(text);
                    }
                }
            }
            """;
        await Verify.CodeFix<NonAtomicOverwriteCheck, WriteAtomicallyCodeFixProvider>(Before, After).RunAsync();
    }

    [Fact]
    public async Task A_FileInfo_opens_its_full_name_through_the_helper()
    {
        // As OpenTabletDriver's settings: file.Create() handed to a serializer that closes it, file.CreateText() in a block.
        const string Before = """
            using System.IO;

            static class Serialization
            {
                public static void Serialize(FileInfo file, string value)
                {
                    using (var fs = {|CKPT201:file.Create()|})
                        Serialize(fs, value);
                }

                public static void SerializeText(FileInfo file, string value)
                {
                    using (var sw = {|CKPT201:file.CreateText()|})
                    {
                        sw.Write(value);
                    }
                }

                static void Serialize(Stream stream, string value)
                {
                    using (var writer = new StreamWriter(stream))
                        writer.Write(value);
                }
            }
            """;
        const string After = """
            using System.IO;
            using CheckpointAudit;

            static class Serialization
            {
                public static void Serialize(FileInfo file, string value)
                {
                    using (var fs = CheckpointFile.CreateAutoCommit(file.FullName))
                        Serialize(fs, value);
                }

                public static void SerializeText(FileInfo file, string value)
                {
                    using (var sw = CheckpointFile.CreateText(file.FullName))
                    {
                        sw.Write(value);
                        CheckpointFile.Commit(sw);
                    }
                }

                static void Serialize(Stream stream, string value)
                {
                    using (var writer = new StreamWriter(stream))
                        writer.Write(value);
                }
            }
            """;
        await Verify.CodeFix<NonAtomicOverwriteCheck, WriteAtomicallyCodeFixProvider>(Before, After).RunAsync();
    }

    private const string Writers = """
        using System;
        using System.IO;
        using System.Threading.Tasks;

        abstract class MessageWriter(Stream stream) : IAsyncDisposable
        {
            protected Stream Stream { get; } = stream;

            public long BytesWritten => Stream.Length;

            public abstract Task WriteAsync(string message);

            public virtual async ValueTask DisposeAsync() => await Stream.DisposeAsync();
        }

        // Keeps a writer over the stream and closes it; the base class closes the stream too.
        class TextMessageWriter(Stream stream) : MessageWriter(stream)
        {
            private readonly TextWriter _writer = new StreamWriter(stream);

            public override Task WriteAsync(string message) => _writer.WriteLineAsync(message);

            public override async ValueTask DisposeAsync()
            {
                await _writer.DisposeAsync();
                await base.DisposeAsync();
            }
        }

        // Closes the stream only through its base class.
        class CsvMessageWriter : MessageWriter
        {
            public CsvMessageWriter(Stream output) : base(output)
            {
            }

            public override Task WriteAsync(string message) => Stream.WriteAsync(new byte[] { 1 }, 0, 1);
        }

        // Keeps the stream and closes it in Dispose, with an explicit constructor.
        sealed class LineSink : IDisposable
        {
            private readonly Stream _output;

            public LineSink(Stream output)
            {
                _output = output;
            }

            public void Write(byte value) => _output.WriteByte(value);

            public void Dispose() => _output?.Dispose();
        }
        """;

    [Fact]
    public async Task A_stream_owned_by_an_object_of_the_project_that_closes_it()
    {
        const string Before = """
            using System.IO;

            static class Exporter
            {
                public static MessageWriter Create(string filePath, bool csv) =>
                    csv switch
                    {
                        true => new CsvMessageWriter({|CKPT201:File.Create(filePath)|}),
                        false => new TextMessageWriter({|CKPT201:File.Create(filePath)|}),
                    };

                public static LineSink Sink(string sinkPath) => new LineSink({|CKPT201:new FileStream(sinkPath, FileMode.Create)|});
            }
            """;
        const string After = """
            using System.IO;
            using CheckpointAudit;

            static class Exporter
            {
                public static MessageWriter Create(string filePath, bool csv) =>
                    csv switch
                    {
                        true => new CsvMessageWriter(CheckpointFile.CreateAutoCommit(filePath)),
                        false => new TextMessageWriter(CheckpointFile.CreateAutoCommit(filePath)),
                    };

                public static LineSink Sink(string sinkPath) => new LineSink(CheckpointFile.CreateAutoCommit(sinkPath));
            }
            """;
        var test = Verify.CodeFix<NonAtomicOverwriteCheck, WriteAtomicallyCodeFixProvider>(Before, After);
        test.TestState.Sources.Add(Writers);
        test.FixedState.Sources.Add(Writers);
        await test.RunAsync();
    }

    [Fact]
    public async Task No_fix_where_nothing_is_sure_to_close_the_stream_or_the_file_is_used_while_it_is_open()
    {
        const string Source = """
            using System;
            using System.IO;
            using System.Text.Json;

            // Keeps the stream but never closes it: published never, where File.Create's stream left the bytes written.
            sealed class Forgetful : IDisposable
            {
                private readonly Stream _output;

                public Forgetful(Stream output) => _output = output;

                public void Dispose()
                {
                }
            }

            // A writer that leaves the stream open is not an owner.
            sealed class JsonSink : IDisposable
            {
                private readonly Utf8JsonWriter _writer;

                public JsonSink(Stream output) => _writer = new Utf8JsonWriter(output);

                public void Dispose() => _writer.Dispose();
            }

            // Closes the stream only when told to.
            sealed class ConditionalSink : IDisposable
            {
                private readonly Stream _output;
                private readonly bool _leaveOpen;

                public ConditionalSink(Stream output, bool leaveOpen)
                {
                    _output = output;
                    _leaveOpen = leaveOpen;
                }

                public void Dispose()
                {
                    if (!_leaveOpen) _output.Dispose();
                }
            }

            class Sink : IDisposable
            {
                private readonly Stream _output;

                public Sink(Stream output) => _output = output;

                public virtual void Dispose() => _output.Dispose();
            }

            // Its Dispose does not call the base's, which closes the stream.
            sealed class QuietWriter : Sink
            {
                public QuietWriter(Stream output) : base(output)
                {
                }

                public override void Dispose()
                {
                }
            }

            // Asks the stream for its file: the temp's after the fix.
            sealed class NamedSink : IDisposable
            {
                private readonly FileStream _output;

                public NamedSink(FileStream output) => _output = output;

                public string File => _output.Name;

                public void Dispose() => _output.Dispose();
            }

            // Closes the stream in DisposeAsync only: a using of it calls Dispose, which does not.
            sealed class AsyncOnlySink : IDisposable, IAsyncDisposable
            {
                private readonly Stream _output;

                public AsyncOnlySink(Stream output) => _output = output;

                public void Dispose()
                {
                }

                public System.Threading.Tasks.ValueTask DisposeAsync() => _output.DisposeAsync();
            }

            // Flushes each line so it can be read as it is written, which would show nothing until it is closed.
            sealed class ProgressSink : IDisposable
            {
                private readonly StreamWriter _writer;

                public ProgressSink(Stream output) => _writer = new StreamWriter(output);

                public void Write(string line)
                {
                    _writer.WriteLine(line);
                    _writer.Flush();
                }

                public void Dispose() => _writer.Dispose();
            }

            static class Store
            {
                static Forgetful Open(string path) => new Forgetful({|CKPT201:File.Create(path)|});

                static JsonSink OpenJson(string path) => new JsonSink({|CKPT201:File.Create(path)|});

                static void SaveAndMeasure(string path, byte[] bytes)
                {
                    using (var stream = {|CKPT201:File.Create(path)|})
                    {
                        stream.Write(bytes, 0, bytes.Length);
                        Console.WriteLine(new FileInfo(path).Length); // would measure the old file while the stream is open
                    }
                }

                static string SaveAndName(string path, byte[] bytes)
                {
                    using var stream = {|CKPT201:File.Create(path)|};
                    Close(stream, bytes);
                    return stream.Name; // the temp's name after the fix
                }

                // Flushed as it goes, to be read while it is written: published only when closed, it would show nothing until then.
                static void Record(string path, string[] lines)
                {
                    using (var writer = new StreamWriter({|CKPT201:File.Create(path)|}))
                    {
                        foreach (var line in lines)
                        {
                            if (line == null) return;
                            writer.WriteLine(line);
                            writer.Flush();
                        }
                    }
                }

                // The temp would be deleted when closed, before it is published.
                static void Scratch(string path, byte[] bytes)
                {
                    using (var stream = {|CKPT201:new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 4096, FileOptions.DeleteOnClose)|})
                    {
                        Close(stream, bytes);
                    }
                }

                static ConditionalSink Conditional(string path) => new ConditionalSink({|CKPT201:File.Create(path)|}, leaveOpen: false);

                static QuietWriter Quiet(string path) => new QuietWriter({|CKPT201:File.Create(path)|});

                static NamedSink Named(string path) => new NamedSink({|CKPT201:File.Create(path)|});

                static AsyncOnlySink AsyncOnly(string path) => new AsyncOnlySink({|CKPT201:File.Create(path)|});

                static ProgressSink Progress(string path) => new ProgressSink({|CKPT201:File.Create(path)|});

                static void Flushing(string path, string line)
                {
                    using (var writer = new StreamWriter({|CKPT201:File.Create(path)|}) { AutoFlush = true })
                    {
                        Close(writer.BaseStream, new byte[] { 1 });
                    }
                }

                static void Close(Stream stream, byte[] bytes)
                {
                    stream.Write(bytes, 0, bytes.Length);
                    stream.Close();
                }
            }
            """;
        await Verify.CodeFix<NonAtomicOverwriteCheck, WriteAtomicallyCodeFixProvider>(Source, Source).RunAsync();
    }
}
