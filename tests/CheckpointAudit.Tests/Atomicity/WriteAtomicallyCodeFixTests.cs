using CheckpointAudit.Atomicity;
using CheckpointAudit.CodeFixes.Atomicity;
using CheckpointAudit.Tests.Infrastructure;
using Microsoft.CodeAnalysis.Testing;
using Xunit;

namespace CheckpointAudit.Tests.Atomicity;

public class WriteAtomicallyCodeFixTests
{
    private static string Program(string usings, string body) => $$"""
        using System.IO;
        using System.Text;
        using System.Threading;
        using System.Threading.Tasks;{{usings}}

        class Store
        {
        {{body}}
        }
        """;

    [Theory]
    [InlineData("File.WriteAllText(path, text)", "CheckpointFile.WriteAllText(path, text)")]
    [InlineData("File.WriteAllText(path, text, Encoding.UTF8)", "CheckpointFile.WriteAllText(path, text, Encoding.UTF8)")]
    [InlineData("File.WriteAllBytes(path, bytes)", "CheckpointFile.WriteAllBytes(path, bytes)")]
    [InlineData("File.WriteAllLines(path, lines)", "CheckpointFile.WriteAllLines(path, lines)")]
    [InlineData("File.WriteAllLines(path, (System.Collections.Generic.IEnumerable<string>)lines, Encoding.Latin1)", "CheckpointFile.WriteAllLines(path, (System.Collections.Generic.IEnumerable<string>)lines, Encoding.Latin1)")]
    [InlineData("System.IO.File.WriteAllText(path, /* keep */ text)", "CheckpointFile.WriteAllText(path, /* keep */ text)")]
    public async Task Rewrites_sync_calls_keeping_arguments(string before, string after)
    {
        var body = """
                void Save(string path, string text, byte[] bytes, string[] lines)
                {
                    CALL;
                }
            """;
        await Verify.CodeFix<NonAtomicOverwriteCheck, WriteAtomicallyCodeFixProvider>(
            Program("", body.Replace("CALL", "{|CKPT201:" + before + "|}")),
            Program("\nusing CheckpointAudit;", body.Replace("CALL", after))).RunAsync();
    }

    [Theory]
    [InlineData("File.WriteAllTextAsync(path, text, token)", "CheckpointFile.WriteAllTextAsync(path, text, token)")]
    [InlineData("File.WriteAllTextAsync(path, text, Encoding.UTF8, token)", "CheckpointFile.WriteAllTextAsync(path, text, Encoding.UTF8, token)")]
    [InlineData("File.WriteAllBytesAsync(path, bytes)", "CheckpointFile.WriteAllBytesAsync(path, bytes)")]
    [InlineData("File.WriteAllLinesAsync(path, lines, cancellationToken: token)", "CheckpointFile.WriteAllLinesAsync(path, lines, cancellationToken: token)")]
    public async Task Rewrites_async_calls_keeping_arguments(string before, string after)
    {
        var body = """
                async Task SaveAsync(string path, string text, byte[] bytes, string[] lines, CancellationToken token)
                {
                    await CALL.ConfigureAwait(false);
                }
            """;
        await Verify.CodeFix<NonAtomicOverwriteCheck, WriteAtomicallyCodeFixProvider>(
            Program("", body.Replace("CALL", "{|CKPT201:" + before + "|}")),
            Program("\nusing CheckpointAudit;", body.Replace("CALL", after))).RunAsync();
    }

    [Fact]
    public async Task Rewrites_using_static_calls()
    {
        await Verify.CodeFix<NonAtomicOverwriteCheck, WriteAtomicallyCodeFixProvider>(
            "using static System.IO.File;\nclass C { void M(string p) => {|CKPT201:WriteAllText(p, \"x\")|}; }\n",
            "using CheckpointAudit;\nusing static System.IO.File;\nclass C { void M(string p) => CheckpointFile.WriteAllText(p, \"x\"); }\n").RunAsync();
    }

    [Fact]
    public async Task Keeps_existing_using_and_namespace()
    {
        await Verify.CodeFix<NonAtomicOverwriteCheck, WriteAtomicallyCodeFixProvider>(
            "using System.IO;\nnamespace CheckpointAudit.App;\nclass C { void M(string p) => {|CKPT201:File.WriteAllText(p, \"x\")|}; }\n",
            "using System.IO;\nnamespace CheckpointAudit.App;\nclass C { void M(string p) => CheckpointFile.WriteAllText(p, \"x\"); }\n").RunAsync();
    }

    [Theory]
    [InlineData("new FileStream(path, FileMode.Create)", "CheckpointFile.Create(path)")]
    [InlineData("new FileStream(path, FileMode.Create, FileAccess.Write)", "CheckpointFile.Create(path, FileAccess.Write)")]
    [InlineData("new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read)", "CheckpointFile.Create(path, FileAccess.Write)")]
    [InlineData("new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 65536)", "CheckpointFile.Create(path, FileAccess.Write, 65536, FileOptions.None)")]
    [InlineData("new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 4096, true)", "CheckpointFile.Create(path, FileAccess.Write, 4096, FileOptions.Asynchronous)")]
    [InlineData("new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 4096, FileOptions.SequentialScan)", "CheckpointFile.Create(path, FileAccess.Write, 4096, FileOptions.SequentialScan)")]
    [InlineData("File.Create(path)", "CheckpointFile.Create(path)")]
    [InlineData("File.Create(path, 8192)", "CheckpointFile.Create(path, 8192)")]
    public async Task Opens_a_stream_in_a_using_through_the_helper_and_commits_at_its_end(string beforeOpen, string afterOpen)
    {
        var before = """
                void Save(string path, byte[] bytes)
                {
                    using (var stream = OPEN)
                    {
                        stream.Write(bytes, 0, bytes.Length);
                    }
                }
            """;
        var after = """
                void Save(string path, byte[] bytes)
                {
                    using (var stream = OPEN)
                    {
                        stream.Write(bytes, 0, bytes.Length);
                        CheckpointFile.Commit(stream);
                    }
                }
            """;
        await Verify.CodeFix<NonAtomicOverwriteCheck, WriteAtomicallyCodeFixProvider>(
            Program("", before.Replace("OPEN", "{|CKPT201:" + beforeOpen + "|}")),
            Program("\nusing CheckpointAudit;", after.Replace("OPEN", afterOpen))).RunAsync();
    }

    [Theory]
    [InlineData("new StreamWriter(path)", "CheckpointFile.CreateText(path)")]
    [InlineData("new StreamWriter(path, false)", "CheckpointFile.CreateText(path)")]
    [InlineData("new StreamWriter(path, false, Encoding.Unicode)", "CheckpointFile.CreateText(path, Encoding.Unicode)")]
    [InlineData("new StreamWriter(path, false, Encoding.UTF8, 1 << 16)", "CheckpointFile.CreateText(path, Encoding.UTF8, 1 << 16)")]
    [InlineData("File.CreateText(path)", "CheckpointFile.CreateText(path)")]
    public async Task Opens_a_writer_declared_with_using_through_the_helper_and_commits_before_the_final_return(string before, string after)
    {
        var body = """
                int Save(string path, string text)
                {
                    using var writer = OPEN;
                    writer.Write(text);
                    COMMITreturn text.Length;
                }
            """;
        await Verify.CodeFix<NonAtomicOverwriteCheck, WriteAtomicallyCodeFixProvider>(
            Program("", body.Replace("OPEN", "{|CKPT201:" + before + "|}").Replace("COMMIT", string.Empty)),
            Program("\nusing CheckpointAudit;", body.Replace("OPEN", after).Replace("COMMIT", "CheckpointFile.Commit(writer);\n        "))).RunAsync();
    }

    [Fact]
    public async Task Commits_the_writer_of_a_using_chain_so_its_text_is_flushed_first()
    {
        var before = Program("", """
                void Save(string path, string text)
                {
                    using (var stream = {|CKPT201:new FileStream(path, FileMode.Create, FileAccess.Write)|})
                    using (var writer = new StreamWriter(stream, Encoding.UTF8))
                    {
                        writer.Write(text);
                    }
                }
            """);
        var after = Program("\nusing CheckpointAudit;", """
                void Save(string path, string text)
                {
                    using (var stream = CheckpointFile.Create(path, FileAccess.Write))
                    using (var writer = new StreamWriter(stream, Encoding.UTF8))
                    {
                        writer.Write(text);
                        CheckpointFile.Commit(writer);
                    }
                }
            """);
        await Verify.CodeFix<NonAtomicOverwriteCheck, WriteAtomicallyCodeFixProvider>(before, after).RunAsync();
    }

    [Fact]
    public async Task Commits_in_a_body_of_one_statement_and_before_a_final_close()
    {
        var before = Program("", """
                void Save(string path, byte[] bytes)
                {
                    using (var s = {|CKPT201:File.Create(path)|})
                        s.Write(bytes, 0, bytes.Length);

                    using (var stream = {|CKPT201:new FileStream(path, FileMode.Create)|})
                    {
                        stream.Write(bytes, 0, bytes.Length);
                        stream.Close();
                    }
                }
            """);
        var after = Program("\nusing CheckpointAudit;", """
                void Save(string path, byte[] bytes)
                {
                    using (var s = CheckpointFile.Create(path))
                    {
                        s.Write(bytes, 0, bytes.Length);
                        CheckpointFile.Commit(s);
                    }

                    using (var stream = CheckpointFile.Create(path))
                    {
                        stream.Write(bytes, 0, bytes.Length);
                        CheckpointFile.Commit(stream);
                        stream.Close();
                    }
                }
            """);
        var test = Verify.CodeFix<NonAtomicOverwriteCheck, WriteAtomicallyCodeFixProvider>(before, after);
        test.NumberOfIncrementalIterations = 2;
        test.NumberOfFixAllIterations = 1;
        await test.RunAsync();
    }

    [Fact]
    public async Task Keeps_a_computed_return_value_in_a_local_and_commits_before_returning_it()
    {
        var before = Program("", """
                int Save(string path, byte[] bytes)
                {
                    using var s = {|CKPT201:File.Create(path)|};
                    s.WriteByte(1);
                    return WriteRest(s, bytes);
                }

                bool Convert(string path, byte[] bytes)
                {
                    using (var output = {|CKPT201:new FileStream(path, FileMode.Create)|})
                    {
                        return WriteRest(output, bytes) > 0;
                    }
                }

                // The other stream of the chain is only read: it has no plan of its own.
                bool Convert(string inputPath, string path)
                {
                    using (var input = new FileStream(inputPath, FileMode.Open))
                    using (var output = {|CKPT201:new FileStream(path, FileMode.Create)|})
                    {
                        return CopyAll(input, output);
                    }
                }

                static bool CopyAll(Stream from, Stream to)
                {
                    from.CopyTo(to);
                    return true;
                }

                static int WriteRest(Stream s, byte[] bytes)
                {
                    s.Write(bytes, 0, bytes.Length);
                    return bytes.Length;
                }
            """);
        var after = Program("\nusing CheckpointAudit;", """
                int Save(string path, byte[] bytes)
                {
                    using var s = CheckpointFile.Create(path);
                    s.WriteByte(1);
                    var result = WriteRest(s, bytes);
                    CheckpointFile.Commit(s);
                    return result;
                }

                bool Convert(string path, byte[] bytes)
                {
                    using (var output = CheckpointFile.Create(path))
                    {
                        var result = WriteRest(output, bytes) > 0;
                        CheckpointFile.Commit(output);
                        return result;
                    }
                }

                // The other stream of the chain is only read: it has no plan of its own.
                bool Convert(string inputPath, string path)
                {
                    using (var input = new FileStream(inputPath, FileMode.Open))
                    using (var output = CheckpointFile.Create(path))
                    {
                        var result = CopyAll(input, output);
                        CheckpointFile.Commit(output);
                        return result;
                    }
                }

                static bool CopyAll(Stream from, Stream to)
                {
                    from.CopyTo(to);
                    return true;
                }

                static int WriteRest(Stream s, byte[] bytes)
                {
                    s.Write(bytes, 0, bytes.Length);
                    return bytes.Length;
                }
            """);
        var test = Verify.CodeFix<NonAtomicOverwriteCheck, WriteAtomicallyCodeFixProvider>(before, after);
        test.NumberOfIncrementalIterations = 3;
        test.NumberOfFixAllIterations = 1;
        await test.RunAsync();
    }

    [Fact]
    public async Task Commits_on_close_where_a_final_return_may_not_run_its_write_but_not_where_it_names_the_stream()
    {
        var source = Program("", """
                string Name(string path)
                {
                    using var s = {|CKPT201:File.Create(path)|};
                    s.WriteByte(1);
                    return s.Name;
                }

                bool Maybe(string path, bool skip)
                {
                    using var s = {|CKPT201:File.Create(path)|};
                    return skip || Write(s);
                }

                static bool Write(Stream s)
                {
                    s.WriteByte(1);
                    return true;
                }
            """);
        var after = Program("\nusing CheckpointAudit;", """
                string Name(string path)
                {
                    using var s = {|CKPT201:File.Create(path)|};
                    s.WriteByte(1);
                    return s.Name;
                }

                bool Maybe(string path, bool skip)
                {
                    using var s = CheckpointFile.CreateAutoCommit(path);
                    return skip || Write(s);
                }

                static bool Write(Stream s)
                {
                    s.WriteByte(1);
                    return true;
                }
            """);
        var test = Verify.CodeFix<NonAtomicOverwriteCheck, WriteAtomicallyCodeFixProvider>(source, after);
        test.FixedState.MarkupHandling = MarkupMode.Allow; // the writes left without the fix stay reported
        await test.RunAsync();
    }

    [Fact]
    public async Task Commits_a_binary_writer_and_fills_an_empty_body()
    {
        var before = Program("", """
                void Save(string path, int value)
                {
                    using (var stream = {|CKPT201:new FileStream(path, FileMode.Create)|})
                    using (var writer = new BinaryWriter(stream))
                    {
                        writer.Write(value);
                    }

                }

                void Empty(string path)
                {
                    using (var file = {|CKPT201:new FileStream(path, FileMode.Create)|})
                    using (var empty = new StreamWriter(file, Encoding.UTF8))
                    {
                    }
                }
            """);
        var after = Program("\nusing CheckpointAudit;", """
                void Save(string path, int value)
                {
                    using (var stream = CheckpointFile.Create(path))
                    using (var writer = new BinaryWriter(stream))
                    {
                        writer.Write(value);
                        CheckpointFile.Commit(writer);
                    }

                }

                void Empty(string path)
                {
                    using (var file = CheckpointFile.Create(path))
                    using (var empty = new StreamWriter(file, Encoding.UTF8))
                    {
                        CheckpointFile.Commit(empty);
                    }
                }
            """);
        var test = Verify.CodeFix<NonAtomicOverwriteCheck, WriteAtomicallyCodeFixProvider>(before, after);
        test.NumberOfIncrementalIterations = 2;
        test.NumberOfFixAllIterations = 1;
        await test.RunAsync();
    }

    [Fact]
    public async Task Commits_on_close_where_the_end_of_the_scope_is_not_the_end_of_the_write_unless_the_path_is_used_in_it()
    {
        var source = Program("", """
                Stream Kept;

                void Save(string path, string other, bool skip)
                {
                    using (var s = {|CKPT201:new FileStream(path, FileMode.Create)|})
                    {
                        if (skip) return;
                        s.WriteByte(1);
                    }

                    using (var s = {|CKPT201:new FileStream(path, FileMode.Create)|})
                    {
                        s.WriteByte(1);
                        s.Close();
                        Kept = null;
                    }

                    using (var s = {|CKPT201:new FileStream(path, FileMode.Create)|})
                    {
                        using var zip = new System.IO.Compression.GZipStream(s, System.IO.Compression.CompressionLevel.Fastest);
                        zip.WriteByte(1);
                    }

                    using (var s = {|CKPT201:new FileStream(path, FileMode.Create)|})
                    {
                        Kept = s;
                    }

                    var loose = {|CKPT201:new StreamWriter(path)|};
                    loose.Write("x");
                    loose.Dispose();
                }

                void Hands(string path)
                {
                    using (var s = {|CKPT201:new FileStream(path, FileMode.Create)|})
                    {
                        s.WriteByte(1);
                        Copy(s);
                    }
                }

                void UploadsBeforeTheEnd(string path)
                {
                    using (var s = {|CKPT201:File.Create(path)|})
                    {
                        s.WriteByte(1);
                        s.Flush();
                        Upload(path);
                    }
                }

                static void Copy(Stream s)
                {
                    s.WriteByte(1);
                    s.Dispose();
                }

                static void Upload(string path) { }
            """);
        var after = Program("\nusing CheckpointAudit;", """
                Stream Kept;

                void Save(string path, string other, bool skip)
                {
                    using (var s = CheckpointFile.CreateAutoCommit(path))
                    {
                        if (skip) return;
                        s.WriteByte(1);
                    }

                    using (var s = CheckpointFile.CreateAutoCommit(path))
                    {
                        s.WriteByte(1);
                        s.Close();
                        Kept = null;
                    }

                    using (var s = CheckpointFile.CreateAutoCommit(path))
                    {
                        using var zip = new System.IO.Compression.GZipStream(s, System.IO.Compression.CompressionLevel.Fastest);
                        zip.WriteByte(1);
                    }

                    using (var s = CheckpointFile.CreateAutoCommit(path))
                    {
                        Kept = s;
                    }

                    var loose = {|CKPT201:new StreamWriter(path)|};
                    loose.Write("x");
                    loose.Dispose();
                }

                void Hands(string path)
                {
                    using (var s = CheckpointFile.CreateAutoCommit(path))
                    {
                        s.WriteByte(1);
                        Copy(s);
                    }
                }

                void UploadsBeforeTheEnd(string path)
                {
                    using (var s = {|CKPT201:File.Create(path)|})
                    {
                        s.WriteByte(1);
                        s.Flush();
                        Upload(path);
                    }
                }

                static void Copy(Stream s)
                {
                    s.WriteByte(1);
                    s.Dispose();
                }

                static void Upload(string path) { }
            """);
        var test = Verify.CodeFix<NonAtomicOverwriteCheck, WriteAtomicallyCodeFixProvider>(source, after);
        test.FixedState.MarkupHandling = MarkupMode.Allow; // the writes left without the fix stay reported
        await test.RunAsync();
    }

    [Theory]
    [InlineData("System.Xml.Linq.XDocument", "")]
    [InlineData("System.Xml.Linq.XDocument", ", System.Xml.Linq.SaveOptions.DisableFormatting")]
    [InlineData("System.Xml.Linq.XElement", "")]
    public async Task Saves_an_xml_document_to_an_atomic_stream(string type, string options)
    {
        var before = Program("", $$"""
                void Save({{type}} document, string path)
                {
                    // keep
                    {|CKPT201:document.Save(path{{options}})|};
                    var stream = 1;
                }
            """);
        var after = Program("\nusing CheckpointAudit;", $$"""
                void Save({{type}} document, string path)
                {
                    // keep
                    using (var stream2 = CheckpointFile.Create(path, FileAccess.Write))
                    {
                        document.Save(stream2{{options}});
                        CheckpointFile.Commit(stream2);
                    }
                    var stream = 1;
                }
            """);
        await Verify.CodeFix<NonAtomicOverwriteCheck, WriteAtomicallyCodeFixProvider>(before, after).RunAsync();
    }

    [Theory]
    [InlineData("document", "System.Xml.XmlDocument document", "")]
    [InlineData("this.held", "string unused", "    System.Xml.XmlDocument held = new();\n")]
    public async Task Saves_an_xml_dom_document_to_an_atomic_stream_keeping_its_root_check(string receiver, string parameter, string field)
    {
        var before = Program("\nusing System.Xml;", $$"""
            {{field}}
                void Save({{parameter}}, string path)
                {
                    {|CKPT201:{{receiver}}.Save(path)|};
                }

                void SaveIf(bool dirty, {{parameter}}, string path)
                {
                    if (dirty)
                        {|CKPT201:{{receiver}}.Save(path)|};
                }
            """);
        var after = Program("\nusing System.Xml;\nusing CheckpointAudit;", $$"""
            {{field}}
                void Save({{parameter}}, string path)
                {
                    if ({{receiver}}.DocumentElement == null)
                        throw new XmlException("Invalid XML document. The document does not have a root element.");
                    using (var stream = CheckpointFile.Create(path, FileAccess.Write))
                    {
                        {{receiver}}.Save(stream);
                        CheckpointFile.Commit(stream);
                    }
                }

                void SaveIf(bool dirty, {{parameter}}, string path)
                {
                    if (dirty)
                    {
                        if ({{receiver}}.DocumentElement == null)
                            throw new XmlException("Invalid XML document. The document does not have a root element.");
                        using (var stream = CheckpointFile.Create(path, FileAccess.Write))
                        {
                            {{receiver}}.Save(stream);
                            CheckpointFile.Commit(stream);
                        }
                    }
                }
            """);
        var test = Verify.CodeFix<NonAtomicOverwriteCheck, WriteAtomicallyCodeFixProvider>(before, after);
        test.NumberOfIncrementalIterations = 2;
        test.NumberOfFixAllIterations = 1;
        await test.RunAsync();
    }

    [Fact]
    public async Task Leaves_an_xml_dom_document_it_would_have_to_evaluate_twice()
    {
        var source = Program("\nusing System.Xml;", """
                System.Xml.XmlDocument Current { get; } = new();

                void Save(string path)
                {
                    {|CKPT201:Current.Save(path)|};
                }

                // Its own Save(Stream) would run where Save(path) did not.
                sealed class Journal : System.Xml.XmlDocument
                {
                    public override void Save(Stream outStream) { }
                }

                void SaveJournal(Journal journal, string path)
                {
                    {|CKPT201:journal.Save(path)|};
                }
            """);
        await Verify.CodeFix<NonAtomicOverwriteCheck, WriteAtomicallyCodeFixProvider>(source, source).RunAsync();
    }

    [Fact]
    public async Task Fixes_streams_and_calls_one_by_one_and_all_in_document()
    {
        var before = Program("", """
                void A(string p) => {|CKPT201:File.WriteAllText(p, "a")|};

                void B(string p)
                {
                    using (var s = {|CKPT201:File.Create(p)|})
                    {
                        s.WriteByte(1);
                    }
                }

                void C(string p)
                {
                    using var w = {|CKPT201:new StreamWriter(p)|};
                    w.Write("c");
                }
            """);
        var after = Program("\nusing CheckpointAudit;", """
                void A(string p) => CheckpointFile.WriteAllText(p, "a");

                void B(string p)
                {
                    using (var s = CheckpointFile.Create(p))
                    {
                        s.WriteByte(1);
                        CheckpointFile.Commit(s);
                    }
                }

                void C(string p)
                {
                    using var w = CheckpointFile.CreateText(p);
                    w.Write("c");
                    CheckpointFile.Commit(w);
                }
            """);
        var test = Verify.CodeFix<NonAtomicOverwriteCheck, WriteAtomicallyCodeFixProvider>(before, after);
        test.NumberOfIncrementalIterations = 3;
        test.NumberOfFixAllIterations = 1;
        await test.RunAsync();
    }

    [Fact]
    public async Task No_fix_when_helper_is_not_emitted()
    {
        var source = Program("", """
                void Save(string path) => {|CKPT201:File.WriteAllText(path, "x")|};
            """);
        await Verify.CodeFix<NonAtomicOverwriteCheck, WriteAtomicallyCodeFixProvider>(source, source, withHelper: false).RunAsync();
    }

    [Fact]
    public async Task Fixes_one_by_one_and_all_in_document()
    {
        var before = Program("", """
                void A(string p) => {|CKPT201:File.WriteAllText(p, "a")|};
                void B(string p) => {|CKPT201:File.WriteAllBytes(p, new byte[1])|};
                Task C(string p) => {|CKPT201:File.WriteAllLinesAsync(p, new[] { "c" })|};
            """);
        var after = Program("\nusing CheckpointAudit;", """
                void A(string p) => CheckpointFile.WriteAllText(p, "a");
                void B(string p) => CheckpointFile.WriteAllBytes(p, new byte[1]);
                Task C(string p) => CheckpointFile.WriteAllLinesAsync(p, new[] { "c" });
            """);
        var test = Verify.CodeFix<NonAtomicOverwriteCheck, WriteAtomicallyCodeFixProvider>(before, after);
        // One-by-one application (three iterations) and Fix All in document (one) must agree.
        test.NumberOfIncrementalIterations = 3;
        test.NumberOfFixAllIterations = 1;
        await test.RunAsync();
    }

    [Fact]
    public async Task Fix_all_in_project_and_solution()
    {
        var first = "using System.IO;\nclass A { void M(string p) => {|CKPT201:File.WriteAllText(p, \"a\")|}; }\n";
        var second = "using System.IO;\nclass B { void M(string p) => {|CKPT201:File.WriteAllText(p, \"b\")|}; }\n";
        var test = Verify.CodeFix<NonAtomicOverwriteCheck, WriteAtomicallyCodeFixProvider>(first, "using System.IO;\nusing CheckpointAudit;\nclass A { void M(string p) => CheckpointFile.WriteAllText(p, \"a\"); }\n");
        test.TestState.Sources.Add(second);
        test.FixedState.Sources.Add("using System.IO;\nusing CheckpointAudit;\nclass B { void M(string p) => CheckpointFile.WriteAllText(p, \"b\"); }\n");
        test.CodeFixTestBehaviors = CodeFixTestBehaviors.SkipFixAllInDocumentCheck;
        test.NumberOfFixAllInProjectIterations = 1;
        test.NumberOfFixAllIterations = 1;
        await test.RunAsync();
    }
}
