// Correct code: state written to a temp file beside the target, flushed, moved into place, and
// the directory synced so that the rename itself survives a power loss on Unix.
using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace ValidCode;

public sealed record Settings(int SchemaVersion, string Theme);

public sealed class AtomicSettingsStore(string path)
{
    /// <summary>Deletes temp files that a killed process left behind; call once at startup.</summary>
    public static void SweepLeftovers(string path)
    {
        var started = System.Diagnostics.Process.GetCurrentProcess().StartTime.ToUniversalTime();
        foreach (var leftover in new DirectoryInfo(Path.GetDirectoryName(Path.GetFullPath(path))!).EnumerateFiles("*.tmp"))
        {
            if (leftover.LastWriteTimeUtc < started)
            {
                leftover.Delete();
            }
        }
    }

    // Async saves share one temp name, so they take turns.
    private readonly SemaphoreSlim _saveGate = new(1, 1);

    public void Save(Settings settings)
    {
        var temp = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                JsonSerializer.Serialize(stream, settings);
                stream.Flush(flushToDisk: true);
            }

            // One previous version stays beside the file, for when a save writes the wrong content.
            if (File.Exists(path))
            {
                File.Replace(temp, path, path + ".bak");
            }
            else
            {
                File.Move(temp, path);
            }

            Directories.Sync(path);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    public async Task SaveAsync(Settings settings, CancellationToken cancellationToken)
    {
        var temp = path + ".tmp";
        await _saveGate.WaitAsync(cancellationToken);
        try
        {
            await using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 4096, FileOptions.WriteThrough))
            {
                await JsonSerializer.SerializeAsync(stream, settings, cancellationToken: cancellationToken);
            }

            File.Replace(temp, path, path + ".bak");
            Directories.Sync(path);
        }
        finally
        {
            File.Delete(temp);
            _saveGate.Release();
        }
    }

    // One temp name for the file: a failed save leaves at most that one file, which the next save truncates and
    // replaces, so no cleanup is needed; saves take turns, since they share it.
    public void SaveTakingTurns(Settings settings)
    {
        var temp = path + ".tmp";
        _saveGate.Wait();
        try
        {
            using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 4096, FileOptions.WriteThrough))
            {
                JsonSerializer.Serialize(stream, settings);
            }

            File.Replace(temp, path, path + ".bak");
            Directories.Sync(path);
        }
        finally
        {
            _saveGate.Release();
        }
    }

    public void SaveWithFileInfo(string json)
    {
        var temp = new FileInfo(path + ".tmp");
        try
        {
            using (var writer = temp.CreateText())
            {
                writer.Write(json);
                writer.Flush();
                ((FileStream)writer.BaseStream).Flush(flushToDisk: true);
            }

            if (File.Exists(path))
            {
                temp.Replace(path, path + ".bak");
            }
            else
            {
                temp.MoveTo(path);
            }

            Directories.Sync(path);
        }
        catch
        {
            temp.Delete();
            throw;
        }
    }
}

internal static class Directories
{
    /// <summary>fsync the directory holding <paramref name="file"/> (Unix; Windows needs nothing).</summary>
    public static void Sync(string file)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var descriptor = open(Path.GetDirectoryName(Path.GetFullPath(file))!, 0);
        if (descriptor >= 0)
        {
            fsync(descriptor);
            close(descriptor);
        }
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int open(string path, int flags);

    [DllImport("libc", SetLastError = true)]
    private static extern int fsync(int descriptor);

    [DllImport("libc")]
    private static extern int close(int descriptor);
}
