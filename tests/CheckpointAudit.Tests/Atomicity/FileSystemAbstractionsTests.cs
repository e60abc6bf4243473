using CheckpointAudit.Atomicity;
using CheckpointAudit.CodeFixes.Atomicity;
using CheckpointAudit.Orphans;
using CheckpointAudit.Tests.Infrastructure;
using Microsoft.CodeAnalysis.Testing;
using Xunit;

namespace CheckpointAudit.Tests.Atomicity;

/// <summary>
/// Code written against System.IO.Abstractions (IFileSystem.File.*, FileInfo.New, FileStream.New) is
/// judged like System.IO code; fixes that would write System.IO calls are not offered there.
/// </summary>
public class FileSystemAbstractionsTests
{
    // The library's shapes, declared in source: the analyzers match these interfaces by name.
    private const string Abstractions = """
        namespace System.IO.Abstractions
        {
            public interface IFileSystem
            {
                IFile File { get; }
                IFileInfoFactory FileInfo { get; }
                IFileStreamFactory FileStream { get; }
                IPath Path { get; }
            }

            public interface IFile
            {
                void WriteAllText(string path, string? contents);
                void Move(string sourceFileName, string destFileName, bool overwrite);
                void Delete(string path);
                System.IO.Stream OpenWrite(string path);
            }

            public interface IFileInfoFactory { IFileInfo New(string fileName); }

            public interface IFileInfo
            {
                string FullName { get; }
                void MoveTo(string destFileName, bool overwrite);
            }

            public interface IFileStreamFactory { System.IO.Stream New(string path, System.IO.FileMode mode); }

            public interface IPath { string GetTempFileName(); }
        }
        """;

    private static string Wrap(string body) => $$"""
        using System;
        using System.IO;
        using System.IO.Abstractions;
        using System.Threading.Tasks;

        class Store(IFileSystem fs)
        {
        {{body}}
        }
        """;

    private static Task VerifyAsync<TAnalyzer>(string body)
        where TAnalyzer : CheckpointAudit.Checks.RuleCheck, new()
        => Verify.AnalyzerAsync<TAnalyzer>(Wrap(body), null, Abstractions);

    private static Task FixAsync<TAnalyzer, TCodeFix>(string source, string fixedSource)
        where TAnalyzer : CheckpointAudit.Checks.RuleCheck, new()
        where TCodeFix : Microsoft.CodeAnalysis.CodeFixes.CodeFixProvider, new()
    {
        var test = Verify.CodeFix<TAnalyzer, TCodeFix>(source, fixedSource);
        test.TestState.Sources.Add(Abstractions);
        test.FixedState.Sources.Add(Abstractions);
        test.FixedState.MarkupHandling = MarkupMode.Allow;
        return test.RunAsync();
    }

    [Fact]
    public async Task In_place_overwrite_through_IFile_is_flagged_without_a_fix()
    {
        var source = Wrap("""
                void Save(string path, string json) => {|CKPT201:fs.File.WriteAllText(path, json)|};
            """);
        await FixAsync<NonAtomicOverwriteCheck, WriteAtomicallyCodeFixProvider>(source, source);
    }

    [Fact]
    public async Task Unflushed_temp_through_IFile_and_the_stream_factory_is_flagged()
    {
        await VerifyAsync<UnflushedTempPromotionCheck>("""
                void Save(string path, string json)
                {
                    var tmp = path + ".tmp";
                    fs.File.WriteAllText(tmp, json);
                    {|CKPT202:fs.File.Move(tmp, path, true)|};
                }

                void SaveStream(string path, byte[] data)
                {
                    var tmp = fs.FileInfo.New(path + ".tmp");
                    using (var stream = fs.FileStream.New(tmp.FullName, FileMode.Create))
                    {
                        stream.Write(data);
                    }

                    {|CKPT202:tmp.MoveTo(path, true)|};
                }
            """);
    }

    [Fact]
    public async Task Two_step_replacement_stale_tail_and_missing_cleanup_through_IFile_are_flagged()
    {
        await VerifyAsync<UnsafeReplacementCheck>("""
                void Save(string path, string json)
                {
                    var tmp = path + ".tmp";
                    fs.File.WriteAllText(tmp, json);
                    fs.File.Delete(path);
                    {|CKPT204:fs.File.Move(tmp, path, false)|};
                }
            """);
        await VerifyAsync<StaleTailWriteCheck>("""
                void Save(string path, byte[] data)
                {
                    using var stream = {|CKPT205:fs.File.OpenWrite(path)|};
                    stream.Write(data);
                }
            """);
        await VerifyAsync<TempFileLeftOnFailureCheck>("""
                void Save(string path, string json)
                {
                    var tmp = path + "." + System.Guid.NewGuid().ToString("N") + ".tmp";
                    fs.File.WriteAllText(tmp, json);
                    {|CKPT401:fs.File.Move(tmp, path, true)|};
                }
            """);
    }

    [Fact]
    public async Task Temp_path_fixes_keep_the_abstraction()
    {
        await FixAsync<TempInOtherDirectoryCheck, TempBesideTargetCodeFixProvider>(
            Wrap("""
                    void Save(string path, string json)
                    {
                        var tmp = fs.Path.GetTempFileName();
                        fs.File.WriteAllText(tmp, json);
                        {|CKPT203:fs.File.Move(tmp, path, true)|};
                    }
                """),
            Wrap("""
                    void Save(string path, string json)
                    {
                        var tmp = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
                        fs.File.WriteAllText(tmp, json);
                        fs.File.Move(tmp, path, true);
                    }
                """));

        await FixAsync<SharedTempNameCheck, UniqueTempNameCodeFixProvider>(
            Wrap("""
                    async Task SaveAsync(string path, string json)
                    {
                        await Task.Yield();
                        var tmp = path + ".tmp";
                        fs.File.WriteAllText(tmp, json);
                        {|CKPT206:fs.File.Move(tmp, path, true)|};
                    }
                """),
            Wrap("""
                    async Task SaveAsync(string path, string json)
                    {
                        await Task.Yield();
                        var tmp = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
                        fs.File.WriteAllText(tmp, json);
                        fs.File.Move(tmp, path, true);
                    }
                """));
    }
}
