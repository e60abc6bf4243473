using CheckpointAudit.Atomicity;
using CheckpointAudit.CodeFixes.Atomicity;
using CheckpointAudit.Tests.Infrastructure;
using Microsoft.CodeAnalysis.Testing;
using Xunit;

namespace CheckpointAudit.Tests.Atomicity;

/// <summary>
/// CKPT201 "Write atomically in Type.Method" at a call of the project's own file abstraction: the implementations'
/// writes are rewritten, the call keeps going through the abstraction.
/// </summary>
public class WriteAtomicallyInImplementationCodeFixTests
{
    private const string Caller = """
        using System.IO;

        class Config
        {
            private readonly IDisk _disk;

            public Config(IDisk disk) => _disk = disk;

            public void Save(string configPath, string xml)
            {
                {|CKPT201:_disk.WriteAllText(configPath, xml)|};
            }

            public void SaveBackup(string backupPath, string xml)
            {
                {|CKPT201:_disk.WriteAllText(backupPath, xml)|};
            }
        }
        """;

    [Fact]
    public async Task Rewrites_the_one_implementation_of_the_interface_and_keeps_the_calls()
    {
        const string Disk = """
            using System.IO;

            interface IDisk
            {
                void WriteAllText(string filename, string contents);
            }

            class Disk : IDisk
            {
                public void WriteAllText(string filename, string contents)
                {
                    {|CKPT201:File.WriteAllText(filename, contents)|};
                }
            }
            """;
        const string FixedDisk = """
            using System.IO;
            using CheckpointAudit;

            interface IDisk
            {
                void WriteAllText(string filename, string contents);
            }

            class Disk : IDisk
            {
                public void WriteAllText(string filename, string contents)
                {
                    CheckpointFile.WriteAllText(filename, contents);
                }
            }
            """;
        var test = Verify.CodeFix<NonAtomicOverwriteCheck, WriteAtomicallyInImplementationCodeFixProvider>(Caller, Unmarked(Caller));
        test.TestState.Sources.Add(Disk);
        test.FixedState.Sources.Add(FixedDisk);
        test.CodeActionEquivalenceKey = WriteAtomicallyInImplementationCodeFixProvider.EquivalenceKey;
        test.NumberOfIncrementalIterations = 1;
        test.NumberOfFixAllIterations = 1;
        await test.RunAsync();
    }

    [Fact]
    public async Task Rewrites_the_stream_of_a_base_class_in_a_referenced_project()
    {
        // As Radarr's DiskProviderBase: the interface and its abstract base in another project, the write a
        // FileStream with a StreamWriter in a block of its own.
        const string Disk = """
            using System.IO;

            public interface IDisk
            {
                void WriteAllText(string filename, string contents);
            }

            public abstract class DiskBase : IDisk
            {
                public void WriteAllText(string filename, string contents)
                {
                    using (var fs = {|CKPT201:new FileStream(filename, FileMode.Create, FileAccess.Write, FileShare.None)|})
                    {
                        using (var writer = new StreamWriter(fs))
                        {
                            writer.Write(contents);
                        }
                    }
                }
            }

            public sealed class LinuxDisk : DiskBase
            {
            }
            """;
        const string FixedDisk = """
            using System.IO;
            using CheckpointAudit;

            public interface IDisk
            {
                void WriteAllText(string filename, string contents);
            }

            public abstract class DiskBase : IDisk
            {
                public void WriteAllText(string filename, string contents)
                {
                    using (var fs = CheckpointFile.Create(filename, FileAccess.Write))
                    {
                        using (var writer = new StreamWriter(fs))
                        {
                            writer.Write(contents);
                            CheckpointFile.Commit(writer);
                        }
                    }
                }
            }

            public sealed class LinuxDisk : DiskBase
            {
            }
            """;
        var caller = Caller.Replace("class Config", "class Config // calls the referenced project's IDisk");
        var test = Verify.CodeFix<NonAtomicOverwriteCheck, WriteAtomicallyInImplementationCodeFixProvider>(caller, Unmarked(caller), withHelper: false);
        test.TestState.Sources.Add((Verify.HelperPath, Verify.HelperSourceNet80));
        test.FixedState.Sources.Add((Verify.HelperPath, Verify.HelperSourceNet80));
        Verify.WithModelsProject(test, Disk);
        test.TestState.AdditionalProjects[Verify.ModelsProject].Sources.Add(("/0/Models/CheckpointFile.g.cs", Verify.HelperSourceNet80));
        var fixedModels = test.FixedState.AdditionalProjects[Verify.ModelsProject];
        fixedModels.AdditionalReferences.AddRange(TestReferences.Net80);
        fixedModels.Sources.Add(FixedDisk);
        fixedModels.Sources.Add(("/0/Models/CheckpointFile.g.cs", Verify.HelperSourceNet80));
        test.FixedState.AdditionalProjectReferences.Add(Verify.ModelsProject);
        test.CodeActionEquivalenceKey = WriteAtomicallyInImplementationCodeFixProvider.EquivalenceKey;
        test.CodeFixTestBehaviors |= CodeFixTestBehaviors.SkipLocalDiagnosticCheck;
        test.NumberOfIncrementalIterations = 1;
        test.NumberOfFixAllIterations = 1;
        await test.RunAsync();
    }

    [Fact]
    public async Task No_fix_where_an_implementation_writes_through_a_further_call_or_cannot_be_rewritten()
    {
        const string Disk = """
            using System.IO;

            interface IDisk
            {
                void WriteAllText(string filename, string contents);
            }

            class Disk : IDisk
            {
                public void WriteAllText(string filename, string contents)
                {
                    {|CKPT201:File.WriteAllText(filename, contents)|};
                }
            }

            // A second implementation writes through its own helper: rewriting only the first would leave this one.
            class MirroredDisk : IDisk
            {
                public void WriteAllText(string filename, string contents) => Write(filename, contents);

                private static void Write(string target, string contents) => {|CKPT201:File.WriteAllText(target, contents)|};
            }
            """;
        var test = Verify.CodeFix<NonAtomicOverwriteCheck, WriteAtomicallyInImplementationCodeFixProvider>(Caller, Caller);
        test.TestState.Sources.Add(Disk);
        test.FixedState.Sources.Add(Disk);
        await test.RunAsync();
    }

    [Fact]
    public async Task No_fix_for_an_interface_method_with_a_default_body()
    {
        const string Disk = """
            using System.IO;

            interface IDisk
            {
                void WriteAllText(string filename, string contents) => {|CKPT201:File.WriteAllText(filename, contents)|};
            }

            class Disk : IDisk
            {
            }

            class FastDisk : IDisk
            {
                public void WriteAllText(string filename, string contents) => {|CKPT201:File.WriteAllText(filename, contents)|};
            }
            """;
        var test = Verify.CodeFix<NonAtomicOverwriteCheck, WriteAtomicallyInImplementationCodeFixProvider>(Caller, Caller);
        test.TestState.Sources.Add(Disk);
        test.FixedState.Sources.Add(Disk);
        await test.RunAsync();
    }

    [Fact]
    public async Task A_stream_an_expression_bodied_implementation_returns_commits_on_close()
    {
        const string Source = """
            using System.IO;

            interface IDisk
            {
                Stream OpenWriteStream(string path);
            }

            class Disk : IDisk
            {
                public Stream OpenWriteStream(string path) => new FileStream(path, FileMode.Create);
            }

            class Blackhole
            {
                void Add(IDisk disk, string path, byte[] bytes)
                {
                    using (var stream = {|CKPT201:disk.OpenWriteStream(path)|})
                    {
                        stream.Write(bytes, 0, bytes.Length);
                    }
                }
            }
            """;
        const string Fixed = """
            using System.IO;
            using CheckpointAudit;

            interface IDisk
            {
                Stream OpenWriteStream(string path);
            }

            class Disk : IDisk
            {
                public Stream OpenWriteStream(string path) => CheckpointFile.CreateAutoCommit(path);
            }

            class Blackhole
            {
                void Add(IDisk disk, string path, byte[] bytes)
                {
                    using (var stream = disk.OpenWriteStream(path))
                    {
                        stream.Write(bytes, 0, bytes.Length);
                    }
                }
            }
            """;
        await Verify.CodeFix<NonAtomicOverwriteCheck, WriteAtomicallyInImplementationCodeFixProvider>(Source, Fixed).RunAsync();
    }

    private const string StreamCallers = """
        using System;
        using System.IO;
        using System.Linq.Expressions;

        class Blackhole
        {
            private readonly IDisk _disk;

            public Blackhole(IDisk disk) => _disk = disk;

            public void AddTorrent(string filepath, byte[] content)
            {
                using (var stream = {|CKPT201:_disk.OpenWriteStream(filepath)|})
                {
                    stream.Write(content, 0, content.Length);
                }
            }

            public void AddMagnet(string magnetPath, string link)
            {
                using var writer = new StreamWriter({|CKPT201:_disk.OpenWriteStream(magnetPath)|});
                writer.Write(link);
            }

            /// <summary>Writes through <see cref="IDisk.OpenWriteStream"/>; its name is <c>nameof(IDisk.OpenWriteStream)</c>.</summary>
            public static string Name => nameof(IDisk.OpenWriteStream);

            // A mock's setup is an expression tree: the call in it never runs.
            public static void Setup<T>(Expression<Func<IDisk, T>> call)
            {
            }

            public static void Arrange() => Setup(d => d.OpenWriteStream("x"));
        }
        """;

    private const string StreamDisk = """
        using System.IO;

        interface IDisk
        {
            FileStream OpenWriteStream(string path);
        }

        class Disk : IDisk
        {
            public FileStream OpenWriteStream(string path)
            {
                return new FileStream(path, FileMode.Create);
            }

            public void SaveStream(Stream source, string path)
            {
                using (var target = OpenWriteStream(path))
                {
                    source.CopyTo(target);
                }
            }
        }
        """;

    [Fact]
    public async Task A_stream_the_implementation_returns_commits_on_close_when_every_caller_closes_it()
    {
        // As Radarr's IDiskProvider.OpenWriteStream: each caller writes in a using, so closing is the end of the write.
        const string FixedDisk = """
            using System.IO;
            using CheckpointAudit;

            interface IDisk
            {
                FileStream OpenWriteStream(string path);
            }

            class Disk : IDisk
            {
                public FileStream OpenWriteStream(string path)
                {
                    return CheckpointFile.CreateAutoCommit(path);
                }

                public void SaveStream(Stream source, string path)
                {
                    using (var target = OpenWriteStream(path))
                    {
                        source.CopyTo(target);
                    }
                }
            }
            """;
        var test = Verify.CodeFix<NonAtomicOverwriteCheck, WriteAtomicallyInImplementationCodeFixProvider>(StreamCallers, Unmarked(StreamCallers));
        test.TestState.Sources.Add(StreamDisk);
        test.FixedState.Sources.Add(FixedDisk);
        test.CodeActionEquivalenceKey = WriteAtomicallyInImplementationCodeFixProvider.EquivalenceKey;
        test.NumberOfIncrementalIterations = 1;
        test.NumberOfFixAllIterations = 1;
        await test.RunAsync();
    }

    [Fact]
    public async Task No_fix_for_a_returned_stream_when_a_caller_keeps_it_open()
    {
        // A log kept open for the life of the program would be published only when it is closed.
        var callers = StreamCallers.Replace("""
                public static void Arrange()
            """, """
                private Lazy<FileStream> _log;

                public void OpenLog(string logPath) => _log = new Lazy<FileStream>(() => _disk.OpenWriteStream(logPath));

                public static void Arrange()
            """);
        var test = Verify.CodeFix<NonAtomicOverwriteCheck, WriteAtomicallyInImplementationCodeFixProvider>(callers, callers);
        test.TestState.Sources.Add(StreamDisk);
        test.FixedState.Sources.Add(StreamDisk);
        await test.RunAsync();
    }

    private static string Unmarked(string source) => source.Replace("{|CKPT201:", string.Empty).Replace("|}", string.Empty);
}
