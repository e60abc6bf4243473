using CheckpointAudit.Atomicity;
using CheckpointAudit.CodeFixes.Atomicity;
using CheckpointAudit.Tests.Infrastructure;
using Microsoft.CodeAnalysis.Testing;
using Xunit;

namespace CheckpointAudit.Tests.Atomicity;

public class UnflushedTempPromotionTests
{
    private static string Wrap(string body, string usings = "") => $$"""
        using System;
        using System.IO;
        using System.Text;
        using System.Threading.Tasks;
        using System.Xml.Linq;{{usings}}

        class Store
        {
        {{body}}
        }
        """;

    private static Task Verify202(string body, string? editorConfig = null) => Verify.AnalyzerAsync<UnflushedTempPromotionCheck>(Wrap(body), editorConfig);

    // ---- Flagged ---------------------------------------------------------------------

    [Theory]
    [InlineData("File.WriteAllText(tmp, text)")]
    [InlineData("File.WriteAllBytes(tmp, Encoding.UTF8.GetBytes(text))")]
    [InlineData("File.WriteAllLines(tmp, new[] { text })")]
    [InlineData("new XDocument(new XElement(\"a\", text)).Save(tmp)")]
    public async Task Flags_write_all_and_xml_save_then_move(string write)
    {
        await Verify202($$"""
                void Save(string path, string text)
                {
                    var tmp = path + ".tmp";
                    {{write}};
                    {|CKPT202:File.Move(tmp, path, true)|};
                }
            """);
    }

    [Fact]
    public async Task Flags_async_write_then_replace_and_FileInfo_move()
    {
        await Verify202("""
                async Task SaveAsync(string path, string text)
                {
                    await File.WriteAllTextAsync(path + ".new", text);
                    {|CKPT202:File.Replace(path + ".new", path, path + ".bak")|};
                }

                void SaveInfo(string path, string text)
                {
                    var temp = new FileInfo(path + ".tmp");
                    File.WriteAllText(temp.FullName, text);
                    {|CKPT202:temp.MoveTo(path, true)|};
                }
            """);
    }

    [Theory]
    [InlineData("new FileStream(tmp, FileMode.Create, FileAccess.Write)")]
    [InlineData("new FileStream(tmp, FileMode.CreateNew)")]
    [InlineData("File.Create(tmp)")]
    [InlineData("File.OpenWrite(tmp)")]
    public async Task Flags_streams_closed_without_flush_to_disk(string open)
    {
        await Verify202($$"""
                void Save(string path, byte[] data)
                {
                    var tmp = path + ".tmp";
                    using (var stream = {{open}})
                    {
                        stream.Write(data, 0, data.Length);
                        stream.Flush();
                    }

                    {|CKPT202:File.Move(tmp, path, overwrite: true)|};
                }
            """);
    }

    [Fact]
    public async Task Message_says_atomic_but_not_durable()
    {
        var test = Verify.AnalyzerTest<UnflushedTempPromotionCheck>(Wrap("""
                    void Save(string path, string text)
                    {
                        {|#1:File.WriteAllText(path + ".tmp", text)|};
                        {|#0:File.Move(path + ".tmp", path, true)|};
                    }
                """));
        test.ExpectedDiagnostics.Add(new DiagnosticResult("CKPT202", Microsoft.CodeAnalysis.DiagnosticSeverity.Warning)
            .WithLocation(0)
            .WithLocation(1)
            .WithMessage("'path + \".tmp\"' is moved over 'path' but was written by File.WriteAllText without a flush to disk: atomic but not durable; after a power loss the target can be empty or zero-filled"));
        await test.RunAsync();
    }

    // ---- Valid: must stay quiet -----------------------------------------------------

    [Fact]
    public async Task Quiet_when_flushed_to_disk_or_written_through()
    {
        await Verify202("""
                void A(string path, byte[] data)
                {
                    var tmp = path + ".tmp";
                    using (var stream = new FileStream(tmp, FileMode.Create))
                    {
                        stream.Write(data);
                        stream.Flush(true);
                    }

                    File.Move(tmp, path, true);
                }

                void B(string path, byte[] data)
                {
                    var tmp = path + ".tmp";
                    using (var stream = File.Create(tmp))
                    {
                        stream.Write(data);
                        stream.Flush(flushToDisk: true);
                    }

                    File.Replace(tmp, path, null);
                }

                void C(string path, byte[] data)
                {
                    var tmp = path + ".tmp";
                    using (var stream = new FileStream(tmp, FileMode.Create, FileAccess.Write, FileShare.None, 4096, FileOptions.WriteThrough))
                    {
                        stream.Write(data);
                    }

                    File.Move(tmp, path, true);
                }

                void D(string path, string text)
                {
                    var tmp = path + ".tmp";
                    using (var stream = new FileStream(tmp, new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Options = FileOptions.WriteThrough | FileOptions.SequentialScan }))
                    using (var writer = new StreamWriter(stream))
                    {
                        writer.Write(text);
                    }

                    File.Move(tmp, path, true);
                }

                void E(string path, string text)
                {
                    var tmp = path + ".tmp";
                    using (var writer = new StreamWriter(tmp))
                    {
                        writer.Write(text);
                        writer.Flush();
                        ((FileStream)writer.BaseStream).Flush(true);
                    }

                    File.Move(tmp, path, true);
                }
            """);
    }

    [Fact]
    public async Task Quiet_when_the_moved_file_is_not_written_here()
    {
        await Verify202("""
                void Rotate(string path, string archive, string text)
                {
                    File.Move(path, archive, true);
                    File.WriteAllText(path + ".other", text);
                    File.Move(path + ".later", path, true);
                    File.WriteAllText(path + ".later", text);
                }

                void Copy(string path, string text)
                {
                    File.WriteAllText(path + ".tmp", text);
                    File.Copy(path + ".tmp", path, true);
                }
            """);
    }

    [Fact]
    public async Task Members_of_different_locals_are_different_files()
    {
        await Verify202("""
                sealed class Frame { public string Path { get; set; } = ""; }

                void Insert(Frame[] frames, string folder, byte[] png)
                {
                    foreach (var frame in frames)
                    {
                        File.WriteAllBytes(frame.Path, png);
                    }

                    foreach (var frame in frames)
                    {
                        File.Move(frame.Path, System.IO.Path.Combine(folder, "moved.png"));
                    }
                }
            """);
    }

    [Fact]
    public async Task Quiet_in_configured_atomic_write_helpers()
    {
        await Verify202("""
                void SafeSave(string path, string text)
                {
                    File.WriteAllText(path + ".tmp", text);
                    File.Move(path + ".tmp", path, true);
                }
            """, "checkpoint_audit.atomic_write_methods = SafeSave\n");
    }

    // ---- Fix -------------------------------------------------------------------------

    [Fact]
    public async Task Fix_writes_the_temp_with_CheckpointFile()
    {
        await Verify.CodeFix<UnflushedTempPromotionCheck, FlushTempCodeFixProvider>(
            Wrap("""
                    void Save(string path, string text)
                    {
                        var tmp = path + ".tmp";
                        File.WriteAllText(tmp, text, Encoding.UTF8);
                        {|CKPT202:File.Move(tmp, path, true)|};
                    }
                """),
            Wrap("""
                    void Save(string path, string text)
                    {
                        var tmp = path + ".tmp";
                        CheckpointFile.WriteAllText(tmp, text, Encoding.UTF8);
                        File.Move(tmp, path, true);
                    }
                """, "\nusing CheckpointAudit;")).RunAsync();
    }

    [Fact]
    public async Task Fix_flushes_a_stream_at_the_end_of_its_using_block()
    {
        await Verify.CodeFix<UnflushedTempPromotionCheck, FlushTempCodeFixProvider>(
            Wrap("""
                    void Save(string path, byte[] data)
                    {
                        var tmp = path + ".tmp";
                        using (var stream = new FileStream(tmp, FileMode.Create))
                        {
                            stream.Write(data, 0, data.Length);
                        }

                        {|CKPT202:File.Move(tmp, path, true)|};
                    }
                """),
            Wrap("""
                    void Save(string path, byte[] data)
                    {
                        var tmp = path + ".tmp";
                        using (var stream = new FileStream(tmp, FileMode.Create))
                        {
                            stream.Write(data, 0, data.Length);
                            stream.Flush(flushToDisk: true);
                        }

                        File.Move(tmp, path, true);
                    }
                """)).RunAsync();
    }

    [Fact]
    public async Task Fix_flushes_a_writer_declared_with_using_before_the_move()
    {
        await Verify.CodeFix<UnflushedTempPromotionCheck, FlushTempCodeFixProvider>(
            Wrap("""
                    void Save(string path, string text)
                    {
                        var tmp = path + ".tmp";
                        using var writer = new StreamWriter(tmp);
                        writer.Write(text);
                        {|CKPT202:File.Move(tmp, path, true)|};
                    }
                """),
            Wrap("""
                    void Save(string path, string text)
                    {
                        var tmp = path + ".tmp";
                        using var writer = new StreamWriter(tmp);
                        writer.Write(text);
                        writer.Flush();
                        ((FileStream)writer.BaseStream).Flush(flushToDisk: true);
                        File.Move(tmp, path, true);
                    }
                """)).RunAsync();
    }

    [Fact]
    public async Task No_fix_for_xml_saves_or_without_the_helper()
    {
        var xml = Wrap("""
                void Save(string path)
                {
                    new XDocument().Save(path + ".tmp");
                    {|CKPT202:File.Move(path + ".tmp", path, true)|};
                }
            """);
        await Verify.CodeFix<UnflushedTempPromotionCheck, FlushTempCodeFixProvider>(xml, xml).RunAsync();

        var text = Wrap("""
                void Save(string path, string text)
                {
                    File.WriteAllText(path + ".tmp", text);
                    {|CKPT202:File.Move(path + ".tmp", path, true)|};
                }
            """);
        await Verify.CodeFix<UnflushedTempPromotionCheck, FlushTempCodeFixProvider>(text, text, withHelper: false).RunAsync();
    }

    [Fact]
    public async Task Fix_all_in_document()
    {
        var test = Verify.CodeFix<UnflushedTempPromotionCheck, FlushTempCodeFixProvider>(
            Wrap("""
                    void A(string path, string text)
                    {
                        File.WriteAllText(path + ".tmp", text);
                        {|CKPT202:File.Move(path + ".tmp", path, true)|};
                    }

                    void B(string path, byte[] data)
                    {
                        using (var stream = File.Create(path + ".tmp"))
                        {
                            stream.Write(data, 0, data.Length);
                        }

                        {|CKPT202:File.Move(path + ".tmp", path, true)|};
                    }
                """),
            Wrap("""
                    void A(string path, string text)
                    {
                        CheckpointFile.WriteAllText(path + ".tmp", text);
                        File.Move(path + ".tmp", path, true);
                    }

                    void B(string path, byte[] data)
                    {
                        using (var stream = File.Create(path + ".tmp"))
                        {
                            stream.Write(data, 0, data.Length);
                            stream.Flush(flushToDisk: true);
                        }

                        File.Move(path + ".tmp", path, true);
                    }
                """, "\nusing CheckpointAudit;"));
        test.NumberOfIncrementalIterations = 2;
        test.NumberOfFixAllIterations = 1;
        await test.RunAsync();
    }
}
