// Correct code: state written to a temp file beside the target, flushed, then moved into place.
using System;
using System.IO;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace ValidCode;

public sealed record Settings(int SchemaVersion, string Theme);

public sealed class AtomicSettingsStore(string path)
{
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

            File.Move(temp, path, overwrite: true);
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
        }
        finally
        {
            File.Delete(temp);
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

            temp.MoveTo(path, overwrite: true);
        }
        catch
        {
            temp.Delete();
            throw;
        }
    }
}
