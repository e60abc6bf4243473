using CheckpointAudit.Atomicity;
using CheckpointAudit.Tests.Infrastructure;
using Xunit;

namespace CheckpointAudit.Tests.Atomicity;

public class DirectoryNotSyncedTests
{
    // MONITOR rule: off by default (checked by the catalog tests), turned on here the way users do.
    private const string Enabled = "dotnet_diagnostic.CKPT207.severity = warning\n";

    private static string Wrap(string body, string header = "") => $$"""
        using System;
        using System.IO;
        using System.Runtime.InteropServices;
        {{header}}

        partial class Store
        {
        {{body}}
        }
        """;

    private const string DurableSave = """
            void Save(string path, byte[] data)
            {
                var tmp = path + ".tmp";
                using (var stream = new FileStream(tmp, FileMode.Create, FileAccess.Write, FileShare.None))
                {
                    stream.Write(data);
                    stream.Flush(true);
                }

                MOVE;
                SYNC
            }
        """;

    [Fact]
    public async Task Flags_durable_temp_moved_without_a_directory_sync()
    {
        await Verify.AnalyzerAsync<DirectoryNotSyncedCheck>(
            Wrap(DurableSave.Replace("MOVE", "{|CKPT207:File.Move(tmp, path, true)|}").Replace("SYNC", string.Empty) + """

                    void SaveWriteThrough(string path, byte[] data)
                    {
                        var tmp = new FileInfo(path + ".new");
                        using (var stream = new FileStream(tmp.FullName, FileMode.Create, FileAccess.Write, FileShare.None, 4096, FileOptions.WriteThrough))
                        {
                            stream.Write(data);
                        }

                        {|CKPT207:tmp.Replace(path, null)|};
                    }
                """),
            Enabled);
    }

    [Fact]
    public async Task Quiet_when_the_directory_is_synced_or_the_data_is_not_durable_yet()
    {
        await Verify.AnalyzerAsync<DirectoryNotSyncedCheck>(
            Wrap(DurableSave.Replace("MOVE", "File.Move(tmp, path, true)").Replace("SYNC", "SyncDirectory(Path.GetDirectoryName(path)!);") + """

                    void SaveInline(string path, byte[] data)
                    {
                        var tmp = path + ".tmp";
                        using (var stream = new FileStream(tmp, FileMode.Create, FileAccess.Write, FileShare.None, 4096, FileOptions.WriteThrough))
                        {
                            stream.Write(data);
                        }

                        File.Move(tmp, path, true);
                        var fd = open(Path.GetDirectoryName(path)!, 0);
                        Sync(fd);
                        close(fd);
                    }

                    // Not durable yet: CKPT202's finding, not this one.
                    void SaveUnflushed(string path, string json)
                    {
                        var tmp = path + ".tmp";
                        File.WriteAllText(tmp, json);
                        File.Move(tmp, path, true);
                    }

                    // Not written here: a rename of an existing file.
                    void Archive(string path) => File.Move(path, path + ".old");

                    static void SyncDirectory(string directory)
                    {
                        var fd = open(directory, 0);
                        fsync(fd);
                        close(fd);
                    }

                    [DllImport("libc", SetLastError = true)]
                    static extern int open(string path, int flags);

                    [DllImport("libc", SetLastError = true)]
                    static extern int fsync(int fd);

                    [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
                    static extern int Sync(int fd);

                    [DllImport("libc")]
                    static extern int close(int fd);
                """),
            Enabled);
    }

    [Fact]
    public async Task Quiet_in_windows_only_assemblies()
    {
        await Verify.AnalyzerAsync<DirectoryNotSyncedCheck>(
            Wrap(DurableSave.Replace("MOVE", "File.Move(tmp, path, true)").Replace("SYNC", string.Empty), "[assembly: System.Runtime.Versioning.SupportedOSPlatform(\"windows7.0\")]"),
            Enabled);
    }
}
