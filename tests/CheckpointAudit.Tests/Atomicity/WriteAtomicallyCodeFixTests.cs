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

    [Fact]
    public async Task No_fix_for_streams_or_copies()
    {
        var source = Program("", """
                void Save(string path, string other)
                {
                    using (var s = {|CKPT201:new FileStream(path, FileMode.Create)|}) { s.WriteByte(1); }
                    using (var w = {|CKPT201:new StreamWriter(path)|}) { w.Write("x"); }
                    {|CKPT201:File.Copy(other, path, true)|};
                }
            """);
        var test = Verify.CodeFix<NonAtomicOverwriteCheck, WriteAtomicallyCodeFixProvider>(source, source);
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
