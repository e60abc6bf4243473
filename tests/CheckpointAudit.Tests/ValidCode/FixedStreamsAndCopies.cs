// Correct code: the forms the code fixes write. Streams opened through the generated helper and committed where the
// write ends (handed to a method that only writes, an archive told to leave the stream open), a copy made beside the
// target and moved over it, a replacement that keeps the previous version, an enum read by a converter that takes
// unknown names, a read that handles the file vanishing after the check, and an empty file made only when missing;
// an XML document whose root is checked before its atomic save, a file abstraction whose implementation writes
// atomically, and a stream written through a BinaryWriter that leaves it open; streams published when closed
// (CreateAutoCommit) where a using, an owning object or every caller closes them, and a mock's setup of a write.
using System;
using System.IO;
using System.IO.Compression;
using System.Linq.Expressions;
using System.Text.Json;
using System.Text.Json.Serialization;
using CheckpointAudit;

namespace ValidCode;

public enum Theme
{
    Light,
    Dark,
}

public sealed class ViewerSettings
{
    [JsonConverter(typeof(TolerantStringEnumConverter))]
    public Theme Theme { get; set; }

    public int Columns { get; set; }
}

public static class FixedStreamsAndCopies
{
    public static void SaveSettings(string path, ViewerSettings settings)
    {
        using (var stream = CheckpointFile.Create(path))
        {
            WriteAll(stream, JsonSerializer.SerializeToUtf8Bytes(settings));
            CheckpointFile.Commit(stream);
        }
    }

    public static void Pack(string path, string[] files)
    {
        using (var stream = CheckpointFile.Create(path))
        {
            using (var archive = new ZipArchive(stream, ZipArchiveMode.Create, true))
            {
                foreach (var file in files)
                {
                    archive.CreateEntryFromFile(file, Path.GetFileName(file));
                }
            }

            CheckpointFile.Commit(stream);
        }
    }

    public static void Restore(string backup, string path) => CheckpointFile.Copy(backup, path, true);

    public static void Publish(string temp, string path)
    {
        if (File.Exists(path))
        {
            File.Replace(temp, path, path + ".bak");
        }
        else
        {
            File.Move(temp, path);
        }
    }

    public static string ReadNote(string path)
    {
        if (File.Exists(path))
        {
            try
            {
                return File.ReadAllText(path);
            }
            catch (IOException missing) when (missing is FileNotFoundException || missing is DirectoryNotFoundException)
            {
                // Deleted after the check: handled below as a missing file.
            }
        }

        return "";
    }

    public static void Schedule(string list, string entry)
    {
        if (!File.Exists(list))
        {
            new FileStream(list, FileMode.OpenOrCreate, FileAccess.Write).Dispose();
        }

        File.AppendAllLines(list, new[] { entry });
    }

    public static void SaveLayout(System.Xml.XmlDocument layout, string path)
    {
        if (layout.DocumentElement == null)
            throw new System.Xml.XmlException("Invalid XML document. The document does not have a root element.");
        using (var stream = CheckpointFile.Create(path, FileAccess.Write))
        {
            layout.Save(stream);
            CheckpointFile.Commit(stream);
        }
    }

    public static void SaveConfig(IDisk disk, string configPath, string xml) => disk.WriteAllText(configPath, xml);

    public static bool SaveIcon(string path, byte[] image)
    {
        using (var output = CheckpointFile.Create(path))
        {
            var result = WriteIcon(image, output);
            CheckpointFile.Commit(output);
            return result;
        }
    }

    private static bool WriteIcon(byte[] image, Stream output)
    {
        BinaryWriter writer = new BinaryWriter(output);
        writer.Write((short)1);
        writer.Write(image);
        writer.Flush();
        return true;
    }

    private static void WriteAll(Stream target, byte[] bytes) => target.Write(bytes, 0, bytes.Length);
}

public interface IDisk
{
    void WriteAllText(string filename, string contents);
}

public abstract class DiskBase : IDisk
{
    public void WriteAllText(string filename, string contents) => CheckpointFile.WriteAllText(filename, contents);
}

public interface IStreamDisk
{
    FileStream OpenWriteStream(string path);
}

public sealed class StreamDisk : IStreamDisk
{
    public FileStream OpenWriteStream(string path) => CheckpointFile.CreateAutoCommit(path);

    public void SaveStream(Stream source, string path)
    {
        using (var target = OpenWriteStream(path))
        {
            source.CopyTo(target);
        }
    }
}

public sealed class ExportWriter : IDisposable
{
    private readonly TextWriter _writer;

    public ExportWriter(Stream stream) => _writer = new StreamWriter(stream);

    public void Write(string line) => _writer.WriteLine(line);

    public void Dispose() => _writer.Dispose();
}

public static class AutoCommittedStreams
{
    public static ExportWriter Export(string exportPath) => new ExportWriter(CheckpointFile.CreateAutoCommit(exportPath));

    public static void SaveThroughSerializer(string statePath, string json)
    {
        using (var stream = CheckpointFile.CreateAutoCommit(statePath, FileAccess.Write, 4096, FileOptions.WriteThrough))
        {
            Serialize(json, stream);
        }
    }

    private static void Serialize(string json, Stream stream)
    {
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(json);
        }
    }

    // A mock's setup of an abstraction that writes in place: the call is an expression tree, not a write.
    public static void Arrange(Action<Expression<Func<ILegacyDisk, FileStream>>> setup) => setup(disk => disk.OpenWriteStream("settings.json"));
}

public interface ILegacyDisk
{
    FileStream OpenWriteStream(string path);
}

public sealed class LegacyDisk : ILegacyDisk
{
    // Hands out the stream it opens: its callers' writes are reported where they call it.
    public FileStream OpenWriteStream(string path) => new FileStream(path, FileMode.Create);
}
