using CheckpointAudit.Atomicity;
using CheckpointAudit.CodeFixes.Atomicity;
using CheckpointAudit.Tests.Infrastructure;
using Microsoft.CodeAnalysis.Testing;
using Xunit;

namespace CheckpointAudit.Tests.Atomicity;

/// <summary>
/// CKPT201's "Write atomically" on the stream shapes of real code: a stream handed to the project's own methods, a
/// writer in a block of its own, a stream created inside its writer, a computed final return, an archive or
/// compression stream over it, loops with break or continue; and copies over the target.
/// </summary>
public class AtomicStreamShapesCodeFixTests
{
    private static string Program(string usings, string body) => $$"""
        using System.IO;
        using System.Text;{{usings}}

        class Store
        {
        {{body}}
        }
        """;

    [Fact]
    public async Task Hands_the_stream_to_project_methods_that_only_write_to_it()
    {
        const string Before = """
            using System.IO;

            static class Store
            {
                static void Save(string path, byte[] bytes)
                {
                    using (var s = {|CKPT201:new FileStream(path, FileMode.Create)|})
                    {
                        WriteAll(s, bytes);
                        s.WriteHeader();
                    }
                }

                static void WriteAll(Stream target, byte[] bytes)
                {
                    if (target == null) return;
                    Pad(target);
                    target.Write(bytes, 0, bytes.Length);
                }

                static void Pad(Stream target) => target.WriteByte(0);

                public static void WriteHeader(this Stream target) => target.Flush();
            }
            """;
        const string After = """
            using System.IO;
            using CheckpointAudit;

            static class Store
            {
                static void Save(string path, byte[] bytes)
                {
                    using (var s = CheckpointFile.Create(path))
                    {
                        WriteAll(s, bytes);
                        s.WriteHeader();
                        CheckpointFile.Commit(s);
                    }
                }

                static void WriteAll(Stream target, byte[] bytes)
                {
                    if (target == null) return;
                    Pad(target);
                    target.Write(bytes, 0, bytes.Length);
                }

                static void Pad(Stream target) => target.WriteByte(0);

                public static void WriteHeader(this Stream target) => target.Flush();
            }
            """;
        await Verify.CodeFix<NonAtomicOverwriteCheck, WriteAtomicallyCodeFixProvider>(Before, After).RunAsync();
    }

    [Fact]
    public async Task Hands_the_stream_to_a_method_that_writes_through_a_writer_it_never_closes()
    {
        const string Before = """
            using System.IO;

            static class Icons
            {
                static bool Save(string path, byte[] image)
                {
                    using (var output = {|CKPT201:new FileStream(path, FileMode.Create)|})
                    {
                        return Write(image, output);
                    }
                }

                static bool Write(byte[] image, Stream output)
                {
                    BinaryWriter writer = new BinaryWriter(output);
                    if (output == null || writer == null)
                        return false;
                    writer.Write((short)1);
                    writer.Write(image);
                    writer.Flush();
                    return true;
                }
            }
            """;
        const string After = """
            using System.IO;
            using CheckpointAudit;

            static class Icons
            {
                static bool Save(string path, byte[] image)
                {
                    using (var output = CheckpointFile.Create(path))
                    {
                        var result = Write(image, output);
                        CheckpointFile.Commit(output);
                        return result;
                    }
                }

                static bool Write(byte[] image, Stream output)
                {
                    BinaryWriter writer = new BinaryWriter(output);
                    if (output == null || writer == null)
                        return false;
                    writer.Write((short)1);
                    writer.Write(image);
                    writer.Flush();
                    return true;
                }
            }
            """;
        await Verify.CodeFix<NonAtomicOverwriteCheck, WriteAtomicallyCodeFixProvider>(Before, After).RunAsync();
    }

    [Fact]
    public async Task Commits_on_close_where_the_writer_over_the_stream_is_closed_or_escapes()
    {
        const string Source = """
            using System.IO;

            static class Icons
            {
                static BinaryWriter Kept;

                static void Closed(string path)
                {
                    using (var output = {|CKPT201:File.Create(path)|})
                    {
                        WriteAndClose(output);
                    }
                }

                static void WriteAndClose(Stream output)
                {
                    var writer = new BinaryWriter(output);
                    writer.Write(1);
                    writer.Close();
                }

                static void Stored(string path)
                {
                    using (var output = {|CKPT201:File.Create(path)|})
                    {
                        Keep(output);
                    }
                }

                static void Keep(Stream output)
                {
                    var writer = new BinaryWriter(output);
                    Kept = writer;
                }

                static void Buffered(string path)
                {
                    using (var output = {|CKPT201:File.Create(path)|})
                    {
                        WriteBuffered(output);
                    }
                }

                // A buffered stream is not a writer that leaves it open: its buffer is not written when it is dropped.
                static void WriteBuffered(Stream output)
                {
                    var other = new BufferedStream(output);
                    other.WriteByte(1);
                }
            }
            """;
        const string After = """
            using System.IO;
            using CheckpointAudit;

            static class Icons
            {
                static BinaryWriter Kept;

                static void Closed(string path)
                {
                    using (var output = CheckpointFile.CreateAutoCommit(path))
                    {
                        WriteAndClose(output);
                    }
                }

                static void WriteAndClose(Stream output)
                {
                    var writer = new BinaryWriter(output);
                    writer.Write(1);
                    writer.Close();
                }

                static void Stored(string path)
                {
                    using (var output = CheckpointFile.CreateAutoCommit(path))
                    {
                        Keep(output);
                    }
                }

                static void Keep(Stream output)
                {
                    var writer = new BinaryWriter(output);
                    Kept = writer;
                }

                static void Buffered(string path)
                {
                    using (var output = CheckpointFile.CreateAutoCommit(path))
                    {
                        WriteBuffered(output);
                    }
                }

                // A buffered stream is not a writer that leaves it open: its buffer is not written when it is dropped.
                static void WriteBuffered(Stream output)
                {
                    var other = new BufferedStream(output);
                    other.WriteByte(1);
                }
            }
            """;
        await Verify.CodeFix<NonAtomicOverwriteCheck, WriteAtomicallyCodeFixProvider>(Source, After).RunAsync();
    }

    [Fact]
    public async Task Commits_on_close_where_a_project_method_may_close_or_keep_the_stream()
    {
        const string Source = """
            using System;
            using System.IO;

            static class Store
            {
                static Action Later;

                static void Deep(string path)
                {
                    using (var s = {|CKPT201:File.Create(path)|})
                    {
                        Outer(s);
                    }
                }

                static void Outer(Stream s) => Inner(s);

                static void Inner(Stream s)
                {
                    s.WriteByte(1);
                    s.Dispose();
                }

                static void Wrapped(string path)
                {
                    using (var s = {|CKPT201:File.Create(path)|})
                    {
                        Text(s);
                    }
                }

                static void Text(Stream s)
                {
                    using var writer = new StreamWriter(s);
                    writer.Write("x");
                }

                static void Captured(string path)
                {
                    using (var s = {|CKPT201:File.Create(path)|})
                    {
                        Keep(s);
                    }
                }

                static void Keep(Stream s) => Later = () => s.WriteByte(1);

                static void Extension(string path)
                {
                    using (var s = {|CKPT201:File.Create(path)|})
                    {
                        s.WriteAndClose();
                    }
                }

                static void WriteAndClose(this Stream s) => s.Close();
            }

            abstract class Writer
            {
                protected abstract void WriteTo(Stream s);

                protected virtual void Fill(Stream s) => s.WriteByte(1);

                void Save(string path)
                {
                    using (var s = {|CKPT201:File.Create(path)|})
                    {
                        WriteTo(s);
                    }

                    using (var s = {|CKPT201:File.Create(path)|})
                    {
                        Fill(s);
                    }
                }
            }
            """;
        const string After = """
            using System;
            using System.IO;
            using CheckpointAudit;

            static class Store
            {
                static Action Later;

                static void Deep(string path)
                {
                    using (var s = CheckpointFile.CreateAutoCommit(path))
                    {
                        Outer(s);
                    }
                }

                static void Outer(Stream s) => Inner(s);

                static void Inner(Stream s)
                {
                    s.WriteByte(1);
                    s.Dispose();
                }

                static void Wrapped(string path)
                {
                    using (var s = CheckpointFile.CreateAutoCommit(path))
                    {
                        Text(s);
                    }
                }

                static void Text(Stream s)
                {
                    using var writer = new StreamWriter(s);
                    writer.Write("x");
                }

                static void Captured(string path)
                {
                    using (var s = CheckpointFile.CreateAutoCommit(path))
                    {
                        Keep(s);
                    }
                }

                static void Keep(Stream s) => Later = () => s.WriteByte(1);

                static void Extension(string path)
                {
                    using (var s = CheckpointFile.CreateAutoCommit(path))
                    {
                        s.WriteAndClose();
                    }
                }

                static void WriteAndClose(this Stream s) => s.Close();
            }

            abstract class Writer
            {
                protected abstract void WriteTo(Stream s);

                protected virtual void Fill(Stream s) => s.WriteByte(1);

                void Save(string path)
                {
                    using (var s = CheckpointFile.CreateAutoCommit(path))
                    {
                        WriteTo(s);
                    }

                    using (var s = CheckpointFile.CreateAutoCommit(path))
                    {
                        Fill(s);
                    }
                }
            }
            """;
        await Verify.CodeFix<NonAtomicOverwriteCheck, WriteAtomicallyCodeFixProvider>(Source, After).RunAsync();
    }

    [Fact]
    public async Task Commits_a_writer_in_a_block_of_its_own_a_writer_around_the_creation_and_loops_that_skip()
    {
        var before = Program("", """
                void Text(string path, string contents)
                {
                    using (var fs = {|CKPT201:new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None)|})
                    {
                        using (var writer = new StreamWriter(fs))
                        {
                            writer.Write(contents);
                        }
                    }
                }

                void Binary(string path, byte[] value)
                {
                    using var writer = new BinaryWriter({|CKPT201:new FileStream(path, FileMode.Create)|});
                    writer.Write(value);
                }

                void Lines(string path, string[] lines)
                {
                    using (var w = {|CKPT201:new StreamWriter(path)|})
                    {
                        foreach (var line in lines)
                        {
                            if (line.Length == 0) continue;
                            if (line == "end") break;
                            w.WriteLine(line);
                        }
                    }
                }
            """);
        var after = Program("\nusing CheckpointAudit;", """
                void Text(string path, string contents)
                {
                    using (var fs = CheckpointFile.Create(path, FileAccess.Write))
                    {
                        using (var writer = new StreamWriter(fs))
                        {
                            writer.Write(contents);
                            CheckpointFile.Commit(writer);
                        }
                    }
                }

                void Binary(string path, byte[] value)
                {
                    using var writer = new BinaryWriter(CheckpointFile.Create(path));
                    writer.Write(value);
                    CheckpointFile.Commit(writer);
                }

                void Lines(string path, string[] lines)
                {
                    using (var w = CheckpointFile.CreateText(path))
                    {
                        foreach (var line in lines)
                        {
                            if (line.Length == 0) continue;
                            if (line == "end") break;
                            w.WriteLine(line);
                        }

                        CheckpointFile.Commit(w);
                    }
                }
            """);
        var test = Verify.CodeFix<NonAtomicOverwriteCheck, WriteAtomicallyCodeFixProvider>(before, after);
        test.NumberOfIncrementalIterations = 3;
        test.NumberOfFixAllIterations = 1;
        await test.RunAsync();
    }

    [Fact]
    public async Task An_archive_or_compression_stream_leaves_the_stream_open_and_the_commit_follows_it()
    {
        var before = Program("", """
                void Pack(string path, string[] files)
                {
                    using (var stream = {|CKPT201:new FileStream(path, FileMode.Create)|})
                    {
                        using (var archive = new System.IO.Compression.ZipArchive(stream, System.IO.Compression.ZipArchiveMode.Create))
                        {
                            foreach (var file in files) archive.CreateEntry(file);
                        }
                    }
                }

                void Compress(string path, byte[] data)
                {
                    using (var file = {|CKPT201:File.Create(path)|})
                    using (var zip = new System.IO.Compression.GZipStream(file, System.IO.Compression.CompressionLevel.Optimal, false))
                    {
                        zip.Write(data, 0, data.Length);
                    }
                }
            """);
        var after = Program("\nusing CheckpointAudit;", """
                void Pack(string path, string[] files)
                {
                    using (var stream = CheckpointFile.Create(path))
                    {
                        using (var archive = new System.IO.Compression.ZipArchive(stream, System.IO.Compression.ZipArchiveMode.Create, true))
                        {
                            foreach (var file in files) archive.CreateEntry(file);
                        }

                        CheckpointFile.Commit(stream);
                    }
                }

                void Compress(string path, byte[] data)
                {
                    using (var file = CheckpointFile.Create(path))
                    {
                        using (var zip = new System.IO.Compression.GZipStream(file, System.IO.Compression.CompressionLevel.Optimal, true))
                        {
                            zip.Write(data, 0, data.Length);
                        }

                        CheckpointFile.Commit(file);
                    }
                }
            """);
        var test = Verify.CodeFix<NonAtomicOverwriteCheck, WriteAtomicallyCodeFixProvider>(before, after);
        test.NumberOfIncrementalIterations = 2;
        test.NumberOfFixAllIterations = 1;
        await test.RunAsync();
    }

    [Fact]
    public async Task Copies_over_the_target_are_made_beside_it_and_moved()
    {
        var before = Program("", """
                void Restore(string backup, string path) => {|CKPT201:File.Copy(backup, path, overwrite: true)|};

                void Install(FileInfo file, string path)
                {
                    {|CKPT201:file.CopyTo(path, true)|};
                }
            """);
        var after = Program("\nusing CheckpointAudit;", """
                void Restore(string backup, string path) => CheckpointFile.Copy(backup, path, overwrite: true);

                void Install(FileInfo file, string path)
                {
                    CheckpointFile.Copy(file.FullName, path, true);
                }
            """);
        var test = Verify.CodeFix<NonAtomicOverwriteCheck, WriteAtomicallyCodeFixProvider>(before, after);
        test.NumberOfIncrementalIterations = 2;
        test.NumberOfFixAllIterations = 1;
        await test.RunAsync();
    }

    [Fact]
    public async Task No_fix_for_a_copy_whose_result_is_used()
    {
        var source = Program("", """
                long Install(FileInfo file, string path) => {|CKPT201:file.CopyTo(path, true)|}.Length;
            """);
        await Verify.CodeFix<NonAtomicOverwriteCheck, WriteAtomicallyCodeFixProvider>(source, source).RunAsync();
    }

    [Fact]
    public async Task An_xml_writer_created_on_a_path_writes_to_an_atomic_stream_committed_after_it()
    {
        var before = Program("\nusing System.Xml;", """
                void Create(string file)
                {
                    using (var writer = {|CKPT201:XmlWriter.Create(file)|})
                    {
                        writer.WriteStartDocument();
                        writer.WriteStartElement("Settings");
                        writer.WriteEndElement();
                    }
                }

                void Indented(string file, System.Xml.Linq.XDocument document)
                {
                    using (var writer = {|CKPT201:XmlWriter.Create(file, new XmlWriterSettings { Indent = true })|})
                    {
                        document.WriteTo(writer);
                    }
                }
            """);
        var after = Program("\nusing System.Xml;\nusing CheckpointAudit;", """
                void Create(string file)
                {
                    using (var stream = CheckpointFile.Create(file, FileAccess.Write))
                    {
                        using (var writer = XmlWriter.Create(stream))
                        {
                            writer.WriteStartDocument();
                            writer.WriteStartElement("Settings");
                            writer.WriteEndElement();
                        }

                        CheckpointFile.Commit(stream);
                    }
                }

                void Indented(string file, System.Xml.Linq.XDocument document)
                {
                    using (var stream = CheckpointFile.Create(file, FileAccess.Write))
                    {
                        using (var writer = XmlWriter.Create(stream, new XmlWriterSettings { Indent = true }))
                        {
                            document.WriteTo(writer);
                        }

                        CheckpointFile.Commit(stream);
                    }
                }
            """);
        var test = Verify.CodeFix<NonAtomicOverwriteCheck, WriteAtomicallyCodeFixProvider>(before, after);
        test.NumberOfIncrementalIterations = 2;
        test.NumberOfFixAllIterations = 1;
        await test.RunAsync();
    }

    [Fact]
    public async Task No_fix_for_an_xml_writer_whose_settings_may_close_the_stream_or_that_leaves_early()
    {
        var source = Program("\nusing System.Xml;", """
                XmlWriter Kept;

                void Shared(string file, XmlWriterSettings settings)
                {
                    using (var writer = {|CKPT201:XmlWriter.Create(file, settings)|})
                    {
                        writer.WriteStartElement("a");
                    }
                }

                void Closing(string file)
                {
                    using (var writer = {|CKPT201:XmlWriter.Create(file, new XmlWriterSettings { CloseOutput = true })|})
                    {
                        writer.WriteStartElement("a");
                    }
                }

                void Early(string file, bool skip)
                {
                    using (var writer = {|CKPT201:XmlWriter.Create(file)|})
                    {
                        if (skip) return;
                        writer.WriteStartElement("a");
                    }
                }

                void Escapes(string file)
                {
                    using (var writer = {|CKPT201:XmlWriter.Create(file)|})
                    {
                        Kept = writer;
                    }
                }
            """);
        await Verify.CodeFix<NonAtomicOverwriteCheck, WriteAtomicallyCodeFixProvider>(source, source).RunAsync();
    }

    [Fact]
    public async Task Commits_on_close_where_a_task_still_writes_a_writer_hands_out_its_stream_or_a_delegate_takes_it()
    {
        var source = Program("\nusing System;\nusing System.Threading.Tasks;", """
                Func<Stream, Task> Writer = s => Task.CompletedTask;

                Task SaveAsync(string path, object state)
                {
                    using var fs = {|CKPT201:File.Create(path)|};
                    return System.Text.Json.JsonSerializer.SerializeAsync(fs, state);
                }

                void Compressed(string path, byte[] data)
                {
                    using var w = new BinaryWriter({|CKPT201:new FileStream(path, FileMode.Create)|});
                    w.Write(1);
                    using (var gz = new System.IO.Compression.GZipStream(w.BaseStream, System.IO.Compression.CompressionLevel.Optimal))
                    {
                        gz.Write(data, 0, data.Length);
                    }
                }

                void Delegated(string path)
                {
                    using (var s = {|CKPT201:File.Create(path)|})
                    {
                        Writer(s);
                    }
                }

                void KeptOpen(string path, bool keep)
                {
                    using var writer = new StreamWriter({|CKPT201:new FileStream(path, FileMode.Create)|}, Encoding.UTF8, 4096, keep);
                    writer.Write("x");
                }
            """);
        var after = Program("\nusing System;\nusing System.Threading.Tasks;\nusing CheckpointAudit;", """
                Func<Stream, Task> Writer = s => Task.CompletedTask;

                Task SaveAsync(string path, object state)
                {
                    using var fs = {|CKPT201:File.Create(path)|};
                    return System.Text.Json.JsonSerializer.SerializeAsync(fs, state);
                }

                void Compressed(string path, byte[] data)
                {
                    using var w = new BinaryWriter(CheckpointFile.CreateAutoCommit(path));
                    w.Write(1);
                    using (var gz = new System.IO.Compression.GZipStream(w.BaseStream, System.IO.Compression.CompressionLevel.Optimal))
                    {
                        gz.Write(data, 0, data.Length);
                    }
                }

                void Delegated(string path)
                {
                    using (var s = {|CKPT201:File.Create(path)|})
                    {
                        Writer(s);
                    }
                }

                void KeptOpen(string path, bool keep)
                {
                    using var writer = new StreamWriter({|CKPT201:new FileStream(path, FileMode.Create)|}, Encoding.UTF8, 4096, keep);
                    writer.Write("x");
                }
            """);
        var test = Verify.CodeFix<NonAtomicOverwriteCheck, WriteAtomicallyCodeFixProvider>(source, after);
        test.FixedState.MarkupHandling = MarkupMode.Allow; // the writes left without the fix stay reported
        await test.RunAsync();
    }

    [Fact]
    public async Task A_using_whose_body_is_a_return_commits_before_it()
    {
        var before = Program("", """
                bool Save(string path, string text)
                {
                    using (var w = {|CKPT201:new StreamWriter(path)|})
                        return Write(w, text);
                }

                static bool Write(TextWriter w, string text)
                {
                    w.Write(text);
                    return true;
                }
            """);
        var after = Program("\nusing CheckpointAudit;", """
                bool Save(string path, string text)
                {
                    using (var w = CheckpointFile.CreateText(path))
                    {
                        var result = Write(w, text);
                        CheckpointFile.Commit(w);
                        return result;
                    }
                }

                static bool Write(TextWriter w, string text)
                {
                    w.Write(text);
                    return true;
                }
            """);
        await Verify.CodeFix<NonAtomicOverwriteCheck, WriteAtomicallyCodeFixProvider>(before, after).RunAsync();
    }
}
